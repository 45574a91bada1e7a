"""Archive search, the pure part: which pages are indexed, and what the templates need.

Plain data in and out, no Pelican: the adapter (plugin.py) describes articles
as `Story` values, and the indexer (indexer.py) runs Pagefind on the pages
chosen here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from .settings import SearchSettings

#: The only status whose articles are searchable: drafts are never written and
#: hidden articles are reachable by link but listed nowhere, so neither is indexed.
INDEXED_STATUS = "published"


@dataclass(frozen=True)
class Story:
    """What search needs to know about one article."""

    #: The HTML file Pelican wrote, relative to the output folder.
    save_as: str
    #: The article's URL relative to SITEURL (e.g. "2025/03/slug/").
    url: str
    status: str
    section: str
    authors: tuple[str, ...]
    date: datetime
    #: The date as the site prints it (Pelican's `locale_date`).
    date_label: str


@dataclass(frozen=True)
class SearchPage:
    """One HTML file of the output to index, the URL its results link to, and its index part."""

    path: str
    url: str
    #: The index part the page goes into (see `split_into_parts`).
    part: str


@dataclass(frozen=True)
class SearchFacets:
    """The values an article page gives the index: filters, sort key and result metadata."""

    section: str
    authors: tuple[str, ...]
    #: The sort key: the publication time in UTC, "YYYY-MM-DDTHH:MM:SSZ", so
    #: that text order is time order whatever the offsets of the dates.
    sort_date: str
    #: The local calendar day (YYYY-MM-DD), for <time datetime> in results.
    day: str
    #: The date as the site prints it.
    date_label: str


@dataclass(frozen=True)
class SearchForm:
    """Where a search form sends its query, and the hidden fields that go with it."""

    action: str
    hidden: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SearchSite:
    """What the search box and the search page render (the context's `newsdesk_search`)."""

    #: The search page (the JavaScript form's target and the results page).
    page_url: str
    #: The header form without JavaScript (the fallback web search, or the search page).
    form: SearchForm
    #: The fallback search, or None when there is none (the search page then offers the archives).
    fallback: SearchForm | None
    archives_url: str
    #: The folder of Pagefind's bundles, root-relative, ending in "/".
    bundle_url: str
    #: The index parts (one bundle each, in bundle_url/<part>/), newest articles first.
    parts: tuple[str, ...]
    #: Filter choices on the search page, in navigation order and by name.
    sections: tuple[str, ...]
    authors: tuple[str, ...]
    results_per_page: int
    excerpt_words: int


def site_url(siteurl: str, relative: str) -> str:
    """Join SITEURL ("" while developing) and a site-relative URL into a link."""
    return f"{siteurl.rstrip('/')}/{relative.lstrip('/')}"


def result_url(siteurl: str, url: str) -> str:
    """Return the root-relative URL a search result links to (keeps SITEURL's path)."""
    base = urlsplit(siteurl).path.rstrip("/")
    return f"{base}/{url.lstrip('/')}"


def split_into_parts(
    entries: Iterable[tuple[str, str, str]], part_size: int
) -> tuple[SearchPage, ...]:
    """Put pages, given as (sort key, path, URL), into index parts; return them ordered by path.

    Pagefind cannot update an index in part, so the index is split: the pages in
    publication order (sort key, then path: a total order), `part_size` per part,
    oldest first, the newest part holding the rest. A new article changes only
    the newest part, an edit only its own; parts are named "0", "1", … .
    """
    ordered = sorted(entries)
    pages = [
        SearchPage(path, url, str(rank // part_size)) for rank, (_, path, url) in enumerate(ordered)
    ]
    return tuple(sorted(pages, key=lambda page: page.path))


def part_names(count: int, part_size: int) -> tuple[str, ...]:
    """The names of the parts `count` pages fill, newest first."""
    return tuple(str(part) for part in reversed(range(-(-count // part_size))))


def _indexed(stories: Iterable[Story]) -> dict[str, Story]:
    """The stories search indexes (published, with a page), by the path of their page."""
    return {
        story.save_as: story
        for story in stories
        if story.status == INDEXED_STATUS and story.save_as
    }


def pages_to_index(
    stories: Iterable[Story], siteurl: str, part_size: int
) -> tuple[SearchPage, ...]:
    """Choose the article pages to index (published only) and their parts, ordered by path."""
    return split_into_parts(
        (
            (sort_key(story.date), path, result_url(siteurl, story.url))
            for path, story in _indexed(stories).items()
        ),
        part_size,
    )


def facets(story: Story) -> SearchFacets:
    """Return the filter, sort and metadata values of one article."""
    return SearchFacets(
        section=story.section,
        authors=story.authors,
        sort_date=sort_key(story.date),
        day=story.date.date().isoformat(),
        date_label=story.date_label,
    )


def sort_key(date: datetime) -> str:
    """Return a date as UTC text that sorts in time order (naive dates are taken as UTC)."""
    if date.tzinfo is not None:
        date = date.astimezone(UTC)
    return date.strftime("%Y-%m-%dT%H:%M:%SZ")


def site_host(siteurl: str) -> str | None:
    """Return the host (and path) a web search is restricted to, or None for a relative site."""
    parts = urlsplit(siteurl)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return None
    return parts.netloc + parts.path.rstrip("/")


def fallback_form(settings: SearchSettings) -> SearchForm | None:
    """Return the site-restricted web search, or None if it is off or the site has no host."""
    host = site_host(settings.siteurl)
    if settings.fallback_url is None or host is None:
        return None
    return SearchForm(settings.fallback_url, ((settings.fallback_site_param, host),))


def search_site(
    settings: SearchSettings, sections: Iterable[str], stories: Iterable[Story]
) -> SearchSite:
    """Describe the search box and search page for the templates."""
    stories = list(stories)
    indexed = [story for story in stories if story.status == INDEXED_STATUS]
    present = {story.section for story in indexed}
    ordered = [name for name in sections if name in present]
    ordered += sorted(present.difference(ordered))
    authors = sorted({name for story in indexed for name in story.authors}, key=_name_key)
    page_url = site_url(settings.siteurl, settings.search_url)
    fallback = fallback_form(settings)
    return SearchSite(
        page_url=page_url,
        form=fallback or SearchForm(page_url),
        fallback=fallback,
        archives_url=site_url(settings.siteurl, settings.archives_url),
        # Root-relative, so that the script is always fetched from the page's own origin.
        bundle_url=result_url(settings.siteurl, settings.bundle_dir + "/"),
        parts=part_names(len(_indexed(stories)), settings.part_size),
        sections=tuple(ordered),
        authors=tuple(authors),
        results_per_page=settings.results_per_page,
        excerpt_words=settings.excerpt_words,
    )


def pagefind_config(settings: SearchSettings) -> Mapping[str, object]:
    """Return the Pagefind index configuration (the Python API's IndexConfig)."""
    return {"exclude_selectors": list(settings.exclude_selectors)}


def _name_key(name: str) -> tuple[str, str]:
    """Order names case-insensitively, then exactly (a total order)."""
    return (name.casefold(), name)
