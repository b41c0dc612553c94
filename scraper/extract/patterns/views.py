"""View counters: the labels and places that say a number is (or is not) a view count.

The view nouns and counter tokens shared with the comment patterns live in ``comments.py``.
"""

from __future__ import annotations

import re

from scraper.extract.patterns.comments import COMMENT_NOUN, COUNT_NUMBER, VIEW_NOUN

__all__ = ["CONTROL_TAGS", "COUNTER_LINE", "VIEW_LABEL_BEFORE"]

# A label before a count: "Post Views: 1,204", "Lượt xem: 1.234", "Просмотров: 1 234",
# "Views 88".  The bare singular "view" is a verb ("View 3 more", "View 12 photos") unless a
# colon makes it a label ("View: 12").
VIEW_LABEL_BEFORE = re.compile(
    r"(?<!\w)(?:(?:post views|views? count|xem|"
    + VIEW_NOUN.pattern.replace("views?|", "views|", 1)
    + r")\s*[:：(\[]?|view\s*[:：])\s*$", re.I)
# Controls: their text is an action ("View 3 more", "Load 20 comments"), never a counter.
CONTROL_TAGS = frozenset({"button", "select", "option", "label", "input", "textarea"})

# A line that is only a counter: "1,234 views", "Views: 1,234", "2.310 lượt xem", "1.2K reads",
# "Comments (5)".  Shown in the body's meta area or as a line of its own anywhere in it, it is
# page furniture that changes on every visit, never article text (so a views-only change never
# makes a new version of the body).
_COUNTER_NOUN = f"(?:{VIEW_NOUN.pattern}|{COMMENT_NOUN.pattern})"
_NUMBER = COUNT_NUMBER.pattern.replace("(?P<number>", "(?:").replace("(?P<multiplier>", "(?:")
COUNTER_LINE = re.compile(
    rf"^\W*(?:{_NUMBER}\s*{_COUNTER_NOUN}|(?:post views|views? count|{_COUNTER_NOUN})\s*[:：(\[]?"
    rf"\s*{_NUMBER})(?!\w)\W*$", re.I)
