"""Unit tests of newsdesk_site's pure core and settings: plain data in, plain data out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from newsdesk_content.authors import AuthorInfo
from newsdesk_site import core
from newsdesk_site.settings import NewsdeskSiteSettingsError, SiteSettings

SECTIONS = (
    core.Section("Armenia", "section/armenia/"),
    core.Section("Region", "section/region/"),
    core.Section("Culture", "section/culture/"),
)
BASE = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def story(key: str, day: int, section: str = "Armenia", has_image: bool = False) -> core.Story:
    """A story published `day` days after BASE."""
    return core.Story(key, section, BASE + timedelta(days=day), has_image)


def shown_keys(front: core.Front[str]) -> list[str]:
    """Every story key the front shows, in page order."""
    keys = [] if front.lead is None else [front.lead]
    keys += front.latest
    for block in front.sections:
        keys += block.stories
    return keys + list(front.more)


class TestNewestFirst:
    def test_orders_by_date_descending(self) -> None:
        stories = [story("a", 1), story("b", 3), story("c", 2)]
        assert [s.key for s in core.newest_first(stories)] == ["b", "c", "a"]

    def test_breaks_ties_by_key(self) -> None:
        stories = [story("z", 1), story("a", 1), story("m", 1)]
        assert [s.key for s in core.newest_first(stories)] == ["a", "m", "z"]


class TestNavigation:
    def test_keeps_configured_order_and_drops_sections_without_stories(self) -> None:
        present = {"Culture": "section/culture/", "Armenia": "section/armenia/"}
        nav = core.navigation(["Armenia", "Region", "Culture"], present)
        assert [section.name for section in nav] == ["Armenia", "Culture"]
        assert nav[1].url == "section/culture/"

    def test_appends_unconfigured_sections_by_name(self) -> None:
        present = {"Zed": "z/", "Armenia": "a/", "Beta": "b/"}
        nav = core.navigation(["Armenia"], present)
        assert [section.name for section in nav] == ["Armenia", "Beta", "Zed"]


class TestBuildFront:
    def test_no_stories_gives_an_empty_front(self) -> None:
        front = core.build_front([], SECTIONS, latest=3, per_section=2)
        assert front == core.Front(lead=None, latest=(), sections=(), more=())

    def test_one_story_is_the_lead_and_nothing_else(self) -> None:
        front = core.build_front([story("only", 1)], SECTIONS, latest=3, per_section=2)
        assert front.lead == "only"
        assert front.latest == () and front.sections == () and front.more == ()

    def test_lead_is_the_newest_story_with_an_image_on_the_first_page(self) -> None:
        stories = [story("new", 5), story("pictured", 4, has_image=True), story("old", 1)]
        front = core.build_front(stories, SECTIONS, latest=5, per_section=2, first_page=3)
        assert front.lead == "pictured"
        assert front.latest == ("new", "old")

    def test_lead_falls_back_to_the_newest_when_no_first_page_story_has_an_image(self) -> None:
        stories = [story("new", 5), story("next", 4), story("old-pictured", 1, has_image=True)]
        front = core.build_front(stories, SECTIONS, latest=5, per_section=2, first_page=2)
        assert front.lead == "new"

    def test_latest_holds_the_next_newest_stories(self) -> None:
        stories = [story(f"s{day}", day) for day in range(10)]
        front = core.build_front(stories, SECTIONS, latest=3, per_section=2)
        assert front.lead == "s9"
        assert front.latest == ("s8", "s7", "s6")

    def test_section_blocks_follow_the_configured_order(self) -> None:
        stories = [
            story("lead", 10, "Armenia"),
            story("c1", 3, "Culture"),
            story("r1", 2, "Region"),
            story("a1", 1, "Armenia"),
        ]
        front = core.build_front(stories, SECTIONS, latest=0, per_section=2)
        assert [block.section.name for block in front.sections] == ["Armenia", "Region", "Culture"]
        assert [block.stories for block in front.sections] == [("a1",), ("r1",), ("c1",)]

    def test_section_blocks_hold_their_newest_stories_not_shown_above(self) -> None:
        stories = [story(f"a{day}", day, "Armenia") for day in range(8)]
        stories += [story(f"r{day}", day, "Region") for day in range(3)]
        front = core.build_front(stories, SECTIONS, latest=2, per_section=3)
        assert front.lead == "a7"
        assert front.latest == ("a6", "a5")
        blocks = {block.section.name: block.stories for block in front.sections}
        assert blocks["Armenia"] == ("a4", "a3", "a2")
        assert blocks["Region"] == ("r2", "r1", "r0")

    def test_a_section_with_nothing_left_to_show_gets_no_block(self) -> None:
        stories = [story("a1", 2, "Armenia"), story("r1", 1, "Region")]
        front = core.build_front(stories, SECTIONS, latest=5, per_section=3)
        assert front.sections == ()

    def test_no_story_appears_twice(self) -> None:
        sections = ("Armenia", "Region", "Culture")
        stories = [story(f"s{n}", n, sections[n % 3], has_image=n % 4 == 0) for n in range(40)]
        front = core.build_front(stories, SECTIONS, latest=6, per_section=4, first_page=14)
        keys = shown_keys(front)
        assert len(keys) == len(set(keys))

    def test_first_page_and_later_pages_together_show_every_story(self) -> None:
        sections = ("Armenia", "Region", "Culture")
        stories = [story(f"s{n:02d}", n, sections[n % 3]) for n in range(40)]
        front = core.build_front(stories, SECTIONS, latest=4, per_section=2, first_page=14)
        later_pages = [s.key for s in core.newest_first(stories)[14:]]
        assert set(shown_keys(front)) | set(later_pages) == {s.key for s in stories}

    def test_more_lists_the_first_page_stories_shown_nowhere_else_newest_first(self) -> None:
        stories = [story(f"a{day}", day, "Armenia") for day in range(6)]
        front = core.build_front(stories, SECTIONS, latest=1, per_section=2, first_page=6)
        # lead a5, latest a4, the Armenia block a3 and a2
        assert front.more == ("a1", "a0")

    def test_map_replaces_every_key(self) -> None:
        stories = [story("a", 3), story("b", 2, "Region"), story("c", 1)]
        front = core.build_front(stories, SECTIONS, latest=1, per_section=2).map(str.upper)
        assert front.lead == "A"
        assert front.latest == ("B",)
        assert front.sections[0].stories == ("C",)


class TestBuildArchive:
    def test_groups_by_year_then_month_newest_first(self) -> None:
        stories = [
            core.Story("jan24", "Armenia", datetime(2024, 1, 5, tzinfo=UTC)),
            core.Story("mar25a", "Armenia", datetime(2025, 3, 2, tzinfo=UTC)),
            core.Story("mar25b", "Region", datetime(2025, 3, 20, tzinfo=UTC)),
            core.Story("dec24", "Culture", datetime(2024, 12, 31, tzinfo=UTC)),
        ]
        archive = core.build_archive(stories)
        assert [year.year for year in archive] == [2025, 2024]
        assert [(m.month, m.name) for m in archive[1].months] == [(12, "December"), (1, "January")]
        assert archive[0].months[0].stories == ("mar25b", "mar25a")

    def test_lists_every_story_exactly_once(self) -> None:
        stories = [story(f"s{n}", n * 11) for n in range(60)]
        archive = core.build_archive(stories)
        keys = [key for year in archive for month in year.months for key in month.stories]
        assert sorted(keys) == sorted(s.key for s in stories)

    def test_anchors_are_unique_and_stable(self) -> None:
        archive = core.build_archive([story("a", 0), story("b", 400)])
        anchors = [year.anchor for year in archive]
        anchors += [month.anchor for year in archive for month in year.months]
        assert anchors == ["y2026", "y2025", "2026-04", "2025-03"]

    def test_empty(self) -> None:
        assert core.build_archive([]) == ()


class TestDateline:
    @pytest.mark.parametrize(
        ("location", "expected"),
        [
            ("YEREVAN", "YEREVAN —"),
            ("Gyumri", "GYUMRI —"),
            ("  los   angeles ", "LOS ANGELES —"),
        ],
    )
    def test_upper_cases_the_location_and_adds_a_dash(self, location: str, expected: str) -> None:
        assert core.format_dateline(location) == expected

    @pytest.mark.parametrize("location", [None, "", "   "])
    def test_no_location_no_dateline(self, location: str | None) -> None:
        assert core.format_dateline(location) is None


class TestUpdatedDate:
    def test_later_modification_is_an_update(self) -> None:
        later = BASE + timedelta(hours=3)
        assert core.updated_date(BASE, later) == later

    @pytest.mark.parametrize("modified", [None, BASE, BASE - timedelta(days=1)])
    def test_same_earlier_or_missing_modification_is_not(self, modified: datetime | None) -> None:
        assert core.updated_date(BASE, modified) is None


class TestCopyrightYear:
    def test_is_the_newest_story_year(self) -> None:
        dates = [datetime(2024, 5, 1), datetime(2026, 1, 1), datetime(2025, 12, 31)]
        assert core.copyright_year(dates) == 2026

    def test_none_without_stories(self) -> None:
        assert core.copyright_year([]) is None


class TestFeaturedImage:
    def test_no_image_metadata_no_image(self) -> None:
        assert core.featured_image(None) is None
        assert core.featured_image("  ") is None

    def test_carries_alt_caption_credit_and_size(self) -> None:
        picture = core.featured_image(
            "images/x.jpg",
            alt="A lake",
            caption="  Lake   Sevan at dawn. ",
            credit="Photo: A. B.",
            size=(1200, 675),
        )
        assert picture == core.Picture(
            url="images/x.jpg",
            alt="A lake",
            width=1200,
            height=675,
            caption="Lake Sevan at dawn.",
            credit="Photo: A. B.",
        )

    @pytest.mark.parametrize("value", ["/images/x.jpg", "{static}/images/x.jpg"])
    def test_paths_are_made_relative_to_siteurl(self, value: str) -> None:
        assert core.featured_image(value).url == "images/x.jpg"

    def test_missing_alt_is_empty_and_unknown_size_is_none(self) -> None:
        picture = core.featured_image("images/x.jpg")
        assert picture.alt == ""
        assert picture.width is None and picture.height is None
        assert picture.caption is None and picture.credit is None


class TestAuthorProfiles:
    def test_keyed_by_slug_in_slug_order_with_photo_size(self) -> None:
        authors = [
            AuthorInfo("Zara Z", "zara-z", "Bio Z.", photo="images/authors/z.jpg", role="Editor"),
            AuthorInfo("Ani A", "ani-a", "Bio A."),
        ]
        profiles = core.author_profiles(authors, {"images/authors/z.jpg": (400, 400)})
        assert list(profiles) == ["ani-a", "zara-z"]
        assert profiles["ani-a"].photo is None and profiles["ani-a"].role is None
        assert profiles["zara-z"].role == "Editor"
        assert profiles["zara-z"].photo == core.Picture(
            url="images/authors/z.jpg", alt="Zara Z", width=400, height=400
        )


class TestSettings:
    def test_defaults(self) -> None:
        settings = SiteSettings.from_pelican({})
        assert settings == SiteSettings()
        assert settings.front_latest == 6 and settings.front_section_stories == 4
        assert settings.front_page_size is None

    def test_reads_sections_and_the_index_page_size(self) -> None:
        settings = SiteSettings.from_pelican(
            {
                "NEWSDESK_SECTIONS": ["Armenia", "World"],
                "PAGINATED_TEMPLATES": {"index": 14, "tag": None},
                "DEFAULT_PAGINATION": 12,
            }
        )
        assert settings.sections == ("Armenia", "World")
        assert settings.front_page_size == 14

    def test_index_without_its_own_size_uses_default_pagination(self) -> None:
        settings = SiteSettings.from_pelican(
            {"PAGINATED_TEMPLATES": {"index": None}, "DEFAULT_PAGINATION": 12}
        )
        assert settings.front_page_size == 12

    def test_does_not_change_the_settings_dict(self) -> None:
        given = {"NEWSDESK_SECTIONS": ["A"], "NEWSDESK_SITE_FRONT_LATEST": 3}
        SiteSettings.from_pelican(given)
        assert given == {"NEWSDESK_SECTIONS": ["A"], "NEWSDESK_SITE_FRONT_LATEST": 3}

    @pytest.mark.parametrize(
        "bad",
        [
            {"NEWSDESK_SECTIONS": "Armenia"},
            {"NEWSDESK_SECTIONS": ["Armenia", "Armenia"]},
            {"NEWSDESK_SECTIONS": ["Armenia", ""]},
            {"NEWSDESK_SITE_FRONT_LATEST": 0},
            {"NEWSDESK_SITE_FRONT_LATEST": "6"},
            {"NEWSDESK_SITE_FRONT_SECTION_STORIES": True},
            {"NEWSDESK_AUTHORS_FILE": ""},
            {"PAGINATED_TEMPLATES": {"index": -2}},
        ],
    )
    def test_rejects_bad_values_with_a_named_error(self, bad: dict) -> None:
        with pytest.raises(NewsdeskSiteSettingsError):
            SiteSettings.from_pelican(bad)


def test_a_card_is_rendered_once_per_story_arguments_and_site_url() -> None:
    from jinja2 import Environment
    from newsdesk_site.plugin import once_per_build

    calls: list[str] = []
    environment = Environment(autoescape=True)
    environment.globals["once_per_build"] = once_per_build()
    environment.globals["count"] = lambda title: calls.append(title) or ""
    template = environment.from_string(
        "{% macro _card(story, variant) %}{{ count(story.title) }}"
        "<a href='{{ SITEURL }}/{{ story.url }}'>{{ story.title }}</a>{% endmacro %}"
        "{% for story in stories %}{{ once_per_build(_card, story, 'list') }}{% endfor %}"
    )

    class Story:
        def __init__(self, title: str) -> None:
            self.title, self.url = title, title.lower() + "/"

    grid, dam = Story("Grid & <b>"), Story("Dam")
    first = template.render(stories=[grid, dam, grid], SITEURL="https://a.example")
    second = template.render(stories=[grid], SITEURL="https://b.example")

    assert calls == ["Grid & <b>", "Dam", "Grid & <b>"]
    assert first.count("Grid &amp; &lt;b&gt;") == 2 and "<b>" not in first
    assert second == "<a href='https://b.example/grid &amp; &lt;b&gt;/'>Grid &amp; &lt;b&gt;</a>"


def test_every_macro_rendered_once_per_build_reads_only_its_parameters_and_siteurl() -> None:
    from jinja2 import Environment, FileSystemLoader, meta, nodes

    templates = Path(__file__).resolve().parent.parent / "theme" / "templates"
    environment = Environment(loader=FileSystemLoader(templates))
    environment.filters["headline"] = str  # the theme's filter: only its name matters here
    checked: set[str] = set()
    for path in sorted(templates.rglob("*.html")):
        tree = environment.parse(path.read_text(encoding="utf-8"))
        macros = {macro.name: macro for macro in tree.find_all(nodes.Macro)}
        for call in tree.find_all(nodes.Call):
            if not (isinstance(call.node, nodes.Name) and call.node.name == "once_per_build"):
                continue
            macro = macros[call.args[0].name]
            body = nodes.Template(macro.body).set_environment(environment)
            # Names the macro sets itself (a `set` inside an `if` counts as undeclared).
            own = {name.name for name in macro.find_all(nodes.Name) if name.ctx == "store"}
            own |= {arg.name for arg in macro.args}
            read = meta.find_undeclared_variables(body) - own
            # SITEURL is part of once_per_build's key; nothing else may come from the page.
            assert read <= {"SITEURL"}, (path.name, macro.name, read)
            checked.add(macro.name)
    fragments = {"_footer", "_section_nav", "_search_box", "_newsletter", "_isso_client"}
    assert checked == {"_card", *fragments}
