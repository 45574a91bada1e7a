"""Slugs and tag spellings: Pelican's slugify rules, and how tags are normalised and compared.

`slugify` reproduces `pelican.utils.slugify` (a test holds them equal) so the
check knows every URL without importing Pelican.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache

from markupsafe import Markup
from unidecode import unidecode

from .settings import SlugRules
from .source import split_list


@lru_cache(maxsize=64)
def _compiled(substitutions: tuple[tuple[str, str], ...]) -> tuple[tuple[re.Pattern, str], ...]:
    """Compile (pattern, replacement) pairs once."""
    return tuple(
        (
            re.compile(unicodedata.normalize("NFKC", source), re.IGNORECASE),
            unicodedata.normalize("NFKC", target),
        )
        for source, target in substitutions
    )


def slugify(
    value: str,
    substitutions: Iterable[tuple[str, str]],
    preserve_case: bool = False,
    use_unicode: bool = False,
) -> str:
    """Return the slug Pelican makes of `value` with these substitutions."""
    return _slugify(value, tuple(substitutions), preserve_case, use_unicode)


@lru_cache(maxsize=65536)
def _slugify(
    value: str,
    substitutions: tuple[tuple[str, str], ...],
    preserve_case: bool,
    use_unicode: bool,
) -> str:
    # Markup.striptags() also decodes entities and collapses spaces; plain text needs only that.
    text = Markup(value).striptags() if "<" in value or "&" in value else " ".join(value.split())
    text = unicodedata.normalize("NFKC", text)
    if not use_unicode:
        text = unidecode(text)
    for pattern, replacement in _compiled(substitutions):
        text = pattern.sub(replacement, text)
    if not preserve_case:
        text = text.lower()
    return text.strip()


def title_slug(title: str, rules: SlugRules) -> str:
    """The slug of an article or page title."""
    return slugify(title, rules.substitutions, rules.preserve_case, rules.use_unicode)


def tag_slug(tag: str, rules: SlugRules) -> str:
    """The slug of a tag (its page is tag/<slug>/)."""
    return slugify(tag, rules.tag_substitutions, rules.preserve_case, rules.use_unicode)


def normalize_tag(raw: str) -> str:
    """A tag as written, cleaned: HTML entities decoded, spaces trimmed and collapsed."""
    text = unicodedata.normalize("NFC", html.unescape(raw))
    return " ".join(text.split())


def split_tags(value: str) -> list[str]:
    """The tags of a Tags: value; entities are decoded first, so `r&amp;d` is one tag."""
    return split_list(html.unescape(value))


def tag_key(tag: str, rules: SlugRules) -> str:
    """What two tags share when one nearly duplicates the other: case-, space-, hyphen-blind."""
    return slugify(tag, rules.tag_substitutions, False, rules.use_unicode).replace("-", "")


def alias_table(aliases: Mapping[str, str], rules: SlugRules) -> dict[str, str]:
    """Map the key of every alias to the normalised tag it stands for."""
    return {
        tag_key(normalize_tag(source), rules): normalize_tag(target)
        for source, target in aliases.items()
    }


def canonical_tags(
    raw_tags: Iterable[str],
    aliases: Mapping[str, str],
    spellings: Mapping[str, str],
    rules: SlugRules,
) -> list[str]:
    """Normalise tags, merge aliases and near-duplicates; keep the first of each, in order.

    `aliases` is an `alias_table`; `spellings` maps a tag key to the spelling the
    site uses for it (the check's choice: the most used one).
    """
    result: dict[str, str] = {}
    for raw in raw_tags:
        tag = normalize_tag(raw)
        if not tag:
            continue
        key = tag_key(tag, rules)
        tag = aliases.get(key, tag)
        key = tag_key(tag, rules)
        result.setdefault(key, spellings.get(key, tag))
    return list(result.values())
