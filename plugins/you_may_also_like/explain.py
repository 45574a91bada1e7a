"""Explain an article's "You May Also Like" block: its suggestions, their scores and shared tags.

    make explain ARTICLE=<slug>
    PYTHONPATH=plugins python -m you_may_also_like.explain <slug> [-s pelicanconf.py] [--limit N]
    PYTHONPATH=plugins python -m you_may_also_like.explain --json   # every article, as JSON

Reads the content tree with Pelican's readers (the site's plugins and settings),
then ranks with the same function as the build (plugin.rank_site).
"""

from __future__ import annotations

import argparse
import difflib
import json
import logging
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from pelican import Pelican
from pelican.generators import ArticlesGenerator
from pelican.log import init as init_logging
from pelican.settings import read_settings

from .core import Document, RelatedIndex, Suggestion
from .plugin import AlsoLikeBuildError, SiteRanking, display_path, rank_site


def read_articles(settings_path: Path, scratch: Path) -> ArticlesGenerator:
    """Read the site as a build does, up to the end of its context phase; write nothing.

    Every generator of the site runs its context phase (as in Pelican.run), so
    the other plugins see the build they expect; output would go to `scratch`.
    """
    settings = read_settings(str(settings_path), override={"OUTPUT_PATH": str(scratch)})
    pelican = Pelican(settings)  # loads the plugins, runs the content check
    context: dict[str, Any] = {
        **settings,
        "generated_content": {},
        "static_links": set(),
        "static_content": {},
        "localsiteurl": settings["SITEURL"],
    }
    generators = [
        cls(
            context=context,
            settings=settings,
            path=pelican.path,
            theme=pelican.theme,
            output_path=pelican.output_path,
        )
        for cls in pelican._get_generator_classes()
    ]
    for generator in generators:
        if hasattr(generator, "generate_context"):
            generator.generate_context()
    return next(g for g in generators if isinstance(g, ArticlesGenerator))


def _tag_line(index: RelatedIndex, document: Document) -> str:
    parts = []
    for tag in document.tags:
        weight = index.tag_weight(tag)
        if weight is None:
            parts.append(f"{tag} (on no published article)")
        else:
            parts.append(f"{tag} ({weight:.2f}{', broad' if index.is_broad(tag) else ''})")
    return ", ".join(parts) or "(none)"


def format_explanation(index: RelatedIndex, document: Document, found: list[Suggestion]) -> str:
    """The explanation of one article as printed by `make explain`."""
    s = index.settings
    by_id = {doc.id: doc for doc in index.documents}
    freshness = f"half-life {s.half_life_days:g} days" if s.half_life_days else "no freshness"
    lines = [
        f"{document.slug}  ({document.date:%Y-%m-%d}, {document.section or 'no section'},"
        f" {document.status})  {display_path(document.id)}",
        f"tags (weight): {_tag_line(index, document)}",
        f"ranking: score = (sum of shared tag weights + section bonus {s.section_bonus:g})"
        f" x freshness ({freshness}); limit {s.limit}; fallback {'on' if s.fallback else 'off'}"
        f"{'; newer articles excluded' if s.exclude_newer else ''}",
    ]
    if document.pins:
        lines.append(f"Related (pinned by the editor): {', '.join(document.pins)}")
    if document.hide_block:
        lines.append("Related: none -- this article shows no block.")
        return "\n".join(lines)
    if not found:
        lines.append("no suggestions (no published article shares a tag or its section)")
        return "\n".join(lines)
    header = (
        f"{'#':>2}  {'score':>8}  {'why':<8}  {'date':<10}  {'section':<10}  article [shared tags]"
    )
    lines += ["", header, "-" * len(header)]
    for rank, suggestion in enumerate(found, start=1):
        other = by_id[suggestion.id]
        shared = ", ".join(suggestion.shared_tags)
        lines.append(
            f"{rank:>2}  {suggestion.score:>8.4f}  {suggestion.reason:<8}  {other.date:%Y-%m-%d}"
            f"  {other.section[:10]:<10}  {suggestion.slug}  [{shared}]"
        )
    return "\n".join(lines)


def explain(ranking: SiteRanking, slug: str, limit: int | None = None) -> str:
    """Explain every article (each translation) whose slug is `slug`."""
    matches = [doc for doc in ranking.index.documents if doc.slug == slug]
    if not matches:
        slugs = sorted({doc.slug for doc in ranking.index.documents})
        close = difflib.get_close_matches(slug, slugs, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise LookupError(f"no article has the slug {slug!r}{hint}")
    index = ranking.index
    if limit is not None and limit != index.settings.limit:
        index = RelatedIndex.build(index.documents, replace(index.settings, limit=limit))
    blocks = []
    for document in matches:
        found = index.suggest(document.id)
        blocks.append(format_explanation(index, document, found))
    return "\n\n".join(blocks)


def as_json(ranking: SiteRanking) -> str:
    """Every article's suggestions (with URLs), as JSON, for tests and tools."""
    entries = []
    for article_id, found in sorted(ranking.suggestions.items()):
        article = ranking.articles[article_id]
        entries.append(
            {
                "source": display_path(article_id),
                "slug": article.slug,
                "url": article.url,
                "status": article.status,
                "suggestions": [
                    {
                        "slug": suggestion.slug,
                        "url": ranking.articles[suggestion.id].url,
                        "score": suggestion.score,
                        "reason": suggestion.reason,
                        "shared_tags": list(suggestion.shared_tags),
                    }
                    for suggestion in found
                ],
            }
        )
    return json.dumps(entries, indent=1, ensure_ascii=False)


def main(argv: list[str] | None = None) -> int:
    """Print the explanation; return the exit code."""
    parser = argparse.ArgumentParser(prog="you_may_also_like.explain", description=__doc__)
    parser.add_argument("slug", nargs="?", help="the article's slug")
    parser.add_argument("-s", "--settings", default="pelicanconf.py", type=Path)
    parser.add_argument("--limit", type=int, help="show this many suggestions instead")
    parser.add_argument("--json", action="store_true", help="every article's block, as JSON")
    args = parser.parse_args(argv)
    if not args.slug and not args.json:
        parser.print_usage(sys.stderr)
        print("error: name an article: make explain ARTICLE=<slug>", file=sys.stderr)
        return 2
    init_logging(level=logging.WARNING)
    try:
        with tempfile.TemporaryDirectory(prefix="ymal-explain-") as scratch:
            ranking = rank_site(read_articles(args.settings, Path(scratch)))
        print(as_json(ranking) if args.json else explain(ranking, args.slug, args.limit))
    except (LookupError, AlsoLikeBuildError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
