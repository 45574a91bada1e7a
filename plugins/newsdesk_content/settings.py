"""Settings of the content plugin: every default in one place, validated up front.

`ContentSettings.from_pelican(settings)` reads a Pelican settings dict (the
result of `pelican.settings.read_settings`, so Pelican's own defaults are
filled in) without changing it, and raises `ContentSettingsError` on a bad value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# A summary longer than this is a warning: it is the standfirst and the meta description.
DEFAULT_SUMMARY_MAX_LENGTH = 300
# Synonym tags merged into one: {"Karabakh": "Nagorno-Karabakh"}. Keys match
# case-, space- and hyphen-insensitively; values are the tag articles get.
DEFAULT_TAG_ALIASES: dict[str, str] = {}
# Metadata keys other plugins add (lower-case); the check then knows them.
DEFAULT_EXTRA_METADATA: tuple[str, ...] = ()

# Pelican's defaults, used when a settings dict lacks them (a partial dict in a test).
_PELICAN_SLUG_SUBSTITUTIONS: tuple[tuple[str, str], ...] = (
    (r"[^\w\s-]", ""),
    (r"(?u)\A\s*", ""),
    (r"(?u)\s*\Z", ""),
    (r"[-\s]+", "-"),
)
MARKDOWN_EXTENSIONS: tuple[str, ...] = ("md", "markdown", "mkd", "mdown")


class ContentSettingsError(ValueError):
    """A NEWSDESK_* content setting (or a Pelican setting it relies on) is invalid."""


@dataclass(frozen=True)
class SlugRules:
    """How Pelican turns a title or tag into a slug (SLUG_* / TAG_* settings)."""

    substitutions: tuple[tuple[str, str], ...] = _PELICAN_SLUG_SUBSTITUTIONS
    tag_substitutions: tuple[tuple[str, str], ...] = _PELICAN_SLUG_SUBSTITUTIONS
    category_substitutions: tuple[tuple[str, str], ...] = _PELICAN_SLUG_SUBSTITUTIONS
    author_substitutions: tuple[tuple[str, str], ...] = _PELICAN_SLUG_SUBSTITUTIONS
    preserve_case: bool = False
    use_unicode: bool = False
    source: str = "title"


@dataclass(frozen=True)
class UrlPatterns:
    """Pelican's URL settings, to know which site-relative links exist."""

    article: str = "{date:%Y}/{date:%m}/{slug}/"
    page: str = "{slug}/"
    category: str = "section/{slug}/"
    tag: str = "tag/{slug}/"
    author: str = "author/{slug}/"
    archives: str = "archives/"


@dataclass(frozen=True)
class ContentSettings:
    """Everything the content rules need to know about the site."""

    content_root: Path
    sections: tuple[str, ...]
    authors_file: str = "authors.toml"
    timezone: str = "UTC"
    tag_aliases: Mapping[str, str] = field(default_factory=dict)
    summary_max_length: int = DEFAULT_SUMMARY_MAX_LENGTH
    extra_metadata: tuple[str, ...] = DEFAULT_EXTRA_METADATA
    article_paths: tuple[str, ...] = ("articles",)
    page_paths: tuple[str, ...] = ("pages",)
    static_paths: tuple[str, ...] = ("images",)
    ignore_files: tuple[str, ...] = ("**/.*",)
    slugs: SlugRules = field(default_factory=SlugRules)
    urls: UrlPatterns = field(default_factory=UrlPatterns)

    @property
    def zone(self) -> ZoneInfo:
        """The site's timezone."""
        return ZoneInfo(self.timezone)

    @property
    def authors_path(self) -> Path:
        """The authors data file."""
        return self.content_root / self.authors_file

    @classmethod
    def from_pelican(cls, settings: Mapping[str, object]) -> ContentSettings:
        """Read and validate the content settings from a Pelican settings dict."""
        sections = settings.get("NEWSDESK_SECTIONS")
        if not isinstance(sections, list | tuple) or not sections:
            raise ContentSettingsError("NEWSDESK_SECTIONS must be a non-empty list of names")
        if not all(isinstance(name, str) and name.strip() for name in sections):
            raise ContentSettingsError("NEWSDESK_SECTIONS must hold non-empty strings")
        if len(set(sections)) != len(sections):
            raise ContentSettingsError("NEWSDESK_SECTIONS lists a section twice")

        timezone = settings.get("TIMEZONE") or "UTC"
        try:
            ZoneInfo(str(timezone))
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ContentSettingsError(f"TIMEZONE {timezone!r} is not a known timezone") from error

        aliases = settings.get("NEWSDESK_TAG_ALIASES", DEFAULT_TAG_ALIASES)
        if not isinstance(aliases, Mapping) or not all(
            isinstance(key, str) and key.strip() and isinstance(value, str) and value.strip()
            for key, value in aliases.items()
        ):
            raise ContentSettingsError(
                "NEWSDESK_TAG_ALIASES must map tag names to tag names, "
                'e.g. {"Karabakh": "Nagorno-Karabakh"}'
            )

        summary_max = settings.get("NEWSDESK_SUMMARY_MAX_LENGTH", DEFAULT_SUMMARY_MAX_LENGTH)
        if not isinstance(summary_max, int) or isinstance(summary_max, bool) or summary_max < 1:
            raise ContentSettingsError("NEWSDESK_SUMMARY_MAX_LENGTH must be a positive integer")

        extra = settings.get("NEWSDESK_EXTRA_METADATA", DEFAULT_EXTRA_METADATA)
        if not isinstance(extra, list | tuple) or not all(isinstance(k, str) for k in extra):
            raise ContentSettingsError("NEWSDESK_EXTRA_METADATA must be a list of metadata keys")

        authors_file = settings.get("NEWSDESK_AUTHORS_FILE", "authors.toml")
        if not isinstance(authors_file, str) or not authors_file:
            raise ContentSettingsError("NEWSDESK_AUTHORS_FILE must be a path inside PATH")

        slug_subs = _substitutions(
            settings, "SLUG_REGEX_SUBSTITUTIONS", _PELICAN_SLUG_SUBSTITUTIONS
        )
        defaults = UrlPatterns()
        return cls(
            content_root=Path(str(settings.get("PATH", "content"))),
            sections=tuple(sections),
            authors_file=authors_file,
            timezone=str(timezone),
            tag_aliases=dict(aliases),
            summary_max_length=summary_max,
            extra_metadata=tuple(key.lower() for key in extra),
            article_paths=_paths(settings, "ARTICLE_PATHS", ("",)),
            page_paths=_paths(settings, "PAGE_PATHS", ("pages",)),
            static_paths=_paths(settings, "STATIC_PATHS", ("images",)),
            ignore_files=_paths(settings, "IGNORE_FILES", ("**/.*",)),
            slugs=SlugRules(
                substitutions=slug_subs,
                tag_substitutions=_substitutions(settings, "TAG_REGEX_SUBSTITUTIONS", slug_subs),
                category_substitutions=_substitutions(
                    settings, "CATEGORY_REGEX_SUBSTITUTIONS", slug_subs
                ),
                author_substitutions=_substitutions(
                    settings, "AUTHOR_REGEX_SUBSTITUTIONS", slug_subs
                ),
                preserve_case=bool(settings.get("SLUGIFY_PRESERVE_CASE", False)),
                use_unicode=bool(settings.get("SLUGIFY_USE_UNICODE", False)),
                source=str(settings.get("SLUGIFY_SOURCE", "title")),
            ),
            urls=UrlPatterns(
                article=str(settings.get("ARTICLE_URL", defaults.article)),
                page=str(settings.get("PAGE_URL", defaults.page)),
                category=str(settings.get("CATEGORY_URL", defaults.category)),
                tag=str(settings.get("TAG_URL", defaults.tag)),
                author=str(settings.get("AUTHOR_URL", defaults.author)),
                archives=str(settings.get("ARCHIVES_URL", defaults.archives)),
            ),
        )


def _paths(settings: Mapping[str, object], key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    """Read a list-of-strings setting."""
    value = settings.get(key, default)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
        raise ContentSettingsError(f"{key} must be a list of paths")
    return tuple(value)


def _substitutions(
    settings: Mapping[str, object], key: str, default: tuple[tuple[str, str], ...]
) -> tuple[tuple[str, str], ...]:
    """Read a list of (pattern, replacement) pairs."""
    value = settings.get(key)
    if value is None:
        return default
    try:
        return tuple((str(source), str(target)) for source, target in value)  # type: ignore[attr-defined]
    except (TypeError, ValueError) as error:
        raise ContentSettingsError(
            f"{key} must be a list of (pattern, replacement) pairs"
        ) from error
