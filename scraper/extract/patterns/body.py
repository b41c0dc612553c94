"""Body and boilerplate: block tags, content and boilerplate tokens, phrases."""

from __future__ import annotations

import re

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
# Class/id of image captions, credits and galleries (camelCase "newsCaption" too): not text.
CAPTION_CLASS = re.compile(
    r"caption|(?<![a-z])(?:photo|image|img|media)?-?credits?(?![a-z])|gallery|slideshow|carousel",
    re.I)
# Class/id of a reader-comment area: text under it is never the article.
COMMENT_CONTAINER = re.compile(r"(?<![a-z])(?:comments?|disqus|respond|replies)(?![a-z])|"
                               r"comment-?(?:list|area|section|thread|body)", re.I)
# Class/id tokens of the article text itself: never removed as boilerplate.
CONTENT_CLASS = re.compile(
    r"(?:article|entry|post|story|main|page|blog|news|body|rich)[-_]?(?:body|content|text|"
    r"entry|inner)|articlebody|article__body|(?<![a-z])(?:content|prose|text)(?![a-z])",
    re.I,
)
# The strong part of CONTENT_CLASS ("entry-content", "article-body"; not a bare "text"): a
# container so named is the whole article, never widened past.
ARTICLE_CONTAINER_CLASS = re.compile(
    r"(?:article|entry|post|story|main|page|blog|news|body|rich)[-_]?(?:body|content|text|"
    r"entry|inner)|articlebody|article__body",
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

