"""Pelican adapter of You May Also Like: rank every article once all are read, set `also_like`.

At `article_generator_finalized` (every article read, drafts and future ones
sorted out by Pelican) the articles become core Documents, the core ranks them,
and each article gets `article.also_like`: the suggested Article objects in
rank order (an empty list hides the block). A `Related:` pin naming no article,
the article itself, or (from a published article) one that is not published
fails the build with `path:line: error: ...` (a draft's pin to another draft is
left out with a warning).
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pelican import signals

from .core import Document, PinProblem, RelatedIndex, Suggestion, parse_related
from .settings import YouMayAlsoLikeSettings

logger = logging.getLogger(__name__)

#: The generator lists whose articles are indexed (only published ones become candidates).
ARTICLE_LISTS = (
    "articles",
    "translations",
    "hidden_articles",
    "hidden_translations",
    "drafts",
    "drafts_translations",
)


class AlsoLikeBuildError(Exception):
    """A `Related:` pin names no article; the messages were printed above."""


@dataclass
class SiteRanking:
    """The ranking of one site: the index, each article's suggestions, the articles by id."""

    index: RelatedIndex
    suggestions: dict[str, list[Suggestion]]
    articles: dict[str, Any]


def all_articles(generator: Any) -> list[Any]:
    """Every article the generator read (published, translations, hidden, drafts), once each."""
    seen: dict[int, Any] = {}
    for name in ARTICLE_LISTS:
        for article in getattr(generator, name, None) or []:
            seen.setdefault(id(article), article)
    return list(seen.values())


def _translation_key(article: Any, translation_id: Any) -> str | None:
    if not translation_id:
        return None
    names = [translation_id] if isinstance(translation_id, str) else list(translation_id)
    try:
        return repr(tuple(str(getattr(article, name)) for name in names))
    except AttributeError:
        return None


def to_document(article: Any, translation_id: Any) -> Document:
    """The core's view of one Pelican article."""
    pins, hide = parse_related(article.metadata.get("related"))
    category = getattr(article, "category", None)
    return Document(
        id=article.source_path,
        slug=article.slug,
        date=article.date,
        section=category.name if category is not None else "",
        tags=tuple(tag.name for tag in getattr(article, "tags", None) or []),
        status=article.status,
        lang=getattr(article, "lang", "") or "",
        translation_key=_translation_key(article, translation_id),
        pins=pins,
        hide_block=hide,
    )


def related_line(source_path: str) -> int:
    """The line of the `Related:` field in an article's header (1 if not found)."""
    try:
        from newsdesk_content.source import decode_source, parse_header

        header = parse_header(decode_source(Path(source_path).read_bytes()))
        found = header.get("related")
        return found.line if found is not None else 1
    except (ImportError, OSError, ValueError):
        return 1


def display_path(path: str) -> str:
    """A source path as messages show it: relative to the current directory when inside it."""
    absolute = Path(path).resolve()
    try:
        return absolute.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return absolute.as_posix()


def describe(problem: PinProblem) -> str:
    """`path:line: severity: message` for a pin problem."""
    line = related_line(problem.document_id)
    return f"{display_path(problem.document_id)}:{line}: {problem.severity}: {problem.message}"


def rank_site(generator: Any) -> SiteRanking:
    """Rank every article of a finalized ArticlesGenerator (shared by the build and explain)."""
    settings = YouMayAlsoLikeSettings.from_pelican(generator.settings)
    translation_id = generator.settings.get("ARTICLE_TRANSLATION_ID", "slug")
    articles = sorted(all_articles(generator), key=lambda article: article.source_path)
    documents = [to_document(article, translation_id) for article in articles]
    index = RelatedIndex.build(documents, settings)
    problems = index.pin_problems()
    errors = [problem for problem in problems if problem.severity == "error"]
    for problem in problems:
        if problem.severity == "warning":
            logger.warning(describe(problem))
    if errors:
        for problem in errors:
            print(describe(problem), file=sys.stderr)
        count = len(errors)
        raise AlsoLikeBuildError(
            f"{describe(errors[0])}"
            + (f" (and {count - 1} more Related: errors, listed above)" if count > 1 else "")
        )
    return SiteRanking(
        index=index,
        suggestions=index.suggest_all(),
        articles={article.source_path: article for article in articles},
    )


def add_also_like(generator: Any) -> None:
    """Give every article its `also_like` list (Article objects in rank order)."""
    ranking = rank_site(generator)
    for article_id, found in ranking.suggestions.items():
        article = ranking.articles[article_id]
        article.also_like = [ranking.articles[suggestion.id] for suggestion in found]


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    signals.article_generator_finalized.connect(add_also_like)
