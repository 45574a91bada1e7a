"""The Markdown reader in a real build: the check's header parser, sections, site-wide tags."""

from __future__ import annotations

import functools
import locale
import re

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, article_source, make_fixture_site
from hypothesis import given, settings
from hypothesis import strategies as st
from newsdesk_content.reader import NewsdeskMarkdownReader
from pelican.readers import METADATA_PROCESSORS
from pelican.settings import read_settings


def _soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")


def _tag_links(page) -> list[str]:
    return [a.get_text() for a in _soup(page).select("a.tags__link")]


def test_case_variants_of_a_tag_share_the_most_used_spelling_and_one_page(fixture_site):
    for slug, tags in (("a", "KDE"), ("b", "KDE, Economy"), ("c", "kde, economy, Economy")):
        fixture_site.add(
            f"articles/2025/{slug}.md", article_source(f"Story {slug}", slug=slug, tags=tags)
        )
    result = fixture_site.build().check()
    assert 'content/articles/2025/c.md:5: warning: tag "kde" nearly duplicates' in result.stderr
    page_c = fixture_site.output / "2025" / "01" / "c" / "index.html"
    assert _tag_links(page_c) == ["KDE", "Economy"]
    tag_pages = sorted(p.parent.name for p in (fixture_site.output / "tag").glob("*/index.html"))
    assert tag_pages == ["economy", "kde"]
    listed = [
        a.get_text(" ", strip=True)
        for a in _soup(fixture_site.output / "tag" / "kde" / "index.html").select("main a")
    ]
    assert sum("Story" in text for text in listed) >= 3


def test_tag_aliases_and_entities_in_pelican_tags(tmp_path):
    site = make_fixture_site(
        tmp_path / "site", NEWSDESK_TAG_ALIASES={"Artsakh": "Nagorno-Karabakh"}
    )
    site.add("articles/2025/a.md", article_source("A", slug="a", tags="Artsakh, r&amp;d"))
    site.add("articles/2025/b.md", article_source("B", slug="b", tags="Nagorno-Karabakh"))
    site.build().check()
    assert _tag_links(site.output / "2025" / "01" / "a" / "index.html") == [
        "Nagorno-Karabakh",
        "r&d",
    ]
    assert not (site.output / "tag" / "artsakh").exists()


def test_section_is_the_category_and_continuation_lines_join(fixture_site):
    fixture_site.add(
        "articles/2025/long.md",
        "Title: A headline\nDate: 2025-02-01 09:00\nSection: Culture\nAuthors: Anahit Grigoryan\n"
        "Tags: Music,\n    Heritage\nSummary: A standfirst that goes on\n    over two lines.\n"
        "Slug: long\n\nNote: this first paragraph looks like metadata but is body.\n",
    )
    fixture_site.build().check()
    page = _soup(fixture_site.output / "2025" / "02" / "long" / "index.html")
    assert page.select_one(".story__standfirst").get_text() == (
        "A standfirst that goes on over two lines."
    )
    assert [a.get_text() for a in page.select("a.tags__link")] == ["Music", "Heritage"]
    assert "this first paragraph looks like metadata" in page.select_one("main").get_text()
    assert (fixture_site.output / "section" / "culture" / "index.html").is_file()


def test_a_build_with_warnings_only_succeeds_and_prints_them(fixture_site):
    fixture_site.add("articles/2025/a.md", article_source("A", slug="a", locaton="GYUMRI"))
    result = fixture_site.build().check()
    assert (
        "content/articles/2025/a.md:9: warning: unknown metadata key Locaton (did you mean "
        "Location?)"
    ) in result.stderr.splitlines()


DATE_TEXTS = st.one_of(
    st.builds(
        "{:04d}-{:02d}-{:02d}{}{:02d}:{:02d}{}".format,
        st.integers(0, 9999),
        st.integers(0, 14),
        st.integers(0, 33),
        st.sampled_from([" ", "T", "  ", "_"]),
        st.integers(0, 25),
        st.integers(0, 61),
        st.sampled_from(["", ":00", ":59", ":61", "+01:00", " UTC", "Z"]),
    ),
    st.sampled_from(["2025-03-02", "2025-03-02 9:00", "March 2, 2025 09:00", "", "soon"]),
)


@functools.cache
def _date_reader() -> NewsdeskMarkdownReader:
    # read_settings sets the process's locale from LOCALE: keep the test process's.
    saved = locale.setlocale(locale.LC_ALL)
    try:
        return NewsdeskMarkdownReader(read_settings(str(REPO / "pelicanconf.py")))
    finally:
        locale.setlocale(locale.LC_ALL, saved)


@settings(max_examples=2000, deadline=None, derandomize=True)
@given(DATE_TEXTS)
def test_dates_are_read_as_pelicans_dateutil_reads_them(text: str) -> None:
    reader = _date_reader()
    for name in ("date", "modified"):
        try:
            expected = METADATA_PROCESSORS[name](text, reader.settings)
        except ValueError as error:
            with pytest.raises(ValueError, match=re.escape(str(error))):
                reader.process_metadata(name, text)
            continue
        found = reader.process_metadata(name, text)
        assert (type(found), found, found.tzinfo) == (type(expected), expected, expected.tzinfo)
