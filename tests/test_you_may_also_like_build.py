"""Build tests of You May Also Like: real sites built, pages parsed, blocks checked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from you_may_also_like.core import Document, RelatedIndex, parse_related

from tests.conftest import (
    PLUGINS,
    REPO,
    FixtureSite,
    article_source,
    make_fixture_site,
    run_build,
)

ZONE = ZoneInfo("Asia/Yerevan")

# slug: (date, section, tags, extra header fields)
FIXTURE = {
    "sevan-water-levels": ("2025-03-01 10:00", "Armenia", "Lake Sevan, Water, Environment", {}),
    "sevan-fishing-ban": ("2025-03-10 10:00", "Armenia", "Lake Sevan, Water", {}),
    "sevan-summer-tourism": ("2025-06-01 10:00", "Culture", "Lake Sevan, Tourism", {}),
    "amulsar-mine-hearing": ("2025-02-01 10:00", "Armenia", "Amulsar, Mining, Water", {}),
    "gyumri-bakers": ("2025-04-01 10:00", "Culture", "Gyumri, Food, Tourism", {}),
    "gyumri-railway": ("2025-04-05 10:00", "Region", "Gyumri, Transport", {}),
    "yerevan-metro": ("2025-05-01 10:00", "Armenia", "Yerevan, Transport", {}),
    "beirut-schools": ("2025-01-10 10:00", "Diaspora", "Education, Lebanon", {}),
    "diaspora-teachers": ("2025-01-20 10:00", "Diaspora", "Education, Armenian Language", {}),
    "dictionary-app": (
        "2025-02-15 10:00",
        "Diaspora",
        "Armenian Language, Tech Industry",
        {"related": "sevan-summer-tourism, gyumri-bakers"},
    ),
    "water-tariffs-view": ("2025-05-15 10:00", "Opinion", "Water", {"related": "none"}),
    "sevan-draft": ("2025-03-05 10:00", "Armenia", "Lake Sevan, Water", {"status": "draft"}),
}


def write_fixture(site: FixtureSite) -> None:
    """Write the dozen fixture articles."""
    for slug, (date, section, tags, extra) in FIXTURE.items():
        title = slug.replace("-", " ").capitalize()
        text = article_source(title, date=date, section=section, tags=tags, slug=slug, **extra)
        site.add(f"articles/{date[:4]}/{slug}.md", text)


def expected_blocks() -> dict[str, list[str]]:
    """Each fixture article's suggestions, computed by the core from the same data."""
    documents = []
    for slug, (date, section, tags, extra) in FIXTURE.items():
        pins, hide = parse_related(extra.get("related"))
        documents.append(
            Document(
                id=slug,
                slug=slug,
                date=datetime.strptime(date, "%Y-%m-%d %H:%M").replace(tzinfo=ZONE),
                section=section,
                tags=tuple(t.strip() for t in tags.split(",")),
                status=extra.get("status", "published"),
                pins=pins,
                hide_block=hide,
            )
        )
    index = RelatedIndex.build(documents)
    return {key: [s.slug for s in found] for key, found in index.suggest_all().items()}


def block_links(page: Path) -> list[str] | None:
    """The hrefs in the page's You May Also Like section, in order (None: no section)."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html5lib")
    section = soup.find("section", id="you-may-also-like")
    if section is None:
        return None
    return [a["href"] for a in section.select("a[href]")]


def article_page(output: Path, href: str) -> Path:
    """The file an article link resolves to (site-relative URLs, SITEURL "")."""
    return output / href.lstrip("/") / "index.html"


def test_fixture_site_blocks_link_the_computed_suggestions_in_order(fixture_site) -> None:
    write_fixture(fixture_site)
    fixture_site.build().check()
    output = fixture_site.output
    expected = expected_blocks()
    pages = {page.parent.name: page for page in output.glob("2025/*/*/index.html")}
    assert set(pages) == set(FIXTURE) - {"sevan-draft"}
    for slug, page in sorted(pages.items()):
        links = block_links(page)
        if not expected[slug]:
            assert links is None, f"{slug} shows an empty block"
            continue
        assert links is not None, f"{slug} has no You May Also Like block"
        assert [href.rstrip("/").rsplit("/", 1)[-1] for href in links] == expected[slug], slug
        for href in links:
            assert article_page(output, href).is_file(), f"{slug} links to missing {href}"
    # What the ranking is for, spelled out on a few pages:
    assert expected["sevan-water-levels"][:2] == ["sevan-fishing-ban", "amulsar-mine-hearing"]
    assert expected["dictionary-app"][:2] == ["sevan-summer-tourism", "gyumri-bakers"]  # pins
    assert block_links(pages["water-tariffs-view"]) is None  # Related: none
    assert all("sevan-draft" not in found for found in expected.values())


def test_unknown_related_slug_fails_the_build_naming_file_and_line(tmp_path) -> None:
    # Only this plugin, so that its own error shows (the content check, which runs
    # first in a full build, reports unknown slugs too).
    site = make_fixture_site(tmp_path / "site", PLUGINS=["you_may_also_like"])
    site.add("articles/2025/known.md", article_source("Known", tags="Water"))
    text = article_source("Pinned", tags="Water", slug="pinned", related="known, foo")
    site.add("articles/2025/pinned.md", text)
    line = text.splitlines().index("Related: known, foo") + 1
    result = run_build(site.settings, site.output)
    assert result.returncode != 0
    message = f"content/articles/2025/pinned.md:{line}: error: Related: unknown article slug 'foo'"
    assert message in result.stderr
    assert not site.output.exists()


def test_explain_prints_scores_and_shared_tags(fixture_site) -> None:
    write_fixture(fixture_site)
    env = {**os.environ, "PYTHONPATH": str(PLUGINS)}
    command = [sys.executable, "-m", "you_may_also_like.explain", "-s", "settings.py"]
    process = subprocess.run(
        [*command, "sevan-water-levels"],
        cwd=fixture_site.root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = process.stdout.splitlines()
    assert lines[0].startswith("sevan-water-levels  (2025-03-01, Armenia, published)")
    rows = [line.split() for line in lines if line[:2].strip().isdigit()]
    assert [row[5] for row in rows] == expected_blocks()["sevan-water-levels"]
    assert rows[0][2] == "tags"
    assert " ".join(rows[0][6:]) == "[Lake Sevan, Water]"
    scores = [float(row[1]) for row in rows if row[2] == "tags"]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    missing = subprocess.run(
        [*command, "no-such-story"], cwd=fixture_site.root, env=env, capture_output=True, text=True
    )
    assert missing.returncode == 1
    assert "no article has the slug 'no-such-story'" in missing.stderr


@pytest.fixture(scope="module")
def demo_ranking() -> list[dict]:
    """Every demo article's suggestions as the explain command computes them."""
    process = subprocess.run(
        [sys.executable, "-m", "you_may_also_like.explain", "--json", "-s", "pelicanconf.py"],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(PLUGINS)},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(process.stdout)


def test_demo_every_article_page_has_the_block_in_computed_order(
    demo_output: Path, demo_ranking: list[dict]
) -> None:
    published = [entry for entry in demo_ranking if entry["status"] == "published"]
    assert len(published) >= 12
    pages = {entry["url"]: article_page(demo_output, entry["url"]) for entry in published}
    for entry in published:
        page = pages[entry["url"]]
        assert page.is_file(), f"no page for {entry['source']}"
        links = block_links(page)
        assert links is not None, f"{entry['url']} has no You May Also Like block"
        assert 1 <= len(links) <= 4
        assert [href.lstrip("/") for href in links] == [s["url"] for s in entry["suggestions"]]
        for href in links:
            assert href.lstrip("/") in pages, f"{entry['url']} links to {href}, not an article"
            assert article_page(demo_output, href).is_file()
