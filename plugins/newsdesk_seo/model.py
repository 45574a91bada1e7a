"""Plain data the discoverability core works on: the site, its articles, its pages.

The Pelican adapter translates Pelican's objects into these; the core never
sees Pelican. Every URL here is already joined to SITEURL (absolute in
production, root-relative while developing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Link:
    """Something with a name and a URL: a section, tag, author or crumb."""

    name: str
    url: str


@dataclass(frozen=True)
class Image:
    """A published image with its pixel size."""

    url: str
    width: int
    height: int
    alt: str = ""


@dataclass(frozen=True)
class FeedLink:
    """A feed to announce in a page's head."""

    url: str
    media_type: str
    title: str


@dataclass(frozen=True)
class Site:
    """The outlet as search engines and readers see it."""

    name: str
    url: str
    tagline: str
    language: str
    logo: Image
    share_image: Image
    twitter_site: str | None = None


@dataclass(frozen=True)
class ArticleInfo:
    """One published article, plain text everywhere (no typography markup)."""

    title: str
    description: str
    url: str
    published: datetime
    modified: datetime | None
    section: Link | None
    tags: tuple[Link, ...] = ()
    authors: tuple[Link, ...] = ()
    image: Image | None = None
    dateline: str | None = None

    @property
    def updated(self) -> datetime:
        """The last change: the modification date, else the publication date."""
        return self.modified or self.published


@dataclass(frozen=True)
class PageHead:
    """What a page shows search engines and social networks in its <head>."""

    title: str
    description: str
    canonical: str | None
    robots: str | None = None
    #: Open Graph `<meta property=… content=…>` pairs, in output order.
    properties: tuple[tuple[str, str], ...] = ()
    #: Twitter `<meta name=… content=…>` pairs, in output order.
    names: tuple[tuple[str, str], ...] = ()
    feeds: tuple[FeedLink, ...] = ()
    #: JSON-LD blocks, each already escaped for a <script> element.
    json_ld: tuple[str, ...] = field(default=())
