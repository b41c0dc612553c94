"""Reader comments in the markup of three comment systems: WordPress, a newsroom widget (plain or
schema.org microdata) and Drupal.

Machine-readable stamps (``datetime`` attributes) carry the expected ISO string verbatim; the
Drupal stamp is visible text only, so C-page comment dates are naive.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import count

from scraper.demo.catalog import DemoArticle, DemoComment
from scraper.demo.formats import drupal_comment_date, newsroom_date, wordpress_comment_date
from scraper.demo.layout import esc

_FIRST_ID = 101


def _numbered(comments: tuple[DemoComment, ...], ids: Iterator[int],
              render: Callable[[DemoComment, int, str], str]) -> str:
    """Render a thread depth-first; ``render`` gets the comment, its id and its replies' HTML."""
    out = []
    for comment in comments:
        number = next(ids)
        replies = _numbered(comment.replies, ids, render) if comment.replies else ""
        out.append(render(comment, number, replies))
    return "".join(out)


# --- template A: WordPress ------------------------------------------------------------------

def _wordpress_comment(comment: DemoComment, number: int, replies: str) -> str:
    children = f'<ol class="children">{replies}</ol>' if replies else ""
    return (f'<li class="comment even depth-1" id="comment-{number}">'
            f'<article id="div-comment-{number}" class="comment-body">'
            '<footer class="comment-meta"><div class="comment-author vcard">'
            '<img alt="" src="/static/avatar.png" class="avatar avatar-42 photo" height="42"'
            f' width="42"> <b class="fn">{esc(comment.author)}</b> <span class="says">says:'
            '</span></div><div class="comment-metadata">'
            f'<a href="#comment-{number}"><time datetime="{esc(comment.published)}">'
            f"{esc(wordpress_comment_date(comment.published))}</time></a></div></footer>"
            f'<div class="comment-content"><p>{esc(comment.text)}</p></div>'
            '<div class="reply"><a rel="nofollow" class="comment-reply-link" href="#respond"'
            f' data-commentid="{number}" aria-label="Reply to {esc(comment.author)}">Reply</a>'
            f"</div></article>{children}</li>")


def _wordpress_form() -> str:
    return ('<div id="respond" class="comment-respond">'
            '<h3 id="reply-title" class="comment-reply-title">Leave a comment</h3>'
            '<form action="/wp-comments-post.php" method="post" id="commentform" '
            'class="comment-form"><p class="comment-notes">Your email address will not be '
            'published. Required fields are marked *</p>'
            '<p class="comment-form-comment"><textarea id="comment" name="comment" rows="6" '
            'placeholder="Comment"></textarea></p>'
            '<p class="comment-form-author"><input id="author" name="author" type="text" '
            'placeholder="Name*"></p><p class="comment-form-email"><input id="email" '
            'name="email" type="email" placeholder="Email*"></p>'
            '<p class="form-submit"><input name="submit" type="submit" id="submit" '
            'class="submit" value="Post Comment"></p></form></div>')


def wordpress_comments(article: DemoArticle) -> str:
    """Comment form, then 'N Comments' and the threaded list (the theme's order)."""
    if article.comment_count is None:
        return '<p class="comments-closed">Comments are closed.</p>'
    total = article.comment_count
    title = f"{total} Comment" + ("" if total == 1 else "s")
    if article.comments:
        listing = ('<ol class="comment-list">'
                   + _numbered(article.comments, count(_FIRST_ID), _wordpress_comment) + "</ol>")
    else:
        listing = '<p class="no-comments">Chưa có bình luận nào</p>'
    return (f'<div id="comments" class="comments-area">{_wordpress_form()}'
            f'<h3 class="comments-title">{title}</h3>{listing}</div>')


# --- template B: newsroom widget, plain or microdata ------------------------------------------

def _widget_comment(comment: DemoComment, number: int, replies: str) -> str:
    nested = f'<div class="comment__replies">{replies}</div>' if replies else ""
    likes = (number * 7) % 23
    return (f'<div class="comment" data-comment-id="c{number}" id="c{number}">'
            '<div class="comment__header"><img class="comment__avatar" src="/static/avatar.png"'
            f' alt=""><span class="comment__author">{esc(comment.author)}</span> '
            f'<time class="comment__date" datetime="{esc(comment.published)}">'
            f"{esc(newsroom_date(comment.published))}</time></div>"
            f'<div class="comment__body"><p>{esc(comment.text)}</p></div>'
            '<div class="comment__actions"><button type="button">Reply</button> '
            f'<button type="button" class="comment__like">Like</button> '
            f'<span class="comment__likes">{likes}</span></div>{nested}</div>')


def _microdata_comment(comment: DemoComment, number: int, replies: str) -> str:
    nested = f'<div class="comment-item__replies">{replies}</div>' if replies else ""
    return (f'<div class="comment-item" id="comment-{number}" itemprop="comment" itemscope '
            'itemtype="https://schema.org/Comment"><div class="comment-item__meta">'
            '<span itemprop="author" itemscope itemtype="https://schema.org/Person">'
            f'<span itemprop="name">{esc(comment.author)}</span></span> · '
            f'<time itemprop="dateCreated" datetime="{esc(comment.published)}">'
            f"{esc(newsroom_date(comment.published))}</time></div>"
            f'<div class="comment-item__text" itemprop="text"><p>{esc(comment.text)}</p></div>'
            f"{nested}</div>")


def newsroom_comments(article: DemoArticle) -> str:
    if article.comment_count is None:
        return ""
    render = _microdata_comment if article.comment_markup == "microdata" else _widget_comment
    total = article.comment_count
    title = f"{total} Comment" + ("" if total == 1 else "s")
    if article.comments:
        listing = _numbered(article.comments, count(_FIRST_ID), render)
    else:
        listing = '<p class="comments__empty">No comments yet. Start the conversation.</p>'
    more = ('<button type="button" class="comments__more">Load more comments</button>'
            if total > article.rendered_comment_total() else "")
    return (f'<section class="comments" id="comments"><h2 class="comments__title">{title}</h2>'
            f'{listing}{more}<form class="comments__form" action="/comments/post" method="post">'
            '<textarea name="body" placeholder="Join the discussion"></textarea>'
            '<button type="submit">Post</button></form></section>')


# --- template C: Drupal -----------------------------------------------------------------------

_COUNT_LABELS = {"vi": "{n} bình luận", "de": "{n} Kommentare", "fr": "{n} commentaires",
                 "es": "{n} comentarios"}
_EMPTY_LABELS = {"vi": "Chưa có bình luận nào. Hãy là người đầu tiên bình luận!",
                 "de": "Noch keine Kommentare.", "fr": "Aucun commentaire pour le moment.",
                 "es": "Todavía no hay comentarios."}
_FORM_TITLES = {"vi": "Gửi bình luận", "de": "Kommentar hinzufügen",
                "fr": "Ajouter un commentaire", "es": "Añadir un comentario"}


def comment_count_label(article: DemoArticle) -> str:
    """'5 bình luận', '5 thoughts on “Headline”', ...: the C template's count line."""
    n = article.comment_count or 0
    template = _COUNT_LABELS.get(article.language)
    if template:
        return template.format(n=n)
    return f"{n} thought{'' if n == 1 else 's'} on “{article.title}”"


def _drupal_comment(comment: DemoComment, number: int, replies: str) -> str:
    indented = f'<div class="indented">{replies}</div>' if replies else ""
    return (f'<article class="comment js-comment by-anonymous" id="comment-{number}" '
            'data-comment-user-id="0"><footer class="comment__meta">'
            f'<p class="comment__author"><span class="username">{esc(comment.author)}</span></p>'
            f'<p class="comment__posted"><span class="comment__time">'
            f"{esc(drupal_comment_date(comment.published))}</span></p>"
            f'<p class="comment__permalink"><a href="#comment-{number}">#</a></p></footer>'
            '<div class="comment__content"><div class="field field--name-comment-body">'
            f"<p>{esc(comment.text)}</p></div></div></article>{indented}")


def drupal_comments(article: DemoArticle) -> str:
    if article.comment_count is None:
        return ""
    language = article.language
    if article.comments:
        listing = _numbered(article.comments, count(_FIRST_ID), _drupal_comment)
    else:
        empty = _EMPTY_LABELS.get(language, "No comments yet.")
        listing = f'<p class="comment-section__empty">{esc(empty)}</p>'
    form_title = _FORM_TITLES.get(language, "Add new comment")
    return ('<section class="comment-section">'
            f'<h2 class="title comment-section__title">{esc(comment_count_label(article))}</h2>'
            f'{listing}<h2 class="title comment-form__title">{esc(form_title)}</h2>'
            '<form class="comment-comment-form comment-form" action="/comment/reply" '
            'method="post"><textarea name="comment_body"></textarea>'
            '<input type="submit" value="Save"></form></section>')
