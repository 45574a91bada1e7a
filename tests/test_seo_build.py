"""Discoverability in built sites: head tags, JSON-LD, feeds, sitemaps, robots.txt, redirects.

One small production-like site (absolute SITEURL, feeds on, "now" pinned) is
built once for the read-only checks; cases that change settings or must fail
build their own fixture site. Everything is read with a real parser.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import feedparser
import html5lib
import pytest
from bs4 import BeautifulSoup
from conftest import FixtureSite, article_source, make_fixture_site
from lxml import etree
from nu_checker import nu_errors, requires_nu_checker
from PIL import Image

SCHEMAS = Path(__file__).parent / "schemas"
SITEURL = "https://news.example"
NOW = "2025-03-15T12:00:00+04:00"
HOSTILE = "</script><script>alert(1)</script> & \"AT&T\" <b>bold</b> 'quoted'"
HOSTILE_SUMMARY = 'A summary with <em>tags</em> & "quotes" </script>'
NEWS = {"n": "http://www.google.com/schemas/sitemap-news/0.9"}
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}

PUBLISH_SETTINGS: dict[str, object] = {
    "SITEURL": SITEURL,
    "FEED_ALL_ATOM": "feeds/all.atom.xml",
    "FEED_ALL_RSS": "feeds/all.rss.xml",
    "CATEGORY_FEED_ATOM": "feeds/section/{slug}.atom.xml",
    "CATEGORY_FEED_RSS": "feeds/section/{slug}.rss.xml",
    "NEWSDESK_BUILD_NOW": NOW,
    "NEWSDESK_FEED_ID_AUTHORITY": "news.example",
}

#: (file stem, title, date, extra header fields) of the shared site's articles.
ARTICLES = [
    ("future-of-pinned-now", "After the pinned now", "2025-03-16 09:00", {}),
    (
        "hostile",
        HOSTILE,
        "2025-03-15 09:00",
        {
            "authors": "Anahit Grigoryan, Davit Sargsyan",
            "section": "Region",
            "tags": "Azerbaijan, Peace Talks",
            "summary": HOSTILE_SUMMARY,
            "image": "images/hostile.jpg",
            "image_alt": 'Alt text with "quotes" & <angle>',
            "slug": "hostile",
        },
    ),
    (
        "budget",
        "Parliament adopts the budget",
        "2025-03-14 13:05",
        {
            "modified": "2025-03-15 08:00",
            "slug": "parliament-adopts-budget",
            "aliases": "/old/budget/, /2025/03/budget-draft/, /old/budget.html",
            "body": '"Quoted" words about NATO & the EU budget -- all of it...',
        },
    ),
    ("edge", "Published exactly two days before", "2025-03-13 12:00", {}),
    ("too-old", "Published a minute too early", "2025-03-13 11:59", {}),
    ("old", "An older story", "2025-03-10 10:00", {}),
    ("hidden", "A hidden story", "2025-03-15 10:00", {"status": "hidden", "slug": "hidden"}),
]


def write_articles(site: FixtureSite, articles=ARTICLES) -> None:
    """Write the given articles (and the one image they use) into a fixture site."""
    image = site.content / "images" / "hostile.jpg"
    image.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (1200, 675), (120, 60, 40)).save(image, "JPEG")
    for stem, title, date, extra in articles:
        fields = dict(extra)
        body = fields.pop("body", "A paragraph of body text.")
        site.add(
            f"articles/2025/{stem}.md",
            article_source(title, date=date, body=body, **fields),
        )


def parse_html(path: Path) -> BeautifulSoup:
    """Parse an output page with html5lib."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")


def json_ld(soup: BeautifulSoup) -> list[dict]:
    """Every JSON-LD block of a page, parsed."""
    return [json.loads(tag.string) for tag in soup.find_all("script", type="application/ld+json")]


def meta(soup: BeautifulSoup, attribute: str, key: str) -> list[str]:
    """The content of every <meta> whose `attribute` equals `key`, in page order."""
    return [tag["content"] for tag in soup.head.find_all("meta", attrs={attribute: key})]


def validator(name: str) -> etree.XMLSchema:
    """One of the XML schemas kept in tests/schemas."""
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> FixtureSite:
    """The shared production-like site, built once."""
    built = make_fixture_site(tmp_path_factory.mktemp("seo") / "site", **PUBLISH_SETTINGS)
    write_articles(built)
    built.build().check()
    return built


def article_page(site: FixtureSite, slug: str, month: str = "03") -> Path:
    """The output file of an article of March 2025."""
    return site.output / "2025" / month / slug / "index.html"


# --- head metadata --------------------------------------------------------------


class TestHeadMetadata:
    def test_every_page_has_one_title_description_and_canonical(self, site: FixtureSite) -> None:
        pages = sorted(site.output.rglob("*.html"))
        checked = 0
        for page in pages:
            soup = parse_html(page)
            if soup.find("meta", attrs={"http-equiv": "refresh"}):
                continue  # redirect pages, tested below
            assert len(soup.head.find_all("title")) == 1, page
            assert len(meta(soup, "name", "description")) == 1, page
            canonicals = soup.head.find_all("link", rel="canonical")
            expected = 0 if page.name == "404.html" else 1
            assert len(canonicals) == expected, page
            checked += 1
        assert checked >= 10

    def test_article_head_carries_open_graph_and_twitter(self, site: FixtureSite) -> None:
        soup = parse_html(article_page(site, "parliament-adopts-budget"))
        url = f"{SITEURL}/2025/03/parliament-adopts-budget/"
        assert soup.head.find("link", rel="canonical")["href"] == url
        assert meta(soup, "property", "og:type") == ["article"]
        assert meta(soup, "property", "og:title") == ["Parliament adopts the budget"]
        assert meta(soup, "property", "og:url") == [url]
        assert meta(soup, "property", "article:published_time") == ["2025-03-14T13:05:00+04:00"]
        assert meta(soup, "property", "article:modified_time") == ["2025-03-15T08:00:00+04:00"]
        assert meta(soup, "property", "article:section") == ["Armenia"]
        assert meta(soup, "property", "article:tag") == ["Armenia"]
        assert meta(soup, "property", "article:author") == [f"{SITEURL}/author/anahit-grigoryan/"]
        assert meta(soup, "property", "og:image:width") and meta(
            soup, "property", "og:image:height"
        )
        assert meta(soup, "name", "twitter:card") == ["summary"]

    def test_image_gives_large_card_with_its_size(self, site: FixtureSite) -> None:
        soup = parse_html(article_page(site, "hostile"))
        assert meta(soup, "property", "og:image") == [f"{SITEURL}/images/hostile.jpg"]
        assert meta(soup, "property", "og:image:width") == ["1200"]
        assert meta(soup, "property", "og:image:height") == ["675"]
        assert meta(soup, "name", "twitter:card") == ["summary_large_image"]
        assert meta(soup, "name", "twitter:image") == [f"{SITEURL}/images/hostile.jpg"]
        assert meta(soup, "property", "article:author") == [
            f"{SITEURL}/author/anahit-grigoryan/",
            f"{SITEURL}/author/davit-sargsyan/",
        ]
        assert meta(soup, "property", "article:tag") == ["Azerbaijan", "Peace Talks"]

    def test_hostile_title_stays_plain_text_in_the_head(self, site: FixtureSite) -> None:
        page = article_page(site, "hostile")
        soup = parse_html(page)
        assert (
            soup.head.title.string
            == f"{HOSTILE} – {soup.find('meta', property='og:site_name')['content']}"
        )
        assert meta(soup, "property", "og:title") == [HOSTILE]
        assert meta(soup, "name", "twitter:title") == [HOSTILE]
        assert meta(soup, "name", "description") == [HOSTILE_SUMMARY]
        # No injected element and no typogrify markup anywhere in the head.
        assert soup.head.find("b") is None
        assert [
            script.get("type") for script in soup.find_all("script") if not script.get("src")
        ] == [
            "application/ld+json",
            "application/ld+json",
        ]
        assert soup.head.select(".caps, .amp, .dquo, .quo") == []
        values = [soup.head.title.string] + [m.get("content", "") for m in soup.head("meta")]
        assert not any("<span" in value for value in values)

    def test_every_page_links_the_site_feeds_and_a_section_its_own(self, site: FixtureSite) -> None:
        def alternates(page: Path) -> list[tuple[str, str]]:
            links = parse_html(page).head.find_all("link", rel="alternate")
            return [(link["type"], link["href"]) for link in links]

        site_feeds = [
            ("application/atom+xml", f"{SITEURL}/feeds/all.atom.xml"),
            ("application/rss+xml", f"{SITEURL}/feeds/all.rss.xml"),
        ]
        section_feeds = [
            ("application/atom+xml", f"{SITEURL}/feeds/section/armenia.atom.xml"),
            ("application/rss+xml", f"{SITEURL}/feeds/section/armenia.rss.xml"),
        ]
        assert alternates(site.output / "index.html") == site_feeds
        assert alternates(site.output / "section/armenia/index.html") == site_feeds + section_feeds
        assert alternates(article_page(site, "parliament-adopts-budget")) == (
            site_feeds + section_feeds
        )
        for page in (site.output / "tag").rglob("index.html"):
            assert alternates(page)[:2] == site_feeds


# --- JSON-LD --------------------------------------------------------------------


class TestStructuredData:
    def test_news_article_has_every_property_with_correct_types(self, site: FixtureSite) -> None:
        soup = parse_html(article_page(site, "hostile"))
        article, crumbs = json_ld(soup)
        url = f"{SITEURL}/2025/03/hostile/"
        assert article["@context"] == "https://schema.org"
        assert article["@type"] == "NewsArticle"
        assert article["headline"] == HOSTILE
        assert article["description"] == HOSTILE_SUMMARY
        assert article["image"] == [
            {
                "@type": "ImageObject",
                "url": f"{SITEURL}/images/hostile.jpg",
                "width": 1200,
                "height": 675,
            }
        ]
        for key in ("datePublished", "dateModified"):
            moment = datetime.fromisoformat(article[key])
            assert moment.utcoffset() is not None, key
        assert article["datePublished"] == "2025-03-15T09:00:00+04:00"
        assert article["author"] == [
            {
                "@type": "Person",
                "name": "Anahit Grigoryan",
                "url": f"{SITEURL}/author/anahit-grigoryan/",
            },
            {
                "@type": "Person",
                "name": "Davit Sargsyan",
                "url": f"{SITEURL}/author/davit-sargsyan/",
            },
        ]
        publisher = article["publisher"]
        assert publisher["@type"] == "NewsMediaOrganization"
        assert publisher["url"] == f"{SITEURL}/"
        assert publisher["logo"]["@type"] == "ImageObject"
        assert publisher["logo"]["url"].endswith(".png")
        assert isinstance(publisher["logo"]["width"], int)
        assert isinstance(publisher["logo"]["height"], int)
        assert article["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
        assert article["articleSection"] == "Region"
        assert article["keywords"] == ["Azerbaijan", "Peace Talks"]
        assert crumbs["@type"] == "BreadcrumbList"
        assert [item["position"] for item in crumbs["itemListElement"]] == [1, 2, 3]
        assert [item["name"] for item in crumbs["itemListElement"]][1:] == ["Region", HOSTILE]
        assert crumbs["itemListElement"][2]["item"] == url

    def test_no_value_closes_the_script_element(self, site: FixtureSite) -> None:
        text = article_page(site, "hostile").read_text(encoding="utf-8")
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
        assert len(blocks) == 2
        for block in blocks:
            assert "<" not in block and ">" not in block and "&" not in block

    def test_publisher_logo_is_published(self, site: FixtureSite) -> None:
        (article, _) = json_ld(parse_html(article_page(site, "hostile")))
        logo = site.output / article["publisher"]["logo"]["url"].removeprefix(f"{SITEURL}/")
        with Image.open(logo) as image:
            assert image.format == "PNG"
            assert image.size == (
                article["publisher"]["logo"]["width"],
                article["publisher"]["logo"]["height"],
            )
            assert image.width <= 600 and image.height <= 60


# --- feeds ----------------------------------------------------------------------

FEED_ORDER = [
    "After the pinned now",
    HOSTILE,
    "Parliament adopts the budget",
    "Published exactly two days before",
    "Published a minute too early",
    "An older story",
]


class TestFeeds:
    @pytest.mark.parametrize("name", ["all.atom.xml", "all.rss.xml"])
    def test_site_feed_parses_with_every_article_newest_first(
        self, site: FixtureSite, name: str
    ) -> None:
        parsed = feedparser.parse(str(site.output / "feeds" / name))
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert [entry.title for entry in parsed.entries] == FEED_ORDER
        hostile = parsed.entries[1]
        assert hostile.title_detail.type == "text/plain"
        assert [author.name for author in hostile.authors] == ["Anahit Grigoryan", "Davit Sargsyan"]
        assert hostile.id == "tag:news.example,2025-03-15:hostile"
        assert hostile.link == f"{SITEURL}/2025/03/hostile/"

    @pytest.mark.parametrize("kind", ["atom", "rss"])
    def test_section_feed_holds_only_its_section(self, site: FixtureSite, kind: str) -> None:
        parsed = feedparser.parse(str(site.output / "feeds/section" / f"region.{kind}.xml"))
        assert not parsed.bozo
        assert [entry.title for entry in parsed.entries] == [HOSTILE]
        assert parsed.feed.title.endswith("Region")

    def test_feed_content_is_the_body_without_typogrify_spans(self, site: FixtureSite) -> None:
        parsed = feedparser.parse(str(site.output / "feeds/all.atom.xml"))
        body = parsed.entries[2].content[0].value
        page = article_page(site, "parliament-adopts-budget")
        caps = [span.get_text() for span in parse_html(page).select("article span.caps")]
        assert "NATO" in caps  # the page is typeset ...
        feed_body = BeautifulSoup(body, "html5lib")
        assert feed_body.find("span") is None  # ... the feed is not
        text = feed_body.get_text()
        assert "\u201cQuoted\u201d words about NATO & the EU" in text

    def test_entry_id_uses_the_original_slug_from_a_dated_alias(self, site: FixtureSite) -> None:
        parsed = feedparser.parse(str(site.output / "feeds/all.rss.xml"))
        assert parsed.entries[2].id == "tag:news.example,2025-03-14:budget-draft"
        assert parsed.entries[2].link == f"{SITEURL}/2025/03/parliament-adopts-budget/"


def test_entry_ids_survive_a_change_of_slug(tmp_path: Path) -> None:
    """The same article, renamed and given its old URL as an alias, keeps its feed id."""
    ids = []
    for number, extra in enumerate(
        [{"slug": "first-name"}, {"slug": "second-name", "aliases": "/2025/03/first-name/"}]
    ):
        site = make_fixture_site(tmp_path / f"site{number}", **PUBLISH_SETTINGS)
        write_articles(site, [("story", "A story", "2025-03-14 10:00", extra)])
        site.build().check()
        for name in ("all.atom.xml", "all.rss.xml"):
            parsed = feedparser.parse(str(site.output / "feeds" / name))
            assert not parsed.bozo
            ids.append(parsed.entries[0].id)
    assert set(ids) == {"tag:news.example,2025-03-14:first-name"}


def test_summary_setting_leaves_the_body_out_of_feeds(tmp_path: Path) -> None:
    site = make_fixture_site(tmp_path / "site", NEWSDESK_FEED_CONTENT="summary", **PUBLISH_SETTINGS)
    write_articles(site, ARTICLES[2:3])
    site.build().check()
    for name in ("all.atom.xml", "all.rss.xml"):
        parsed = feedparser.parse(str(site.output / "feeds" / name))
        assert not parsed.bozo
        (entry,) = parsed.entries
        assert "content" not in entry
        assert entry.summary == "A short standfirst."


# --- sitemaps and robots.txt ----------------------------------------------------


class TestSitemaps:
    def test_sitemap_validates_and_lists_pages_with_lastmod(self, site: FixtureSite) -> None:
        document = etree.parse(str(site.output / "sitemap.xml"))
        schema = validator("sitemap.xsd")
        assert schema.validate(document), schema.error_log
        entries = {
            url.findtext("s:loc", namespaces=SITEMAP): url.findtext("s:lastmod", namespaces=SITEMAP)
            for url in document.getroot()
        }
        assert (
            entries[f"{SITEURL}/2025/03/parliament-adopts-budget/"] == "2025-03-15T08:00:00+04:00"
        )
        assert entries[f"{SITEURL}/"] == "2025-03-16T09:00:00+04:00"
        assert f"{SITEURL}/section/armenia/" in entries
        assert f"{SITEURL}/404.html" not in entries
        assert not any("old/budget" in loc for loc in entries)  # redirect pages stay out
        assert list(entries) == sorted(entries)

    def test_news_sitemap_holds_exactly_the_last_two_days(self, site: FixtureSite) -> None:
        document = etree.parse(str(site.output / "news-sitemap.xml"))
        schema = validator("news-sitemap-validation.xsd")
        assert schema.validate(document), schema.error_log
        urls = document.getroot()
        assert [url.findtext("n:news/n:title", namespaces=NEWS) for url in urls] == [
            HOSTILE,
            "Parliament adopts the budget",
            "Published exactly two days before",
        ]
        first = urls[0]
        assert first.findtext("s:loc", namespaces=SITEMAP) == f"{SITEURL}/2025/03/hostile/"
        assert first.findtext("n:news/n:publication/n:language", namespaces=NEWS) == "en"
        assert first.findtext("n:news/n:publication/n:name", namespaces=NEWS)
        assert (
            first.findtext("n:news/n:publication_date", namespaces=NEWS)
            == "2025-03-15T09:00:00+04:00"
        )

    def test_hidden_article_is_reachable_but_not_listed(self, site: FixtureSite) -> None:
        soup = parse_html(article_page(site, "hidden"))
        assert meta(soup, "name", "robots") == ["noindex"]
        url = f"{SITEURL}/2025/03/hidden/"
        for name in ("sitemap.xml", "news-sitemap.xml"):
            document = etree.parse(str(site.output / name))
            locs = document.getroot().xpath("s:url/s:loc/text()", namespaces=SITEMAP)
            assert locs and url not in locs, name
        for name in ("all.atom.xml", "all.rss.xml"):
            links = [
                entry.link for entry in feedparser.parse(str(site.output / "feeds" / name)).entries
            ]
            assert links and url not in links, name

    def test_search_page_is_noindex_and_not_in_the_sitemap(self, site: FixtureSite) -> None:
        soup = parse_html(site.output / "search/index.html")
        assert meta(soup, "name", "robots") == ["noindex"]
        document = etree.parse(str(site.output / "sitemap.xml"))
        locs = document.getroot().xpath("s:url/s:loc/text()", namespaces=SITEMAP)
        assert f"{SITEURL}/search/" not in locs
        assert f"{SITEURL}/archives/" in locs
        assert meta(parse_html(site.output / "archives/index.html"), "name", "robots") == []

    def test_robots_txt_names_both_sitemaps(self, site: FixtureSite) -> None:
        lines = (site.output / "robots.txt").read_text(encoding="utf-8").splitlines()
        assert [line for line in lines if line.startswith("Sitemap:")] == [
            f"Sitemap: {SITEURL}/sitemap.xml",
            f"Sitemap: {SITEURL}/news-sitemap.xml",
        ]


def test_large_site_gets_a_sitemap_index(tmp_path: Path) -> None:
    site = make_fixture_site(tmp_path / "site", NEWSDESK_SITEMAP_MAX_URLS=4, **PUBLISH_SETTINGS)
    write_articles(site)
    site.build().check()
    index = etree.parse(str(site.output / "sitemap.xml"))
    assert validator("siteindex.xsd").validate(index), validator("siteindex.xsd").error_log
    children = [loc.text for loc in index.getroot().iterfind("s:sitemap/s:loc", SITEMAP)]
    assert len(children) >= 3
    seen: list[str] = []
    for child in children:
        document = etree.parse(str(site.output / child.removeprefix(f"{SITEURL}/")))
        assert validator("sitemap.xsd").validate(document)
        locs = [loc.text for loc in document.getroot().iterfind("s:url/s:loc", SITEMAP)]
        assert 1 <= len(locs) <= 4
        seen += locs
    assert len(seen) == len(set(seen))
    assert f"{SITEURL}/2025/03/hostile/" in seen


def test_development_build_writes_no_sitemap(fixture_site: FixtureSite) -> None:
    write_articles(fixture_site, ARTICLES[2:3])
    fixture_site.build().check()
    assert not (fixture_site.output / "sitemap.xml").exists()
    assert not (fixture_site.output / "news-sitemap.xml").exists()
    robots = (fixture_site.output / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap:" not in robots and "User-agent: *" in robots


# --- redirects ------------------------------------------------------------------


class TestRedirects:
    @pytest.mark.parametrize(
        "old", ["old/budget/index.html", "2025/03/budget-draft/index.html", "old/budget.html"]
    )
    def test_each_alias_gets_a_valid_redirect_page(self, site: FixtureSite, old: str) -> None:
        target = f"{SITEURL}/2025/03/parliament-adopts-budget/"
        text = (site.output / old).read_text(encoding="utf-8")
        strict = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
        document = strict.parse(text)  # raises on any parse error
        assert document.find(".//link[@rel='canonical']").get("href") == target
        assert document.find(".//meta[@http-equiv='refresh']").get("content") == f"0; url={target}"
        assert document.find(".//a").get("href") == target
        assert (site.output / target.removeprefix(f"{SITEURL}/") / "index.html").exists()

    @requires_nu_checker
    def test_nu_html_checker_accepts_redirect_pages_and_hostile_head(
        self, site: FixtureSite
    ) -> None:
        pages = [
            site.output / "old/budget/index.html",
            site.output / "old/budget.html",
            article_page(site, "hostile"),
        ]
        assert nu_errors(pages) == []

    def test_redirect_files_list_every_alias(self, site: FixtureSite) -> None:
        netlify = (site.output / "_redirects").read_text(encoding="utf-8").splitlines()
        assert [line for line in netlify if not line.startswith("#")] == [
            "/2025/03/budget-draft/ /2025/03/parliament-adopts-budget/ 301",
            "/old/budget.html /2025/03/parliament-adopts-budget/ 301",
            "/old/budget/ /2025/03/parliament-adopts-budget/ 301",
        ]
        nginx = (site.output / "redirects.nginx.map").read_text(encoding="utf-8").splitlines()
        assert [line for line in nginx if not line.startswith("#")] == [
            '"/2025/03/budget-draft/" "/2025/03/parliament-adopts-budget/";',
            '"/old/budget.html" "/2025/03/parliament-adopts-budget/";',
            '"/old/budget/" "/2025/03/parliament-adopts-budget/";',
        ]


@pytest.mark.parametrize(
    ("alias", "message"),
    [
        # Addresses the content check knows: it refuses them before anything is written.
        (
            "/2025/03/other-story/",
            'alias "/2025/03/other-story/" is already the address of '
            "content/articles/2025/other-story.md",
        ),
        (
            "/section/armenia/",
            'alias "/section/armenia/" is already the address of the page of the section Armenia',
        ),
        # A file only the build writes: the redirect writer refuses it.
        ("/sitemap.xml", "alias /sitemap.xml collides with the file sitemap.xml"),
    ],
)
def test_alias_colliding_with_a_real_page_fails_the_build(
    fixture_site: FixtureSite, alias: str, message: str
) -> None:
    fixture_site.add(
        "articles/2025/other-story.md",
        article_source("Other story", date="2025-03-12 10:00", slug="other-story"),
    )
    fixture_site.add(
        "articles/2025/moved.md",
        article_source("Moved story", date="2025-03-13 10:00", aliases=alias),
    )
    result = fixture_site.build()
    assert result.returncode != 0
    aliases_line = next(
        number
        for number, line in enumerate(
            (fixture_site.content / "articles/2025/moved.md").read_text().splitlines(), start=1
        )
        if line.startswith("Aliases:")
    )
    expected = f"content/articles/2025/moved.md:{aliases_line}: error: {message}"
    assert [line for line in result.stderr.splitlines() if line.startswith(expected)], result.stderr
    assert not fixture_site.output.exists()  # a failed build leaves no output
