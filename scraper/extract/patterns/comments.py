"""Comments and counts: comment systems, count phrases, view-count labels."""

from __future__ import annotations

import re

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
                      "ol.comments-list, ul.comments-list, ol.comments, ul.comments, "
                      "ol[class*=comment-list], ul[class*=comment-list], "  # ast-, nv- themes
                      "ol[class*=comments-list], ul[class*=comments-list]",
        "items": "li.comment, li.pingback, li.trackback, li[id^=comment-], li[id^=li-comment-]",
        "authors": ".comment-author .fn, .comment-author cite, .comment-author [class*=name], "
                   ".comment-author strong, "
                   ".comment-author b, .fn, cite, .comment-author",
        "dates": ".comment-metadata time, .comment-meta time, time, .comment-metadata a, "
                 ".comment-meta a, .commentmetadata a, .comment-date, .comment-time, "
                 "a[href*=#comment]",
        "texts": ".comment-content, .comment-text, .comment-entry, .comment_content, .comment_text, "
                 ".comment_body"},
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
                 "[class*=comment_text], [class*=comment_content], [class*=comment_body], "
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
    r"kommentaren|leserkommentare?|leserbriefe?|leserstimmen|"
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
