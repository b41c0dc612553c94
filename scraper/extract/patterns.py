"""Selectors, phrases and regular expressions the extractor uses: data, in one place.

Sections are owned by topic; add to the section you work on.
"""

from __future__ import annotations

import re

# --- body and boilerplate ----------------------------------------------------------------------

# Elements that never hold article text; dropped (with their content) before anything else.
JUNK_TAGS = ("script", "style", "noscript", "template", "svg", "math", "iframe", "object",
             "embed", "canvas", "select", "textarea", "input", "dialog",
             "link", "meta", "head")
# Page furniture dropped whole unless it holds most of the page's paragraph text.
FURNITURE_TAGS = frozenset({"nav", "aside", "footer", "header", "form", "menu", "button",
                            "label"})
# Tags whose text is a paragraph of its own in the body.
BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
    "ol", "dl", "dt", "dd", "blockquote", "pre", "table", "tr", "td", "th", "figure",
    "figcaption", "center", "address", "hr", "br", "details", "summary", "header", "footer",
    "tbody", "thead", "caption", "body", "html",
})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Paragraph-like elements whose text feeds candidate scores.
SCORED_TAGS = ("p", "pre", "td", "blockquote", "div", "section", "li", "dd")

# Class/id tokens of boilerplate containers (share bars, related links, comments, ads ...).
BOILERPLATE_CLASS = re.compile(
    r"(?<![a-z0-9])(?:share|sharing|social-?(?:share|links?|icons?|bar|buttons?|networks?|follow|"
    r"media-(?:links|icons|share))|related|recommend|newsletter|subscri|signup|sign-up|"
    r"promo|advert|sponsor|cookie|consent|comment|disqus|respond|sidebar|breadcrumb|"
    r"byline|author-?(?:bio|box|info|card|details|wrap)|about-?(?:the-)?author|"
    r"(?:post|entry|article)-?(?:meta|info|footer|tags|categories|share|nav)|tags?-?(?:list|links)|"
    r"tagcloud|navigation|navbar|nav|menu|footer|pagination|pager|popup|modal|toolbar|"
    r"follow|rating|outbrain|taboola|teaser|most-?(?:read|popular|viewed)|popular|trending|"
    r"read-?more|more-?(?:stories|news|articles)|paywall|login|donat|jump-?link|skip-?(?:to|link|nav)|"
    r"print-?only|sr-only|visually-?hidden|screen-?reader|ads?|adslot|ad-?(?:unit|slot|box|wrap))"
    r"(?:[a-z]*s)?(?![a-z0-9])",
    re.I,
)
# Class/id of a reader-comment area: text under it is never the article.
COMMENT_CONTAINER = re.compile(r"(?<![a-z])(?:comments?|disqus|respond|replies)(?![a-z])|"
                               r"comment-?(?:list|area|section|thread|body)", re.I)
# Class/id tokens of the article text itself: never removed as boilerplate.
CONTENT_CLASS = re.compile(
    r"(?:article|entry|post|story|main|page|blog|news|body|rich)[-_]?(?:body|content|text|"
    r"entry|inner)|articlebody|article__body|(?<![a-z])(?:content|prose|text)(?![a-z])",
    re.I,
)
# Readability-style weights for candidate containers.
POSITIVE_CANDIDATE = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|prose", re.I)
NEGATIVE_CANDIDATE = re.compile(
    r"hidden|banner|combx|comment|com-|contact|foot|masthead|media|meta|outbrain|promo(?!ted)|related|"
    r"scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|nav|menu|"
    r"teaser|cookie|newsletter", re.I)
# Short blocks whose text starts with one of these are furniture, in en, vi, es, fr, de.
BOILERPLATE_TEXT = re.compile(
    r"^\W*(?:share (?:this|on|via|the)|share:|shares?$|leave a (?:comment|reply)|post a comment|"
    r"\d+ comments?|no comments|comments?$|related (?:articles|posts|stories|news|content|"
    r"topics)|related$|read (?:more|also|next)|see also|you (?:may|might) (?:also )?(?:like|"
    r"enjoy|be interested)|recommended|most (?:read|popular|viewed)|more (?:from|stories|news|"
    r"on this)|sign up|subscribe|newsletter|advertisement|advertising|sponsored|follow us|"
    r"click here|all rights reserved|copyright|©|tags?:|filed under|posted in|categories:|"
    r"skip to|continue reading|back to top|print$|email$|tweet$|"
    r"chia sẻ|bình luận|chưa có bình luận|tin liên quan|bài viết liên quan|đọc thêm|xem thêm|"
    r"quảng cáo|tin cùng chuyên mục|"
    r"compartir|comentarios|art[ií]culos relacionados|noticias relacionadas|lee también|"
    r"leer más|te puede interesar|suscr[ií]bete|publicidad|"
    r"partager|commentaires|articles similaires|[àa] lire aussi|lire aussi|lire la suite|"
    r"abonnez-vous|publicit[ée]|sur le m[êe]me sujet|"
    r"teilen|kommentare|ähnliche artikel|mehr zum thema|weiterlesen|lesen sie auch|"
    r"auch interessant|anzeige$|newsletter abonnieren)",
    re.I,
)
# Class/id tokens of a byline or dateline block ("node__meta", "byline"): dropped when short.
META_LINE_TOKEN = re.compile(
    r"^(?:[a-z0-9]+[-_]{1,2})*(?:meta|metas|metadata|by[-_]?lines?|submitted|dateline|timestamp|"
    r"authors?|author[-_]?(?:name|mail|line)|posted[-_]?(?:on|by)|post[-_]?date|entry[-_]?date|"
    r"publish(?:ed)?(?:[-_]?(?:date|on|at))?|updated|modified|tac[-_]?gia|ngay[-_]?dang)$",
    re.I)
META_SEPARATOR = re.compile(r"\s*[|·•]\s*")  # "By Ann Lee · May 3, 2024 | 2,310 views"
# Inline styles and attributes that hide an element from readers.
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

# --- metadata: title, authors, dates -------------------------------------------------------------

# JSON-LD @type values of one article (the object whose fields describe this page).
ARTICLE_TYPES = frozenset({
    "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "techarticle",
    "scholarlyarticle", "socialmediaposting", "liveblogposting", "posting", "report", "review",
    "medicalwebpage", "howto", "recipe", "creativework", "liveblog", "advertisercontentarticle",
    "satiricalarticle", "discussionforumposting", "qapage", "webpage", "itempage", "aboutpage",
})
# og:type / JSON-LD types that mean "not one article".
LISTING_TYPES = frozenset({"website", "collectionpage", "searchresultspage", "itemlist",
                           "profilepage", "contactpage", "product", "profile", "video.other"})
TITLE_SEPARATORS = re.compile(r"\s+[|\-–—·•»]\s+|\s+::\s+|\s*\|\s*")
# <meta> keys (lower-cased) for the publication and modification dates, most specific first.
PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "article:published",
    "datepublished", "published_time", "article.published", "pubdate", "publishdate",
    "publish_date", "publish-date", "publication_date", "citation_publication_date",
    "dc.date.issued", "dcterms.issued", "dc.date.created", "dcterms.created", "dc.date",
    "dcterms.date", "date", "sailthru.date", "parsely-pub-date", "article.created",
    "og:published_time", "cxenseparse:recs:publishtime", "originalpublicationdate",
    "date.available", "datecreated", "created", "release_date",
)
MODIFIED_META = ("article:modified_time", "og:article:modified_time", "og:updated_time",
                 "datemodified", "modified_time", "article.updated", "dc.date.modified",
                 "dcterms.modified", "last-modified", "lastmod", "article:updated_time")
AUTHOR_META = ("author", "article:author", "og:article:author", "dc.creator", "dcterms.creator",
               "sailthru.author", "parsely-author", "byl", "citation_author")
# Class/id tokens of an element showing when the article was last changed (hAtom "updated").
MODIFIED_TOKEN = re.compile(
    r"^(?:[a-z0-9]+[-_]{1,2})*(?:updated|modified|last-?(?:updated|modified|update|change)|"
    r"(?:date|time)-?(?:updated|modified)|(?:updated?|modified)-?(?:date|time|on|at)|"
    r"ngay-?cap-?nhat|aktualisiert)$", re.I)
# A visible label before the modification date, in en, vi, es, fr, de, pt, it.
MODIFIED_LABEL = re.compile(
    r"(?<!\w)(?:(?:last\s+)?(?:updated|modified)(?:\s+(?:on|at))?|cập\s+nhật(?:\s+lúc)?|"
    r"actualizad[oa](?:\s+(?:el|a\s+las))?|última\s+actualización|mis\s+à\s+jour(?:\s+le)?|"
    r"mise\s+à\s+jour(?:\s+le)?|aktualisiert(?:\s+am)?|zuletzt\s+aktualisiert(?:\s+am)?|"
    r"atualizad[oa](?:\s+em)?|aggiornat[oa](?:\s+il)?)\s*[:：]?\s*", re.I)
# Class/id tokens of elements that show a byline or a dateline.
BYLINE_CLASS = re.compile(
    r"(?<![a-z])(?:byline|by-line|author|autor|auteur|writer|posted-?by|meta-?author|"
    r"contributor|tac-?gia|reporter|journalist)", re.I)
DATELINE_CLASS = re.compile(
    r"(?<![a-z])(?:date|time|publish|posted|pubdate|dateline|timestamp|entry-meta|post-meta|"
    r"article-meta|meta|byline|ngay|fecha|datum)", re.I)
# Words that are not a person's name in a byline.
AUTHOR_PLACEHOLDERS = frozenset({
    "admin", "administrator", "staff", "editor", "editors", "editorial", "editorial staff",
    "editorial team", "newsroom", "news desk", "web desk", "desk", "team", "guest", "anonymous",
    "unknown", "user", "webmaster", "redaction", "redacción", "rédaction", "redaktion",
    "ban biên tập", "author", "contributor", "reporter", "staff writer", "staff reporter",
    "press release", "wire", "the associated press", "associated press", "reuters", "afp",
})
BYLINE_PREFIX = re.compile(
    r"^\s*(?:(?:written|posted|published|reported|story|text|words|photos?)\s+)?"
    r"(?:by|from|por|par|von|bởi|tác giả|autor|auteur|author|escrito por|publié par)"
    r"(?:\s*[:\-–]\s*|\s+)",
    re.I)
# A label before a name that credits something else than the text: "Photo: Ann Lee".
CREDIT_LABEL = re.compile(r"(?:photos?|pictures?|images?|video|graphics?|illustrations?|ảnh|fotos?|"
                          r"fotografía|imagen|vídeo|bild|bilder|grafik|фото|видео|source|nguồn|"
                          r"fuente|quelle)", re.I)
# Words that make a byline part an organisation rather than a person ("Reuters - Ann Lee").
ORGANISATION_WORDS = frozenset({
    "team", "editorial", "staff", "desk", "news", "media", "press", "times", "post", "daily", "group",
    "agency", "magazine", "network", "online", "service", "wire", "newsroom", "editors", "editor",
    "reporters", "correspondent", "contributors", "tv", "radio", "journal"})
NAME_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&|\by\b|\bet\b|\bund\b|\bvà\b|\|)\s*", re.I)
# Class/id tokens of the article's tag list ("post-tags", Drupal's "field--name-field-tags").
TAG_CONTAINER_TOKEN = re.compile(
    r"^(?:[a-z0-9]+[-_]{1,2})*(?:tags?|tag-?(?:list|links)|keywords?|topics?|labels?|"
    r"schlagw(?:ö|oe)rter|etiquetas|mots-?cl[ée]s|tu-?khoa)(?:[-_]{1,2}(?:list|links|wrap|"
    r"wrapper|container|box|area|items?|block|section|inline))?$", re.I)
# Paths of tag archive pages: a link there inside a tag list is one tag.
TAG_HREF = re.compile(
    r"/(?:tags?|topics?|chu-de|tu-khoa|etiquetas?|schlagw(?:ö|oe)rter|schlagworte?|stichworte?|"
    r"themen|thema|sujets?|mots?-cles?|keywords?|labels?|temas?)/[^/?#]", re.I)
# Month names (lower-case, accents kept) in en, es, fr, de, vi; value is the month number.
MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
    "diciembre": 12, "ene": 1, "abr": 4, "ago": 8, "dic": 12,
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12, "janv": 1, "févr": 2, "juil": 7, "déc": 12,
    "januar": 1, "februar": 2, "märz": 3, "maerz": 3, "juni": 6, "juli": 7, "oktober": 10,
    "dezember": 12, "jänner": 1, "okt": 10, "dez": 12,
}
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_TIME = (r"(?:\s*(?:,|at|um|à|a las|lúc|-|–|\|)?\s*(?P<hour>\d{1,2})[:h.](?P<minute>\d{2})"
         r"(?::(?P<second>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?"
         r"(?:\s*\(?(?:GMT|UTC)\s*(?P<tz>[+-]\d{1,2}(?::?\d{2})?)?\)?)?)?")
ISO_DATE = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?:[T ](?P<hour>\d{1,2}):(?P<minute>\d{2})"
    r"(?::(?P<second>\d{2}))?(?:\.\d+)?\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?")
# "May 13, 2024 04:00am", "Monday, May 13th 2024"
MONTH_DAY_YEAR = re.compile(
    rf"(?<!\w)(?P<month_name>{_MONTH_NAMES})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+"
    rf"(?P<year>\d{{4}}){_TIME}", re.I)
# "13 May 2024", "13. Mai 2024", "13 de mayo de 2024", "13 tháng 5 năm 2024"
DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})(?:st|nd|rd|th|er)?\.?\s*(?:de\s+)?"
    rf"(?:(?P<month_name>{_MONTH_NAMES})\.?|tháng\s*(?P<month>\d{{1,2}}))\s*,?\s*(?:de\s+|del\s+|năm\s+)?"
    rf"(?P<year>\d{{4}}){_TIME}", re.I)
# "13/05/2024 04:00", "13.05.2024", "5/13/2024"
NUMERIC_DATE = re.compile(
    rf"(?<![\d/.])(?P<first>\d{{1,2}})[/.\-](?P<second_part>\d{{1,2}})[/.\-](?P<year>\d{{4}})"
    rf"(?![\d/]){_TIME}")
URL_DATE = re.compile(
    r"/(?P<year>(?:19|20)\d{2})[/\-_]?(?P<month>0[1-9]|1[0-2])[/\-_]?(?P<day>0[1-9]|[12]\d|3[01])?"
    r"(?=[/\-_.]|$)")

# --- comments and counts (views, comment count) ---------------------------------------------------
# How each comment system marks up one comment, tried in order: the first that reads comments
# well wins.  CSS-like selector groups: ``tag.class#id[attr op value]`` steps (op ``=``, ``~=``,
# ``^=``, ``$=``, ``*=``), space for descendants, comma between alternatives, first value wins.
# ``containers``: items count only inside one ("" = anywhere); ``texts``: none found means the
# item's own text without its chrome; ``require``: each comment needs an author or a date.
COMMENT_SYSTEMS: dict[str, dict[str, str]] = {
    "disqus": {
        "containers": "#dsq-comments, #dsq-content, #disqus_thread",
        "items": "li[id^=dsq-comment-], li.comment",
        "authors": "cite, [id^=dsq-author-user-], .dsq-comment-header",
        "dates": "time, .dsq-comment-meta a, .dsq-comment-header a[href*=#comment]",
        "texts": ".dsq-comment-message, .dsq-comment-body"},
    "wordpress": {
        "containers": "ol.comment-list, ul.comment-list, ol.commentlist, ul.commentlist, "
                      "ol.comments-list, ul.comments-list, ol.comments, ul.comments",
        "items": "li.comment, li.pingback, li.trackback, li[id^=comment-], li[id^=li-comment-]",
        "authors": ".comment-author .fn, .comment-author cite, .comment-author strong, "
                   ".comment-author b, .fn, cite, .comment-author",
        "dates": ".comment-metadata time, .comment-meta time, time, .comment-metadata a, "
                 ".comment-meta a, .commentmetadata a, .comment-date, .comment-time, "
                 "a[href*=#comment]",
        "texts": ".comment-content, .comment-text, .comment-entry"},
    "drupal": {
        "containers": "section.comments, .comment-wrapper, .comments-wrapper, #comments, "
                      ".field--name-comment, .field-name-comment, .field--type-comment",
        "items": "article.comment, div.comment, article.js-comment, div.js-comment",
        "authors": ".comment__author, .comment__submitted .username, .username, .comment-author",
        "dates": ".comment__time, time, .comment-time, .comment__submitted, .submitted, "
                 ".comment-date",
        "texts": ".field--name-comment-body, .field-name-comment-body, .comment__content, "
                 ".comment-text .content, .comment-content, .content"},
    "blogger": {
        "containers": ".comment-thread, #comments, .comments",
        "items": "li.comment",
        "authors": ".comment-header .user, cite.user, .user, .comment-author",
        "dates": ".comment-header .datetime, .datetime, .comment-timestamp",
        "texts": ".comment-content, .comment-body"},
    "microdata": {
        "require": "author, date", "containers": "",
        "items": "[itemprop~=comment][itemscope], [itemtype$=/Comment], "
                 "[itemtype$=/UserComments], [itemprop~=comments][itemscope]",
        "authors": "[itemprop~=author] [itemprop~=name], [itemprop~=author], "
                   "[itemprop~=creator] [itemprop~=name], [itemprop~=creator]",
        "dates": "[itemprop~=dateCreated], [itemprop~=datePublished], [itemprop~=commentTime], "
                 "time",
        "texts": "[itemprop~=text], [itemprop~=commentText], [itemprop~=description]"},
    "generic": {  # the fallback: any threaded comment widget
        "require": "author, date",
        "containers": "[class*=comments], [id*=comments], [class*=comment-list], "
                      "[class*=comment_list], [class*=commentlist], [class*=binh-luan], "
                      "[class*=binhluan], [class*=comentarios], [id*=comentarios]",
        "items": ".comment, .comment-item, .comment_item, .comments-item, .comments__item, "
                 ".comment__item, .comments__list-item, .comment-entry, .single-comment, "
                 ".c-comment, .commentItem, .comment-box, .comment-wrap, .binh-luan-item, "
                 ".comentario",
        "authors": "[class*=author] [class*=name], [class*=author-name], [class*=author], "
                   "[class*=user-name], [class*=username], [class*=user], [class*=nick], "
                   "[class*=name], [itemprop~=author], cite",
        "dates": "time, [class*=date], [class*=time], [class*=ago], [class*=posted]",
        "texts": "[class*=comment-text], [class*=comment-content], [class*=comment-body], "
                 "[class*=comment__text], [class*=comment__content], [class*=comment__body], "
                 "[class*=message], [class*=content], [class*=text], [class*=body]"},
}
# <meta> keys (lower-cased) that declare the comment count.
COMMENT_COUNT_META = ("commentcount", "comment_count", "comments_count", "article:comment_count")
# Where replies sit: inside their parent comment, or right after it (Drupal's div.indented).
COMMENT_REPLIES = (".children, .replies, .comment-replies, .comment__replies, .comments__replies, "
                   ".indented, .sub-comments, .subcomments, .child-comments, .comment-children, "
                   "[class*=replies], [class*=reply-list]")
# WordPress's nesting class on flat comment lists ("comment even depth-2").
COMMENT_DEPTH = re.compile(r"(?<![\w-])depth-(\d{1,2})(?![\w-])")
# Parts of a comment that are not its text: who, when, reply/edit/vote buttons, avatars.
COMMENT_CHROME = (
    ".reply, .comment-reply, .comment-reply-link, [class*=reply-link], [class*=reply-btn], "
    "[class*=reply-button], [class*=comment-actions], [class*=comment__actions], .comment-meta, "
    ".comment-metadata, .commentmetadata, .comment__meta, .comment-author, .comment-header, "
    ".says, [class*=avatar], .edit-link, .comment-edit-link, ul.links, .comment__links, .like, "
    "[class*=likes], [class*=vote], [class*=rating], [class*=report], a.permalink, "
    "a[rel=bookmark], button, form, script, style, noscript, svg, img, template, "
    ".screen-reader-text, .sr-only, .visually-hidden, .hidden")
# Class/id tokens of the comment area (list, heading, form, notice): dropped from the body.
COMMENT_AREA_TOKEN = re.compile(
    r"^(?:[a-z0-9]+[-_])*(?:comments|comentarios|comentários|commentaires|kommentare|commenti|"
    r"binh-?luan|disqus_thread|dsq-content|dsq-comments|respond|commentlist|commentform|"
    r"(?:box|block|section|wrap|wrapper|area|module|list|all)[-_]comments?|"
    r"no-?comments|comments?[-_](?:area|section|wrapper|container|block|box|wrap|template|"
    r"holder|list|widget|thread|module|panel|zone|outer|inner|main|content|root|app|embed|"
    r"respond|form|list|region|wrapper))$", re.I)
# Class/id tokens of an element showing how many comments the article has.
COMMENT_COUNT_TOKEN = re.compile(
    r"comments?[-_]{0,2}(?:count|number|num|nr|counter|total|link|bubble|tool)|"
    r"(?:count|num|number|total)[-_]{0,2}comments?|disqus-comment-count", re.I)
# Speech-bubble icons whose number (the text after them) is the comment count.
COMMENT_ICON_TOKEN = re.compile(
    r"^(?:fa|fas|far|icon|bi|ion|la|dashicons|glyphicon|ti|mdi|td-icon)-(?:[a-z]+-)*"
    r"comments?(?:-[a-z]+)*$", re.I)
# Containers of other articles (lists, widgets, rails): their counts are not this article's.
ELSEWHERE_TOKEN = re.compile(
    r"(?<![a-z])(?<!has-)(?<!with-)(?<!no-)(?:sidebar|side-bar|widget(?=[-_])(?!-?comment)|"
    r"related|popular|most-?(?:view|read|comment|popular|share)|trending|recommend|recent|"
    r"latest|more-?(?:stories|news|articles|posts)|teaser|rail|"
    r"(?:site|page|global)-?footer|footer-?widgets?|carousel|slider|ranking|top-?(?:news|posts|"
    r"stories|views?)|navbar|menu|breadcrumb)", re.I)
# Page-builder tokens ("elementor-widget-post-info") say nothing about what an element holds.
BUILDER_TOKEN = re.compile(r"^(?:elementor|et_pb|et-pb|vc_|wpb_|fl-|fusion-)", re.I)
ELSEWHERE_TAGS = frozenset({"aside", "nav"})

# Words that name comments and views, in en, vi, es, pt, fr, de, it, nl, id, pl, ru.
COMMENT_NOUN = re.compile(
    r"comments?|responses?|replies|reply|thoughts?|reactions?|bình luận|ý kiến bạn đọc|ý kiến|"
    r"phản hồi|comentarios?|comentários?|respuestas?|commentaires?|réponses?|kommentare?|"
    r"kommentaren|"
    r"antworten|commenti|commento|risposte|reacties|reactie|tanggapan|komentar|komentarz[ey]?|"
    r"комментари\w*", re.I)
# "One comment", "Un commentaire" as the whole start of the text ("Laisser un commentaire" is not).
COMMENT_ONE_PHRASE = re.compile(
    r"^\W*(?:one|a single|un|une|uno|una|um|uma|ein|một|satu|jeden|één)\s+(?:"
    + COMMENT_NOUN.pattern + r")(?!\w)", re.I)
COMMENT_ZERO_PHRASE = re.compile(
    r"(?<!\w)(?:no (?:comments?|responses?|replies|thoughts)(?: yet)?(?!\w)|"
    r"be the first to (?:comment|reply|respond)|chưa có (?:bình luận|ý kiến|phản hồi)|"
    r"không có bình luận|sin comentarios|no hay comentarios|sé el primero en comentar|"
    r"aucun commentaire|pas (?:encore )?de commentaires?|soyez le premier à commenter|"
    r"keine kommentare|nessun commento|sem comentários|nenhum comentário|"
    r"seja o primeiro a comentar|brak komentarzy|geen reacties|belum ada (?:komentar|tanggapan))",
    re.I)
# Left in a comment's text or author name by "Name says:" themes.
COMMENT_SAYS = re.compile(
    r"^\s*(?:says|said|wrote|dice|dijo|escribió|a dit|a écrit|sagt|schrieb|nói|viết)\s*:\s*",
    re.I)
AUTHOR_NOISE = re.compile(
    r"\s*(?:\((?:not verified|no verificado|non vérifié|nicht überprüft)\)|"
    r"(?:says|said|wrote|dice|dijo|a dit|sagt|schrieb)\s*:?|:|,|\bon)\s*$", re.I)

# Counts with their multipliers: "1.2K", "12.345", "1,204", "2,5 mil", "1.2M", "3 409".
COUNT_MULTIPLIERS = {
    "k": 1_000, "m": 1_000_000, "b": 1_000_000_000, "bn": 1_000_000_000, "mil": 1_000,
    "mio": 1_000_000, "mln": 1_000_000, "mn": 1_000_000, "tsd": 1_000, "tys": 1_000,
    "nghìn": 1_000, "ngàn": 1_000, "triệu": 1_000_000, "tr": 1_000_000, "thousand": 1_000,
    "million": 1_000_000, "millions": 1_000_000, "billion": 1_000_000_000, "mille": 1_000,
    "тыс": 1_000, "млн": 1_000_000,
}
COUNT_NUMBER = re.compile(
    r"(?<![\w.,])(?P<number>\d{1,3}(?:(?:[.,'\u00a0\u202f]| (?=\d{3}(?!\d)))\d{3})+(?!\d)|"
    r"\d+(?:[.,]\d+)?)(?:\s?(?P<multiplier>"
    + "|".join(sorted(COUNT_MULTIPLIERS, key=len, reverse=True))
    + r")\.?)?(?!\w)", re.I)
VIEW_NOUN = re.compile(
    r"views?|pageviews?|page views|reads|hits|visits|lượt xem|lượt đọc|lần xem|lượt truy cập|"
    r"visitas|vistas|visualizaciones|lecturas|lectures|vues|aufrufe|ansichten|mal gelesen|"
    r"gelesen|letture|visualizzazioni|visite|visualizações|leituras|acessos|weergaven|dilihat|"
    r"kali dilihat|просмотр\w*|wyświetle\w*", re.I)
# A count's neighbours: "1.2K views", "12.345 lượt xem" (noun after); "Post Views: 1,204",
# "Lượt xem: 1.234" (label before); "5 thoughts on “X”"; "Comments (5)", "Kommentare: 4".
VIEW_AFTER_COUNT = re.compile(r"\s*(?:" + VIEW_NOUN.pattern + r")(?!\w)", re.I)
VIEW_BEFORE_COUNT = re.compile(
    r"(?<!\w)(?:post views|views? count|xem|" + VIEW_NOUN.pattern + r")\s*[:：(\[]?\s*$", re.I)
# Lower-case stems of the view words: a cheap first look for a views phrase in a long text.
VIEW_STEMS = ("view", "xem", "visit", "aufrufe", "vues", "lettur", "lectur", "leitur", "visualiz",
              "reads", "hits", "gelesen", "просмотр")
COMMENT_AFTER_COUNT = re.compile(r"\s*(?:" + COMMENT_NOUN.pattern + r")(?!\w)", re.I)
COMMENT_BEFORE_COUNT = re.compile(
    r"(?<!\w)(?:" + COMMENT_NOUN.pattern + r")\s*[:：(\[]?\s*$", re.I)
# Class/id tokens of a view counter or its eye icon ("post-views-count", "fa-eye", "hits").
VIEW_TOKEN = re.compile(
    r"^(?:[a-z0-9]+[-_]{1,2})*(?:views?|viewcount|viewed|pageviews?|page-?views?|hits|visits|"
    r"luot-?xem|luotxem|reads?-?count|(?:count|total|num)-?views?|pvc[-_]stats|eye|visibility|"
    r"statistics[-_]counter)"
    r"(?:[-_]{1,2}(?:count|counter|number|num|nr|total|icon|text|value|wrap|wrapper|meta|"
    r"label|o|open|outline|fill|line|alt|\d+))*$", re.I)
# Class tokens that only look like a view counter (Drupal's Views module, previews, viewports).
VIEW_FALSE_TOKEN = re.compile(
    r"^(?:block-views?|views?-(?:row|field|content|id|display|mode|exposed|header|footer|more|"
    r"element|label|filters|pager|empty)|view-(?:id|display|mode)-|.*(?:pre|re|over|inter)views?)",
    re.I)
# Interaction types (schema.org) that count page views.
VIEW_INTERACTIONS = ("viewaction", "watchaction", "readaction", "userpagevisits", "userviews")
COMMENT_INTERACTIONS = ("commentaction", "usercomments")
