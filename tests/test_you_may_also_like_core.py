"""Unit tests of the You May Also Like core: one test per case of the ranking."""

from __future__ import annotations

import math
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import MappingProxyType

import pytest
from you_may_also_like.core import (
    Document,
    RelatedIndex,
    RelatedPinError,
    parse_related,
)
from you_may_also_like.settings import YouMayAlsoLikeSettings, YouMayAlsoLikeSettingsError
from you_may_also_like.tags import normalise_tag

DAY0 = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
NO_FALLBACK = YouMayAlsoLikeSettings(fallback=False)


def doc(slug: str, day: float = 0, tags: str = "", section: str = "Armenia", **extra) -> Document:
    """A document dated `day` days after DAY0, tags comma-separated."""
    names = tuple(t.strip() for t in tags.split(",") if t.strip())
    return Document(
        id=slug,
        slug=slug,
        date=DAY0 + timedelta(days=day),
        section=section,
        tags=names,
        **extra,
    )


def slugs(index: RelatedIndex, slug: str) -> list[str]:
    """The slugs suggested for one document, in order."""
    return [s.slug for s in index.suggest(slug)]


def brute_force(
    documents: list[Document],
    s: YouMayAlsoLikeSettings,
    reach: dict[str, set[str]] | None = None,
) -> dict[str, list[str]]:
    """The ranking as the issue defines it, pair by pair (no fallback, no pins), among
    the candidates `reach` allows (default: all)."""
    published = [d for d in documents if d.status == "published"]
    n = len(published)
    df: dict[str, int] = {}
    for d in published:
        for key in {normalise_tag(t) for t in d.tags}:
            df[key] = df.get(key, 0) + 1

    def weight(key: str) -> float:
        w = math.log1p(n / df[key])
        return w * s.broad_tag_factor if df[key] > s.broad_tag_share * n else w

    result = {}
    for q in documents:
        mine = {normalise_tag(t) for t in q.tags}
        ranked = []
        for c in published:
            if c.id == q.id or (c.translation_key or c.id) == (q.translation_key or q.id):
                continue
            if reach is not None and c.id not in reach[q.id]:
                continue
            if s.same_language and c.lang != q.lang:
                continue
            if s.exclude_newer and c.date > q.date:
                continue
            shared = mine & {normalise_tag(t) for t in c.tags}
            if not shared:
                continue
            score = sum(weight(k) for k in shared)
            score += s.section_bonus if c.section == q.section else 0.0
            if s.half_life_days:
                gap = abs((c.date - q.date).total_seconds()) / 86400
                score *= 0.5 ** (gap / s.half_life_days)
            ranked.append((-round(score, 9), -c.date.timestamp(), c.slug, c.id))
        result[q.id] = [item[3] for item in sorted(ranked)[: s.limit]]
    return result


def reachable(documents: list[Document], s: YouMayAlsoLikeSettings) -> dict[str, set[str]]:
    """Who can be a candidate of whom: every article sharing a tag carried by at most
    YMAL_SCAN_LIMIT articles, plus, for each longer tag, the YMAL_SCAN_WINDOW articles on
    each side of the article in that tag's date-sorted list."""
    published = sorted(
        (d for d in documents if d.status == "published"), key=lambda d: (d.date, d.slug, d.id)
    )
    postings: dict[str, list[Document]] = {}
    for d in published:
        for key in dict.fromkeys(normalise_tag(t) for t in d.tags):
            postings.setdefault(key, []).append(d)
    window = max(s.scan_window, s.limit)
    result: dict[str, set[str]] = {}
    for q in documents:
        found: set[str] = set()
        for key in {normalise_tag(t) for t in q.tags} & set(postings):
            posting = postings[key]
            if len(posting) <= s.scan_limit:
                found |= {d.id for d in posting}
                continue
            ids = [d.id for d in posting]
            centre = ids.index(q.id) if q.id in ids else sum(d.date < q.date for d in posting)
            found |= set(ids[max(0, centre - window) : centre + window + 1])
        result[q.id] = found
    return result


# --- the cases -------------------------------------------------------------------


def test_no_articles_gives_no_suggestions() -> None:
    index = RelatedIndex.build([])
    assert index.suggest_all() == {}


def test_one_article_gets_an_empty_block() -> None:
    index = RelatedIndex.build([doc("alone", tags="Water")])
    assert index.suggest("alone") == []


def test_article_without_tags_gets_only_the_fallback() -> None:
    documents = [doc("bare", 0), doc("near", 2, "Water"), doc("far", 30, "Water")]
    assert slugs(RelatedIndex.build(documents, NO_FALLBACK), "bare") == []
    found = RelatedIndex.build(documents).suggest("bare")
    assert [(s.slug, s.reason, s.score) for s in found] == [
        ("near", "fallback", 0.0),
        ("far", "fallback", 0.0),
    ]


def test_identical_tags_score_the_sum_of_the_weights() -> None:
    documents = [doc("a", 0, "Water, Lake Sevan"), doc("b", 0, "Water, Lake Sevan"), doc("c", 0)]
    index = RelatedIndex.build(documents, replace(NO_FALLBACK, broad_tag_share=1.0))
    (found,) = index.suggest("a")
    assert found.slug == "b"
    assert found.reason == "tags"
    assert set(found.shared_tags) == {"Water", "Lake Sevan"}
    # N = 3 published, df = 2 for both tags, same date: no freshness loss.
    assert found.score == pytest.approx(2 * math.log1p(3 / 2))


def test_rarer_shared_tag_outranks_a_broad_one() -> None:
    documents = [doc("q", 0, "Armenia, Amulsar")]
    documents += [doc(f"broad-{i}", 1, "Armenia") for i in range(8)]
    documents += [doc("rare", 200, "Amulsar")]
    index = RelatedIndex.build(documents, NO_FALLBACK)
    assert index.is_broad("Armenia") and not index.is_broad("Amulsar")
    n, df = 10, 9
    assert index.tag_weight("Armenia") == pytest.approx(0.25 * math.log1p(n / df))
    # The rare tag wins although the broad-only candidates are 199 days nearer.
    assert slugs(index, "q")[0] == "rare"


def test_long_tag_is_searched_only_near_in_time() -> None:
    # 300 articles share one tag: over YMAL_SCAN_LIMIT, only its YMAL_SCAN_WINDOW
    # articles on each side of q in time are candidates through it, so the work per
    # article stays bounded however many articles carry the tag.
    documents = [doc(f"a{i:03d}", i, "Armenia") for i in range(300)]
    windowed = replace(NO_FALLBACK, scan_limit=50, scan_window=8)
    # With freshness, the nearest win anyway (equal distance: newer first).
    assert slugs(RelatedIndex.build(documents, windowed), "a150") == [
        "a151",
        "a149",
        "a152",
        "a148",
    ]
    # Without freshness, ties go to the newest: the newest of the window...
    no_freshness = replace(windowed, half_life_days=None)
    assert slugs(RelatedIndex.build(documents, no_freshness), "a150") == [
        "a158",
        "a157",
        "a156",
        "a155",
    ]
    # ...where a full scan (scan limit above the tag's 300 articles) finds the newest overall.
    full_scan = replace(no_freshness, scan_limit=300)
    assert slugs(RelatedIndex.build(documents, full_scan), "a150") == [
        "a299",
        "a298",
        "a297",
        "a296",
    ]


def test_ties_are_ordered_by_newer_date_then_slug() -> None:
    documents = [
        doc("q", 10, "Water"),
        doc("b-older", 5, "Water"),
        doc("z-newer", 15, "Water"),  # same distance as b-older: newer first
        doc("a-same-day", 20, "Water"),
        doc("c-same-day", 20, "Water"),
    ]
    index = RelatedIndex.build(documents, NO_FALLBACK)
    assert slugs(index, "q") == ["z-newer", "b-older", "a-same-day", "c-same-day"]
    no_freshness = RelatedIndex.build(documents, replace(NO_FALLBACK, half_life_days=None))
    assert slugs(no_freshness, "q") == ["a-same-day", "c-same-day", "z-newer", "b-older"]


def test_limit_caps_the_block() -> None:
    documents = [doc("q", 0, "Water")] + [doc(f"c{i}", i + 1, "Water") for i in range(9)]
    assert len(RelatedIndex.build(documents).suggest("q")) == 4
    two = RelatedIndex.build(documents, YouMayAlsoLikeSettings(limit=2))
    assert slugs(two, "q") == ["c0", "c1"]


def test_drafts_hidden_and_future_articles_are_never_suggested() -> None:
    documents = [
        doc("q", 0, "Water"),
        doc("draft", 1, "Water", status="draft"),
        doc("hidden", 1, "Water", status="hidden"),
        doc("future", 40, "Water"),
        doc("ok", 30, "Water"),
    ]
    index = RelatedIndex.build(documents, now=DAY0 + timedelta(days=35))
    assert slugs(index, "q") == ["ok"]
    # A hidden article has a page: it gets a block, though it is never suggested.
    assert slugs(index, "hidden") == ["q", "ok"]


def test_translations_and_other_languages_are_not_suggested() -> None:
    documents = [
        doc("q", 0, "Water", lang="en", translation_key="q"),
        Document("q-hy", "q", DAY0, "Armenia", ("Water",), lang="hy", translation_key="q"),
        doc("q-fr", 1, "Water", lang="fr", translation_key="q"),
        doc("other-fr", 1, "Water", lang="fr"),
        doc("other-en", 9, "Water", lang="en"),
    ]
    assert slugs(RelatedIndex.build(documents, NO_FALLBACK), "q") == ["other-en"]
    any_language = replace(NO_FALLBACK, same_language=False)
    assert slugs(RelatedIndex.build(documents, any_language), "q") == ["other-fr", "other-en"]


def test_tag_spellings_that_slugify_alike_are_one_tag() -> None:
    assert normalise_tag("Nagorno–Karabakh") == "nagorno-karabakh"
    assert normalise_tag(" nagorno  karabakh ") == "nagorno-karabakh"
    assert normalise_tag("Ēǰmiacin") == normalise_tag("Ejmiacin") == "ejmiacin"
    documents = [doc("q", 0, "Nagorno-Karabakh"), doc("c", 1, "nagorno karabakh")]
    (found,) = RelatedIndex.build(documents, NO_FALLBACK).suggest("q")
    assert found.slug == "c"
    assert found.shared_tags == ("Nagorno-Karabakh",)  # the spelling of the candidates


def test_aliases_merge_synonyms() -> None:
    documents = [doc("q", 0, "EU"), doc("c", 1, "European Union"), doc("d", 1, "Eurasia")]
    assert slugs(RelatedIndex.build(documents, NO_FALLBACK), "q") == []
    aliases = MappingProxyType({"eu": "European Union"})
    index = RelatedIndex.build(documents, replace(NO_FALLBACK, tag_aliases=aliases))
    assert slugs(index, "q") == ["c"]


def test_pins_come_first_in_the_editors_order() -> None:
    documents = [
        doc("q", 0, "Water", pins=("pin-b", "pin-a")),
        doc("pin-a", 100, "Culture"),
        doc("pin-b", 200, "Sport"),
        doc("best", 1, "Water"),
        doc("next", 2, "Water"),
        doc("third", 3, "Water"),
    ]
    found = RelatedIndex.build(documents).suggest("q")
    assert [(s.slug, s.reason) for s in found] == [
        ("pin-b", "pinned"),
        ("pin-a", "pinned"),
        ("best", "tags"),
        ("next", "tags"),
    ]


def test_pin_of_an_unknown_slug_is_an_error() -> None:
    documents = [doc("q", 0, "Water", pins=("foo",)), doc("c", 1, "Water")]
    index = RelatedIndex.build(documents)
    (problem,) = index.pin_problems()
    assert (problem.document_id, problem.severity) == ("q", "error")
    assert problem.message == "Related: unknown article slug 'foo'"
    with pytest.raises(RelatedPinError, match="unknown article slug 'foo'"):
        index.suggest_all()


def test_pin_of_an_unpublished_article_or_itself_is_an_error() -> None:
    documents = [
        doc("q", 0, "Water", pins=("draft", "q", "c")),
        doc("draft", 1, "Water", status="draft", pins=("later",)),
        doc("later", 2, "Water", status="draft"),
        doc("c", 2, "Culture"),
    ]
    index = RelatedIndex.build(documents, NO_FALLBACK)
    problems = [(p.document_id, p.severity, p.message) for p in index.pin_problems()]
    assert problems == [
        ("q", "error", "Related: article 'draft' is not published (draft)"),
        ("q", "error", "Related: 'q' is this article itself"),
        # A draft may pin another draft: left out until both are out.
        ("draft", "warning", "Related: article 'later' is not published (draft)"),
    ]
    with pytest.raises(RelatedPinError, match="'draft' is not published"):
        index.suggest_all()
    assert slugs(index, "draft") == ["q"]


def test_related_none_hides_the_block() -> None:
    assert parse_related("none") == ((), True)
    assert parse_related(" None ") == ((), True)
    assert parse_related("a, b, a") == (("a", "b"), False)
    assert parse_related("a; b") == (("a", "b"), False)
    assert parse_related(None) == ((), False)
    documents = [doc("q", 0, "Water", hide_block=True), doc("c", 1, "Water")]
    index = RelatedIndex.build(documents)
    assert index.suggest("q") == []
    assert slugs(index, "c") == ["q"]  # still a candidate for the others


def test_fallback_fills_from_the_same_section_closest_in_time() -> None:
    documents = [
        doc("q", 10, "Water", section="Culture"),
        doc("tagged", 50, "Water", section="World"),
        doc("before", 7, section="Culture"),
        doc("after", 13, section="Culture"),  # as close as "before": newer first
        doc("far", 40, section="Culture"),
        doc("other-section", 10, section="World"),
    ]
    found = RelatedIndex.build(documents).suggest("q")
    assert [(s.slug, s.reason) for s in found] == [
        ("tagged", "tags"),
        ("after", "fallback"),
        ("before", "fallback"),
        ("far", "fallback"),
    ]
    assert slugs(RelatedIndex.build(documents, NO_FALLBACK), "q") == ["tagged"]


def test_freshness_prefers_the_candidate_closer_in_time() -> None:
    documents = [doc("q", 0, "Water"), doc("near", 30, "Water"), doc("far", -400, "Water")]
    index = RelatedIndex.build(documents, NO_FALLBACK)
    near, far = index.suggest("q")
    assert (near.slug, far.slug) == ("near", "far")
    # Equal tag scores, decayed by 0.5 ** (gap / 180 days).
    assert far.score / near.score == pytest.approx(0.5 ** (370 / 180))


def test_exclude_newer_keeps_only_older_articles() -> None:
    documents = [doc("q", 10, "Water"), doc("newer", 11, "Water"), doc("older", 1, "Water")]
    s = replace(NO_FALLBACK, exclude_newer=True)
    assert slugs(RelatedIndex.build(documents, s), "q") == ["older"]
    assert slugs(RelatedIndex.build(documents, NO_FALLBACK), "q") == ["newer", "older"]


def test_section_bonus_promotes_the_same_section() -> None:
    documents = [
        doc("q", 0, "Water", section="Culture"),
        doc("near", 1, "Water", section="World"),
        doc("same", 20, "Water", section="Culture"),
        doc("untagged", 0, section="Culture"),
    ]
    assert slugs(RelatedIndex.build(documents, NO_FALLBACK), "q") == ["near", "same"]
    bonus = replace(NO_FALLBACK, section_bonus=1.0)
    # The bonus adds to a shared-tag score; it never makes an untagged candidate.
    assert slugs(RelatedIndex.build(documents, bonus), "q") == ["same", "near"]


def test_matches_the_pair_by_pair_definition_on_random_archives() -> None:
    rng = random.Random(20250101)
    names = ["Water", "water", "Lake Sevan", "Energy", "Gyumri", "EU", "Film", "Armenia"]
    for _ in range(60):
        documents = [
            doc(
                f"d{i}",
                rng.randint(0, 400) + rng.random(),
                ", ".join(rng.sample(names, rng.randint(0, 4))),
                section=rng.choice(["Armenia", "World"]),
                status=rng.choice(["published"] * 6 + ["draft", "hidden"]),
                lang=rng.choice(["en", "en", "hy"]),
            )
            for i in range(rng.randint(0, 40))
        ]
        settings = replace(
            NO_FALLBACK,
            half_life_days=rng.choice([None, 30.0, 180.0]),
            exclude_newer=rng.random() < 0.3,
            section_bonus=rng.choice([0.0, 0.5]),
            same_language=rng.random() < 0.5,
            scan_limit=rng.choice([3, 100]),
            scan_window=50,  # wider than the archive: the window drops nothing
        )
        index = RelatedIndex.build(documents, settings)
        found = {key: [s.id for s in value] for key, value in index.suggest_all().items()}
        assert found == brute_force(documents, settings)


def test_long_tags_search_exactly_the_documented_windows() -> None:
    # Many long tags (more than 64, so their hash buckets collide) and small windows:
    # the candidates are those the windows reach, each scored with all shared tags.
    rng = random.Random(7)
    names = [f"Tag {k}" for k in range(90)]
    for _ in range(8):
        documents = [
            doc(
                f"d{i:03d}",
                rng.randint(0, 2000) + rng.random(),
                ", ".join(rng.sample(names, rng.randint(1, 6))),
                section=rng.choice(["Armenia", "World"]),
            )
            for i in range(260)
        ]
        settings = replace(
            NO_FALLBACK,
            scan_limit=rng.choice([3, 6]),
            scan_window=rng.choice([1, 4, 7]),
            half_life_days=rng.choice([None, 90.0]),
            section_bonus=rng.choice([0.0, 0.3]),
        )
        index = RelatedIndex.build(documents, settings)
        found = {key: [s.id for s in value] for key, value in index.suggest_all().items()}
        assert found == brute_force(documents, settings, reachable(documents, settings))


# --- settings ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("YMAL_LIMIT", 0, "YMAL_LIMIT must be an integer from 1 to 50, got 0"),
        ("YMAL_LIMIT", "4", "YMAL_LIMIT must be an integer from 1 to 50, got '4'"),
        ("YMAL_LIMIT", True, "YMAL_LIMIT must be an integer"),
        ("YMAL_HALF_LIFE_DAYS", 0, "YMAL_HALF_LIFE_DAYS must be a positive number of days"),
        ("YMAL_HALF_LIFE_DAYS", float("nan"), "YMAL_HALF_LIFE_DAYS must be"),
        ("YMAL_SECTION_BONUS", -1, "YMAL_SECTION_BONUS must be a number >= 0"),
        ("YMAL_EXCLUDE_NEWER", "yes", "YMAL_EXCLUDE_NEWER must be True or False"),
        ("YMAL_FALLBACK", 1, "YMAL_FALLBACK must be True or False"),
        ("YMAL_BROAD_TAG_SHARE", 0, "YMAL_BROAD_TAG_SHARE must be a share"),
        ("YMAL_BROAD_TAG_FACTOR", 2, "YMAL_BROAD_TAG_FACTOR must be a number from 0 to 1"),
        ("YMAL_SCAN_LIMIT", 0, "YMAL_SCAN_LIMIT must be a positive integer"),
        ("YMAL_SCAN_WINDOW", 2.5, "YMAL_SCAN_WINDOW must be a positive integer"),
        ("YMAL_TAG_ALIASES", ["EU"], "YMAL_TAG_ALIASES must be a dict"),
        ("YMAL_TAG_ALIASES", {"EU": "eu"}, "maps a tag to itself"),
        ("YMAL_TAG_ALIASES", {"A": "B", "B": "C"}, "points at another alias"),
        ("YMAL_TAG_ALIASES", {"EU": 1}, "a dict of tag names"),
        ("YMAL_LIMMIT", 4, "unknown setting YMAL_LIMMIT"),
    ],
)
def test_bad_settings_are_named_errors(key: str, value: object, message: str) -> None:
    with pytest.raises(YouMayAlsoLikeSettingsError, match=message.replace("(", r"\(")):
        YouMayAlsoLikeSettings.from_pelican({key: value})


def test_settings_are_read_without_changing_the_pelican_dict() -> None:
    pelican_settings = {"YMAL_LIMIT": 6, "YMAL_TAG_ALIASES": {"EU": "European Union"}, "X": 1}
    before = repr(pelican_settings)
    settings = YouMayAlsoLikeSettings.from_pelican(pelican_settings)
    assert settings.limit == 6
    assert dict(settings.tag_aliases) == {"EU": "European Union"}
    assert settings.half_life_days == 180.0
    assert repr(pelican_settings) == before
