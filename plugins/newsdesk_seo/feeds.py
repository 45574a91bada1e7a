"""Atom 1.0 and RSS 2.0 feeds, built with lxml, with entry ids that never change.

An entry's id is a tag: URI (RFC 4151) made of the outlet's domain, the
article's first publication date and its original slug, so it survives a
change of URL (a new slug, a new section, a new domain). Feed text is plain;
feed HTML is the article body without typogrify's presentation <span>s.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import format_datetime

from lxml import etree

from .model import Link

ATOM_NS = "http://www.w3.org/2005/Atom"
DC_NS = "http://purl.org/dc/elements/1.1/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
XML_NS = "http://www.w3.org/XML/1998/namespace"

#: typogrify's wrappers: <span class="caps|amp|dquo|quo">text</span>. Their
#: content is always plain text (or an entity), so unwrapping keeps the text.
_TYPOGRIFY_SPAN = re.compile(r'<span class="(?:caps|amp|dquo|quo)">([^<]*)</span>')
#: An alias of the dated article URL form: /YYYY/MM/slug/ (trailing slash optional).
_DATED_ALIAS = re.compile(r"/(\d{4})/(\d{2})/([^/]+?)/?")


def strip_typography(body_html: str) -> str:
    """Remove typogrify's <span> wrappers from HTML, keeping their text."""
    return _TYPOGRIFY_SPAN.sub(r"\1", body_html)


def original_slug(
    slug: str, published: date, aliases: Sequence[str] = (), explicit: str | None = None
) -> str:
    """The slug an article first had: explicit, else its first dated alias, else its slug.

    A dated alias is one of the form /YYYY/MM/<slug>/ in the month of first
    publication: the URL the article had before its slug was changed.
    """
    if explicit and explicit.strip():
        return explicit.strip()
    for alias in aliases:
        match = _DATED_ALIAS.fullmatch(alias.strip())
        if match and (int(match[1]), int(match[2])) == (published.year, published.month):
            return match[3]
    return slug


def entry_id(authority: str, published: date, slug: str) -> str:
    """The permanent tag: URI of an article: tag:<domain>,<YYYY-MM-DD>:<original slug>."""
    return f"tag:{authority},{published.isoformat()}:{slug}"


@dataclass(frozen=True)
class FeedEntry:
    """One article in a feed."""

    id: str
    title: str
    url: str
    published: datetime
    updated: datetime
    summary: str
    content_html: str | None
    authors: tuple[Link, ...] = ()
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class Feed:
    """A feed: the outlet's, a section's, a tag's or an author's."""

    title: str
    subtitle: str
    page_url: str
    self_url: str
    language: str
    publisher: Link
    entries: tuple[FeedEntry, ...]
    #: `updated` of a feed without entries (the build's "now").
    empty_updated: datetime

    @property
    def updated(self) -> datetime:
        """The newest change of any entry."""
        return max((entry.updated for entry in self.entries), default=self.empty_updated)


def _serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrib: str):
    element = etree.SubElement(parent, tag, attrib)
    if text is not None:
        element.text = text
    return element


def atom_xml(feed: Feed) -> bytes:
    """Serialise a feed as Atom 1.0 (RFC 4287)."""
    a = f"{{{ATOM_NS}}}"
    root = etree.Element(f"{a}feed", nsmap={None: ATOM_NS})
    root.set(f"{{{XML_NS}}}lang", feed.language)
    _sub(root, f"{a}title", feed.title, type="text")
    if feed.subtitle:
        _sub(root, f"{a}subtitle", feed.subtitle, type="text")
    _sub(root, f"{a}link", rel="alternate", type="text/html", href=feed.page_url)
    _sub(root, f"{a}link", rel="self", type="application/atom+xml", href=feed.self_url)
    _sub(root, f"{a}id", feed.self_url)
    _sub(root, f"{a}updated", feed.updated.isoformat())
    author = _sub(root, f"{a}author")
    _sub(author, f"{a}name", feed.publisher.name)
    _sub(author, f"{a}uri", feed.publisher.url)
    for item in feed.entries:
        entry = _sub(root, f"{a}entry")
        _sub(entry, f"{a}title", item.title, type="text")
        _sub(entry, f"{a}link", rel="alternate", type="text/html", href=item.url)
        _sub(entry, f"{a}id", item.id)
        _sub(entry, f"{a}published", item.published.isoformat())
        _sub(entry, f"{a}updated", item.updated.isoformat())
        for person in item.authors:
            element = _sub(entry, f"{a}author")
            _sub(element, f"{a}name", person.name)
            _sub(element, f"{a}uri", person.url)
        for term in item.categories:
            _sub(entry, f"{a}category", term=term)
        _sub(entry, f"{a}summary", item.summary, type="text")
        if item.content_html is not None:
            _sub(entry, f"{a}content", item.content_html, type="html")
    return _serialize(root)


def rss_xml(feed: Feed) -> bytes:
    """Serialise a feed as RSS 2.0, authors as dc:creator, full text as content:encoded."""
    root = etree.Element(
        "rss", {"version": "2.0"}, nsmap={"atom": ATOM_NS, "dc": DC_NS, "content": CONTENT_NS}
    )
    channel = _sub(root, "channel")
    _sub(channel, "title", feed.title)
    _sub(channel, "link", feed.page_url)
    _sub(channel, "description", feed.subtitle or feed.title)
    _sub(
        channel,
        f"{{{ATOM_NS}}}link",
        rel="self",
        type="application/rss+xml",
        href=feed.self_url,
    )
    _sub(channel, "language", feed.language)
    _sub(channel, "lastBuildDate", format_datetime(feed.updated))
    for entry in feed.entries:
        item = _sub(channel, "item")
        _sub(item, "title", entry.title)
        _sub(item, "link", entry.url)
        _sub(item, "description", html.escape(entry.summary, quote=False))
        if entry.content_html is not None:
            _sub(item, f"{{{CONTENT_NS}}}encoded", entry.content_html)
        for person in entry.authors:
            _sub(item, f"{{{DC_NS}}}creator", person.name)
        for term in entry.categories:
            _sub(item, "category", term)
        _sub(item, "guid", entry.id, isPermaLink="false")
        _sub(item, "pubDate", format_datetime(entry.published))
    return _serialize(root)
