"""Settings of the discoverability plugin: every default in one place, validated once.

All names start with ``NEWSDESK_``; a site changes them in pelicanconf.py or
publishconf.py. `SeoSettings.from_pelican` reads Pelican's settings dict
without changing it and raises `SeoSettingsError` on a bad value.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: Environment variable that pins the build's "now" when the setting is absent.
BUILD_NOW_ENV = "NEWSDESK_BUILD_NOW"

#: The sitemaps.org protocol allows at most this many URLs in one sitemap file.
SITEMAP_PROTOCOL_LIMIT = 50_000
#: Google News reads at most this many URLs from one news sitemap.
NEWS_SITEMAP_PROTOCOL_LIMIT = 1_000

FEED_CONTENT_CHOICES = ("full", "summary")
#: `_redirects` status codes: 301/308 (Cloudflare Pages and Netlify); with `!`
#: Netlify applies the rule even though a redirect page exists at the old path.
REDIRECT_STATUS_CHOICES = ("301", "308", "301!", "308!")
#: Google News: ISO 639 code of 2 or 3 letters, or zh-cn / zh-tw.
NEWS_LANGUAGE = re.compile(r"zh-cn|zh-tw|[a-z]{2,3}")
OUTPUT_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._/-]*")

DEFAULTS: dict[str, Any] = {
    # The build's "now" (ISO 8601; a naive time is in TIMEZONE). None: the env
    # variable NEWSDESK_BUILD_NOW, else the clock. Only the news sitemap uses it.
    "NEWSDESK_BUILD_NOW": None,
    # Publisher logo for JSON-LD: a raster file inside the theme's static folder.
    "NEWSDESK_PUBLISHER_LOGO": "images/publisher-logo.png",
    # Share image of pages without one of their own (same folder); None: the logo.
    "NEWSDESK_DEFAULT_SHARE_IMAGE": None,
    # Twitter/X account of the outlet ("@handle"), or None.
    "NEWSDESK_TWITTER_SITE": None,
    # Feeds carry the whole article ("full") or only its summary ("summary").
    "NEWSDESK_FEED_CONTENT": "full",
    # Domain in the permanent tag: URIs of feed entries; None: SITEURL's host.
    "NEWSDESK_FEED_ID_AUTHORITY": None,
    # General sitemap; above SITEMAP_MAX_URLS it becomes an index of children.
    "NEWSDESK_SITEMAP": "sitemap.xml",
    "NEWSDESK_SITEMAP_MAX_URLS": SITEMAP_PROTOCOL_LIMIT,
    # Google News sitemap: articles of the last WINDOW_HOURS, newest first.
    "NEWSDESK_NEWS_SITEMAP": "news-sitemap.xml",
    "NEWSDESK_NEWS_SITEMAP_WINDOW_HOURS": 48,
    "NEWSDESK_NEWS_SITEMAP_MAX_URLS": NEWS_SITEMAP_PROTOCOL_LIMIT,
    # Publication name as Google News knows it; None: SITENAME.
    "NEWSDESK_NEWS_PUBLICATION_NAME": None,
    # robots.txt naming the sitemaps (None: do not write one).
    "NEWSDESK_ROBOTS_TXT": "robots.txt",
    # Redirect files for servers that do real redirects (None: do not write).
    "NEWSDESK_REDIRECTS_NGINX_MAP": "redirects.nginx.map",
    "NEWSDESK_REDIRECTS_FILE": "_redirects",
    "NEWSDESK_REDIRECTS_STATUS": "301",
    # Direct templates (DIRECT_TEMPLATES) whose pages are tools, not stories:
    # robots noindex and left out of the sitemap (the search page's results
    # are the site's own pages).
    "NEWSDESK_NOINDEX_TEMPLATES": ("search",),
}


class SeoSettingsError(ValueError):
    """A NEWSDESK_ discoverability setting has a value the plugin cannot use."""


@dataclass(frozen=True)
class SeoSettings:
    """The plugin's settings, validated, with Pelican's own values it depends on."""

    siteurl: str
    sitename: str
    tagline: str
    language: str
    timezone: str
    theme_static_dir: str
    build_now: datetime
    publisher_logo: str
    default_share_image: str
    twitter_site: str | None
    feed_content: str
    feed_id_authority: str
    sitemap: str
    sitemap_max_urls: int
    news_sitemap: str
    news_window: timedelta
    news_max_urls: int
    news_publication_name: str
    robots_txt: str | None
    redirects_nginx_map: str | None
    redirects_file: str | None
    redirects_status: str
    #: Output files of NEWSDESK_NOINDEX_TEMPLATES (their *_SAVE_AS).
    noindex_pages: frozenset[str]

    @property
    def absolute(self) -> bool:
        """Whether SITEURL is absolute (production): sitemaps need absolute URLs."""
        return self.siteurl.startswith(("http://", "https://"))

    @classmethod
    def from_pelican(
        cls, settings: dict[str, Any], environ: dict[str, str] | None = None
    ) -> SeoSettings:
        """Read and validate the plugin's settings from Pelican's settings dict."""
        environ = dict(os.environ) if environ is None else environ

        def get(name: str) -> Any:
            return settings.get(name, DEFAULTS[name])

        siteurl = str(settings.get("SITEURL", "") or "").rstrip("/")
        timezone = str(settings.get("TIMEZONE") or "UTC")
        try:
            zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise SeoSettingsError(f"TIMEZONE {timezone!r} is not a known time zone") from error
        sitename = str(settings.get("SITENAME", ""))
        language = str(settings.get("DEFAULT_LANG", "en"))

        feed_content = get("NEWSDESK_FEED_CONTENT")
        if feed_content not in FEED_CONTENT_CHOICES:
            raise SeoSettingsError(
                f"NEWSDESK_FEED_CONTENT must be one of {FEED_CONTENT_CHOICES}, not {feed_content!r}"
            )
        authority = get("NEWSDESK_FEED_ID_AUTHORITY") or urlsplit(siteurl).hostname or "localhost"
        if not re.fullmatch(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?", str(authority)):
            raise SeoSettingsError(
                f"NEWSDESK_FEED_ID_AUTHORITY must be a lower-case domain name, not {authority!r}"
            )
        status = str(get("NEWSDESK_REDIRECTS_STATUS"))
        if status not in REDIRECT_STATUS_CHOICES:
            raise SeoSettingsError(
                f"NEWSDESK_REDIRECTS_STATUS must be one of {REDIRECT_STATUS_CHOICES}, "
                f"not {status!r}"
            )
        news_language = language.lower()
        if not NEWS_LANGUAGE.fullmatch(news_language):
            raise SeoSettingsError(
                f"DEFAULT_LANG {language!r} is not a Google News language "
                "(2 or 3 letter ISO 639 code, zh-cn or zh-tw)"
            )
        twitter = get("NEWSDESK_TWITTER_SITE")
        if twitter is not None and not re.fullmatch(r"@\w{1,15}", str(twitter)):
            raise SeoSettingsError(
                f"NEWSDESK_TWITTER_SITE must look like '@handle', not {twitter!r}"
            )

        logo = _output_name("NEWSDESK_PUBLISHER_LOGO", get("NEWSDESK_PUBLISHER_LOGO"))
        share = get("NEWSDESK_DEFAULT_SHARE_IMAGE")
        share = logo if share is None else _output_name("NEWSDESK_DEFAULT_SHARE_IMAGE", share)

        return cls(
            siteurl=siteurl,
            sitename=sitename,
            tagline=str(settings.get("SITE_TAGLINE") or settings.get("SITESUBTITLE") or ""),
            language=language,
            timezone=timezone,
            theme_static_dir=str(settings.get("THEME_STATIC_DIR", "theme")).strip("/"),
            build_now=parse_build_now(
                get("NEWSDESK_BUILD_NOW") or environ.get(BUILD_NOW_ENV), zone
            ),
            publisher_logo=logo,
            default_share_image=share,
            twitter_site=twitter,
            feed_content=feed_content,
            feed_id_authority=str(authority),
            sitemap=_output_name("NEWSDESK_SITEMAP", get("NEWSDESK_SITEMAP")),
            sitemap_max_urls=_bounded(
                "NEWSDESK_SITEMAP_MAX_URLS",
                get("NEWSDESK_SITEMAP_MAX_URLS"),
                SITEMAP_PROTOCOL_LIMIT,
            ),
            news_sitemap=_output_name("NEWSDESK_NEWS_SITEMAP", get("NEWSDESK_NEWS_SITEMAP")),
            news_window=timedelta(
                hours=_bounded(
                    "NEWSDESK_NEWS_SITEMAP_WINDOW_HOURS",
                    get("NEWSDESK_NEWS_SITEMAP_WINDOW_HOURS"),
                    24 * 30,
                )
            ),
            news_max_urls=_bounded(
                "NEWSDESK_NEWS_SITEMAP_MAX_URLS",
                get("NEWSDESK_NEWS_SITEMAP_MAX_URLS"),
                NEWS_SITEMAP_PROTOCOL_LIMIT,
            ),
            news_publication_name=str(get("NEWSDESK_NEWS_PUBLICATION_NAME") or sitename),
            robots_txt=_optional_output_name("NEWSDESK_ROBOTS_TXT", get("NEWSDESK_ROBOTS_TXT")),
            redirects_nginx_map=_optional_output_name(
                "NEWSDESK_REDIRECTS_NGINX_MAP", get("NEWSDESK_REDIRECTS_NGINX_MAP")
            ),
            redirects_file=_optional_output_name(
                "NEWSDESK_REDIRECTS_FILE", get("NEWSDESK_REDIRECTS_FILE")
            ),
            redirects_status=status,
            noindex_pages=_noindex_pages(settings, get("NEWSDESK_NOINDEX_TEMPLATES")),
        )


def parse_build_now(value: object, zone: ZoneInfo) -> datetime:
    """Return the build's "now": a pinned ISO 8601 value (naive means `zone`) or the clock."""
    if value is None or value == "":
        return datetime.now(zone)
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError as error:
            raise SeoSettingsError(
                f"NEWSDESK_BUILD_NOW {value!r} is not an ISO 8601 date and time"
            ) from error
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _noindex_pages(settings: dict[str, Any], templates: object) -> frozenset[str]:
    if not isinstance(templates, list | tuple) or not all(
        isinstance(name, str) and name for name in templates
    ):
        raise SeoSettingsError(
            f"NEWSDESK_NOINDEX_TEMPLATES must be a list of template names, not {templates!r}"
        )
    save_as = (settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html") for name in templates)
    return frozenset(str(path).lstrip("/") for path in save_as if path)


def _bounded(name: str, value: object, upper: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= upper:
        raise SeoSettingsError(f"{name} must be a whole number from 1 to {upper}, not {value!r}")
    return value


def _output_name(name: str, value: object) -> str:
    text = str(value)
    if not OUTPUT_NAME.fullmatch(text) or ".." in text.split("/"):
        raise SeoSettingsError(f"{name} must be a relative file path, not {value!r}")
    return text


def _optional_output_name(name: str, value: object) -> str | None:
    return None if value is None else _output_name(name, value)
