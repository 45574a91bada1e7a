"""You May Also Like settings: every YMAL_* knob with its default, validated in one place."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .tags import TagAliasError, alias_keys


class YouMayAlsoLikeSettingsError(ValueError):
    """A YMAL_* setting has a value the plugin cannot use."""


@dataclass(frozen=True)
class YouMayAlsoLikeSettings:
    """How suggestions are ranked; each field is the YMAL_<FIELD> setting."""

    #: Suggestions shown per article (pins included).
    limit: int = 4
    #: Days after which the freshness factor halves; None turns freshness off.
    half_life_days: float | None = 180.0
    #: Added to the tag score of a candidate in the same section (it must share a tag).
    section_bonus: float = 0.0
    #: Never suggest an article newer than the one shown (pages never change once published).
    exclude_newer: bool = False
    #: Only suggest articles in the shown article's language.
    same_language: bool = True
    #: Fill a short block with the same section's articles closest in time.
    fallback: bool = True
    #: A tag on more than this share of the published articles is "broad" ...
    broad_tag_share: float = 0.2
    #: ... and its weight ln(1 + N/df) is multiplied by this factor.
    broad_tag_factor: float = 0.25
    #: A tag on more articles than this is searched only near the article in time ...
    scan_limit: int = 100
    #: ... among this many of its articles on each side of the article's date
    #: (at least YMAL_LIMIT are taken).
    scan_window: int = 8
    #: Synonyms: alias tag -> canonical tag (compared after normalisation).
    tag_aliases: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        """Reject values the ranking cannot use."""
        _validate(self)

    @classmethod
    def from_pelican(cls, settings: Mapping[str, Any]) -> YouMayAlsoLikeSettings:
        """Read the YMAL_* values of a Pelican settings dict (never modified)."""
        known = {f"YMAL_{name.upper()}": name for name in cls.__dataclass_fields__}
        unknown = sorted(key for key in settings if key.startswith("YMAL_") and key not in known)
        if unknown:
            raise YouMayAlsoLikeSettingsError(
                f"unknown setting {unknown[0]} (known: {', '.join(sorted(known))})"
            )
        values = {name: settings[key] for key, name in known.items() if key in settings}
        if "tag_aliases" in values:
            aliases = values["tag_aliases"]
            if not isinstance(aliases, Mapping):
                raise YouMayAlsoLikeSettingsError(
                    f"YMAL_TAG_ALIASES must be a dict of alias -> tag, got {aliases!r}"
                )
            values["tag_aliases"] = MappingProxyType(dict(aliases))
        return cls(**values)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _validate(s: YouMayAlsoLikeSettings) -> None:
    def fail(name: str, expected: str, value: object) -> None:
        raise YouMayAlsoLikeSettingsError(f"YMAL_{name.upper()} must be {expected}, got {value!r}")

    if not _is_int(s.limit) or not 1 <= s.limit <= 50:
        fail("limit", "an integer from 1 to 50", s.limit)
    if s.half_life_days is not None and not (_is_number(s.half_life_days) and s.half_life_days > 0):
        fail("half_life_days", "a positive number of days or None", s.half_life_days)
    if not _is_number(s.section_bonus) or s.section_bonus < 0:
        fail("section_bonus", "a number >= 0", s.section_bonus)
    for name in ("exclude_newer", "same_language", "fallback"):
        if not isinstance(getattr(s, name), bool):
            fail(name, "True or False", getattr(s, name))
    if not _is_number(s.broad_tag_share) or not 0 < s.broad_tag_share <= 1:
        fail("broad_tag_share", "a share between 0 (excluded) and 1", s.broad_tag_share)
    if not _is_number(s.broad_tag_factor) or not 0 <= s.broad_tag_factor <= 1:
        fail("broad_tag_factor", "a number from 0 to 1", s.broad_tag_factor)
    if not _is_int(s.scan_limit) or s.scan_limit < 1:
        fail("scan_limit", "a positive integer", s.scan_limit)
    if not _is_int(s.scan_window) or s.scan_window < 1:
        fail("scan_window", "a positive integer", s.scan_window)
    if not isinstance(s.tag_aliases, Mapping):
        fail("tag_aliases", "a dict of alias -> tag", s.tag_aliases)
    for alias, target in s.tag_aliases.items():
        if not isinstance(alias, str) or not isinstance(target, str):
            fail("tag_aliases", "a dict of tag names (strings)", {alias: target})
    try:
        alias_keys(s.tag_aliases)
    except TagAliasError as error:
        raise YouMayAlsoLikeSettingsError(f"YMAL_TAG_ALIASES: {error}") from None
