"""Seeded synthetic archives in the Newsdesk content format, for benchmarks and scale tests.

`generate_archive(root, count, seed)` writes `count` articles that pass the
content check under the repository's settings (configured sections, authors
written to `root/authors.toml`, unique slugs, no near-duplicate tags): bodies
of 500 to 900 words, 2 to 5 tags drawn from a Zipf distribution with one broad
tag on 40% of articles, dates spread backwards from a fixed day. The same
arguments always give byte-identical files.

    python -m newsdesk_content.synthetic /tmp/archive/content 10000 --seed 1
"""

from __future__ import annotations

import argparse
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

DEFAULT_SECTIONS = ("Armenia", "Diaspora", "Region", "World", "Culture", "Opinion")
BROAD_TAG = "Armenia"
BROAD_TAG_SHARE = 0.4
TAG_VOCABULARY_SIZE = 600
ZIPF_EXPONENT = 1.1
LAST_DATE = datetime(2025, 12, 31, 18, 0)
LOCATIONS = (
    "YEREVAN",
    "GYUMRI",
    "TBILISI",
    "BEIRUT",
    "LOS ANGELES",
    "MOSCOW",
    "PARIS",
    "BRUSSELS",
    "WASHINGTON",
    "VANADZOR",
    "DILIJAN",
    "MARSEILLE",
)
_SYLLABLES = (
    "ar",
    "ta",
    "mi",
    "ven",
    "lo",
    "ka",
    "ri",
    "son",
    "de",
    "ga",
    "nor",
    "el",
    "sha",
    "pa",
    "tu",
    "vin",
    "bra",
    "ke",
    "mon",
    "zar",
    "il",
    "do",
    "re",
    "ha",
)
_TEXT = (
    "the government said on Tuesday that new rules for the border crossing would take "
    "effect next month after talks between ministers and regional officials who had argued "
    "for years over trade roads water energy schools and the cost of living in towns along "
    "the river valley where farmers and traders depend on trucks that cross the mountain "
    "pass each morning while families wait for news from relatives abroad and businesses "
    "count the days until the market reopens with prices that rose sharply during winter"
)
_WORDS = tuple(_TEXT.split())


@dataclass(frozen=True)
class SyntheticAuthor:
    """One made-up author for the archive's authors file."""

    name: str
    slug: str


DEFAULT_AUTHORS = tuple(
    SyntheticAuthor(f"{first} {last}", f"{first}-{last}".lower())
    for first, last in [
        ("Ani", "Melkonyan"),
        ("Tigran", "Harutyunyan"),
        ("Nare", "Vardanyan"),
        ("Karen", "Mkrtchyan"),
        ("Lusine", "Babayan"),
        ("Hayk", "Ghazaryan"),
        ("Gohar", "Stepanyan"),
        ("Vahe", "Manukyan"),
        ("Siranush", "Poghosyan"),
        ("Arsen", "Danielyan"),
        ("Marine", "Asatryan"),
        ("Levon", "Hakobyan"),
    ]
)


def _tag_vocabulary(rng: random.Random, size: int) -> list[str]:
    """Distinct made-up tags whose slugs (hyphens ignored) never collide."""
    tags: list[str] = []
    seen = {BROAD_TAG.lower()}
    while len(tags) < size:
        words = rng.choice((1, 1, 2))
        tag = " ".join(
            "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
            for _ in range(words)
        )
        key = tag.lower().replace(" ", "")
        if key not in seen:
            seen.add(key)
            tags.append(tag)
    return tags


def _sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(_WORDS) for _ in range(words)]
    return " ".join(chosen).capitalize() + "."


def _body(rng: random.Random) -> str:
    """500 to 900 words in paragraphs, with a subheading and a quotation."""
    target = rng.randint(500, 900)
    paragraphs: list[str] = []
    written = 0
    while written < target:
        length = min(rng.randint(50, 110), target - written)
        sentences: list[str] = []
        left = length
        while left > 0:
            size = min(left, rng.randint(8, 22))
            sentences.append(_sentence(rng, size))
            left -= size
        paragraphs.append(" ".join(sentences))
        written += length
        if len(paragraphs) == 2:
            paragraphs.append(
                f'"{_sentence(rng, 12)}" said an official -- who asked not to be '
                "named -- on Monday."
            )
        if len(paragraphs) == 4:
            paragraphs.append(f"## {_sentence(rng, 5)[:-1]}")
    return "\n\n".join(paragraphs)


def _authors_toml(authors: Sequence[SyntheticAuthor]) -> str:
    entries = [
        f'[[author]]\nname = "{a.name}"\nslug = "{a.slug}"\n'
        f'bio = "{a.name} writes for the synthetic archive."\n'
        for a in authors
    ]
    return "# Synthetic authors for a generated archive.\n\n" + "\n".join(entries)


def generate_archive(
    root: Path,
    count: int,
    seed: int = 0,
    *,
    sections: Sequence[str] = DEFAULT_SECTIONS,
    authors: Sequence[SyntheticAuthor] = DEFAULT_AUTHORS,
    write_authors: bool = True,
    articles_folder: str = "articles",
) -> list[Path]:
    """Write `count` valid articles under root/<articles_folder>/YYYY/; return their paths."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    if write_authors:
        (root / "authors.toml").write_text(_authors_toml(authors), encoding="utf-8")
    vocabulary = _tag_vocabulary(rng, TAG_VOCABULARY_SIZE)
    weights = list(
        itertools.accumulate(1 / rank**ZIPF_EXPONENT for rank in range(1, len(vocabulary) + 1))
    )
    # Spread the archive over one article every ~8 hours, newest last.
    step = timedelta(hours=8)
    paths: list[Path] = []
    for index in range(count):
        date = LAST_DATE - step * (count - 1 - index) + timedelta(minutes=rng.randint(0, 300))
        title = f"{_sentence(rng, rng.randint(5, 10))[:-1]} ({index + 1})"
        slug = f"story-{index + 1:06d}"
        tags: list[str] = []
        if rng.random() < BROAD_TAG_SHARE:
            tags.append(BROAD_TAG)
        wanted = rng.randint(2, 5)
        while len(tags) < wanted:
            tag = rng.choices(vocabulary, cum_weights=weights)[0]
            if tag not in tags:
                tags.append(tag)
        byline = [rng.choice(authors).name]
        if rng.random() < 0.1:
            second = rng.choice(authors).name
            if second not in byline:
                byline.append(second)
        summary = _sentence(rng, rng.randint(15, 30))[:280]
        header = [
            f"Title: {title}",
            f"Date: {date:%Y-%m-%d %H:%M}",
            f"Section: {rng.choice(sections)}",
            f"Authors: {', '.join(byline)}",
            f"Tags: {', '.join(tags)}",
            f"Summary: {summary}",
            f"Location: {rng.choice(LOCATIONS)}",
            f"Slug: {slug}",
        ]
        folder = root / articles_folder / f"{date:%Y}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{slug}.md"
        path.write_text("\n".join(header) + "\n\n" + _body(rng) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    """Generate an archive from the command line."""
    parser = argparse.ArgumentParser(prog="newsdesk_content.synthetic", description=__doc__)
    parser.add_argument("root", type=Path, help="the content folder to write into")
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    paths = generate_archive(args.root, args.count, args.seed)
    print(f"wrote {len(paths)} articles under {args.root}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
