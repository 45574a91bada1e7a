"""The discoverability core on plain data: settings, JSON-LD, feeds, sitemaps, redirects."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import html5lib
import pytest
from lxml import etree
from newsdesk_seo.feeds import (
    Feed,
    FeedEntry,
    atom_xml,
    entry_id,
    original_slug,
    rss_xml,
    strip_typography,
)
from newsdesk_seo.head import article_head, description_of, listing_head, shorten
from newsdesk_seo.model import ArticleInfo, Image, Link, Site
from newsdesk_seo.redirects import (
    AliasError,
    AliasSource,
    alias_problem,
    alias_save_as,
    metadata_line,
    nginx_map,
    plan_redirects,
    redirect_page,
    redirects_file,
    split_aliases,
)
from newsdesk_seo.settings import SeoSettings, SeoSettingsError, parse_build_now
from newsdesk_seo.sitemaps import (
    SitemapUrl,
    news_articles,
    news_sitemap_xml,
    robots_txt,
    sitemap_files,
)
from newsdesk_seo.structured_data import news_article, script_json

SCHEMAS = Path(__file__).parent / "schemas"
YEREVAN = timezone(timedelta(hours=4))
HOSTILE = "</script><script>alert('x')</script> & \"AT&T\" <b>bold</b> \u2028 end"


def schema(name: str) -> etree.XMLSchema:
    """Load one of the XML schemas kept in tests/schemas."""
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def site() -> Site:
    """A plain site description."""
    logo = Image("https://news.example/theme/images/logo.png", 600, 60, "News")
    share = Image("https://news.example/theme/images/share.png", 1200, 630, "News")
    return Site("News", "https://news.example/", "All the news", "en", logo, share)


def article(**changes: object) -> ArticleInfo:
    """A plain article; keyword arguments replace fields."""
    fields: dict[str, object] = {
        "title": "Parliament adopts the budget",
        "description": "The vote was 71 to 30.",
        "url": "https://news.example/2025/03/budget/",
        "published": datetime(2025, 3, 14, 13, 5, tzinfo=YEREVAN),
        "modified": None,
        "section": Link("Armenia", "https://news.example/section/armenia/"),
        "tags": (Link("Budget", "https://news.example/tag/budget/"),),
        "authors": (
            Link("Anahit Grigoryan", "https://news.example/author/anahit-grigoryan/"),
            Link("Davit Sargsyan", "https://news.example/author/davit-sargsyan/"),
        ),
        "image": Image("https://news.example/images/budget.jpg", 1200, 675, "The chamber"),
        "dateline": "YEREVAN",
    }
    fields.update(changes)
    return ArticleInfo(**fields)  # type: ignore[arg-type]


# --- settings -------------------------------------------------------------------


class TestSettings:
    def test_defaults_come_from_one_place(self) -> None:
        seo = SeoSettings.from_pelican({"SITEURL": "https://news.example/", "SITENAME": "N"}, {})
        assert seo.siteurl == "https://news.example"
        assert seo.feed_content == "full"
        assert seo.feed_id_authority == "news.example"
        assert seo.sitemap_max_urls == 50_000
        assert seo.news_window == timedelta(hours=48)
        assert seo.news_max_urls == 1_000
        assert seo.news_publication_name == "N"
        assert seo.noindex_pages == {"search.html"}
        assert seo.absolute

    def test_noindex_templates_name_their_output_files(self) -> None:
        seo = SeoSettings.from_pelican(
            {"SEARCH_SAVE_AS": "search/index.html", "NEWSDESK_NOINDEX_TEMPLATES": ["search"]}, {}
        )
        assert seo.noindex_pages == {"search/index.html"}
        assert (
            SeoSettings.from_pelican({"NEWSDESK_NOINDEX_TEMPLATES": []}, {}).noindex_pages == set()
        )

    def test_user_settings_dict_is_not_changed(self) -> None:
        settings = {"SITEURL": "", "NEWSDESK_FEED_CONTENT": "summary"}
        before = dict(settings)
        SeoSettings.from_pelican(settings, {})
        assert settings == before

    @pytest.mark.parametrize(
        ("name", "value"),
        [
            ("NEWSDESK_FEED_CONTENT", "excerpt"),
            ("NEWSDESK_SITEMAP_MAX_URLS", 50_001),
            ("NEWSDESK_SITEMAP_MAX_URLS", 0),
            ("NEWSDESK_NEWS_SITEMAP_MAX_URLS", 1_001),
            ("NEWSDESK_REDIRECTS_STATUS", "302"),
            ("NEWSDESK_FEED_ID_AUTHORITY", "Not A Domain"),
            ("NEWSDESK_SITEMAP", "../outside.xml"),
            ("NEWSDESK_TWITTER_SITE", "no-at-sign"),
            ("NEWSDESK_BUILD_NOW", "yesterday"),
            ("NEWSDESK_NOINDEX_TEMPLATES", "search"),
        ],
    )
    def test_bad_value_raises_a_named_error(self, name: str, value: object) -> None:
        with pytest.raises(SeoSettingsError, match=name):
            SeoSettings.from_pelican({"SITEURL": "https://news.example", name: value}, {})

    def test_language_must_suit_google_news(self) -> None:
        with pytest.raises(SeoSettingsError, match="DEFAULT_LANG"):
            SeoSettings.from_pelican({"DEFAULT_LANG": "english"}, {})

    def test_build_now_is_pinned_by_setting_then_environment(self) -> None:
        pinned = SeoSettings.from_pelican(
            {"NEWSDESK_BUILD_NOW": "2025-03-15T12:00:00+04:00"},
            {"NEWSDESK_BUILD_NOW": "2000-01-01T00:00:00+00:00"},
        )
        assert pinned.build_now == datetime(2025, 3, 15, 12, 0, tzinfo=YEREVAN)
        from_env = SeoSettings.from_pelican({}, {"NEWSDESK_BUILD_NOW": "2000-01-01T00:00:00Z"})
        assert from_env.build_now == datetime(2000, 1, 1, tzinfo=UTC)

    def test_naive_build_now_is_in_the_site_time_zone(self) -> None:
        moment = parse_build_now("2025-03-15 12:00", ZoneInfo("Asia/Yerevan"))
        assert moment.utcoffset() == timedelta(hours=4)


# --- head metadata and JSON-LD --------------------------------------------------


class TestScriptJson:
    def test_no_value_can_close_the_script_element(self) -> None:
        text = script_json({"headline": HOSTILE})
        assert "<" not in text and ">" not in text and "&" not in text
        assert "\u2028" not in text
        assert json.loads(text) == {"headline": HOSTILE}

    def test_news_article_has_every_property_with_its_type(self) -> None:
        data = news_article(article(modified=datetime(2025, 3, 15, 9, 0, tzinfo=YEREVAN)), site())
        assert data["@type"] == "NewsArticle"
        assert data["headline"] == "Parliament adopts the budget"
        assert data["datePublished"] == "2025-03-14T13:05:00+04:00"
        assert data["dateModified"] == "2025-03-15T09:00:00+04:00"
        assert [author["@type"] for author in data["author"]] == ["Person", "Person"]
        assert data["author"][1]["url"] == "https://news.example/author/davit-sargsyan/"
        assert data["publisher"]["@type"] == "NewsMediaOrganization"
        assert data["publisher"]["logo"]["width"] == 600
        assert data["image"][0] == {
            "@type": "ImageObject",
            "url": "https://news.example/images/budget.jpg",
            "width": 1200,
            "height": 675,
        }
        assert data["mainEntityOfPage"]["@id"] == data["url"]
        assert data["articleSection"] == "Armenia"
        assert data["keywords"] == ["Budget"]

    def test_article_without_image_uses_the_share_image(self) -> None:
        data = news_article(article(image=None), site())
        assert data["image"][0]["url"] == "https://news.example/theme/images/share.png"


class TestHead:
    def test_article_head_is_plain_text_with_open_graph_and_twitter(self) -> None:
        head = article_head(article(title=HOSTILE), site())
        properties = dict(head.properties)
        names = dict(head.names)
        assert head.title.startswith(HOSTILE)
        assert properties["og:type"] == "article"
        assert properties["og:title"] == HOSTILE
        assert properties["og:image:width"] == "1200"
        assert names["twitter:card"] == "summary_large_image"
        tags = [value for key, value in head.properties if key == "article:author"]
        assert tags == [author.url for author in article().authors]
        assert len(head.json_ld) == 2

    def test_twitter_card_is_summary_without_an_image(self) -> None:
        head = article_head(article(image=None), site())
        assert dict(head.names)["twitter:card"] == "summary"
        assert dict(head.properties)["og:image"].endswith("share.png")

    def test_listing_without_canonical_has_no_og_url(self) -> None:
        head = listing_head(site(), "Page not found", "x", None, robots="noindex")
        assert "og:url" not in dict(head.properties)
        assert head.robots == "noindex"

    def test_description_falls_back_to_the_body_text(self) -> None:
        body = "<p>One &amp; <span class='caps'>TWO</span>.</p>" + "<p>word </p>" * 80
        text = description_of(None, body)
        assert text.startswith("One & TWO. word")
        assert len(text) <= 160 and text.endswith("…")
        assert description_of("  Plain  summary ", body) == "Plain summary"

    def test_shorten_keeps_short_text(self) -> None:
        assert shorten("Short.") == "Short."


# --- feeds ----------------------------------------------------------------------


class TestFeedIds:
    def test_typogrify_spans_are_unwrapped(self) -> None:
        html = (
            '<p><span class="dquo">&#8220;</span>Hi&#8221; <span class="caps">NATO</span> '
            '<span class="amp">&amp;</span> <span class="other">x</span></p>'
        )
        assert strip_typography(html) == (
            '<p>&#8220;Hi&#8221; NATO &amp; <span class="other">x</span></p>'
        )

    def test_id_is_built_from_first_date_and_original_slug(self) -> None:
        assert entry_id("news.example", date(2025, 3, 14), "budget") == (
            "tag:news.example,2025-03-14:budget"
        )

    def test_original_slug_comes_from_a_dated_alias_of_the_same_month(self) -> None:
        published = date(2025, 3, 14)
        aliases = ["/old/path/", "/2024/01/other/", "/2025/03/first-slug/"]
        assert original_slug("new-slug", published, aliases) == "first-slug"
        assert original_slug("new-slug", published, ["/old/path/"]) == "new-slug"
        assert original_slug("new-slug", published, aliases, "explicit") == "explicit"


def feed_of(*entries: FeedEntry) -> Feed:
    """A feed of the given entries."""
    return Feed(
        title="News: Armenia",
        subtitle="All the news",
        page_url="https://news.example/section/armenia/",
        self_url="https://news.example/feeds/armenia.atom.xml",
        language="en",
        publisher=Link("News", "https://news.example/"),
        entries=entries,
        empty_updated=datetime(2025, 1, 1, tzinfo=UTC),
    )


def entry(title: str, day: int, content: str | None = "<p>Body</p>") -> FeedEntry:
    """A feed entry published on a day of March 2025."""
    moment = datetime(2025, 3, day, 10, 0, tzinfo=YEREVAN)
    return FeedEntry(
        id=f"tag:news.example,2025-03-{day:02d}:story-{day}",
        title=title,
        url=f"https://news.example/2025/03/story-{day}/",
        published=moment,
        updated=moment,
        summary=f"Summary {day} < & >",
        content_html=content,
        authors=(
            Link("A One", "https://news.example/a/"),
            Link("B Two", "https://news.example/b/"),
        ),
        categories=("Armenia", "Budget"),
    )


class TestFeedXml:
    @pytest.mark.parametrize("serialise", [atom_xml, rss_xml])
    def test_feed_parses_with_entries_in_order_and_every_author(self, serialise) -> None:
        parsed = feedparser.parse(serialise(feed_of(entry(HOSTILE, 3), entry("Second", 2))))
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert [item.title for item in parsed.entries] == [HOSTILE, "Second"]
        assert [item.id for item in parsed.entries] == [
            "tag:news.example,2025-03-03:story-3",
            "tag:news.example,2025-03-02:story-2",
        ]
        assert [author.name for author in parsed.entries[0].authors] == ["A One", "B Two"]
        assert parsed.entries[0].content[0].value == "<p>Body</p>"
        assert parsed.feed.title == "News: Armenia"

    def test_summary_only_feed_has_no_content(self) -> None:
        parsed = feedparser.parse(atom_xml(feed_of(entry("Only", 3, content=None))))
        assert "content" not in parsed.entries[0]
        assert parsed.entries[0].summary == "Summary 3 < & >"

    def test_empty_feed_uses_the_given_updated_time(self) -> None:
        parsed = feedparser.parse(atom_xml(feed_of()))
        assert not parsed.bozo
        assert parsed.feed.updated == "2025-01-01T00:00:00+00:00"


# --- sitemaps -------------------------------------------------------------------


class TestSitemaps:
    def test_small_site_gets_one_valid_urlset_sorted_by_address(self) -> None:
        urls = [
            SitemapUrl("https://news.example/b/", datetime(2025, 3, 1, tzinfo=YEREVAN)),
            SitemapUrl("https://news.example/a/?x=1&y=2"),
        ]
        files = sitemap_files(urls, "sitemap.xml", "https://news.example", 10)
        document = etree.fromstring(files["sitemap.xml"])
        assert schema("sitemap.xsd").validate(document.getroottree())
        locs = [element.text for element in document.iter("{*}loc")]
        assert locs == ["https://news.example/a/?x=1&y=2", "https://news.example/b/"]

    def test_past_the_limit_an_index_points_at_valid_children(self) -> None:
        urls = [SitemapUrl(f"https://news.example/{n:02d}/") for n in range(7)]
        files = sitemap_files(urls, "sitemap.xml", "https://news.example", 3)
        assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]
        index = etree.fromstring(files["sitemap.xml"])
        assert schema("siteindex.xsd").validate(index.getroottree())
        assert [element.text for element in index.iter("{*}loc")] == [
            f"https://news.example/sitemap-{n}.xml" for n in (1, 2, 3)
        ]
        sizes = []
        for name in ("sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"):
            child = etree.fromstring(files[name])
            assert schema("sitemap.xsd").validate(child.getroottree())
            sizes.append(len(child))
        assert sizes == [3, 3, 1]

    def test_news_window_keeps_only_the_last_two_days_newest_first(self) -> None:
        now = datetime(2025, 3, 15, 12, 0, tzinfo=YEREVAN)
        articles = [
            article(
                url="https://news.example/too-old/", published=now - timedelta(hours=48, minutes=1)
            ),
            article(url="https://news.example/edge/", published=now - timedelta(hours=48)),
            article(url="https://news.example/fresh/", published=now - timedelta(hours=1)),
            article(url="https://news.example/future/", published=now + timedelta(minutes=1)),
        ]
        fresh = news_articles(articles, now, timedelta(hours=48), 1000)
        assert [item.url for item in fresh] == [
            "https://news.example/fresh/",
            "https://news.example/edge/",
        ]
        assert len(news_articles(articles, now, timedelta(hours=48), 1)) == 1

    def test_news_sitemap_validates_against_both_schemas(self) -> None:
        document = etree.fromstring(news_sitemap_xml([article(title=HOSTILE)], "News", "en"))
        validator = schema("news-sitemap-validation.xsd")
        assert validator.validate(document.getroottree()), validator.error_log
        namespaces = {"n": "http://www.google.com/schemas/sitemap-news/0.9"}
        assert document.findtext(".//n:title", namespaces=namespaces) == HOSTILE
        assert document.findtext(".//n:publication_date", namespaces=namespaces) == (
            "2025-03-14T13:05:00+04:00"
        )

    @pytest.mark.parametrize(
        ("element", "text"),
        [("publication_date", None), ("publication_date", "14 March 2025"), ("language", "EN")],
    )
    def test_news_schema_rejects_a_missing_or_malformed_field(
        self, element: str, text: str | None
    ) -> None:
        # The schemas must have teeth: a valid sitemap, spoiled in one place, fails.
        document = etree.fromstring(news_sitemap_xml([article()], "News", "en"))
        (target,) = document.iterfind(
            f".//{{http://www.google.com/schemas/sitemap-news/0.9}}{element}"
        )
        if text is None:
            target.getparent().remove(target)
        else:
            target.text = text
        assert not schema("news-sitemap-validation.xsd").validate(document.getroottree())

    def test_robots_txt_names_every_sitemap(self) -> None:
        text = robots_txt(["https://news.example/sitemap.xml", "https://news.example/news.xml"])
        assert text.splitlines() == [
            "User-agent: *",
            "Allow: /",
            "",
            "Sitemap: https://news.example/sitemap.xml",
            "Sitemap: https://news.example/news.xml",
        ]


# --- redirects ------------------------------------------------------------------


def source(path: str, *aliases: str, line: int = 9) -> AliasSource:
    """An article at /2025/03/<stem>/ declaring aliases."""
    stem = Path(path).stem
    return AliasSource(
        source=path,
        line=line,
        title=f"Title of {stem}",
        target_url=f"https://news.example/2025/03/{stem}/",
        target_path=f"/2025/03/{stem}/",
        aliases=aliases,
    )


class TestRedirects:
    def test_aliases_split_on_commas(self) -> None:
        assert split_aliases(" /a/ , /2019/05/b/,, ") == ("/a/", "/2019/05/b/")
        assert split_aliases(None) == ()

    @pytest.mark.parametrize(
        ("alias", "save_as"),
        [
            ("/old/path/", "old/path/index.html"),
            ("/old/page.html", "old/page.html"),
            ("/old/path", "old/path/index.html"),
            ("/caf%C3%A9/", "café/index.html"),
            ("/", "index.html"),
        ],
    )
    def test_alias_output_file(self, alias: str, save_as: str) -> None:
        assert alias_save_as(alias) == save_as

    @pytest.mark.parametrize(
        "alias", ["old/path/", "/a b/", "/a/../b/", "/a//b/", '/a"b/', "/a?x=1", "/%zz/", "/:slug/"]
    )
    def test_malformed_alias_is_refused(self, alias: str) -> None:
        assert alias_problem(alias) is not None

    def test_collision_with_a_page_names_file_and_line(self) -> None:
        taken = {"2025/03/other/index.html": "the page of 'Other'"}
        with pytest.raises(AliasError) as caught:
            plan_redirects([source("content/articles/2025/x.md", "/2025/03/other/")], taken)
        assert str(caught.value).splitlines() == [
            "1 alias problem:",
            "content/articles/2025/x.md:9: error: alias /2025/03/other/ collides with "
            "the page of 'Other', at 2025/03/other/index.html",
        ]

    def test_two_articles_claiming_one_alias_is_an_error(self) -> None:
        sources = [source("content/a.md", "/old/"), source("content/b.md", "/old/", line=4)]
        with pytest.raises(AliasError, match=r"content/b\.md:4: error: alias /old/ is also"):
            plan_redirects(sources, {})

    def test_every_problem_is_reported(self) -> None:
        with pytest.raises(AliasError) as caught:
            plan_redirects([source("content/a.md", "bad", "/index.html")], {"index.html": "home"})
        assert str(caught.value).splitlines()[0] == "2 alias problems:"
        assert [line.split(": error: ")[0] for line in str(caught.value).splitlines()[1:]] == [
            "content/a.md:9",
            "content/a.md:9",
        ]

    def test_redirect_page_is_valid_html_with_refresh_and_canonical(self) -> None:
        (redirect,) = plan_redirects([source("content/a.md", "/old/")], {})
        page = redirect_page(redirect, "en")
        parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
        document = parser.parse(page)
        assert document.find(".//link[@rel='canonical']").get("href") == redirect.target_url
        refresh = document.find(".//meta[@http-equiv='refresh']").get("content")
        assert refresh == f"0; url={redirect.target_url}"

    def test_redirect_page_escapes_a_hostile_title(self) -> None:
        hostile = AliasSource("content/a.md", 3, HOSTILE, "/2025/03/a/", "/2025/03/a/", ("/o/",))
        (redirect,) = plan_redirects([hostile], {})
        document = html5lib.parse(redirect_page(redirect, "en"), namespaceHTMLElements=False)
        assert document.find(".//title").text == HOSTILE
        assert document.find(".//script") is None

    def test_server_files_list_each_alias_once_sorted(self) -> None:
        redirects = plan_redirects(
            [source("content/b.md", "/z/", "/2019/05/b/"), source("content/a.md", "/y/")], {}
        )
        assert redirects_file(redirects, "301!", "/news").splitlines()[1:] == [
            "/news/2019/05/b/ /news/2025/03/b/ 301!",
            "/news/y/ /news/2025/03/a/ 301!",
            "/news/z/ /news/2025/03/b/ 301!",
        ]
        assert nginx_map(redirects).splitlines()[3:] == [
            '"/2019/05/b/" "/2025/03/b/";',
            '"/y/" "/2025/03/a/";',
            '"/z/" "/2025/03/b/";',
        ]

    def test_metadata_line_finds_the_header_field(self) -> None:
        text = "Title: X\nDate: 2025-01-01\naliases: /a/\n\nAliases: /not-header/\n"
        assert metadata_line(text, "Aliases") == 3
        assert metadata_line(text, "Missing") == 1
