"""`make new`: scaffold an article with every metadata field, filled or marked TODO.

`python -m newsdesk_content.new --title "…" --section Armenia [--authors "A, B"]
[--tags "a, b"]` writes `content/articles/YYYY/<slug>.md`: the date is now in the
site's timezone, the slug comes from the title (transliterated from Armenian,
Russian or any script). It never overwrites a file. `make check` refuses the
article until every TODO is filled in (or, for an optional field, deleted).
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import datetime
from pathlib import Path

from .authors import AuthorsFileError, load_authors
from .check import load_settings, resolve_now
from .rules import SCAFFOLD_BODY_MARKER, suggest
from .settings import ContentSettings, ContentSettingsError
from .slugs import normalize_tag, split_tags, title_slug
from .source import SourceDecodeError, decode_source, parse_header, split_list
from .tree import classify, display_path, list_files

TODO = "TODO"

# Armenian sounds that Unidecode spells letter by letter (ու as "ow", և as "ew", ռ as
# "rh") and the word-initial Ե and Ո, read "ye" and "vo": Երևան is Yerevan, not Erewan.
ARMENIAN_LETTERS = {"ու": "u", "Ու": "U", "ՈՒ": "U", "և": "ev", "ւ": "v", "ռ": "r", "Ռ": "R"}
ARMENIAN_LETTERS_RE = re.compile("|".join(sorted(ARMENIAN_LETTERS, key=len, reverse=True)))
ARMENIAN_WORD_START_RE = re.compile(r"\b([ԵեՈո])")
ARMENIAN_WORD_START = {"Ե": "Ye", "ե": "ye", "Ո": "Vo", "ո": "vo"}


def romanize_armenian(text: str) -> str:
    """Spell the Armenian sounds Unidecode gets wrong in Latin letters; leave the rest."""
    text = ARMENIAN_LETTERS_RE.sub(lambda m: ARMENIAN_LETTERS[m.group()], text)
    return ARMENIAN_WORD_START_RE.sub(lambda m: ARMENIAN_WORD_START[m.group()], text)


def scaffold_article(
    title: str,
    section: str,
    date: datetime,
    slug: str,
    authors: list[str] | None = None,
    tags: list[str] | None = None,
) -> str:
    """The Markdown source of a new article: every field present, unknowns marked TODO."""
    fields = [
        ("Title", title),
        ("Date", f"{date:%Y-%m-%d %H:%M}"),
        ("Modified", f"{TODO} (optional: when the article was last updated; or delete this line)"),
        ("Section", section),
        ("Authors", ", ".join(authors) if authors else f"{TODO} (names from the authors file)"),
        ("Tags", ", ".join(tags) if tags else f"{TODO} (comma-separated, e.g. Economy, Yerevan)"),
        ("Summary", f"{TODO} (one or two plain sentences, under 300 characters)"),
        ("Location", f"{TODO} (dateline in capitals, e.g. YEREVAN; or delete this line)"),
        ("Slug", slug),
        ("Status", "published"),
        ("Image", f"{TODO} (optional: images/<file>.jpg; or delete this line and the next 3)"),
        ("Image_Alt", f"{TODO} (what the picture shows, for readers who cannot see it)"),
        ("Image_Caption", f"{TODO} (optional caption)"),
        ("Image_Credit", f"{TODO} (optional, e.g. Photo: Name / Agency)"),
        ("Related", f"{TODO} (optional: slugs of related articles, or none; or delete)"),
        ("Aliases", f"{TODO} (optional: old paths such as /2019/05/old-slug/; or delete)"),
    ]
    header = "\n".join(f"{key}: {value}" for key, value in fields)
    body = f'{SCAFFOLD_BODY_MARKER} here. Quotes go in straight "double quotes".'
    return f"{header}\n\n{body}\n"


class ScaffoldError(Exception):
    """The article cannot be created; the message says why."""


def create_article(
    settings: ContentSettings,
    title: str,
    section: str,
    now: datetime,
    authors: str = "",
    tags: str = "",
) -> Path:
    """Write a new article file under the first article path; return its path."""
    title = " ".join(title.split())
    if not title:
        raise ScaffoldError('give the headline: make new TITLE="…" SECTION=…')
    if section not in settings.sections:
        raise ScaffoldError(
            f'unknown section "{section}"{suggest(section, settings.sections)}; '
            f"sections: {', '.join(settings.sections)}"
        )
    author_names = split_list(authors)
    if author_names:
        try:
            known = load_authors(settings.authors_path)
        except AuthorsFileError as error:
            raise ScaffoldError(str(error)) from error
        for name in author_names:
            if name not in known:
                raise ScaffoldError(
                    f'unknown author "{name}"{suggest(name, known)}; authors are listed in '
                    f"{display_path(settings.authors_path)}"
                )
    tag_names = [tag for tag in (normalize_tag(raw) for raw in split_tags(tags)) if tag]
    slug = title_slug(romanize_armenian(title), settings.slugs)
    if not slug:
        raise ScaffoldError("the title gives an empty slug: it needs letters or digits")
    taken = _slug_owner(settings, slug)
    if taken:
        raise ScaffoldError(f'an article with the slug "{slug}" already exists: {taken}')
    date = now.astimezone(settings.zone)
    folder = settings.content_root / (settings.article_paths[0] or ".") / f"{date:%Y}"
    path = folder / f"{slug}.md"
    text = scaffold_article(title, section, date, slug, author_names, tag_names)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite
            handle.write(text)
    except FileExistsError as error:
        raise ScaffoldError(f"{display_path(path)} already exists; not overwriting it") from error
    return path


def _slug_owner(settings: ContentSettings, slug: str) -> str | None:
    """The file that already has `slug` (its Slug: line, or its title's slug), if any."""
    root = settings.content_root
    if not root.is_dir():
        return None
    for relpath in list_files(root, settings.ignore_files):
        if not classify(relpath, settings):
            continue
        try:
            header = parse_header(decode_source((root / relpath).read_bytes()))
        except SourceDecodeError:
            continue
        field = header.get("slug") or header.get("title")
        if field and title_slug(field.value, settings.slugs) == slug:
            return display_path(root / relpath)
    return None


def main(argv: list[str] | None = None) -> int:
    """Create the article; return the exit code."""
    parser = argparse.ArgumentParser(prog="newsdesk_content.new", description=__doc__)
    parser.add_argument("--title", default="")
    parser.add_argument("--section", default="")
    parser.add_argument("--authors", default="")
    parser.add_argument("--tags", default="")
    parser.add_argument("-s", "--settings", default="pelicanconf.py", type=Path)
    parser.add_argument("--now", default=None, help="date the article at this moment (ISO 8601)")
    args = parser.parse_args(argv)
    try:
        settings = load_settings(args.settings)
        now = resolve_now(args.now, settings)
        path = create_article(settings, args.title, args.section, now, args.authors, args.tags)
    except (ScaffoldError, ContentSettingsError, ValueError) as error:
        print(f"make new: {error}", file=sys.stderr)
        return 1
    print(f"created {display_path(path)}")
    print("fill in every TODO (or delete the optional lines), then run `make check`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
