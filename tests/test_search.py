"""Archive search: the core's choices, the settings, and the index and markup of real builds."""

from __future__ import annotations

import asyncio
import gzip
import json
import shutil
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import FixtureSite, article_source, make_fixture_site
from newsdesk_search import core, indexer
from newsdesk_search.indexer import (
    SearchIndexError,
    _finish_bundle,
    _write_index,
    index_pages,
    mirror_path,
    search_view,
    verify_bundle,
)
from newsdesk_search.plugin import WrittenParts
from newsdesk_search.settings import NewsdeskSearchSettingsError, SearchSettings
from nu_checker import nu_errors, requires_nu_checker

YEREVAN = timezone(timedelta(hours=4))


def story(slug: str, status: str = "published", section: str = "Armenia", **extra) -> core.Story:
    """A story as the adapter describes it."""
    values = {
        "save_as": f"2025/01/{slug}/index.html",
        "url": f"2025/01/{slug}/",
        "status": status,
        "section": section,
        "authors": ("Anahit Grigoryan",),
        "date": datetime(2025, 1, 15, 10, tzinfo=YEREVAN),
        "date_label": "January 15, 2025",
        **extra,
    }
    return core.Story(**values)


def read_fragments(output: Path) -> list[dict]:
    """Decode every page record of the search bundles (gzip, then a signature, then JSON)."""
    records = []
    for path in sorted((output / "pagefind").glob("*/fragment/*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        records.append(json.loads(data[data.index(b"{") :]))
    return sorted(records, key=lambda record: record["url"])


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under a folder, by its relative path."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def soup_of(path: Path) -> BeautifulSoup:
    """Parse one output page as a browser would."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")


# --- the core -------------------------------------------------------------------


class TestPagesToIndex:
    def test_only_published_articles_are_indexed_in_path_order(self) -> None:
        stories = [
            story("zeta"),
            story("draft", status="draft"),
            story("hidden", status="hidden"),
            story("alpha"),
        ]
        pages = core.pages_to_index(stories, "", 4000)
        assert [page.path for page in pages] == [
            "2025/01/alpha/index.html",
            "2025/01/zeta/index.html",
        ]
        assert [page.url for page in pages] == ["/2025/01/alpha/", "/2025/01/zeta/"]

    def test_result_urls_keep_the_path_of_an_absolute_siteurl(self) -> None:
        pages = core.pages_to_index([story("alpha")], "https://example.org/ledger/", 4000)
        assert pages[0].url == "/ledger/2025/01/alpha/"

    def test_no_stories_index_nothing(self) -> None:
        assert core.pages_to_index([], "", 4000) == ()

    def test_parts_hold_runs_of_articles_in_publication_order_oldest_first(self) -> None:
        def day(number: int) -> datetime:
            return datetime(2025, 1, number, 9, tzinfo=YEREVAN)

        stories = [
            story("e", date=day(5)),
            story("a", date=day(1)),
            story("d", date=day(4)),
            story("b", date=day(2)),
            story("c", date=day(2)),  # same time as "b": the path decides
            story("draft", date=day(3), status="draft"),
        ]
        pages = core.pages_to_index(stories, "", 2)
        assert [(page.url, page.part) for page in pages] == [
            ("/2025/01/a/", "0"),
            ("/2025/01/b/", "0"),
            ("/2025/01/c/", "1"),
            ("/2025/01/d/", "1"),
            ("/2025/01/e/", "2"),
        ]

    def test_a_new_article_changes_only_the_newest_part(self) -> None:
        stories = [story(f"s{n}", date=datetime(2025, 1, n, tzinfo=YEREVAN)) for n in range(1, 8)]
        before = core.pages_to_index(stories[:-1], "", 3)
        after = core.pages_to_index(stories, "", 3)
        assert set(before) < set(after)
        assert [page.part for page in set(after) - set(before)] == ["2"]


class TestFacets:
    def test_sort_key_is_utc_so_text_order_is_time_order(self) -> None:
        summer = datetime(2010, 7, 1, 9, 30, tzinfo=timezone(timedelta(hours=5)))
        winter = datetime(2010, 7, 1, 8, 45, tzinfo=YEREVAN)
        assert core.sort_key(summer) == "2010-07-01T04:30:00Z"
        assert core.sort_key(winter) == "2010-07-01T04:45:00Z"
        assert core.sort_key(summer) < core.sort_key(winter)

    def test_facets_carry_section_authors_local_day_and_printed_date(self) -> None:
        late = story("alpha", date=datetime(2025, 1, 15, 23, 30, tzinfo=YEREVAN))
        facets = core.facets(late)
        assert facets.section == "Armenia"
        assert facets.authors == ("Anahit Grigoryan",)
        assert facets.day == "2025-01-15"
        assert facets.sort_date == "2025-01-15T19:30:00Z"
        assert facets.date_label == "January 15, 2025"


class TestSearchSite:
    def test_development_site_sends_the_box_to_the_search_page(self) -> None:
        site = core.search_site(SearchSettings(), ["Armenia"], [story("alpha")])
        assert site.page_url == "/search/"
        assert site.form == core.SearchForm("/search/")
        assert site.fallback is None
        assert site.bundle_url == "/pagefind/"
        assert site.archives_url == "/archives/"

    def test_parts_are_named_newest_first_and_count_only_indexed_stories(self) -> None:
        stories = [story(f"s{n}") for n in range(5)] + [story("d", status="draft")]
        settings = SearchSettings(part_size=2)
        assert core.search_site(settings, [], stories).parts == ("2", "1", "0")
        assert core.search_site(settings, [], stories[:4]).parts == ("1", "0")
        assert core.search_site(settings, [], []).parts == ()

    def test_production_site_sends_the_box_to_a_site_restricted_web_search(self) -> None:
        settings = SearchSettings(siteurl="https://ararat-ledger.example")
        site = core.search_site(settings, [], [])
        assert site.form.action == "https://duckduckgo.com/"
        assert site.form.hidden == (("sites", "ararat-ledger.example"),)
        assert site.page_url == "https://ararat-ledger.example/search/"

    def test_no_fallback_url_sends_the_box_to_the_search_page(self) -> None:
        settings = SearchSettings(siteurl="https://ararat-ledger.example", fallback_url=None)
        site = core.search_site(settings, [], [])
        assert site.form == core.SearchForm("https://ararat-ledger.example/search/")

    def test_filter_choices_follow_navigation_order_then_names(self) -> None:
        stories = [
            story("a", section="World", authors=("zara Avetisyan", "Aram Petrosyan")),
            story("b", section="Armenia"),
            story("c", section="Unlisted"),
            story("d", section="Opinion", status="draft", authors=("Draft Writer",)),
        ]
        site = core.search_site(SearchSettings(), ["Armenia", "Opinion", "World"], stories)
        assert site.sections == ("Armenia", "World", "Unlisted")
        assert site.authors == ("Anahit Grigoryan", "Aram Petrosyan", "zara Avetisyan")


class TestSettings:
    def test_defaults(self) -> None:
        settings = SearchSettings.from_pelican({})
        assert settings == SearchSettings()
        assert core.pagefind_config(settings)["exclude_selectors"]

    @pytest.mark.parametrize(
        ("name", "value"),
        [
            ("NEWSDESK_SEARCH_FALLBACK_URL", "duckduckgo.com"),
            ("NEWSDESK_SEARCH_FALLBACK_URL", "javascript:alert(1)"),
            ("NEWSDESK_SEARCH_FALLBACK_SITE_PARAM", "a b"),
            ("NEWSDESK_SEARCH_EXCLUDE_SELECTORS", ".byline"),
            ("NEWSDESK_SEARCH_BUNDLE_DIR", "../pagefind"),
            ("NEWSDESK_SEARCH_RESULTS_PER_PAGE", 0),
            ("NEWSDESK_SEARCH_EXCERPT_WORDS", True),
            ("NEWSDESK_SEARCH_PART_SIZE", 0),
        ],
    )
    def test_bad_values_are_rejected_with_the_setting_named(self, name: str, value) -> None:
        with pytest.raises(NewsdeskSearchSettingsError, match=name):
            SearchSettings.from_pelican({name: value})

    def test_empty_fallback_url_means_none(self) -> None:
        assert (
            SearchSettings.from_pelican({"NEWSDESK_SEARCH_FALLBACK_URL": ""}).fallback_url is None
        )

    def test_settings_dict_is_not_changed(self) -> None:
        settings = {"SITEURL": "https://example.org"}
        SearchSettings.from_pelican(settings)
        assert settings == {"SITEURL": "https://example.org"}


class TestIndexer:
    @pytest.mark.parametrize(
        ("url", "path"),
        [("/2025/01/a/", "2025/01/a/index.html"), ("/", "index.html"), ("/a.html", "a.html")],
    )
    def test_mirror_path_gives_the_file_whose_url_is_the_result_url(self, url, path) -> None:
        assert mirror_path(url) == path

    def test_mirror_path_refuses_urls_outside_the_site(self) -> None:
        with pytest.raises(SearchIndexError):
            mirror_path("/../etc/passwd.html")

    def test_a_page_without_the_body_marker_is_an_error_naming_the_file(
        self, tmp_path: Path
    ) -> None:
        page = tmp_path / "2025" / "01" / "a" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text("<html><body><h1>Whole page</h1></body></html>", encoding="utf-8")
        pages = [core.SearchPage("2025/01/a/index.html", "/2025/01/a/", "2025")]
        with pytest.raises(SearchIndexError, match=r"^2025/01/a/index.html:1: error: "):
            index_pages(tmp_path, pages, "pagefind", {})
        assert not (tmp_path / "pagefind").exists()

    def test_unchanged_parts_reuse_the_kept_index_and_only_a_changed_part_is_indexed(
        self, tmp_path: Path
    ) -> None:
        output, cache = tmp_path / "out", tmp_path / "cache"
        pages = []
        for year, slug, words in (("2024", "grid", "winter grid"), ("2025", "dam", "river dam")):
            page = output / year / "01" / slug / "index.html"
            page.parent.mkdir(parents=True)
            page.write_text(
                f'<html lang="en"><body><article data-pagefind-body><h1>{slug}</h1>'
                f"<p>{words} inspection</p></article></body></html>",
                encoding="utf-8",
            )
            pages.append(
                core.SearchPage(f"{year}/01/{slug}/index.html", f"/{year}/01/{slug}/", year)
            )

        first = index_pages(output, pages, "pagefind", {}, cache)
        assert sorted(path.name for path in (output / "pagefind").iterdir()) == ["2024", "2025"]
        first_bundle = tree_bytes(output / "pagefind")
        again = index_pages(output, pages, "pagefind", {}, cache)
        assert (first.parts, first.reused_parts, again.reused_parts) == (2, 0, 2)
        assert again.reused
        assert tree_bytes(output / "pagefind") == first_bundle

        edited = output / "2025" / "01" / "dam" / "index.html"
        edited.write_text(edited.read_text().replace("inspection", "Zangezur"), encoding="utf-8")
        changed = index_pages(output, pages, "pagefind", {}, cache)
        assert (changed.reused_parts, changed.reused) == (1, False)
        after = tree_bytes(output / "pagefind")
        old_2024 = {name: data for name, data in first_bundle.items() if name.startswith("2024/")}
        assert {name: data for name, data in after.items() if name.startswith("2024/")} == old_2024
        assert (
            b"zangezur"
            in b"".join(
                gzip.decompress(data) for name, data in after.items() if "/fragment/" in name
            ).lower()
        )

        # A part with no article left loses its bundle and its kept copy.
        index_pages(output, pages[1:], "pagefind", {}, cache)
        assert [path.name for path in (output / "pagefind").iterdir()] == ["2025"]
        assert [path.name for path in cache.iterdir()] == ["2025"]

    def test_the_kept_page_mirror_rewrites_only_changed_pages_and_gives_a_fresh_index(
        self, tmp_path: Path
    ) -> None:
        output, cache = tmp_path / "out", tmp_path / "cache"
        pages = []
        for slug in ("grid", "dam", "rail"):
            page = output / "2025" / slug / "index.html"
            page.parent.mkdir(parents=True)
            page.write_bytes(page_around(f"<article data-pagefind-body><h1>{slug}</h1></article>"))
            pages.append(core.SearchPage(f"2025/{slug}/index.html", f"/2025/{slug}/", "0"))
        index_pages(output, pages, "pagefind", {}, cache)
        mirror = cache / "0" / "pages"
        kept = {
            path.parent.name: path.stat().st_mtime_ns for path in mirror.glob("2025/*/index.html")
        }
        grid = mirror / "2025" / "grid" / "index.html"
        assert sorted(path.parent.name for path in mirror.glob("2025/*/index.html")) == [
            "dam",
            "grid",
            "rail",
        ]
        assert grid.read_bytes() == search_view((output / pages[0].path).read_bytes())

        edited = output / pages[1].path
        edited.write_bytes(
            page_around("<article data-pagefind-body><h1>Dam, edited</h1></article>")
        )
        index_pages(output, pages[:2], "pagefind", {}, cache)

        assert not (mirror / "2025" / "rail" / "index.html").exists()
        # The unchanged page's file was not written again.
        assert grid.stat().st_mtime_ns == kept["grid"]
        assert (mirror / "2025" / "dam" / "index.html").read_bytes() == search_view(
            edited.read_bytes()
        )
        fresh = tmp_path / "fresh"
        shutil.copytree(output, fresh, ignore=shutil.ignore_patterns("pagefind"))
        index_pages(fresh, pages[:2], "pagefind", {})
        assert tree_bytes(output / "pagefind") == tree_bytes(fresh / "pagefind")

    def test_a_parts_views_are_made_while_pagefind_indexes_the_part_before(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        output = tmp_path / "out"
        pages = []
        for part, slug in (("0", "grid"), ("1", "dam")):
            page = output / "2025" / slug / "index.html"
            page.parent.mkdir(parents=True)
            page.write_bytes(page_around(f"<article data-pagefind-body><h1>{slug}</h1></article>"))
            pages.append(core.SearchPage(f"2025/{slug}/index.html", f"/2025/{slug}/", part))
        second_part_prepared = threading.Event()
        prepare, write_index = indexer._prepare_part, indexer._write_index

        def noting_prepare(output, part_pages, *args):
            prepared = prepare(output, part_pages, *args)
            if part_pages[0].part == "1":
                second_part_prepared.set()
            return prepared

        async def waiting_write_index(folder, bundle, config):
            if bundle.name == "0":  # part 0's Pagefind ends only once part 1 is prepared
                assert await asyncio.to_thread(second_part_prepared.wait, 30)
            return await write_index(folder, bundle, config)

        monkeypatch.setattr(indexer, "_prepare_part", noting_prepare)
        monkeypatch.setattr(indexer, "_write_index", waiting_write_index)
        report = index_pages(output, pages, "pagefind", {})

        assert (report.parts, report.pages) == (2, 2)
        fresh = tmp_path / "fresh"
        shutil.copytree(output, fresh, ignore=shutil.ignore_patterns("pagefind"))
        monkeypatch.undo()
        index_pages(fresh, pages, "pagefind", {})
        assert tree_bytes(output / "pagefind") == tree_bytes(fresh / "pagefind")

    @pytest.mark.parametrize(
        ("part_pages", "at_once"),
        [((2, 1), 2), ((2, 2), 1)],
        ids=["a-newest-part-of-half-the-pages-beside", "equal-parts-one-after-another"],
    )
    def test_a_small_newest_part_is_indexed_beside_the_part_before(
        self,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        part_pages: tuple[int, int],
        at_once: int,
    ) -> None:
        output = tmp_path / "out"
        pages = []
        for part, count in enumerate(part_pages):
            for number in range(count):
                slug = f"story-{part}-{number}"
                page = output / "2025" / slug / "index.html"
                page.parent.mkdir(parents=True)
                page.write_bytes(
                    page_around(f"<article data-pagefind-body><h1>{slug}</h1></article>")
                )
                pages.append(
                    core.SearchPage(f"2025/{slug}/index.html", f"/2025/{slug}/", str(part))
                )
        second_started = threading.Event()
        in_flight: list[int] = [0]
        most: list[int] = [0]
        lock = threading.Lock()
        write_index = indexer._write_index

        async def counting_write_index(folder, bundle, config):
            with lock:
                in_flight[0] += 1
                most[0] = max(most[0], in_flight[0])
            if bundle.name == "1":
                second_started.set()
            elif at_once == 2:  # part 0 ends only once part 1 is being indexed too
                assert await asyncio.to_thread(second_started.wait, 30)
            try:
                return await write_index(folder, bundle, config)
            finally:
                with lock:
                    in_flight[0] -= 1

        monkeypatch.setattr(indexer, "_write_index", counting_write_index)
        report = index_pages(output, pages, "pagefind", {})

        assert most[0] == at_once
        assert (report.parts, report.pages) == (2, sum(part_pages))
        fresh = tmp_path / "fresh"
        shutil.copytree(output, fresh, ignore=shutil.ignore_patterns("pagefind"))
        monkeypatch.undo()
        index_pages(fresh, pages, "pagefind", {})
        assert tree_bytes(output / "pagefind") == tree_bytes(fresh / "pagefind")

    def test_a_kept_page_mirror_that_lost_a_file_is_made_again(self, tmp_path: Path) -> None:
        output, cache = tmp_path / "out", tmp_path / "cache"
        pages = []
        for slug in ("grid", "dam"):
            page = output / "2025" / slug / "index.html"
            page.parent.mkdir(parents=True)
            page.write_bytes(page_around(f"<article data-pagefind-body><h1>{slug}</h1></article>"))
            pages.append(core.SearchPage(f"2025/{slug}/index.html", f"/2025/{slug}/", "0"))
        index_pages(output, pages, "pagefind", {}, cache)
        (cache / "0" / "pages" / "2025" / "grid" / "index.html").unlink()
        (output / pages[1].path).write_bytes(
            page_around("<article data-pagefind-body><h1>Dam, edited</h1></article>")
        )

        report = index_pages(output, pages, "pagefind", {}, cache)

        assert (report.pages, report.reused_parts) == (2, 0)
        assert (cache / "0" / "pages" / "2025" / "grid" / "index.html").is_file()
        assert len(list((output / "pagefind" / "0" / "fragment").iterdir())) == 2

    def test_parts_are_indexed_in_the_order_they_are_ready_and_none_is_left_out(
        self, tmp_path: Path
    ) -> None:
        pages = []
        for year in ("2024", "2025"):
            page = tmp_path / year / "index.html"
            page.parent.mkdir(parents=True)
            page.write_text(
                f'<html lang="en"><body><article data-pagefind-body><h1>{year}</h1>'
                "<p>harvest report</p></article></body></html>",
                encoding="utf-8",
            )
            pages.append(core.SearchPage(f"{year}/index.html", f"/{year}/", year))
        report = index_pages(tmp_path, pages, "pagefind", {}, ready_parts=iter(["2025", "2024"]))
        assert (report.parts, report.pages) == (2, 2)
        assert sorted(p.name for p in (tmp_path / "pagefind").iterdir()) == ["2024", "2025"]
        with pytest.raises(SearchIndexError, match="parts never indexed: 2024"):
            index_pages(tmp_path, pages, "pagefind", {}, ready_parts=iter(["2025"]))

    def test_a_bundle_with_a_cut_off_file_is_not_accepted(self, tmp_path: Path) -> None:
        bundle = tmp_path / "pagefind"
        (bundle / "fragment").mkdir(parents=True)
        entry = {"version": "1.5.2", "languages": {"en": {"hash": "en_1", "page_count": 1}}}
        (bundle / "pagefind-entry.json").write_text(json.dumps(entry), encoding="utf-8")
        whole = gzip.compress(b"pagefind_dcd{}")
        (bundle / "fragment" / "en_1.pf_fragment").write_bytes(whole)
        verify_bundle(bundle, 1)
        with pytest.raises(SearchIndexError, match="lists 1 pages, not 2"):
            verify_bundle(bundle, 2)
        (bundle / "fragment" / "en_1.pf_fragment").write_bytes(whole[:-6])
        with pytest.raises(SearchIndexError, match=r"en_1\.pf_fragment is not whole"):
            verify_bundle(bundle, 1)
        (bundle / "pagefind-entry.json").write_text("", encoding="utf-8")
        with pytest.raises(SearchIndexError, match=r"pagefind-entry\.json is not whole"):
            verify_bundle(bundle, 1)


def page_around(element: str, before: str = "", after: str = "") -> bytes:
    """An article page: header and footer around the element to index."""
    return (
        '<!DOCTYPE html><html lang="hy"><head><meta charset="utf-8"><title>T</title></head>'
        f"<body><header><nav><a href='/'>Home</a></nav>{before}</header><main>{element}"
        f"<aside><h2>Related</h2>{after}</aside></main><footer>About us</footer></body></html>"
    ).encode()


class TestSearchView:
    def test_the_view_is_the_html_tag_and_the_marked_element(self) -> None:
        element = "<article class=story data-pagefind-body><h1>Dam</h1><p>River</p></article>"
        view = search_view(page_around(element, after="<article><h3>Other</h3></article>"))
        assert view == (
            b'<!DOCTYPE html><html lang="hy"><head><meta charset="utf-8"><title>T</title>'
            b"</head><body>" + element.encode() + b"</body></html>"
        )

    def test_nested_elements_of_the_same_name_stay_inside(self) -> None:
        element = (
            "<div data-pagefind-body><div><p>inner</p></div>"
            "<DIV class=x>upper</DIV><p>end</p></div>"
        )
        view = search_view(page_around(element, after="<div>card</div>"))
        assert view is not None and element.encode() in view and b"card" not in view

    @pytest.mark.parametrize(
        ("element", "before", "after"),
        [
            # Pagefind takes the first <h1> and <img> of the page as default title and image.
            ("<article data-pagefind-body><p>x</p></article>", "<h1>Masthead</h1>", ""),
            ("<article data-pagefind-body><p>x</p></article>", '<img src="/logo.png" alt="">', ""),
            ("<article data-pagefind-body><p>x</p></article>", "", '<img src="/c.jpg" alt="">'),
            ("<article data-pagefind-body><p>x</p></article>", "", "<h1>Other</h1>"),
            # Metadata and filters are read from anywhere in the page.
            ("<article data-pagefind-body><p>x</p></article>", "", '<p data-pagefind-filter="a">'),
            # Text that only looks like tags inside the element: counting is not safe.
            ("<article data-pagefind-body><!-- </article> --><p>x</p></article>", "", ""),
            ("<article data-pagefind-body><script>'</article>'</script></article>", "", ""),
            ("<article data-pagefind-body><span title='</article>'>x</span></article>", "", ""),
            # Pagefind takes the title from an <h1> after the element if the element's is empty.
            ("<article data-pagefind-body><h1></h1><p>x</p></article>", "", "<h1>Later</h1>"),
            # It takes the first image after the title: the element's comes before its <h1>.
            (
                '<article data-pagefind-body><img src="/a.jpg" alt=""><h1>T</h1></article>',
                "",
                '<img src="/c.jpg" alt="">',
            ),
            # Two marked elements, or one never closed.
            ("<article data-pagefind-body>a</article><div data-pagefind-body>b</div>", "", ""),
            ("<article data-pagefind-body><p>x</p>", "", ""),
        ],
    )
    def test_a_page_whose_outside_pagefind_reads_is_given_whole(
        self, element: str, before: str, after: str
    ) -> None:
        assert search_view(page_around(element, before, after)) is None

    def test_an_image_after_the_element_is_allowed_when_the_element_has_one(self) -> None:
        element = (
            '<article data-pagefind-body><h1>T</h1><img src="/a.jpg" alt=""><p>x</p></article>'
        )
        assert search_view(page_around(element, after='<img src="/c.jpg" alt="">')) is not None

    @pytest.mark.parametrize(
        ("selectors", "reduced"),
        [
            ((".story__meta", "nav", "aside", "form", "[hidden]"), True),
            ((".story > .figure",), True),
            # Names an element around the marked one: only the whole page shows it.
            (("main .figure",), False),
            ((".page-article .s",), False),
            # Siblings and positions change when the surroundings go.
            (("h1 + p",), False),
            (("p:first-child",), False),
        ],
    )
    def test_a_page_is_reduced_only_when_no_exclude_selector_reaches_outside_the_element(
        self, selectors: tuple[str, ...], reduced: bool
    ) -> None:
        html = page_around('<article class="story" data-pagefind-body><p>x</p></article>')
        html = html.replace(b"<body>", b'<body class="page-article">')
        assert (search_view(html, selectors) is not None) is reduced

    def test_a_commented_out_html_tag_before_the_real_one_gives_the_whole_page(self) -> None:
        html = b'<!-- <html lang="fr"> -->' + page_around(
            "<article data-pagefind-body><p>x</p></article>"
        )
        assert search_view(html) is None

    def test_the_demo_bundle_is_the_one_pagefind_makes_from_the_whole_pages(
        self, demo_output: Path, tmp_path: Path
    ) -> None:
        pages = [
            core.SearchPage(path.relative_to(demo_output).as_posix(), url, "0")
            for path in sorted(demo_output.glob("20*/*/*/index.html"))
            for url in [f"/{path.parent.relative_to(demo_output).as_posix()}/"]
        ]
        assert len(pages) > 10
        viewed = [p for p in pages if search_view((demo_output / p.path).read_bytes())]
        assert 0 < len(viewed) < len(pages)  # both kinds are in the comparison
        config = core.pagefind_config(SearchSettings())
        output = tmp_path / "output"
        shutil.copytree(demo_output, output, ignore=shutil.ignore_patterns("pagefind"))
        index_pages(output, pages, "pagefind", config)

        whole = tmp_path / "whole"
        for page in pages:
            link = whole / mirror_path(page.url)
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(demo_output / page.path)
        bundle = tmp_path / "bundle"
        assert asyncio.run(_write_index(whole, bundle, dict(config))) == len(pages)
        _finish_bundle(bundle, len(pages))
        assert tree_bytes(output / "pagefind" / "0") == tree_bytes(bundle)


class TestWrittenParts:
    PAGES = (
        core.SearchPage("a.html", "/a/", "0"),
        core.SearchPage("b.html", "/b/", "0"),
        core.SearchPage("c.html", "/c/", "1"),
        core.SearchPage("d.html", "/d/", "10"),
        core.SearchPage("e.html", "/e/", "2"),
    )

    def test_a_part_is_ready_once_every_one_of_its_pages_is_written(self) -> None:
        parts = WrittenParts(self.PAGES)
        assert parts.written(["b.html", "c.html", "other.html"]) == ["1"]
        assert parts.written(["b.html"]) == []
        assert parts.written(["a.html", "d.html", "e.html"]) == ["0", "2", "10"]
        assert parts.ready_after == {"1": 2, "0": 5, "2": 5, "10": 5}
        assert parts.left() == []

    def test_the_parts_left_come_in_numeric_order(self) -> None:
        parts = WrittenParts(self.PAGES)
        parts.written(["c.html"])
        assert parts.left() == ["0", "2", "10"]


# --- real builds ------------------------------------------------------------------


@pytest.fixture(scope="module")
def search_site(tmp_path_factory: pytest.TempPathFactory) -> FixtureSite:
    """A small site: two published articles, a draft, a future and a hidden article."""
    site = make_fixture_site(tmp_path_factory.mktemp("search") / "site")
    site.add(
        "articles/2025/corridor.md",
        article_source(
            "Corridor talks resume",
            date="2025-03-02 09:00",
            section="Region",
            authors="Anahit Grigoryan",
            tags="Transport",
            summary="Negotiators meet again over the Vorotan route.",
            body="Officials discussed the Xylophant crossing at length.",
            slug="corridor-talks",
        ),
    )
    site.add(
        "articles/2025/budget.md",
        article_source(
            "Parliament passes the budget",
            date="2025-02-01 12:00",
            section="Armenia",
            body="The budget passed after a long debate.",
            slug="budget",
        ),
    )
    site.add(
        "articles/2025/draft.md",
        article_source(
            "Unfinished draft",
            body="Quillbrook appears only here.",
            slug="unfinished",
            status="draft",
        ),
    )
    site.add(
        "articles/2099/future.md",
        article_source(
            "Scheduled story",
            date="2099-01-01 09:00",
            body="Futurovian appears only in a scheduled story.",
            slug="scheduled",
        ),
    )
    site.add(
        "articles/2025/hidden.md",
        article_source(
            "Hidden story",
            body="Hiddenvale appears only in a hidden story.",
            slug="hidden-story",
            status="hidden",
        ),
    )
    site.add("pages/about.md", "Title: About\n\nAbout the Zorvath newsroom.\n")
    site.build().check()
    return site


class TestIndexOfABuild:
    def test_bundle_is_written_inside_the_output(self, search_site: FixtureSite) -> None:
        # Two published articles: one part, "0" (the 2099 article is scheduled).
        assert [path.name for path in (search_site.output / "pagefind").iterdir()] == ["0"]
        bundle = search_site.output / "pagefind" / "0"
        assert (bundle / "pagefind.js").is_file()
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert entry["languages"]["en"]["page_count"] == 2
        # Pagefind's own interfaces and worker are never requested by the theme.
        assert not (bundle / "pagefind-ui.js").exists()
        assert not (bundle / "pagefind-worker.js").exists()
        assert not list(search_site.root.glob(".output-staging-*"))

    def test_only_published_articles_are_indexed(self, search_site: FixtureSite) -> None:
        urls = [record["url"] for record in read_fragments(search_site.output)]
        assert urls == ["/2025/02/budget/", "/2025/03/corridor-talks/"]
        words = " ".join(record["content"] for record in read_fragments(search_site.output))
        for absent in ["Quillbrook", "Futurovian", "Hiddenvale", "Zorvath"]:
            assert absent not in words
        # The hidden article is on the site, just not in search.
        assert (search_site.output / "2025" / "01" / "hidden-story" / "index.html").exists()

    def test_headline_standfirst_and_body_are_indexed_and_nothing_else(
        self, search_site: FixtureSite
    ) -> None:
        record = read_fragments(search_site.output)[1]
        content = record["content"]
        assert "Corridor talks resume" in content
        assert "Vorotan route" in content
        assert "Xylophant crossing" in content
        for outside in ["Topics", "Transport", "Anahit", "Region", "Skip to main content"]:
            assert outside not in content, f"{outside!r} should not be indexed"

    def test_filters_and_result_metadata(self, search_site: FixtureSite) -> None:
        record = read_fragments(search_site.output)[1]
        assert record["filters"] == {"author": ["Anahit Grigoryan"], "section": ["Region"]}
        # The on-page headline, typeset (a no-break space keeps the last words together).
        assert record["meta"]["title"].replace("\xa0", " ") == "Corridor talks resume"
        assert record["meta"]["section"] == "Region"
        assert record["meta"]["day"] == "2025-03-02"
        assert record["meta"]["date"] == "March 2, 2025"

    def test_sort_key_is_on_every_indexed_article(self, search_site: FixtureSite) -> None:
        html = (search_site.output / "2025" / "03" / "corridor-talks" / "index.html").read_text(
            encoding="utf-8"
        )
        sort = soup_of_text(html).select_one("[data-pagefind-sort]")
        assert sort["data-pagefind-sort"] == "date[value]"
        assert sort["value"] == "2025-03-02T05:00:00Z"


def soup_of_text(html: str) -> BeautifulSoup:
    """Parse HTML text as a browser would."""
    return BeautifulSoup(html, "html5lib")


def pages_of_every_type(output: Path) -> dict[str, Path]:
    """One output page per page type of a built fixture site."""
    return {
        "front": output / "index.html",
        "article": output / "2025" / "03" / "corridor-talks" / "index.html",
        "section": output / "section" / "region" / "index.html",
        "tag": output / "tag" / "transport" / "index.html",
        "author": output / "author" / "anahit-grigoryan" / "index.html",
        "archives": output / "archives" / "index.html",
        "page": output / "about" / "index.html",
        "404": output / "404.html",
        "search": output / "search" / "index.html",
    }


class TestMarkup:
    def test_header_search_form_is_on_every_page_type(self, search_site: FixtureSite) -> None:
        for name, path in pages_of_every_type(search_site.output).items():
            assert path.exists(), f"no {name} page"
            header = soup_of(path).select_one("header.site-header")
            form = header.select_one("form[role=search]")
            assert form is not None, f"{name} page has no search box"
            assert form["method"] == "get"
            assert form["action"] == "/search/"
            query = form.select_one("input[name=q]")
            label = form.select_one(f"label[for={query['id']}]")
            assert label is not None and label.get_text(strip=True)
            assert form.select_one("button[type=submit]") is not None

    def test_search_page_has_labelled_controls_a_live_status_and_a_result_list(
        self, search_site: FixtureSite
    ) -> None:
        page = soup_of(search_site.output / "search" / "index.html")
        root = page.select_one("[data-search-bundle]")
        assert root["data-search-bundle"] == "/pagefind/"
        assert root["data-search-parts"] == "0"
        for control in root.select(".search-form input:not([type=hidden]), .search-form select"):
            assert page.select_one(f"label[for={control['id']}]") is not None
        assert [option.get("value") for option in root.select("#search-section option")] == [
            "",
            "Armenia",
            "Region",
        ]
        status = root.select_one("#search-status")
        assert status["role"] == "status" and status["aria-live"] == "polite"
        assert root.select_one("ol#search-results") is not None
        assert page.find("title").get_text() == "Search – The Ararat Ledger"

    def test_without_javascript_the_search_page_points_to_the_archives(
        self, search_site: FixtureSite
    ) -> None:
        page = soup_of(search_site.output / "search" / "index.html")
        noscript = BeautifulSoup(page.select_one("noscript").decode_contents(), "html5lib")
        assert noscript.select_one("a[href='/archives/']") is not None

    @requires_nu_checker
    def test_search_page_passes_the_nu_html_checker(self, search_site: FixtureSite) -> None:
        pages = [
            search_site.output / "search" / "index.html",
            *pages_of_every_type(search_site.output).values(),
        ]
        errors = nu_errors(pages)
        assert errors == []


def test_production_box_goes_to_a_web_search_restricted_to_the_site(tmp_path: Path) -> None:
    site = make_fixture_site(tmp_path / "site", SITEURL="https://news.example/ledger")
    site.add("articles/2025/a.md", article_source("One story", slug="one-story"))
    site.build().check()
    for path in [
        site.output / "index.html",
        site.output / "2025" / "01" / "one-story" / "index.html",
    ]:
        form = soup_of(path).select_one("header form[role=search]")
        assert form["action"] == "https://duckduckgo.com/"
        assert form["data-search-page"] == "https://news.example/ledger/search/"
        hidden = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}
        assert hidden == {"sites": "news.example/ledger"}
    assert [record["url"] for record in read_fragments(site.output)] == [
        "/ledger/2025/01/one-story/"
    ]
    search_page = soup_of(site.output / "search" / "index.html")
    assert search_page.select_one("[data-search-bundle]")["data-search-bundle"] == (
        "/ledger/pagefind/"
    )


def test_a_site_with_no_articles_has_an_empty_index_and_no_parts(tmp_path: Path) -> None:
    site = make_fixture_site(tmp_path / "site")
    site.build().check()
    assert list((site.output / "pagefind").iterdir()) == []
    root = soup_of(site.output / "search" / "index.html").select_one("[data-search-bundle]")
    assert root["data-search-parts"] == ""


def test_a_bad_search_setting_fails_the_build_and_keeps_the_old_output(tmp_path: Path) -> None:
    site = make_fixture_site(tmp_path / "site", NEWSDESK_SEARCH_BUNDLE_DIR="../outside")
    site.add("articles/2025/a.md", article_source("One story"))
    site.output.mkdir(parents=True)
    (site.output / "old.html").write_text("old", encoding="utf-8")
    result = site.build()
    assert result.returncode != 0
    assert "NEWSDESK_SEARCH_BUNDLE_DIR" in result.stderr + result.stdout
    assert (site.output / "old.html").read_text(encoding="utf-8") == "old"
    assert not (tmp_path / "outside").exists()
