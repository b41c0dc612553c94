"""Near-duplicate detection: signatures, band keys, confirmation, and the near_keys table.

The texts below were written for these tests: one story, copies of it as another site would
re-publish it, and distinct stories on the same topic (same town, same flood, same people)."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys

import pytest

from archive import near_dup
from archive.near_dup import (
    MIN_WORDS,
    THRESHOLD,
    Signature,
    band_keys,
    candidates,
    from_text,
    jaccard,
    nearest,
    signature,
    similarity,
    to_text,
)

ORIGINAL = "\n\n".join([
    "Hundreds of residents were evacuated from low-lying streets in Marlow Bridge on Tuesday night "
    "after the River Ashby burst its banks following three days of heavy rain.",
    "Emergency crews used boats to reach families trapped on the upper floors of terraced houses "
    "along Mill Lane and Canal Street, where water rose to more than a metre in places. No serious "
    "injuries were reported, the county fire service said.",
    '"We have never seen the river come up this fast," said Joan Petrie, 68, who has lived on Mill '
    'Lane for four decades. "By the time we had moved the photographs upstairs, the water was already'
    ' coming under the front door."',
    "The council opened a rest centre at the Marlow Bridge leisure centre, where about 140 people "
    "spent the night. Volunteers handed out blankets, hot drinks and dry clothes, and a local bakery "
    "delivered bread and pastries early on Wednesday morning.",
    "Forecasters said a further 30 millimetres of rain could fall over the hills upstream by "
    "Thursday, and the flood warning for the town remains in force. Engineers were checking the "
    "condition of the old stone bridge, which was closed to traffic as a precaution.",
    "Council leader Amir Haddad said the authority would review whether the flood defences completed "
    'in 2019 had performed as designed. "People deserve to know why the barrier on Canal Street was '
    'overtopped, and they will get answers," he said.',
    "Insurers said it was too early to estimate the cost of the damage, but shop owners in the town "
    "centre described scenes of ruined stock and flooded cellars. Several schools will stay closed "
    "for the rest of the week.",
])

SYNDICATED = "\n\n".join([
    "Hundreds of people had to leave their homes in Marlow Bridge on Tuesday night after the River "
    "Ashby burst its banks following three days of heavy rain.",
    "Emergency crews used boats to reach families trapped on the upper floors of terraced houses "
    "along Mill Lane and Canal Street, where water rose to more than a metre in places. No serious "
    "injuries were reported, the county fire service said.",
    '"We have never seen the river rise this fast," said Joan Petrie, 68, who has lived on Mill Lane '
    'for four decades. "By the time we had moved the photographs upstairs, the water was already '
    'coming under the front door."',
    "The council opened a rest centre at the Marlow Bridge leisure centre, where about 150 people "
    "spent the night. Volunteers handed out blankets, hot drinks and dry clothes, and a local bakery "
    "delivered bread and pastries early on Wednesday morning.",
    "Forecasters said a further 30 millimetres of rain could fall over the hills upstream by "
    "Thursday, and the flood warning for the town remains in force. Engineers were checking the "
    "condition of the old stone bridge, which was closed to traffic as a precaution.",
    "Council leader Amir Haddad said the authority would review whether the flood defences completed "
    'in 2019 had performed as designed. "People deserve to know why the barrier on Canal Street was '
    'overtopped, and they will get answers," he said.',
    "This article was originally published by the Ashby Valley Gazette and is republished here with "
    "permission.",
])

SAME_EVENT = "\n\n".join([
    "The River Ashby flooded parts of Marlow Bridge overnight, forcing the evacuation of more than a "
    "hundred households as the water level climbed faster than at any time since records began.",
    "Firefighters in inflatable boats worked through the night on Mill Lane, where some residents had"
    " retreated to their bedrooms with pets and valuables. The fire service said everyone who asked "
    "for help had been reached and no one was badly hurt.",
    "A rest centre was set up in the leisure centre. By midnight it was sheltering around 140 "
    "evacuees, many of them elderly, and volunteers from the rugby club were serving soup and tea.",
    "The flood barrier on Canal Street, finished in 2019 at a cost of four million pounds, was "
    "overtopped shortly after ten o'clock. Residents questioned whether it had ever been high enough."
    " The council said it would commission an independent review once the water had gone down.",
    "More rain is forecast for the hills above the town later this week. The old stone bridge is "
    "closed while engineers inspect it, and the flood warning remains in place. Schools in the town "
    "will not open before Monday.",
])

OTHER_FLOOD = "\n\n".join([
    "Farmers in the lower Severn valley say they face months of losses after floodwater covered "
    "thousands of acres of pasture and winter crops for the second time this year.",
    "At one dairy farm near Tewkesbury, the herd had to be moved to higher ground by trailer in the "
    "early hours of Saturday. The farmer said the water had reached the milking parlour within an "
    "hour of the first warning.",
    "The Environment Agency said river levels were expected to stay high for several days because the"
    " ground was saturated and tributaries were still rising after heavy rain in Wales. It urged "
    "people not to drive through flood water, after two cars had to be rescued from a submerged lane.",
    "The National Farmers' Union said the government's recovery fund should be opened quickly and "
    "extended to tenant farmers, who often fall outside existing schemes. A spokesman said many farms"
    " were still recovering from the floods of the previous winter.",
    "Local councils have distributed sandbags and opened two rest centres, although few residents "
    "have used them so far. Forecasters expect drier weather from Wednesday.",
])

COUNCIL = "\n\n".join([
    "Councillors in Marlow Bridge approved a budget on Thursday that raises council tax by 4.9 "
    "percent and sets aside money for repairs to the town's flood defences after last winter's "
    "damage.",
    "The budget passed by 23 votes to 17 after a three-hour debate. Opposition members argued that "
    "the increase would hit pensioners and young families hardest, and proposed cutting the council's"
    " spending on consultants instead.",
    "Council leader Amir Haddad said the authority had little choice after years of reduced grants "
    'from central government. "We have protected libraries, bin collections and social care, but the '
    'sums no longer add up without asking residents to pay a little more," he said.',
    "About 1.2 million pounds will go towards raising the barrier on Canal Street and replacing pumps"
    " that failed during the floods. A further sum is earmarked for a review of drainage on the "
    "estates north of the river.",
    "The council will also freeze parking charges in the town centre for another year, a move "
    "welcomed by traders who said footfall had not recovered since the high street was flooded. The "
    "new rates take effect in April.",
])


def paragraphs(text: str) -> list[str]:
    return text.strip().split("\n\n")


def with_paragraph_added_and_new_credit(text: str) -> str:
    """Another site's copy: the story plus an update paragraph, and its own credit line."""
    update = ("Update, 9am Wednesday: the water level at the Canal Street gauge has begun to "
              "fall, the Environment Agency said, but residents should not return home until "
              "the all-clear is given.")
    return "\n\n".join([*paragraphs(text), update, "© Ashby Valley News Service 2024"])


def with_last_paragraph_cut_and_words_changed(text: str) -> str:
    """A copy whose last paragraph was cut and whose wording was lightly subbed."""
    cut = "\n\n".join(paragraphs(text)[:-1])
    return (cut.replace("Tuesday night", "Tuesday evening").replace("Hundreds", "Scores")
            .replace("said the authority", "said the council"))


COPIES = {
    "new lead, words changed, last paragraph cut, credit line": SYNDICATED,
    "paragraph added at the end, different boilerplate": with_paragraph_added_and_new_credit(
        ORIGINAL),
    "last paragraph cut, a few words changed": with_last_paragraph_cut_and_words_changed(ORIGINAL),
}
DISTINCT = {"same flood, other writer": SAME_EVENT, "another flood": OTHER_FLOOD,
            "same town and council leader": COUNCIL}


def table() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    near_dup.create_tables(conn)
    return conn


def sig(text: str) -> Signature:
    result = signature(text)
    assert result is not None
    return result


def test_identical_bodies_are_fully_similar() -> None:
    assert similarity(sig(ORIGINAL), sig(ORIGINAL)) == 1.0
    assert jaccard(ORIGINAL, ORIGINAL) == 1.0
    assert band_keys(sig(ORIGINAL)) == band_keys(sig(ORIGINAL))


def test_case_spacing_quotes_and_unicode_forms_do_not_matter() -> None:
    styled = ORIGINAL.upper().replace(" ", "\u00a0 ").replace('"', "\u201c").replace("\n\n", "\n")
    assert signature(styled) == signature(ORIGINAL)
    decomposed = ORIGINAL.replace("Joan", "Joa\u0301n")  # a + combining acute accent
    composed = ORIGINAL.replace("Joan", "Jo\u00e1n")
    assert signature(decomposed) == signature(composed) != signature(ORIGINAL)


@pytest.mark.parametrize("name", COPIES)
def test_a_republished_copy_with_small_edits_is_found_and_confirmed(name: str) -> None:
    copy = COPIES[name]
    assert copy != ORIGINAL
    shared = set(band_keys(sig(ORIGINAL))) & set(band_keys(sig(copy)))
    assert shared, "the copy shares no band key with the original"
    score = jaccard(ORIGINAL, copy)
    assert THRESHOLD <= score < 1.0
    assert nearest(copy, [("a" * 16, ORIGINAL)]) == ("a" * 16, score)
    # The signature estimate agrees with the exact score within its sampling error.
    assert abs(similarity(sig(ORIGINAL), sig(copy)) - score) < 0.2


@pytest.mark.parametrize("name", DISTINCT)
def test_distinct_stories_on_the_same_topic_are_not_matched(name: str) -> None:
    text = DISTINCT[name]
    for other in (ORIGINAL, *COPIES.values()):
        assert not set(band_keys(sig(other))) & set(band_keys(sig(text)))
        assert jaccard(other, text) < 0.05
        assert similarity(sig(other), sig(text)) < 0.1
        assert nearest(text, [("b" * 16, other)]) is None


def test_nearest_picks_the_most_similar_candidate_above_the_threshold() -> None:
    pool = [("c" * 16, COUNCIL), ("e" * 16, SYNDICATED), ("d" * 16, ORIGINAL)]
    found = nearest(ORIGINAL, pool)
    assert found is not None and found[0] == "d" * 16 and found[1] == 1.0
    tie = nearest(ORIGINAL, [("f" * 16, ORIGINAL), ("d" * 16, ORIGINAL)])
    assert tie == ("d" * 16, 1.0)
    assert nearest(SAME_EVENT, pool) is None
    assert nearest(ORIGINAL, []) is None


def test_bodies_too_short_to_judge_get_no_signature() -> None:
    words = near_dup.tokens(ORIGINAL)
    assert signature(" ".join(words[:MIN_WORDS - 1])) is None
    assert signature(" ".join(words[:45])) is None
    assert signature("") is None
    assert signature("-- ... !!! " * 100) is None  # punctuation is not words
    short = signature(" ".join(words[:MIN_WORDS]))
    assert short is not None and short.shingles == MIN_WORDS - near_dup.SHINGLE_WORDS + 1
    # Empty bins were filled from the body's own minima: the estimate still works.
    assert len(short.values) == near_dup.BINS and similarity(short, short) == 1.0


def test_signatures_are_the_same_in_every_process() -> None:
    expected = "m1:268:2cMvRkOnG_MTXOaF1DX_lCis2ftl8AqFrlnrEucAk"
    assert to_text(sig(ORIGINAL)).startswith(expected)
    assert band_keys(sig(ORIGINAL))[:2] == [-27746050691972637, 2195590809102183429]
    program = ("import sys; from archive.near_dup import signature, to_text; "
               "print(to_text(signature(sys.stdin.read())))")
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", program], input=ORIGINAL, env=env,
                              capture_output=True, text=True, check=True)
        outputs.add(done.stdout.strip())
    assert outputs == {to_text(sig(ORIGINAL))}


def test_text_form_round_trips_and_rejects_anything_else() -> None:
    original = sig(ORIGINAL)
    text = to_text(original)
    assert from_text(text) == original
    assert len(text) < 400 and text.isascii()
    _, count, encoded = text.split(":")
    for bad in ("", "m2" + text[2:], f"m1:x:{encoded}", f"m1:{count}:{encoded[:-8]}",
                f"m1:{count}:{encoded[:-4]}!!!!", f"m1:{count}:é{encoded[2:]}"):
        with pytest.raises(ValueError, match="recompute it from the body"):
            from_text(bad)


def random_articles(count: int, seed: int) -> list[str]:
    """Bodies of 80-400 words drawn from the vocabulary of the test stories (same topic)."""
    vocabulary = sorted(set(near_dup.tokens(" ".join([ORIGINAL, SAME_EVENT, OTHER_FLOOD,
                                                         COUNCIL]))))
    rng = random.Random(seed)
    return [" ".join(rng.choices(vocabulary, k=rng.randint(80, 400))) for _ in range(count)]


def test_near_keys_table_finds_the_copy_among_thousands_by_index() -> None:
    conn = table()
    for number, body in enumerate(random_articles(2000, seed=5)):
        near_dup.add_article(conn, f"{number:016x}", sig(body))
    for name, body in {"original": ORIGINAL, **DISTINCT}.items():
        near_dup.add_article(conn, name.replace(" ", "-"), sig(body))
    (rows,) = conn.execute("SELECT count(*) FROM near_keys").fetchone()
    assert rows == 2004 * near_dup.BANDS
    for copy in COPIES.values():
        found = candidates(conn, sig(copy))
        assert found[0] == "original"
        assert nearest(copy, [(name, ORIGINAL) for name in found if name == "original"])
    assert candidates(conn, sig(random_articles(1, seed=6)[0])) == []

    sql, params = near_dup.candidates_query(sig(SYNDICATED))
    plan = " | ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))
    assert "SEARCH near_keys USING PRIMARY KEY (band_key=?)" in plan, plan
    assert "SCAN near_keys" not in plan, plan


def test_candidates_come_most_shared_first_and_limited() -> None:
    conn = table()
    near_dup.add_article(conn, "zz-identical", sig(ORIGINAL))
    near_dup.add_article(conn, "aa-edited", sig(SYNDICATED))
    near_dup.add_article(conn, "mm-other", sig(COUNCIL))
    assert candidates(conn, sig(ORIGINAL)) == ["zz-identical", "aa-edited"]
    assert candidates(conn, sig(ORIGINAL), limit=1) == ["zz-identical"]


def test_removed_and_cleared_articles_are_no_longer_candidates() -> None:
    conn = table()
    near_dup.add_article(conn, "old", sig(ORIGINAL))
    near_dup.add_article(conn, "old", sig(ORIGINAL))  # adding twice is harmless
    near_dup.add_article(conn, "kept", sig(SYNDICATED))
    near_dup.remove_article(conn, "old", sig(ORIGINAL))
    assert candidates(conn, sig(ORIGINAL)) == ["kept"]
    near_dup.clear(conn)
    assert candidates(conn, sig(ORIGINAL)) == []
    near_dup.create_tables(conn)  # idempotent
