"""Tag normalisation: spelling variants that slugify alike, and aliases, become one tag."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from unidecode import unidecode

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def normalise_tag(name: str) -> str:
    """Return the comparison key of a tag: ASCII, lower case, words joined by hyphens."""
    ascii_text = unidecode(unicodedata.normalize("NFKC", name))
    return _NON_ALNUM.sub("-", ascii_text.lower()).strip("-")


class TagAliasError(ValueError):
    """The alias map cannot be applied (empty tag, alias of itself, chain, conflict)."""


def alias_keys(aliases: Mapping[str, str]) -> dict[str, str]:
    """Return the alias map as normalised key -> normalised canonical key, validated."""
    keys: dict[str, str] = {}
    for alias, target in sorted(aliases.items()):
        alias_key, target_key = normalise_tag(alias), normalise_tag(target)
        if not alias_key or not target_key:
            raise TagAliasError(f"alias {alias!r} -> {target!r} has an empty tag")
        if alias_key == target_key:
            raise TagAliasError(f"alias {alias!r} -> {target!r} maps a tag to itself")
        if keys.get(alias_key, target_key) != target_key:
            raise TagAliasError(f"alias {alias!r} is given two different tags")
        keys[alias_key] = target_key
    for alias_key, target_key in sorted(keys.items()):
        if target_key in keys:
            raise TagAliasError(
                f"alias {alias_key!r} -> {target_key!r} points at another alias; "
                f"map it to {keys[target_key]!r} directly"
            )
    return keys


def tag_keys(names: tuple[str, ...] | list[str], aliases: Mapping[str, str]) -> list[str]:
    """Return the distinct tag keys of an article in first-seen order (aliases applied)."""
    seen: dict[str, None] = {}
    for name in names:
        key = normalise_tag(name)
        key = aliases.get(key, key)
        if key:
            seen.setdefault(key, None)
    return list(seen)
