"""The newsroom's authors: one TOML file with name, slug, bio and optional photo."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class AuthorInfo:
    """One author as the newsroom describes them."""

    name: str
    slug: str
    bio: str
    photo: str | None = None
    role: str | None = None


class AuthorsFileError(ValueError):
    """The authors file is missing, malformed or inconsistent."""


def load_authors(path: Path) -> dict[str, AuthorInfo]:
    """Read the authors file and return the authors keyed by their name."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise AuthorsFileError(f"{path}:1: error: authors file not found") from error
    except tomllib.TOMLDecodeError as error:
        raise AuthorsFileError(f"{path}:1: error: {error}") from error
    authors: dict[str, AuthorInfo] = {}
    for index, entry in enumerate(data.get("author", []), start=1):
        missing = [key for key in ("name", "slug", "bio") if not entry.get(key)]
        if missing:
            raise AuthorsFileError(
                f"{path}:1: error: author #{index} lacks {', '.join(missing)}"
            )
        info = AuthorInfo(
            name=entry["name"],
            slug=entry["slug"],
            bio=entry["bio"],
            photo=entry.get("photo"),
            role=entry.get("role"),
        )
        if info.name in authors:
            raise AuthorsFileError(f"{path}:1: error: author {info.name!r} listed twice")
        authors[info.name] = info
    return authors
