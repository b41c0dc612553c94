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

# Class/id names of page furniture that never holds the article (share bars, related links,
# comments, menus ...): such an element is dropped unless it holds most of the content.  Matched
# on the parts of a token ("c-share-bar", "relatedPosts"), plurals included.
FURNITURE_CLASS = re.compile(
    r"(?<![a-z0-9])(?:share|sharing|sharedaddy|social-?(?:share|links?|icons?|bar|buttons?|"
    r"networks?|follow|media-(?:links|icons|share))|related|recommend(?:ed|ations?)?|newsletter|"
    r"signup|sign-up|cookie|consent|comment|disqus|respond|sidebar|breadcrumb|"
    r"byline|author-?(?:bio|box|info|card|details|wrap)|about-?(?:the-)?author|"
    r"(?:post|entry|article)-?(?:meta|info|footer|tags|categories|share|nav)|tags?-?(?:list|links)|"
    r"tagcloud|navigation|navbar|nav|menu|footer|pagination|pager|popup|modal|toolbar|"
    r"follow|outbrain|taboola|most-?(?:read|popular|viewed)|popular|trending|"
    r"more-?(?:stories|news|articles)|skip-?(?:to|link|nav)|sr-only|visually-?hidden|"
    r"screen-?reader)s?(?![a-z0-9])",
    re.I,
)
# Names that furniture often has but that article text sometimes sits in (a gallery article's
# slides, the paywalled rest of a story, paragraphs inside an ad wrapper, a sponsored story):
# one such name is not enough evidence; the element must also look like furniture.
WEAK_FURNITURE_CLASS = re.compile(
    r"(?<![a-z0-9])(?:subscribe|subscription|subscriber|promo|promotion|advert|advertisement|"
    r"advertising|sponsor|sponsored|ads?|adslot|adsense|ad-?(?:unit|slot|box|wrap|wrapper|"
    r"container|zone)|teaser|read-?more|paywall|premium|login|donate|donation|jump-?link|"
    r"print-?only|rating|slider)s?(?![a-z0-9])|gallery|slideshow|carousel",
    re.I,
)
# A class token that states a condition ("has-sidebar", "no-comments", "not-a-paywall",
# "with-ads") names no component: class rules ignore it.
STATE_TOKEN = re.compile(r"(?:has|no|not|non|with|without|is|hide|show|enable|disable)[-_]", re.I)
# Class/id of image captions and credits (camelCase "newsCaption" too): not text.
CAPTION_CLASS = re.compile(
    r"caption|(?<![a-z])(?:photo|image|img|media)?-?(?:credits?|copyright)(?![a-z])", re.I)
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
# Short blocks whose text starts with one of these are furniture, in en, vi, es, fr, de, it, pt,
# nl.
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
    r"auch interessant|anzeige$|newsletter abonnieren|"
    r"condividi|commenti$|articoli correlati|leggi anche|potrebbe interessarti|iscriviti|"
    r"pubblicit[àa]$|"
    r"compartilhe|coment[áa]rios$|leia (?:tamb[ée]m|mais)|veja (?:tamb[ée]m|mais)|"
    r"not[íi]cias relacionadas|mat[ée]rias relacionadas|"
    r"delen$|reacties$|lees ook|gerelateerde artikelen|"
    r"join the conversation|tags?$)",
    re.I,
)
# A slide or picture counter shown as a line of its own: "3 / 12", "Image 2 of 5", "Bild 1 von 8".
SLIDE_COUNTER = re.compile(
    r"^\W*(?:(?:image|photo|picture|slide|foto|bild|imagen|ảnh)\s*)?\d{1,3}\s*(?:/|of|von|de|sur|"
    r"di|trên)\s*\d{1,3}\W*$", re.I)
# Class/id tokens of a byline or dateline block ("node__meta", "byline"): dropped when short.
META_LINE_TOKEN = re.compile(
    r"^(?:[a-z0-9]+[-_]{1,2})*(?:meta|metas|metadata|by[-_]?lines?|submitted|dateline|timestamp|"
    r"authors?|author[-_]?(?:name|mail|line)|posted[-_]?(?:on|by)|post[-_]?date|entry[-_]?date|"
    r"publish(?:ed)?(?:[-_]?(?:date|on|at))?|updated|modified|tac[-_]?gia|ngay[-_]?dang)$",
    re.I)
# "By Ann Lee · May 3, 2024 | 2,310 views"; the look-behind keeps a long blank run linear
META_SEPARATOR = re.compile(r"(?<!\s)\s*[|·•]\s*")
# Inline styles and attributes that hide an element from readers.
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

# An affiliate disclosure: "This post contains affiliate links", "As an Amazon Associate I earn
# from qualifying purchases", "we may earn a commission" (en, de, fr, es, it, nl).
AFFILIATE_NOTE = re.compile(
    r"affiliate[- ](?:links?|programs?|disclos|disclaimer|marketer)|qualifying purchases|"
    r"amazon associate|commissionable links|"
    r"\b(?:earn|receive|make|get)s? (?:us |me )?(?:a |an )?(?:small |tiny )?(?:affiliate )?"
    r"(?:commission|compensation)|"
    r"affiliate-links?|provisionslinks?|werbelinks?|liens? affili[ée]s?|enlaces? de afiliad|"
    r"link di affiliazione|affiliatelinks?", re.I)
# A cheap first test for AFFILIATE_NOTE (a slow pattern): every match contains one of these in
# the lowered text, unless the text holds a letter that only ignore-case matching folds to an
# ASCII one (dotted and dotless i, long s, Kelvin sign).
AFFILIATE_WORDS = ("affili", "afiliad", "qualifying purchases", "amazon associate", "commission",
                   "compensation", "provisionslink", "werbelink")
FOLDS_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")
# The whole heading of a box that is not article text: an author's bio, a block of related
# stories, a newsletter sign-up, a comment form (en, de, fr, es, pt, it, nl).
FURNITURE_HEADING = re.compile(
    r"^\W*(?:about (?:the )?(?:author|writer|contributor)s?|author bio|meet the author|"
    r"über (?:den|die) autor(?:in)?|zum autor|sobre (?:el|la|o|a) autora?|"
    r"[àa] propos de l'auteur|informazioni sull'autore|over de auteur|"
    r"related (?:articles|posts|stories|reading|content|news)|"
    r"you (?:may|might) also (?:like|enjoy)|more stories|"
    r"(?:sign up|subscribe) (?:for|to) (?:our|the) \w+(?: \w+)?|get (?:our|the) newsletter|"
    r"newsletter|leave a (?:comment|reply)|share this (?:article|post|story))\W*$", re.I)
