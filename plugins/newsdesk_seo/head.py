"""Head metadata of every page: title, description, canonical, Open Graph, Twitter.

All values are plain text; the template escapes them for their attribute.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html.parser import HTMLParser

from .model import ArticleInfo, FeedLink, Image, Link, PageHead, Site
from .structured_data import breadcrumb_list, news_article, script_json, website

#: Length of a description derived from a body (search engines show ~155-160).
DESCRIPTION_LIMIT = 160
TITLE_SEPARATOR = " – "


#: Elements whose edges separate words (a paragraph ends, a line breaks).
_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    ]
)


class _TextExtractor(HTMLParser):
    """Collects the text of an HTML fragment, entities decoded, blocks apart."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Return the plain text of an HTML fragment, whitespace collapsed."""
    parser = _TextExtractor()
    parser.feed(fragment)
    parser.close()
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()


def shorten(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """Cut plain text at a word boundary to at most `limit` characters, with an ellipsis."""
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-") + "…"


def description_of(summary: str | None, body_html: str) -> str:
    """The description of a page: its plain summary, else the start of its body text."""
    if summary and summary.strip():
        return re.sub(r"\s+", " ", summary).strip()
    return shorten(html_to_text(body_html))


def _image_properties(prefix: str, image: Image) -> list[tuple[str, str]]:
    pairs = [
        (f"{prefix}", image.url),
        (f"{prefix}:width", str(image.width)),
        (f"{prefix}:height", str(image.height)),
    ]
    if image.alt:
        pairs.append((f"{prefix}:alt", image.alt))
    return pairs


def _twitter(site: Site, title: str, description: str, image: Image | None) -> tuple:
    names = [("twitter:card", "summary_large_image" if image else "summary")]
    if site.twitter_site:
        names.append(("twitter:site", site.twitter_site))
    names += [("twitter:title", title), ("twitter:description", description)]
    shown = image or site.share_image
    names.append(("twitter:image", shown.url))
    if shown.alt:
        names.append(("twitter:image:alt", shown.alt))
    return tuple(names)


def article_head(article: ArticleInfo, site: Site, feeds: Sequence[FeedLink] = ()) -> PageHead:
    """The head of an article page, with its NewsArticle and BreadcrumbList."""
    image = article.image or site.share_image
    properties: list[tuple[str, str]] = [
        ("og:site_name", site.name),
        ("og:type", "article"),
        ("og:title", article.title),
        ("og:description", article.description),
        ("og:url", article.url),
        *_image_properties("og:image", image),
        ("article:published_time", article.published.isoformat()),
        ("article:modified_time", article.updated.isoformat()),
    ]
    if article.section is not None:
        properties.append(("article:section", article.section.name))
    properties += [("article:tag", tag.name) for tag in article.tags]
    properties += [("article:author", author.url) for author in article.authors]
    crumbs = [Link(site.name, site.url)]
    if article.section is not None:
        crumbs.append(article.section)
    crumbs.append(Link(article.title, article.url))
    return PageHead(
        title=f"{article.title}{TITLE_SEPARATOR}{site.name}",
        description=article.description,
        canonical=article.url,
        properties=tuple(properties),
        names=_twitter(site, article.title, article.description, article.image),
        feeds=tuple(feeds),
        json_ld=(script_json(news_article(article, site)), script_json(breadcrumb_list(crumbs))),
    )


def listing_head(
    site: Site,
    heading: str | None,
    description: str,
    canonical: str | None,
    feeds: Sequence[FeedLink] = (),
    crumbs: Sequence[Link] = (),
    image: Image | None = None,
    robots: str | None = None,
    og_type: str = "website",
) -> PageHead:
    """The head of any other page: home, section, tag, author, archive, static page."""
    title = f"{heading}{TITLE_SEPARATOR}{site.name}" if heading else site.name
    og_title = heading or site.name
    shown = image or site.share_image
    properties: list[tuple[str, str]] = [
        ("og:site_name", site.name),
        ("og:type", og_type),
        ("og:title", og_title),
        ("og:description", description),
    ]
    if canonical:
        properties.append(("og:url", canonical))
    properties += _image_properties("og:image", shown)
    json_ld: list[str] = []
    if heading is None and canonical:
        json_ld.append(script_json(website(site)))
    if len(crumbs) > 1:
        json_ld.append(script_json(breadcrumb_list(crumbs)))
    return PageHead(
        title=title,
        description=description,
        canonical=canonical,
        robots=robots,
        properties=tuple(properties),
        names=_twitter(site, og_title, description, image),
        feeds=tuple(feeds),
        json_ld=tuple(json_ld),
    )


def feed_title(site_name: str, subject: str | None, kind: str) -> str:
    """The human title of a feed: site, optional subject, format."""
    label = {"atom": "Atom", "rss": "RSS"}[kind]
    return f"{site_name}: {subject} ({label})" if subject else f"{site_name} ({label})"
