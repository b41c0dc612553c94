"""Page metadata: article/listing types, title separators, tag containers."""

from __future__ import annotations

import re

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

# Class/id tokens of the article's tag list ("post-tags", Drupal's "field--name-field-tags").
TAG_CONTAINER_TOKEN = re.compile(
    r"^(?:[a-z0-9]+[-_]{1,2})*(?:tags?|tag-?(?:list|links)|keywords?|topics?|labels?|"
    r"schlagw(?:ö|oe)rter|etiquetas|mots-?cl[ée]s|tu-?khoa)(?:[-_]{1,2}(?:list|links|wrap|"
    r"wrapper|container|box|area|items?|block|section|inline))?$", re.I)

# Paths of tag archive pages: a link there inside a tag list is one tag.
TAG_HREF = re.compile(
    r"/(?:tags?|topics?|chu-de|tu-khoa|etiquetas?|schlagw(?:ö|oe)rter|schlagworte?|stichworte?|"
    r"themen|thema|sujets?|mots?-cles?|keywords?|labels?|temas?)/[^/?#]", re.I)
