"""Discoverability of the demo outlet: every page's head, every article's JSON-LD, the
production build's feeds, sitemaps and robots.txt, read with real parsers.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import REPO, run_build
from lxml import etree

SCHEMAS = Path(__file__).parent / "schemas"
NEWS = {"n": "http://www.google.com/schemas/sitemap-news/0.9"}
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
PRODUCTION_URL = "https://ararat-ledger.example"


def parse_html(path: Path) -> BeautifulSoup:
    """Parse an output page with html5lib."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")


def meta(soup: BeautifulSoup, attribute: str, key: str) -> list[str]:
    """The content of every <meta> whose `attribute` equals `key`."""
    return [tag["content"] for tag in soup.head.find_all("meta", attrs={attribute: key})]


def is_redirect(soup: BeautifulSoup) -> bool:
    """Whether a page is an alias redirect page."""
    return soup.find("meta", attrs={"http-equiv": "refresh"}) is not None


def article_pages(output: Path) -> list[Path]:
    """Every article page of a build (articles live at YYYY/MM/slug/)."""
    return sorted(
        page
        for page in output.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html")
        if not is_redirect(parse_html(page))
    )


def newest_published_date() -> datetime:
    """The newest `Date:` of a published, non-scheduled demo article (Yerevan time)."""
    zone = ZoneInfo("Asia/Yerevan")
    now = datetime.now(zone)
    newest = None
    for source in (REPO / "content" / "articles").rglob("*.md"):
        header = source.read_text(encoding="utf-8").split("\n\n", 1)[0]
        fields = dict(re.findall(r"^([A-Za-z_]+):\s*(.*)$", header, re.M))
        if fields.get("Status", "published").strip().lower() != "published" or "Date" not in fields:
            continue
        moment = datetime.fromisoformat(fields["Date"].strip()).replace(tzinfo=zone)
        if moment <= now and (newest is None or moment > newest):
            newest = moment
    assert newest is not None
    return newest


@pytest.fixture(scope="module")
def publish_output(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, datetime]:
    """The demo built with publishconf.py, "now" pinned an hour after its newest article."""
    now = newest_published_date() + timedelta(hours=1)
    output = tmp_path_factory.mktemp("demo-publish") / "output"
    previous = os.environ.get("NEWSDESK_BUILD_NOW")
    os.environ["NEWSDESK_BUILD_NOW"] = now.isoformat()
    try:
        run_build(REPO / "publishconf.py", output).check()
    finally:
        if previous is None:
            del os.environ["NEWSDESK_BUILD_NOW"]
        else:
            os.environ["NEWSDESK_BUILD_NOW"] = previous
    return output, now


class TestDemoHeads:
    def test_every_page_has_plain_head_metadata_once(self, demo_output: Path) -> None:
        checked = 0
        for page in sorted(demo_output.rglob("*.html")):
            soup = parse_html(page)
            if is_redirect(soup) or soup.head is None:
                continue
            assert len(soup.head.find_all("title")) == 1, page
            assert len(meta(soup, "name", "description")) == 1, page
            assert len(soup.head.find_all("link", rel="canonical")) == (
                0 if page.name == "404.html" else 1
            ), page
            for key in ("og:type", "og:title", "og:description", "og:image"):
                assert len(meta(soup, "property", key)) == 1, (page, key)
            assert meta(soup, "property", "og:image:width")[0].isdigit(), page
            assert meta(soup, "property", "og:image:height")[0].isdigit(), page
            assert meta(soup, "name", "twitter:card")[0] in ("summary", "summary_large_image")
            for tag in soup.head.find_all("meta"):
                assert "<span" not in tag.get("content", ""), (page, tag)
            checked += 1
        assert checked > 50

    def test_every_article_carries_news_article_and_breadcrumbs(self, demo_output: Path) -> None:
        pages = article_pages(demo_output)
        assert len(pages) >= 10
        for page in pages:
            soup = parse_html(page)
            blocks = [
                json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")
            ]
            types = [block["@type"] for block in blocks]
            assert types == ["NewsArticle", "BreadcrumbList"], page
            article = blocks[0]
            assert article["headline"] == meta(soup, "property", "og:title")[0]
            assert soup.head.title.string.startswith(article["headline"])
            assert isinstance(article["description"], str) and article["description"]
            assert isinstance(article["image"], list) and article["image"][0]["width"] > 0
            for key in ("datePublished", "dateModified"):
                assert datetime.fromisoformat(article[key]).utcoffset() is not None
            assert article["author"] and all(
                person["@type"] == "Person" and person["url"].endswith("/")
                for person in article["author"]
            )
            assert article["publisher"]["@type"] == "NewsMediaOrganization"
            assert (
                article["mainEntityOfPage"]["@id"]
                == soup.head.find("link", rel="canonical")["href"]
            )
            assert isinstance(article["articleSection"], str)
            assert isinstance(article["keywords"], list)
            # An article without an image of its own shows the theme's share card.
            has_image = "/theme/" not in meta(soup, "property", "og:image")[0]
            expected_card = "summary_large_image" if has_image else "summary"
            assert meta(soup, "name", "twitter:card") == [expected_card], page


class TestDemoProduction:
    def test_feeds_parse_with_every_article_newest_first(
        self, publish_output: tuple[Path, datetime]
    ) -> None:
        output, _ = publish_output
        articles = len(article_pages(output))
        for name in ("all.atom.xml", "all.rss.xml"):
            parsed = feedparser.parse(str(output / "feeds" / name))
            assert not parsed.bozo, (name, parsed.get("bozo_exception"))
            assert len(parsed.entries) == min(articles, 100)
            published = [datetime(*entry.published_parsed[:6]) for entry in parsed.entries]
            assert published == sorted(published, reverse=True)
            assert all(
                entry.id.startswith("tag:ararat-ledger.example,") for entry in parsed.entries
            )
            assert all(entry.authors for entry in parsed.entries)
        sections = sorted((output / "feeds" / "section").glob("*.xml"))
        assert len(sections) >= 2
        for feed in sections:
            assert not feedparser.parse(str(feed)).bozo, feed

    def test_no_draft_or_scheduled_article_reaches_any_production_file(
        self, publish_output: tuple[Path, datetime]
    ) -> None:
        output, _ = publish_output
        now = datetime.now(ZoneInfo("Asia/Yerevan"))  # Pelican schedules by the real clock
        unpublished = []
        for source in sorted((REPO / "content" / "articles").rglob("*.md")):
            header = source.read_text(encoding="utf-8").split("\n\n", 1)[0]
            fields = dict(re.findall(r"^([A-Za-z_]+):\s*(.*)$", header, re.M))
            date = datetime.fromisoformat(fields["Date"]).replace(tzinfo=now.tzinfo)
            if fields.get("Status", "published") == "draft" or date > now:
                unpublished.append(fields["Slug"].encode())
        assert len(unpublished) >= 2  # the demo's draft and its scheduled article
        feeds_and_maps = [*(output / "feeds").rglob("*.xml"), *output.glob("*sitemap*.xml")]
        assert len(feeds_and_maps) >= 4
        searched = 0
        for path in sorted(output.rglob("*")):
            if not path.is_file():
                continue
            data = path.read_bytes()
            if data[:2] == b"\x1f\x8b":  # the search index's compressed fragments
                data = gzip.decompress(data)
            for slug in unpublished:
                assert slug not in data, f"{slug.decode()} in {path.relative_to(output)}"
            searched += 1
        assert searched > 100

    def test_sitemap_validates_and_lists_every_article(
        self, publish_output: tuple[Path, datetime]
    ) -> None:
        output, _ = publish_output
        document = etree.parse(str(output / "sitemap.xml"))
        schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "sitemap.xsd")))
        assert schema.validate(document), schema.error_log
        locs = set(document.getroot().xpath("s:url/s:loc/text()", namespaces=SITEMAP))
        for page in article_pages(output):
            url = f"{PRODUCTION_URL}/{page.parent.relative_to(output).as_posix()}/"
            assert url in locs

    def test_news_sitemap_holds_the_articles_of_the_two_days_before_now(
        self, publish_output: tuple[Path, datetime]
    ) -> None:
        output, now = publish_output
        entries = feedparser.parse(str(output / "feeds" / "all.atom.xml")).entries
        expected = [
            entry.link
            for entry in entries
            if now - timedelta(hours=48) <= datetime.fromisoformat(entry.published) <= now
        ]
        assert expected  # the newest article is an hour old
        document = etree.parse(str(output / "news-sitemap.xml"))
        schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "news-sitemap-validation.xsd")))
        assert schema.validate(document), schema.error_log
        assert document.getroot().xpath("s:url/s:loc/text()", namespaces=SITEMAP) == expected
        names = set(document.getroot().xpath("//n:publication/n:name/text()", namespaces=NEWS))
        assert names == {"The Ararat Ledger"}
        robots = (output / "robots.txt").read_text(encoding="utf-8")
        assert f"Sitemap: {PRODUCTION_URL}/sitemap.xml" in robots
        assert f"Sitemap: {PRODUCTION_URL}/news-sitemap.xml" in robots
