"""The newsroom's authors: one TOML file with name, slug, bio and optional photo."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

_TOML_LINE_RE = re.compile(r"at line (\d+)")
_TABLE_RE = re.compile(r"^[ \t]*\[\[[ \t]*author[ \t]*\]\]", re.MULTILINE)


@dataclass(frozen=True)
class AuthorInfo:
    """One author as the newsroom describes them."""

    name: str
    slug: str
    bio: str
    photo: str | None = None
    role: str | None = None


class AuthorsFileError(ValueError):
    """The authors file is missing, malformed or inconsistent (`path:line: error: reason`)."""

    def __init__(self, path: Path | str, line: int, reason: str) -> None:
        super().__init__(f"{path}:{line}: error: {reason}")
        self.path = str(path)
        self.line = line
        self.reason = reason


def parse_authors(text: str, path: Path | str = "authors.toml") -> dict[str, AuthorInfo]:
    """Parse the text of an authors file; errors name the line of the entry at fault."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = _TOML_LINE_RE.search(str(error))
        line = int(match.group(1)) if match else 1
        raise AuthorsFileError(path, line, f"not valid TOML: {error}") from error
    entries = data.get("author", [])
    if not isinstance(entries, list):
        raise AuthorsFileError(path, 1, "authors must be [[author]] tables")
    starts = [text.count("\n", 0, match.start()) + 1 for match in _TABLE_RE.finditer(text)]
    authors: dict[str, AuthorInfo] = {}
    slugs: dict[str, str] = {}
    for index, entry in enumerate(entries, start=1):
        line = starts[index - 1] if index <= len(starts) else 1
        if not isinstance(entry, dict):
            raise AuthorsFileError(path, line, f"author #{index} is not an [[author]] table")
        missing = [
            key
            for key in ("name", "slug", "bio")
            if not isinstance(entry.get(key), str) or not entry[key].strip()
        ]
        if missing:
            raise AuthorsFileError(path, line, f"author #{index} lacks {', '.join(missing)}")
        info = AuthorInfo(
            name=entry["name"],
            slug=entry["slug"],
            bio=entry["bio"],
            photo=entry.get("photo"),
            role=entry.get("role"),
        )
        if info.name in authors:
            raise AuthorsFileError(path, line, f"author {info.name!r} listed twice")
        if info.slug in slugs:
            raise AuthorsFileError(
                path, line, f"slug {info.slug!r} of {info.name!r} is also {slugs[info.slug]!r}'s"
            )
        authors[info.name] = info
        slugs[info.slug] = info.name
    return authors


def load_authors(path: Path) -> dict[str, AuthorInfo]:
    """Read the authors file and return the authors keyed by their name."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise AuthorsFileError(path, 1, "authors file not found") from error
    except UnicodeDecodeError as error:
        raise AuthorsFileError(path, 1, "authors file is not valid UTF-8") from error
    return parse_authors(text, path)
