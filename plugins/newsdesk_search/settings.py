"""Settings of the newsdesk_search plugin: defaults in one place, validated up front."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

#: Where the header form sends a query when the reader has no JavaScript: a web
#: search restricted to the site (DuckDuckGo's site search box takes `q` and
#: `sites=<host>`). None sends the form to the search page, which then offers
#: the archives.
DEFAULT_FALLBACK_URL: str | None = "https://duckduckgo.com/"
#: The query parameter that restricts the fallback search to the site's host.
DEFAULT_FALLBACK_SITE_PARAM = "sites"
#: Parts of the article element (the one marked `data-pagefind-body`) that are
#: not its headline, standfirst or body: the section kicker, byline and dates,
#: the featured image's caption and credit, the topics list, and anything a
#: template marks `.no-search`. Related stories, comments and the newsletter sit
#: outside the article element, so they are never indexed.
DEFAULT_EXCLUDE_SELECTORS: tuple[str, ...] = (
    ".story__section",
    ".story__meta",
    ".story > .figure",
    ".story__footer",
    "nav",
    "aside",
    "form",
    ".no-search",
)
#: The folder (inside the output) that receives Pagefind's bundle.
DEFAULT_BUNDLE_DIR = "pagefind"
#: Results shown at once on the search page; "More results" shows the next ones.
DEFAULT_RESULTS_PER_PAGE = 10
#: Words of context in each result's excerpt.
DEFAULT_EXCERPT_WORDS = 30
#: Articles per index part. Pagefind cannot update an index in part, so the
#: index is split into parts of this many articles in publication order: an
#: edit re-indexes one part, and indexing holds one part's pages in memory
#: (about 150 KB each); each part adds one index file to a reader's first search.
DEFAULT_PART_SIZE = 4000
#: The search page's URL when SEARCH_URL is not set.
DEFAULT_SEARCH_URL = "search/"

_PARAMETER = re.compile(r"^[A-Za-z0-9_.-]+$")
_BUNDLE_DIR = re.compile(r"^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$")


class NewsdeskSearchSettingsError(ValueError):
    """A newsdesk_search setting has a value the plugin cannot use."""


@dataclass(frozen=True)
class SearchSettings:
    """What the search plugin needs from Pelican's settings."""

    #: NEWSDESK_SEARCH_FALLBACK_URL: the no-JavaScript web search (http/https), or None.
    fallback_url: str | None = DEFAULT_FALLBACK_URL
    #: NEWSDESK_SEARCH_FALLBACK_SITE_PARAM: the fallback's "restrict to this site" parameter.
    fallback_site_param: str = DEFAULT_FALLBACK_SITE_PARAM
    #: NEWSDESK_SEARCH_EXCLUDE_SELECTORS: CSS selectors left out of the index.
    exclude_selectors: tuple[str, ...] = DEFAULT_EXCLUDE_SELECTORS
    #: NEWSDESK_SEARCH_BUNDLE_DIR: the index folder inside the output.
    bundle_dir: str = DEFAULT_BUNDLE_DIR
    #: NEWSDESK_SEARCH_RESULTS_PER_PAGE: results shown before "More results".
    results_per_page: int = DEFAULT_RESULTS_PER_PAGE
    #: NEWSDESK_SEARCH_EXCERPT_WORDS: words of context in an excerpt.
    excerpt_words: int = DEFAULT_EXCERPT_WORDS
    #: NEWSDESK_SEARCH_PART_SIZE: articles per index part.
    part_size: int = DEFAULT_PART_SIZE
    #: SITEURL (Pelican's): "" while developing, absolute in production.
    siteurl: str = ""
    #: SEARCH_URL (Pelican's direct-template URL of the search page).
    search_url: str = DEFAULT_SEARCH_URL
    #: ARCHIVES_URL (Pelican's), offered when a search cannot run.
    archives_url: str = "archives/"

    @classmethod
    def from_pelican(cls, settings: Mapping[str, object]) -> SearchSettings:
        """Read and validate the plugin's settings from Pelican's settings dict."""
        fallback_url = settings.get("NEWSDESK_SEARCH_FALLBACK_URL", DEFAULT_FALLBACK_URL)
        if fallback_url == "":
            fallback_url = None
        if fallback_url is not None and not _is_web_url(fallback_url):
            raise NewsdeskSearchSettingsError(
                f"NEWSDESK_SEARCH_FALLBACK_URL must be an http(s) URL or None, not {fallback_url!r}"
            )
        site_param = settings.get(
            "NEWSDESK_SEARCH_FALLBACK_SITE_PARAM", DEFAULT_FALLBACK_SITE_PARAM
        )
        if not isinstance(site_param, str) or not _PARAMETER.match(site_param):
            raise NewsdeskSearchSettingsError(
                "NEWSDESK_SEARCH_FALLBACK_SITE_PARAM must be a query parameter name, "
                f"not {site_param!r}"
            )
        selectors = settings.get("NEWSDESK_SEARCH_EXCLUDE_SELECTORS", DEFAULT_EXCLUDE_SELECTORS)
        if not isinstance(selectors, list | tuple) or not all(
            isinstance(selector, str) and selector.strip() for selector in selectors
        ):
            raise NewsdeskSearchSettingsError(
                "NEWSDESK_SEARCH_EXCLUDE_SELECTORS must be a list of CSS selectors, "
                f"not {selectors!r}"
            )
        bundle_dir = settings.get("NEWSDESK_SEARCH_BUNDLE_DIR", DEFAULT_BUNDLE_DIR)
        if not isinstance(bundle_dir, str) or not _BUNDLE_DIR.match(bundle_dir):
            raise NewsdeskSearchSettingsError(
                "NEWSDESK_SEARCH_BUNDLE_DIR must be a relative folder such as 'pagefind', "
                f"not {bundle_dir!r}"
            )
        return cls(
            fallback_url=fallback_url,
            fallback_site_param=site_param,
            exclude_selectors=tuple(selectors),
            bundle_dir=bundle_dir,
            results_per_page=_count(
                settings, "NEWSDESK_SEARCH_RESULTS_PER_PAGE", DEFAULT_RESULTS_PER_PAGE
            ),
            excerpt_words=_count(settings, "NEWSDESK_SEARCH_EXCERPT_WORDS", DEFAULT_EXCERPT_WORDS),
            part_size=_count(settings, "NEWSDESK_SEARCH_PART_SIZE", DEFAULT_PART_SIZE),
            siteurl=_text(settings, "SITEURL", ""),
            search_url=_text(settings, "SEARCH_URL", DEFAULT_SEARCH_URL),
            archives_url=_text(settings, "ARCHIVES_URL", "archives/"),
        )


def _is_web_url(value: object) -> bool:
    """Tell whether a value is an absolute http or https URL."""
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def _count(settings: Mapping[str, object], name: str, default: int) -> int:
    """Return a setting that must be a whole number of at least 1."""
    value = settings.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise NewsdeskSearchSettingsError(f"{name} must be a whole number >= 1, not {value!r}")
    return value


def _text(settings: Mapping[str, object], name: str, default: str) -> str:
    """Return a Pelican setting that must be text."""
    value = settings.get(name, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise NewsdeskSearchSettingsError(f"{name} must be text, not {value!r}")
    return value
