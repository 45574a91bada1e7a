"""Settings of the newsdesk_site plugin: defaults in one place, validated up front."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

#: Stories listed under "Latest" on the front page, after the lead.
DEFAULT_FRONT_LATEST = 6
#: Stories in each section block of the front page.
DEFAULT_FRONT_SECTION_STORIES = 4
#: The authors file, relative to PATH (shared with newsdesk_content).
DEFAULT_AUTHORS_FILE = "authors.toml"


class NewsdeskSiteSettingsError(ValueError):
    """A newsdesk_site setting has a value the plugin cannot use."""


@dataclass(frozen=True)
class SiteSettings:
    """What the theme's data plugin needs from Pelican's settings."""

    #: NEWSDESK_SECTIONS: section names in navigation order.
    sections: tuple[str, ...] = ()
    #: NEWSDESK_AUTHORS_FILE: name, slug, role, bio and photo of every author.
    authors_file: str = DEFAULT_AUTHORS_FILE
    #: NEWSDESK_SITE_FRONT_LATEST: stories in the front page's "Latest" list.
    front_latest: int = DEFAULT_FRONT_LATEST
    #: NEWSDESK_SITE_FRONT_SECTION_STORIES: stories in each section block of the front.
    front_section_stories: int = DEFAULT_FRONT_SECTION_STORIES
    #: Stories on the first page of the index (PAGINATED_TEMPLATES["index"] or
    #: DEFAULT_PAGINATION); None when the index is not paginated.
    front_page_size: int | None = None

    @classmethod
    def from_pelican(cls, settings: Mapping[str, object]) -> SiteSettings:
        """Read and validate the plugin's settings from Pelican's settings dict."""
        sections = settings.get("NEWSDESK_SECTIONS", ())
        if not isinstance(sections, list | tuple) or not all(
            isinstance(name, str) and name.strip() for name in sections
        ):
            raise NewsdeskSiteSettingsError(
                f"NEWSDESK_SECTIONS must be a list of section names, not {sections!r}"
            )
        if len(set(sections)) != len(sections):
            raise NewsdeskSiteSettingsError(f"NEWSDESK_SECTIONS names a section twice: {sections}")
        authors_file = settings.get("NEWSDESK_AUTHORS_FILE", DEFAULT_AUTHORS_FILE)
        if not isinstance(authors_file, str) or not authors_file:
            raise NewsdeskSiteSettingsError(
                f"NEWSDESK_AUTHORS_FILE must be a path inside PATH, not {authors_file!r}"
            )
        return cls(
            sections=tuple(sections),
            authors_file=authors_file,
            front_latest=_count(settings, "NEWSDESK_SITE_FRONT_LATEST", DEFAULT_FRONT_LATEST),
            front_section_stories=_count(
                settings, "NEWSDESK_SITE_FRONT_SECTION_STORIES", DEFAULT_FRONT_SECTION_STORIES
            ),
            front_page_size=_index_page_size(settings),
        )


def _count(settings: Mapping[str, object], name: str, default: int) -> int:
    """Return a setting that must be a whole number of at least 1."""
    value = settings.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise NewsdeskSiteSettingsError(f"{name} must be a whole number >= 1, not {value!r}")
    return value


def _index_page_size(settings: Mapping[str, object]) -> int | None:
    """Return how many stories the first page of the index holds, as Pelican paginates it."""
    paginated = settings.get("PAGINATED_TEMPLATES") or {}
    if not isinstance(paginated, Mapping) or "index" not in paginated:
        return None
    size = paginated["index"] or settings.get("DEFAULT_PAGINATION")
    if not size:
        return None
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise NewsdeskSiteSettingsError(f"the index page size must be >= 1, not {size!r}")
    return size
