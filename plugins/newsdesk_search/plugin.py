"""Pelican adapter: search data for the templates, and the Pagefind index of the output.

On `article_generator_finalized` (every published article is known) it puts
`newsdesk_search` (the search box and search page data) on the shared context
and `search_facets` (section, authors, dates for the index) on each published
article. On `finalized` (Pelican has written every page into the output
folder, which `newsdesk_build` swaps in atomically afterwards) it runs Pagefind
on the published article pages. A failure to index fails the build.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import blinker
from pelican import signals

from . import core
from .indexer import index_pages
from .settings import SearchSettings

logger = logging.getLogger(__name__)

#: Pages chosen for indexing, per output folder, from the article phase of a
#: build to its `finalized` signal (Pelican passes no context to `finalized`).
_pages_to_index: dict[str, tuple[core.SearchPage, ...]] = {}


def _story(article) -> core.Story:
    """Describe an article as plain data for the core."""
    return core.Story(
        save_as=article.save_as,
        url=article.url,
        status=article.status,
        section=article.category.name,
        authors=tuple(author.name for author in getattr(article, "authors", ())),
        date=article.date,
        date_label=article.locale_date,
    )


def add_search_data(generator) -> None:
    """Put the search box data on the context and the index values on every article."""
    settings = SearchSettings.from_pelican(generator.settings)
    published = [*generator.articles, *generator.translations]
    hidden = [*generator.hidden_articles, *generator.hidden_translations]
    stories = {id(article): _story(article) for article in [*published, *hidden]}
    for article in published:
        article.search_facets = core.facets(stories[id(article)])
    generator.context["newsdesk_search"] = core.search_site(
        settings, generator.settings.get("NEWSDESK_SECTIONS", ()), stories.values()
    )
    output = str(Path(generator.settings["OUTPUT_PATH"]).resolve())
    _pages_to_index[output] = core.pages_to_index(
        stories.values(), settings.siteurl, settings.part_size
    )


class _EarlyIndex(threading.Thread):
    """Pagefind indexing the article pages while the build writes its listings."""

    def __init__(self, output: Path, settings: SearchSettings, cache: Path) -> None:
        super().__init__(name="newsdesk-search-index")
        self.output = output
        self.settings = settings
        self.cache = cache
        self.report = None
        self.error: BaseException | None = None

    def run(self) -> None:
        pages = _pages_to_index.pop(str(self.output), ())
        try:
            self.report = index_pages(
                self.output,
                pages,
                self.settings.bundle_dir,
                core.pagefind_config(self.settings),
                self.cache,
            )
        except BaseException as error:  # handed to the build at `finalized`
            self.error = error


def index_cache(settings) -> Path:
    """Where the last bundle is kept with the digest of its inputs (CACHE_PATH/newsdesk_search)."""
    return Path(settings["CACHE_PATH"]) / "newsdesk_search"


#: Indexing started early, per output folder (see `start_index_early`).
_early: dict[str, _EarlyIndex] = {}


def start_index_early(generator) -> None:
    """Start indexing as soon as every article page is written (newsdesk_build's engine).

    Only article pages are indexed and nothing writes them again, so Pagefind
    (another process) runs on the second core while the listings are written.
    """
    settings = SearchSettings.from_pelican(generator.settings)
    output = Path(generator.settings["OUTPUT_PATH"]).resolve()
    if str(output) in _pages_to_index and str(output) not in _early:
        thread = _EarlyIndex(output, settings, index_cache(generator.settings))
        _early[str(output)] = thread
        thread.start()


def index_site(pelican) -> None:
    """Index the written article pages with Pagefind, inside the output folder."""
    settings = SearchSettings.from_pelican(pelican.settings)
    output = Path(pelican.settings["OUTPUT_PATH"]).resolve()
    early = _early.pop(str(output), None)
    if early is not None:
        early.join()
        if early.error is not None:
            raise early.error
        report = early.report
    else:
        pages = _pages_to_index.pop(str(output), ())
        report = index_pages(
            output,
            pages,
            settings.bundle_dir,
            core.pagefind_config(settings),
            index_cache(pelican.settings),
        )
    logger.info(
        "search: %d articles in %d parts (%d indexed, %d reused) in %.2f s into %s/ "
        "(%d files, %d bytes)",
        report.pages,
        report.parts,
        report.parts - report.reused_parts,
        report.reused_parts,
        report.seconds,
        settings.bundle_dir,
        report.files,
        report.bytes,
    )


def register() -> None:
    """Connect the search plugin to Pelican's signals."""
    signals.article_generator_finalized.connect(add_search_data)
    signals.finalized.connect(index_site)
    # Sent by newsdesk_build's engine once the article pages are written.
    blinker.signal("newsdesk_article_pages_written").connect(start_index_early)
