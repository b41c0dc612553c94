"""Near-duplicates in the archive: a syndicated copy with small edits is linked, not new."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from archive import Archive

STORY = [
    "The harbour authority voted on Tuesday evening to close the old ferry pier for at least "
    "eighteen months while engineers replace the timber piles that have rotted below the "
    "waterline, a decision that leaves the island's morning commuters with a longer road trip.",
    "Inspectors found last winter that more than a third of the piles had lost half of their "
    "strength, and the pier has carried only foot passengers since March. The authority's chair "
    "said the board had no choice once the second survey confirmed the first.",
    "Shopkeepers on the quay told the meeting that the closure would cost them the summer "
    "trade. The authority promised a temporary landing stage at the fish market within six "
    "weeks and a shuttle bus from the car park on the hill.",
    "Work is due to start in September. The contract, worth four million pounds, went to a "
    "firm from the mainland that rebuilt the lifeboat slipway two years ago.",
]
COPY = [
    "The harbour authority voted on Tuesday night to close the old ferry pier for at least "
    "eighteen months while engineers replace the timber piles that have rotted below the "
    "waterline, a decision that leaves the island's morning commuters with a longer road trip.",
    *STORY[1:3],
    "Work is due to start in September, the authority said.",
    "This story was first published by the Island Courier and is republished with permission.",
]
OTHER = [
    "The county council agreed on Wednesday to keep the mobile library running for another "
    "year after a petition signed by two thousand residents of the outlying villages.",
    "The van visits fourteen villages every fortnight and lends about nine hundred books a "
    "month, many of them to readers who no longer drive. Its future had been in doubt since the "
    "spring budget, which cut the library service by a tenth.",
    "Councillors said the money would come from a reserve set aside for repairs to the central "
    "library roof, which can wait until the next financial year.",
]


def record(url: str, paragraphs: list[str]) -> dict[str, Any]:
    return {"url": url, "title": "Ferry pier to close for repairs", "authors": ["Mairi Lennox"],
            "published": "2025-06-03T18:00:00+01:00", "modified": None, "views": None,
            "comment_count": None, "comments": [], "body": "\n\n".join(paragraphs),
            "language": "en", "site_name": None, "description": None, "tags": [], "image": None}


def store(archive: Archive, url: str, paragraphs: list[str]) -> dict[str, Any]:
    result = archive.store(record(url, paragraphs), url_keys=[url], fetched_url=url,
                           fetched_at="2025-06-04T08:00:00Z", raw=url.encode() + b"<html>")
    assert result.outcome == "stored"
    return archive.load(result.id)


def test_a_republished_copy_with_small_edits_is_linked_to_the_original(tmp_path: Path) -> None:
    with Archive(tmp_path) as archive:
        original = store(archive, "https://courier.example/news/ferry-pier-to-close", STORY)
        copy = store(archive, "https://gazette.example/2025/06/ferry-pier-closure", COPY)
        copy_of_copy = store(archive, "https://weekly.example/ferry-pier", COPY[:4])
        unrelated = store(archive, "https://courier.example/news/mobile-library-saved", OTHER)
    assert original["duplicate_of"] is None
    assert copy["duplicate_of"] == original["id"]
    assert copy["body"] != original["body"]  # the copy keeps its own text
    assert copy_of_copy["duplicate_of"] == original["id"]  # the original, never a chain
    assert unrelated["duplicate_of"] is None


def test_reindex_restores_the_near_duplicate_lookup(tmp_path: Path) -> None:
    with Archive(tmp_path) as archive:
        original = store(archive, "https://courier.example/news/ferry-pier-to-close", STORY)
    with Archive(tmp_path, reset_index=True) as archive:
        assert archive.rebuild_index() == 1
        copy = store(archive, "https://gazette.example/2025/06/ferry-pier-closure", COPY)
    assert copy["duplicate_of"] == original["id"]


def test_an_update_keeps_the_link(tmp_path: Path) -> None:
    url = "https://gazette.example/2025/06/ferry-pier-closure"
    with Archive(tmp_path) as archive:
        original = store(archive, "https://courier.example/news/ferry-pier-to-close", STORY)
        store(archive, url, COPY)
        edited = archive.store(record(url, [*COPY, "Correction: the contract is worth five "
                                                   "million pounds."]),
                               url_keys=[url], fetched_url=url, fetched_at="2025-06-05T08:00:00Z")
        assert edited.outcome == "updated"
        assert archive.load(edited.id)["duplicate_of"] == original["id"]
