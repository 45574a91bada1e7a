"""Pelican adapter: search data for the templates, and the Pagefind index of the output.

On `article_generator_finalized` (every published article is known) it puts
`newsdesk_search` (the search box and search page data) on the shared context
and `search_facets` (section, authors, dates for the index) on each published
article. Under newsdesk_build's engine, each part of the index is given to an
indexing process as soon as its article pages are written; on `finalized`
(Pelican has written every page into the output folder, which `newsdesk_build`
swaps in atomically afterwards) it waits for that process, or, under plain
Pelican, runs Pagefind on the published article pages then. A failure to index
fails the build.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import blinker
from pelican import signals

from . import core
from .indexer import SearchIndexError, index_pages
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
    _pages_to_index[output] = core.pages_to_index(
        stories.values(), settings.siteurl, settings.part_size
    )


def _part_order(name: str) -> tuple[int, str]:
    # Part names are numbers ("0", "1", … "10"): in numeric order.
    return (len(name), name)


class WrittenParts:
    """Which index parts have every page written, as the build reports written pages.

    Plain bookkeeping in the build's own thread: `written` returns the parts
    that the pages just written completed, lowest number first; `left` the
    parts not complete yet (all of them are, once every page is written).
    """

    def __init__(self, pages: Sequence[core.SearchPage]) -> None:
        self._part_of = {page.path: page.part for page in pages}
        self._waiting: dict[str, set[str]] = {}
        for page in pages:
            self._waiting.setdefault(page.part, set()).add(page.path)
        self.pages = len(self._part_of)
        #: How many of the pages had been written (in whole batches) when each part was
        #: complete.
        self.ready_after: dict[str, int] = {}
        self._written = 0

    def written(self, paths: Iterable[str]) -> list[str]:
        """Note pages now in the output folder; return the parts they completed."""
        completed = []
        for path in paths:
            part = self._part_of.get(path)
            if part is not None and path in self._waiting[part]:
                self._waiting[part].discard(path)
                self._written += 1
                if not self._waiting[part]:
                    completed.append(part)
        for part in completed:
            self.ready_after[part] = self._written
        return sorted(completed, key=_part_order)

    def left(self) -> list[str]:
        """The parts not complete yet, lowest number first."""
        left = (part for part in self._waiting if part not in self.ready_after)
        return sorted(left, key=_part_order)


class _EarlyIndex:
    """Pagefind indexing each part of the article pages as soon as its pages are written.

    The indexing runs in a process of its own (spawned, not forked: it inherits no
    lock and no memory from the build) that is told each part's name when the
    part is complete, and answers with its report or its error. A thread would do
    the waiting, but the build forks its page writers while indexing runs, and a
    child forked while a thread holds a lock (the log console's) can hang on it.
    """

    def __init__(
        self,
        output: Path,
        settings: SearchSettings,
        cache: Path,
        pages: Sequence[core.SearchPage],
    ) -> None:
        self.parts = WrittenParts(pages)
        context = multiprocessing.get_context("spawn")
        parts_out, self._parts = context.Pipe(duplex=False)
        self._answer, answer_in = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_index_in_process,
            args=(
                output,
                tuple(pages),
                settings.bundle_dir,
                dict(core.pagefind_config(settings)),
                cache,
                parts_out,
                answer_in,
            ),
            name="newsdesk-search-index",
            daemon=True,
        )
        self._process.start()
        parts_out.close()
        answer_in.close()

    def written(self, paths: Iterable[str]) -> None:
        """Send the parts that these written pages complete to the indexing process."""
        for part in self.parts.written(paths):
            self._send_part(part, f"{self.parts.ready_after[part]:,}")

    def all_written(self) -> None:
        """Every article page is written: send the parts left, then the end."""
        for part in self.parts.left():
            self._send_part(part, "all")
        self._parts.send(None)

    def _send_part(self, part: str, after: str) -> None:
        logger.info("search: part %s ready after %s of %d pages", part, after, self.parts.pages)
        self._parts.send(part)

    def result(self):
        """Wait for the indexing process; return its report or raise its error."""
        try:
            kind, value = self._answer.recv()
        except EOFError:
            kind, value = "error", SearchIndexError("the search indexing process ended early")
        self._process.join()
        if kind == "error":
            raise value
        return value

    def cancel(self) -> None:
        """Stop indexing: the build failed."""
        self._process.kill()
        self._process.join()


def _index_in_process(output, pages, bundle_dir, config, cache, parts_in, answer_out) -> None:
    """In the indexing process: index each part named on `parts_in`, answer on `answer_out`."""

    def ready_parts() -> Iterator[str]:
        while (part := parts_in.recv()) is not None:
            yield part

    try:
        report = index_pages(output, pages, bundle_dir, config, cache, ready_parts())
    except BaseException as error:  # any failure travels to the build
        try:
            answer_out.send(("error", error))
        except Exception:
            answer_out.send(("error", SearchIndexError(f"{type(error).__name__}: {error}")))
    else:
        answer_out.send(("done", report))


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
    return early


def parts_read_first(generator, articles: Sequence = (), read: frozenset[str] | None = None):
    """The article pages in the order to write them (newsdesk_build's engine): the
    parts holding an article read afresh first, then the others, each in the order
    given (oldest first), so the parts that must be indexed again start early.

    After an edit, the edited article's part is the one Pagefind indexes again;
    written first, it is indexed while the other pages are written. Nothing to
    tell apart (every article read, or none recalled): the order stays.
    """
    pages = _pages_to_index.get(str(Path(generator.settings["OUTPUT_PATH"]).resolve()))
    if read is None or not pages:
        return None
    part_of = {page.path: page.part for page in pages}
    fresh = {part_of.get(a.save_as) for a in articles if a.source_path in read}
    fresh.discard(None)
    if not fresh or fresh == set(part_of.values()):
        return None
    first = [a for a in articles if part_of.get(a.save_as) in fresh]
    return first + [a for a in articles if part_of.get(a.save_as) not in fresh]


def index_written_pages(generator, paths: Sequence[str] = ()) -> None:
    """Index each part as soon as its article pages are written (newsdesk_build's engine).

    Only article pages are indexed and nothing writes them again, so Pagefind
    (another process) runs beside the rendering of the other pages.
    """
    early = _early_index(generator)
    if early is not None:
        early.written(paths)


def all_article_pages_written(generator) -> None:
    """Index the parts left: every article page is written."""
    early = _early_index(generator)
    if early is not None:
        early.all_written()


def stop_index(sender, settings) -> None:
    """The build failed (newsdesk_build's engine): index no more parts for it."""
    output = str(Path(settings["OUTPUT_PATH"]).resolve())
    _pages_to_index.pop(output, None)
    early = _early.pop(output, None)
    if early is not None:
        early.cancel()


def index_site(pelican) -> None:
    """Index the written article pages with Pagefind, inside the output folder."""
    settings = SearchSettings.from_pelican(pelican.settings)
    output = Path(pelican.settings["OUTPUT_PATH"]).resolve()
    early = _early.pop(str(output), None)
    if early is not None:
        report = early.result()
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
    blinker.signal("newsdesk_article_pages_order").connect(parts_read_first)
    blinker.signal("newsdesk_article_pages_batch_written").connect(index_written_pages)
    blinker.signal("newsdesk_article_pages_written").connect(all_article_pages_written)
    blinker.signal("newsdesk_build_failed").connect(stop_index)
