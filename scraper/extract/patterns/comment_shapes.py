"""Comments found by structure: the words that name a comment area in class names and headings
(many languages), and the word parts that say what a part of one comment is (who, when, text,
buttons).  Class and id tokens are split into lower-case word parts first ("commentConWrap" ->
comment, con, wrap; "c-comment-card__text" -> c, comment, card, text)."""

from __future__ import annotations

import re

# Stems that name comments (or a guest book, reader letters) in a class or id token, searched
# in the token lower-cased without separators ("binh-luan" -> "binhluan").
COMMENT_STEM = re.compile(
    r"comment|komment|koment|coment|leserbrief|reacties|reactie|binhluan|guestbook|gaestebuch|"
    r"gastebuch|gästebuch|disqus|wpdiscuz|hozzaszolas")
# Whole word parts that name comments.
COMMENT_WORDS = frozenset({"cmt", "cmts", "reviews", "bewertungen"})
# Parts that, after a comment part, name one comment's piece or a counter, not an area or list:
# "comment-count", "comment-form", "comment-meta" are no comment area of their own.
COMMENT_PIECE_PART = frozenset({
    "count", "counter", "counts", "number", "num", "nr", "total", "link", "links", "bubble",
    "icon", "form", "respond", "reply", "button", "btn", "title", "heading", "meta", "author",
    "date", "time", "avatar", "text", "content", "body", "input", "field", "textarea", "submit",
    "notes", "rules", "policy", "closed", "login", "toggle", "open", "trigger", "tool", "tools",
    "label", "status", "badge", "share", "popup", "modal", "overlay", "launch", "launcher",
    "cta", "prompt", "opener", "anchor"})
# A comment area's heading, the whole of it: "3 Kommentare", "Comments (4)", "Leserbriefe",
# "Reacties", "5 thoughts on “Title”", "Eine Antwort zu „Titel“", "Bình luận (2)".
_HEADING_NOUN = (
    r"comments?|kommentare?|leserkommentare?|leserbriefe?|leserstimmen|reacties|reactie|"
    r"reactions|responses?|replies|antworten|antwort|comentarios?|comentários?|commentaires?|"
    r"commenti|commento|komentarze?|komentarz|komentáře|komentar[ie]?|kommentarer|"
    r"kommentit|yorumlar|bình luận|ý kiến bạn đọc|ý kiến|thoughts?|reader comments|"
    r"user comments|guestbook|gästebuch|gaestebuch|einträge|entries|reviews|rezensionen|"
    r"bewertungen|kundenbewertungen|diskussion|discussion")
_HEADING_COUNT = r"(?:\d[\d.,\s]*|one|a|no|un|une|ein|eine|kein|keine|uno|una|um|uma|één|een)"
_HEADING_WHO = r"(?:reader|readers'?|user|customer|guest|visitor|leser|kunden|gäste|besucher)"
COMMENT_HEADING = re.compile(
    rf"^\W*(?:{_HEADING_COUNT}\s+)?(?:{_HEADING_WHO}\s+)?(?:{_HEADING_NOUN})(?!\w)\s*"
    r"(?:[(\[]\s*\d[\d.,]*\s*[)\]]|[:：]\s*\d[\d.,]*)?"
    r"(?:\s+(?:on|to|for|about|zu|zum|zur|für|über|auf|sur|à|pour|a|para|su|op|bij|do|na|"
    r"về|cho)\s+\S.*)?\W*$", re.I)
# Headings that only say comments when a number comes with them ("5 thoughts on", "Responses").
COMMENT_HEADING_NEEDS_NUMBER = re.compile(
    r"^\W*(?:thoughts?|responses?|replies|antworten|antwort|reactions|entries|einträge|"
    r"diskussion|discussion)(?!\w)", re.I)
MAX_HEADING_CHARS = 160

# Class words of a comment area's title line, whose text may say the count ("4 Kommentare").
TITLE_PARTS = frozenset({"title", "heading", "head", "header", "headline", "caption", "subject",
                         "info", "count", "counter", "number", "total", "summary"})
# Word parts of the pieces of one comment.
AUTHOR_PARTS = frozenset({
    "author", "authors", "name", "username", "user", "nick", "nickname", "fn", "autor", "auteur",
    "autore", "verfasser", "absender", "einsender", "poster", "commenter", "commentator",
    "kommentator", "person", "nom", "nombre", "nome", "handle", "screenname", "displayname", "writer", "by"})
DATE_PARTS = frozenset({
    "date", "time", "datetime", "datum", "zeit", "timestamp", "posted", "ago", "published",
    "created", "fecha", "data", "ngay", "when", "dt", "pubdate", "age"})
TEXT_PARTS = frozenset({
    "text", "content", "body", "message", "msg", "entry", "txt", "inhalt", "texto", "texte",
    "testo", "tresc", "noidung", "comment", "kommentar", "comentario", "commentaire", "excerpt",
    "markdown", "prose", "copy", "rich"})
# Parts of a comment that are not its text: buttons, votes, avatars, the header line.
CHROME_PARTS = frozenset({
    "reply", "replylink", "antworten", "vote", "votes", "voting", "like", "likes", "dislike",
    "report", "melden", "flag", "share", "sharing", "edit", "actions", "action", "toolbar",
    "tools", "btn", "button", "buttons", "avatar", "gravatar", "photo", "moderate", "translate",
    "permalink", "menu", "dropdown", "badge", "label", "rating", "stars", "star", "icon", "meta",
    "metadata", "header", "footer", "info", "signature", "sig", "options", "controls", "social",
    "zitieren", "toggle", "pics", "vids", "thumbs", "navigation", "pagination", "pager", "sr",
    "screen", "visually"})
# The whole text of a comment's action link or button: "Reply", "Antworten", "Trả lời".
COMMENT_ACTION_TEXT = re.compile(
    r"^\W*(?:reply|replies|antworten|beantworten|répondre|responder|responder|rispondi|"
    r"odpowiedz|reageer|beantwoord|svara|svar|vastaa|yanıtla|ответить|trả lời|phản hồi|"
    r"like|unlike|gefällt mir|j'aime|me gusta|mi piace|thích|report|melden|signaler|"
    r"denunciar|segnala|báo cáo|quote|zitieren|citer|citar|cita|trích dẫn|share|teilen|"
    r"partager|compartir|condividi|chia sẻ|permalink|edit|bearbeiten|modifier|editar)"
    r"(?:\s*\(\d+\))?\W*$", re.I)
# Class words of what the page does not show: hidden templates of a comment, placeholders.
HIDDEN_PARTS = frozenset({"hidden", "hide", "none", "dummy", "template", "placeholder",
                          "skeleton", "invisible"})
CHROME_TAGS = frozenset({"button", "form", "script", "style", "noscript", "svg", "img", "template",
                         "input", "textarea", "select", "iframe", "video", "audio", "picture"})
# Words that may follow a role word without changing it: "comment-author-link", "text-wrap".
GENERIC_PARTS = frozenset({
    "link", "links", "wrap", "wrapper", "box", "block", "container", "details", "inner", "outer",
    "area", "label", "url", "holder", "main", "section", "field", "value", "line", "el",
    "element", "full", "small", "big", "display"})

# Dates as comments show them, cheap to spot before parsing: numbers with separators, month
# names, "3 days ago", "vor 2 Tagen", "1 Monat her", "il y a 3 jours", "hace 2 días".
DATE_SHAPE = re.compile(
    r"\d{1,4}\s*[./\-]\s*\d{1,2}\s*[./\-]\s*\d{2,4}|\d{4}-\d{2}-\d{2}|"
    r"\d{1,2}:\d{2}|\d{1,2}\.?\s+[^\W\d_]{3,10}\.?,?\s+\d{4}|"
    r"[^\W\d_]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|"
    r"\d+\s+[^\W\d_]+\s+(?:ago|her|fa|geleden|temu|trước)(?!\w)|"
    r"(?<!\w)(?:vor|hace|il y a|há)\s+\d+\s+[^\W\d_]+", re.I)
MAX_DATE_CHARS = 80
# Links to one comment: "#comment-12", "#c170", "?replytocom=5", "/comment/123".
PERMALINK = re.compile(
    r"#(?:comment|c|cmt|kommentar|reply|post|li-comment|div-comment|disqus)[-_]?\d|"
    r"replytocom=|/comments?/\d|[?&](?:c|cid|comment_?id)=\d", re.I)
# An element id of one comment: "comment-123", "c170", "wc-comm-58561_0", "bb_message_3901".
COMMENT_ID = re.compile(r"^(?:[a-z]+[-_])*(?:comment|comm|c|cmt|message|post|reply|entry|"
                        r"kommentar|li-comment|div-comment)[-_]?\d+(?:_\d+)?$|^\d{3,}$", re.I)
# What joins a header line's name to its date: "Ana Lima on 5 May", "Jon am 06.05.", "Eva |".
HEADER_NAME_END = re.compile(r"(?:\s+(?:on|am|at|le|el|il|op|um|den|vom)|\s*[,|·–—-])*\s*$", re.I)
# A word of letters: a date line holds few besides the date ("um", "Uhr").
LETTER_WORD = re.compile(r"[^\W\d_]{2,}")
# "Name says:", "Name schrieb:", "Kommentar von Name", "#1 Kommentar von Name", "by Name".
WROTE_AFTER = re.compile(
    r"^\s*(?P<name>[^\s:,][^:]{0,60}?)\s+(?:says|said|wrote|writes|sagt|schreibt|schrieb|"
    r"meint|meinte|a dit|a écrit|écrit|dice|dijo|escribió|scrive|ha scritto|zegt|schreef|"
    r"napisał|napisała|(?:nói|viết)(?=\s*:))\b\s*:?", re.I)  # "viết" alone: "Bài viết hay"
WROTE_BEFORE = re.compile(
    r"^\W*(?:\d+\.?\s+)?(?:(?:comment|kommentar|beitrag|antwort|eintrag|reply|réponse|"
    r"commentaire|comentario|commento|reactie|posted|geschrieben|verfasst|gepostet|"
    r"eingetragen)(?:\s*#\s*\d+)?\s+(?:by|von|de|di|door|par|por|od|from)|by|von)\s+"
    r"(?P<name>[^\s:,][^:,|—–]{0,60}?)\s*(?:$|[,|—–:@]|\s(?:am|on|le|el|il|op|um|at)\s)", re.I)
# The number that opens one comment's own heading ("#1 Kommentar von Ana", "2. Comment by
# Ben", "Kommentar #3 von Eva"): with WROTE_BEFORE, the heading of a comment, not of an article.
COMMENT_ITEM_NUMBER = re.compile(
    r"^\s*(?:#\s*\d+|\d+\s*[.:)])\s*\S|^\W*(?:comment|kommentar|beitrag|eintrag|reply|antwort|"
    r"commentaire|comentario|commento|reactie)\s*#\s*\d+", re.I)
# A link to a person's page: its text is a commenter's name.
PROFILE_LINK = re.compile(
    r"/(?:profiles?|users?|u|members?|mitglied(?:er)?|benutzer|nutzer|people|person|"
    r"commenters?|authors?|autor(?:en)?|auteurs?|utente|usuario|perfil|profil)[/=:]"
    r"(?!$)|[?&](?:user(?:_?id)?|uid|member)=", re.I)
# Nesting shown by indentation on flat lists: style="padding-left:37px" on a comment's wrapper.
COMMENT_INDENT = re.compile(r"(?:margin|padding)-left\s*:\s*(\d{1,4}(?:\.\d+)?)\s*(?:px|em|rem)?",
                            re.I)
# Nesting marked by a class on flat lists: "depth-2", "wc_comment_level-2", "level2", "indent-1".
COMMENT_LEVEL = re.compile(r"(?:depth|level|lvl|indent|ebene)[-_]?(\d{1,2})(?!\d)", re.I)
# Class tokens that only say where an element is in a list: not its shape.
POSITION_TOKENS = frozenset({
    "even", "odd", "alt", "first", "last", "active", "new", "clearfix", "clear", "row", "col",
    "parent", "selected", "highlighted", "featured", "thread-even", "thread-odd", "thread-alt",
    "byuser", "bypostauthor", "item", "fade", "show", "visible", "open", "collapsed", "expanded"})
