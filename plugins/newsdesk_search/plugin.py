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
from collections.abc import Iterable, Iterator, Sequence
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
#: Indexing started while article pages are written, per output folder (see `_early_index`).
_early: dict[str, _EarlyIndex] = {}


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
    stale = _early.pop(output, None)
    if stale is not None:  # left by a build of this folder that failed in this process
        stale.parts.cancel()
    _pages_to_index[output] = core.pages_to_index(
        stories.values(), settings.siteurl, settings.part_size
    )


class WrittenParts:
    """Which index parts have every page written, as the build reports written pages.

    `ready_parts` yields each part once all its pages are written (waiting for
    that), then, once `all_written` is called, the parts left, in name order.
    """

    def __init__(self, pages: Sequence[core.SearchPage]) -> None:
        self._part_of = {page.path: page.part for page in pages}
        self._waiting: dict[str, set[str]] = {}
        for page in pages:
            self._waiting.setdefault(page.part, set()).add(page.path)
        self._all_written = False
        self._cancelled = False
        self._changed = threading.Condition()

    def written(self, paths: Iterable[str]) -> None:
        """Note pages now in the output folder."""
        with self._changed:
            for path in paths:
                part = self._part_of.get(path)
                if part is not None:
                    self._waiting[part].discard(path)
            self._changed.notify_all()

    def all_written(self) -> None:
        """Note that no more pages will be written."""
        with self._changed:
            self._all_written = True
            self._changed.notify_all()

    def cancel(self) -> None:
        """Stop yielding parts: the build that was writing them ended without finishing."""
        with self._changed:
            self._cancelled = True
            self._changed.notify_all()

    def ready_parts(self) -> Iterator[str]:
        """Each part, as soon as its pages are written."""
        left = set(self._waiting)
        while left:
            with self._changed:
                while True:
                    if self._cancelled:
                        return
                    ready = sorted(part for part in left if not self._waiting[part])
                    if ready or self._all_written:
                        break
                    self._changed.wait()
            part = ready[-1] if ready else min(left)
            left.discard(part)
            yield part


class _EarlyIndex(threading.Thread):
    """Pagefind indexing each part of the article pages as soon as its pages are written."""

    def __init__(
        self,
        output: Path,
        settings: SearchSettings,
        cache: Path,
        pages: Sequence[core.SearchPage],
    ) -> None:
        # A daemon: a build that fails while pages are written must not wait for it.
        super().__init__(name="newsdesk-search-index", daemon=True)
        self.output = output
        self.settings = settings
        self.cache = cache
        self.pages = pages
        self.parts = WrittenParts(pages)
        self.report = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.report = index_pages(
                self.output,
                self.pages,
                self.settings.bundle_dir,
                core.pagefind_config(self.settings),
                self.cache,
                self.parts.ready_parts(),
            )
        except BaseException as error:  # handed to the build at `finalized`
            self.error = error


def index_cache(settings) -> Path:
    """Where the last bundle is kept with the digest of its inputs (CACHE_PATH/newsdesk_search)."""
    return Path(settings["CACHE_PATH"]) / "newsdesk_search"


def _early_index(generator) -> _EarlyIndex | None:
    """The early indexing of this build's output folder, started on first use."""
    output = Path(generator.settings["OUTPUT_PATH"]).resolve()
    early = _early.get(str(output))
    if early is None and str(output) in _pages_to_index:
        settings = SearchSettings.from_pelican(generator.settings)
        pages = _pages_to_index.pop(str(output))
        early = _EarlyIndex(output, settings, index_cache(generator.settings), pages)
        _early[str(output)] = early
        early.start()
    return early


def index_written_pages(generator, paths: Sequence[str] = ()) -> None:
    """Index each part as soon as its article pages are written (newsdesk_build's engine).

    Only article pages are indexed and nothing writes them again, so Pagefind
    (another process) runs beside the rendering of the other pages.
    """
    early = _early_index(generator)
    if early is not None:
        early.parts.written(paths)


def all_article_pages_written(generator) -> None:
    """Index the parts left: every article page is written."""
    early = _early_index(generator)
    if early is not None:
        early.parts.all_written()


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
    # Sent by newsdesk_build's engine after each batch of article pages, and after the last.
    blinker.signal("newsdesk_article_pages_batch_written").connect(index_written_pages)
    blinker.signal("newsdesk_article_pages_written").connect(all_article_pages_written)
