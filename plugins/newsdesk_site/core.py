"""What the news theme renders, computed from plain data: fronts, archives, datelines, images.

Nothing here knows Pelican. Stories come in as `Story` records named by a key
(the adapter uses each article's URL); results name stories by the same key and
the adapter maps them back to articles with `Front.map` and `ArchiveYear.map`.

Every order is total: newest first, ties broken by key.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Generic, TypeVar

from newsdesk_content.authors import AuthorInfo

T = TypeVar("T")
U = TypeVar("U")

DATELINE_DASH = "\N{EM DASH}"


@dataclass(frozen=True)
class Story:
    """One published article, as far as the fronts and archives need to know it."""

    key: str
    section: str
    date: datetime
    has_image: bool = False


@dataclass(frozen=True)
class Section:
    """A section in the navigation: its name and the URL of its front (relative to SITEURL)."""

    name: str
    url: str


@dataclass(frozen=True)
class SectionBlock(Generic[T]):
    """A section's block on the front page: the section and its newest stories."""

    section: Section
    stories: tuple[T, ...]

    def map(self, resolve: Callable[[T], U]) -> SectionBlock[U]:
        """Return the block with every story replaced by `resolve(story)`."""
        return SectionBlock(self.section, tuple(resolve(story) for story in self.stories))


@dataclass(frozen=True)
class Front(Generic[T]):
    """The front page: a lead story, the latest stories, one block per section, the rest.

    No story appears twice. `more` holds the stories of the index's first page
    that none of the other parts shows, so that page 1 followed by /page/2/
    lists every story.
    """

    lead: T | None
    latest: tuple[T, ...]
    sections: tuple[SectionBlock[T], ...]
    more: tuple[T, ...]

    def map(self, resolve: Callable[[T], U]) -> Front[U]:
        """Return the front with every story replaced by `resolve(story)`."""
        return Front(
            lead=None if self.lead is None else resolve(self.lead),
            latest=tuple(resolve(story) for story in self.latest),
            sections=tuple(block.map(resolve) for block in self.sections),
            more=tuple(resolve(story) for story in self.more),
        )


@dataclass(frozen=True)
class ArchiveMonth(Generic[T]):
    """The stories of one month, newest first."""

    year: int
    month: int
    name: str
    stories: tuple[T, ...]

    @property
    def anchor(self) -> str:
        """The fragment identifier of the month's heading, e.g. "2025-03"."""
        return f"{self.year:04d}-{self.month:02d}"

    def map(self, resolve: Callable[[T], U]) -> ArchiveMonth[U]:
        """Return the month with every story replaced by `resolve(story)`."""
        return ArchiveMonth(
            self.year, self.month, self.name, tuple(resolve(story) for story in self.stories)
        )


@dataclass(frozen=True)
class ArchiveYear(Generic[T]):
    """The months of one year that have stories, newest first."""

    year: int
    months: tuple[ArchiveMonth[T], ...]

    @property
    def anchor(self) -> str:
        """The fragment identifier of the year's heading, e.g. "y2025"."""
        return f"y{self.year:04d}"

    def map(self, resolve: Callable[[T], U]) -> ArchiveYear[U]:
        """Return the year with every story replaced by `resolve(story)`."""
        return ArchiveYear(self.year, tuple(month.map(resolve) for month in self.months))


@dataclass(frozen=True)
class Picture:
    """An image as the theme places it; `url` is relative to SITEURL."""

    url: str
    alt: str
    width: int | None = None
    height: int | None = None
    caption: str | None = None
    credit: str | None = None


@dataclass(frozen=True)
class AuthorProfile:
    """An author page's header: who the author is."""

    name: str
    slug: str
    bio: str
    role: str | None = None
    photo: Picture | None = None


def newest_first(stories: Iterable[Story]) -> list[Story]:
    """Return the stories newest first; stories of the same moment in key order."""
    return sorted(sorted(stories, key=lambda story: story.key), key=_date, reverse=True)


def _date(story: Story) -> datetime:
    return story.date


def navigation(configured: Sequence[str], present: Mapping[str, str]) -> tuple[Section, ...]:
    """Return the sections that have stories: configured ones in order, then others by name.

    `present` maps the name of every section with published stories to its URL.
    """
    ordered = [name for name in configured if name in present]
    ordered += sorted(name for name in present if name not in configured)
    return tuple(Section(name, present[name]) for name in ordered)


def build_front(
    stories: Iterable[Story],
    sections: Sequence[Section],
    *,
    latest: int,
    per_section: int,
    first_page: int | None = None,
) -> Front[str]:
    """Compose the front page from the published stories.

    The lead is the newest story with an image among the index's first page
    (`first_page` stories; all when None), or the newest story if none has one.
    "Latest" holds the next `latest` newest stories. Each section in
    `sections` then gets its `per_section` newest stories not shown above; a
    section left with none gets no block.
    """
    ordered = newest_first(stories)
    if not ordered:
        return Front(lead=None, latest=(), sections=(), more=())
    page_one = ordered if first_page is None else ordered[:first_page]
    lead = next((story for story in page_one if story.has_image), ordered[0])
    shown = {lead.key}
    latest_stories = [story for story in ordered if story.key not in shown][:latest]
    shown.update(story.key for story in latest_stories)
    blocks: list[SectionBlock[str]] = []
    for section in sections:
        picked = [
            story.key
            for story in ordered
            if story.section == section.name and story.key not in shown
        ][:per_section]
        if picked:
            blocks.append(SectionBlock(section, tuple(picked)))
    for block in blocks:
        shown.update(block.stories)
    more = tuple(story.key for story in page_one if story.key not in shown)
    return Front(
        lead=lead.key,
        latest=tuple(story.key for story in latest_stories),
        sections=tuple(blocks),
        more=more,
    )


def build_archive(stories: Iterable[Story]) -> tuple[ArchiveYear[str], ...]:
    """Group the stories by year, then by month, newest first at every level."""
    ordered = newest_first(stories)
    years: list[ArchiveYear[str]] = []
    for year, of_year in groupby(ordered, key=lambda story: story.date.year):
        months = tuple(
            ArchiveMonth(
                year=year,
                month=month,
                name=calendar.month_name[month],
                stories=tuple(story.key for story in of_month),
            )
            for month, of_month in groupby(of_year, key=lambda story: story.date.month)
        )
        years.append(ArchiveYear(year, months))
    return tuple(years)


def format_dateline(location: str | None) -> str | None:
    """Return the dateline that opens an article ("YEREVAN —"), or None without a location."""
    if location is None or not location.strip():
        return None
    return f"{' '.join(location.split()).upper()} {DATELINE_DASH}"


def updated_date(date: datetime, modified: datetime | None) -> datetime | None:
    """Return the modification date when it is later than the publication date, else None."""
    if modified is not None and modified > date:
        return modified
    return None


def copyright_year(dates: Iterable[datetime]) -> int | None:
    """Return the year of the newest story (the footer's copyright year), or None."""
    return max((date.year for date in dates), default=None)


def image_path(value: str | None) -> str | None:
    """Normalise an `Image:` value (a path inside PATH) to a URL path, or None if empty."""
    if value is None:
        return None
    path = value.strip().removeprefix("{static}").lstrip("/")
    return path or None


def featured_image(
    path: str | None,
    *,
    alt: str | None = None,
    caption: str | None = None,
    credit: str | None = None,
    size: tuple[int, int] | None = None,
) -> Picture | None:
    """Return an article's featured image from its metadata, or None when it has none."""
    url = image_path(path)
    if url is None:
        return None
    width, height = size if size is not None else (None, None)
    return Picture(
        url=url,
        alt=_text(alt) or "",
        width=width,
        height=height,
        caption=_text(caption),
        credit=_text(credit),
    )


def author_profiles(
    authors: Iterable[AuthorInfo], sizes: Mapping[str, tuple[int, int]] | None = None
) -> dict[str, AuthorProfile]:
    """Return every author's profile keyed by slug, in slug order.

    `sizes` maps a photo path (as written in the authors file) to its pixel size.
    """
    sizes = sizes or {}
    profiles: dict[str, AuthorProfile] = {}
    for info in sorted(authors, key=lambda author: author.slug):
        photo_url = image_path(info.photo)
        photo = None
        if photo_url is not None:
            width, height = sizes.get(info.photo or "", (None, None))
            photo = Picture(url=photo_url, alt=info.name, width=width, height=height)
        profiles[info.slug] = AuthorProfile(
            name=info.name, slug=info.slug, bio=info.bio, role=info.role, photo=photo
        )
    return profiles


def _text(value: str | None) -> str | None:
    """Return a metadata text with its whitespace collapsed, or None if empty."""
    if value is None:
        return None
    collapsed = " ".join(value.split())
    return collapsed or None
