"""XML sitemaps (sitemaps.org 0.9, split under an index past 50,000 URLs), the
Google News sitemap and robots.txt, built with lxml.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from lxml import etree

from .model import ArticleInfo

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


@dataclass(frozen=True)
class SitemapUrl:
    """One page in the sitemap: its absolute URL and when it last changed."""

    loc: str
    lastmod: datetime | None = None


def w3c_datetime(moment: datetime) -> str:
    """A W3C datetime with seconds and the time zone offset (e.g. 2025-03-14T13:05:00+04:00)."""
    return moment.isoformat(timespec="seconds")


def _serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _text(parent: etree._Element, tag: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, tag)
    element.text = text
    return element


def _listing_xml(root_tag: str, entry_tag: str, urls: Iterable[SitemapUrl]) -> bytes:
    """A sitemaps.org document: one <entry_tag> with loc and optional lastmod per URL."""
    s = f"{{{SITEMAP_NS}}}"
    root = etree.Element(f"{s}{root_tag}", nsmap={None: SITEMAP_NS})
    for url in urls:
        element = etree.SubElement(root, f"{s}{entry_tag}")
        _text(element, f"{s}loc", url.loc)
        if url.lastmod is not None:
            _text(element, f"{s}lastmod", w3c_datetime(url.lastmod))
    return _serialize(root)


def urlset_xml(urls: Iterable[SitemapUrl]) -> bytes:
    """A <urlset> of the given pages, in the order given."""
    return _listing_xml("urlset", "url", urls)


def sitemap_index_xml(children: Iterable[SitemapUrl]) -> bytes:
    """A <sitemapindex> pointing at child sitemaps."""
    return _listing_xml("sitemapindex", "sitemap", children)


def _newest(urls: Sequence[SitemapUrl]) -> datetime | None:
    return max((url.lastmod for url in urls if url.lastmod is not None), default=None)


def sitemap_files(
    urls: Iterable[SitemapUrl], name: str, site_url: str, max_urls: int
) -> dict[str, bytes]:
    """Map output path -> bytes: one sitemap, or an index at `name` with numbered children.

    URLs are sorted by address and de-duplicated. Past `max_urls` the file at
    `name` is a sitemap index and the children sit beside it as
    `<stem>-1.xml`, `<stem>-2.xml`, … each holding at most `max_urls` URLs.
    """
    unique = {url.loc: url for url in urls}
    ordered = [unique[loc] for loc in sorted(unique)]
    if len(ordered) <= max_urls:
        return {name: urlset_xml(ordered)}
    folder, filename = posixpath.split(name)
    stem = filename.rsplit(".", 1)[0]
    files: dict[str, bytes] = {}
    children: list[SitemapUrl] = []
    for number, start in enumerate(range(0, len(ordered), max_urls), start=1):
        chunk = ordered[start : start + max_urls]
        child = posixpath.join(folder, f"{stem}-{number}.xml")
        files[child] = urlset_xml(chunk)
        children.append(SitemapUrl(f"{site_url}/{child}", _newest(chunk)))
    files[name] = sitemap_index_xml(children)
    return files


def news_articles(
    articles: Iterable[ArticleInfo], now: datetime, window: timedelta, limit: int
) -> list[ArticleInfo]:
    """Articles first published in [now - window, now]: newest first, then by URL, up to `limit`."""
    start = now - window
    fresh = [article for article in articles if start <= article.published <= now]
    fresh.sort(key=lambda article: article.url)
    fresh.sort(key=lambda article: article.published, reverse=True)
    return fresh[:limit]


def news_sitemap_xml(articles: Iterable[ArticleInfo], publication: str, language: str) -> bytes:
    """A Google News sitemap: loc, publication (name, language), publication_date, title."""
    s, n = f"{{{SITEMAP_NS}}}", f"{{{NEWS_NS}}}"
    root = etree.Element(f"{s}urlset", nsmap={None: SITEMAP_NS, "news": NEWS_NS})
    for article in articles:
        url = etree.SubElement(root, f"{s}url")
        _text(url, f"{s}loc", article.url)
        news = etree.SubElement(url, f"{n}news")
        pub = etree.SubElement(news, f"{n}publication")
        _text(pub, f"{n}name", publication)
        _text(pub, f"{n}language", language)
        _text(news, f"{n}publication_date", w3c_datetime(article.published))
        _text(news, f"{n}title", article.title)
    return _serialize(root)


def robots_txt(sitemap_urls: Sequence[str]) -> str:
    """robots.txt allowing every crawler and naming each sitemap."""
    lines = ["User-agent: *", "Allow: /", ""]
    lines += [f"Sitemap: {url}" for url in sitemap_urls]
    return "\n".join(lines).rstrip("\n") + "\n"
