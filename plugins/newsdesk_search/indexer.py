"""Run Pagefind (through its Python API) on chosen pages of a built site.

The only module that talks to Pagefind. The build adapter and the benchmark
both call `index_pages`, so the benchmark measures what the build does.
"""

from __future__ import annotations

import asyncio
import functools
import gzip
import hashlib
import importlib.metadata
import json
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from .bundle import canonicalise_bundle
from .core import SearchPage

logger = logging.getLogger(__name__)

#: The attribute that must mark the indexed part of every page: without it
#: Pagefind would index the whole page, navigation and footer included.
BODY_MARKER = "data-pagefind-body"
#: Files of Pagefind's bundle that the theme never requests: its ready-made
#: interfaces (the search page uses the JavaScript API, pagefind.js, with its
#: own markup) and its web worker (search.js searches on the main thread, see
#: `noWorker` there). Removing them keeps the output lean.
UNUSED_BUNDLE_FILES = (
    "pagefind-component-ui.css",
    "pagefind-component-ui.js",
    "pagefind-highlight.js",
    "pagefind-modular-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-ui.css",
    "pagefind-ui.js",
    "pagefind-worker.js",
)
#: How long to wait for Pagefind's last writes to reach the disk.
WRITE_TIMEOUT_SECONDS = 60


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site."""


@dataclass(frozen=True)
class IndexReport:
    """What one indexing run did."""

    pages: int
    seconds: float
    #: Files and bytes of the bundles written into the output.
    files: int
    bytes: int
    #: Index parts (one bundle each), and how many of them were the last build's, reused.
    parts: int = 0
    reused_parts: int = 0

    @property
    def reused(self) -> bool:
        """Whether every part was reused (nothing was indexed)."""
        return self.reused_parts == self.parts


#: A part name is one folder of the bundle: letters, digits, "-" and "_".
_PART_NAME = re.compile(r"[0-9A-Za-z_-]+")


#: Two parts are indexed at once only when together they hold at most this many
#: times the largest part's pages: memory holds about one and a half parts' pages.
PARTS_AT_ONCE = 1.5


def index_pages(
    output: Path,
    pages: Sequence[SearchPage],
    bundle_dir: str,
    config: Mapping[str, object],
    cache: Path | None = None,
    ready_parts: Iterable[str] | None = None,
) -> IndexReport:
    """Index the given pages into one bundle per part, output/<bundle_dir>/<part>/; return a report.

    Pagefind indexes a folder in one request (its service answers one request
    per 0.1 s, too slow to send 10,000 pages one by one), so each part's pages
    are linked into a scratch folder at the paths of their URLs and that
    folder is indexed: Pagefind derives each result's URL from the path. Parts
    are indexed in the order `ready_parts` gives them (it may wait until a
    part's pages are written), by default in name order, one after another
    unless two hold at most `PARTS_AT_ONCE` times the largest part's pages (a
    small newest part): memory holds at most that many pages. A part's folder
    is brought up to date while Pagefind indexes the parts before it.

    With a cache folder, each part's bundle is kept in cache/<part>/ with the
    digest of its inputs (the part's pages' URLs and bytes, the configuration,
    Pagefind's version and this module's code); a part whose inputs have that
    digest links the kept bundle instead of running Pagefind, which cannot
    update an index in part.
    """
    key = _indexer_key(config)
    parts: dict[str, list[SearchPage]] = {}
    for page in pages:
        if not _PART_NAME.fullmatch(page.part):
            raise SearchIndexError(f"{page.path}:1: error: bad search index part {page.part!r}")
        parts.setdefault(page.part, []).append(page)
    bundle = output / bundle_dir
    if bundle.exists():
        shutil.rmtree(bundle)
    seconds = 0.0
    reused = 0
    done: set[str] = set()
    # A part's views are made while Pagefind indexes the parts before it (Pagefind
    # runs in a process of its own, waited for by a thread). Pagefind holds a part's
    # pages in memory, so two parts are indexed at once only when together they hold
    # at most PARTS_AT_ONCE times the largest part's pages (a small newest part).
    budget = PARTS_AT_ONCE * max((len(part_pages) for part_pages in parts.values()), default=0)
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="newsdesk-pagefind") as pagefind:
        running: list[tuple[Future[float], int]] = []
        for part in sorted(parts) if ready_parts is None else ready_parts:
            if part in done or part not in parts:
                continue
            done.add(part)
            part_pages = parts[part]
            digests = _page_digests(output, part_pages)
            inputs = _inputs_digest(key, part_pages, digests)
            bundle.mkdir(parents=True, exist_ok=True)
            if cache is not None and _reuse(cache / part, inputs, bundle / part, len(part_pages)):
                reused += 1
                continue
            started = time.perf_counter()
            mirror = ExitStack()  # closed once Pagefind has read the mirror
            try:
                folder = mirror.enter_context(_page_mirror(cache, part, key))
                prepared = _prepare_part(output, part_pages, digests, folder, config)
                seconds += time.perf_counter() - started
                while running and (
                    len(running) == 2 or sum(n for _, n in running) + len(part_pages) > budget
                ):
                    seconds += running.pop(0)[0].result()
            except BaseException:
                mirror.close()
                raise
            indexing = pagefind.submit(
                _index_prepared, prepared, mirror, bundle / part, config, cache, inputs
            )
            running.append((indexing, len(part_pages)))
        for indexing, _ in running:
            seconds += indexing.result()
    if done != set(parts):
        missing = ", ".join(sorted(set(parts) - done))
        raise SearchIndexError(f"search index parts never indexed: {missing}")
    if cache is not None:
        _forget_other_parts(cache, set(parts))
    bundle.mkdir(parents=True, exist_ok=True)
    return _report(bundle, len(pages), seconds, len(parts), reused)


@dataclass
class _PreparedPart:
    """A part whose page mirror is up to date, ready for Pagefind."""

    pages: int
    mirror: PageMirror
    #: Every file of the mirror: (path, source digest, make bytes), to make it again whole.
    files: list[tuple[str, bytes, Callable[[], bytes]]]


def _prepare_part(
    output: Path,
    pages: Sequence[SearchPage],
    digests: Sequence[bytes],
    mirror: PageMirror,
    config: Mapping[str, object],
) -> _PreparedPart:
    """Bring a part's page mirror up to date with its pages' search views."""
    exclude = config.get("exclude_selectors", ())
    files = [
        (mirror_path(page.url), digest, lambda p=page, d=digest: _view(output, p, d, exclude))
        for page, digest in zip(pages, digests, strict=True)
    ]
    mirror.update(files)
    return _PreparedPart(len(pages), mirror, files)


def _index_prepared(
    part: _PreparedPart,
    mirror: ExitStack,
    bundle: Path,
    config: Mapping[str, object],
    cache: Path | None,
    inputs: str,
) -> float:
    """Run Pagefind on a prepared part into its bundle folder and keep the bundle; return
    the seconds it took."""
    started = time.perf_counter()
    with mirror:
        _index_part(part, bundle, config)
    if cache is not None:
        _keep(cache / bundle.name, inputs, bundle)
    return time.perf_counter() - started


def _index_part(part: _PreparedPart, bundle: Path, config: Mapping[str, object]) -> None:
    """Run Pagefind on one part's mirrored pages into its bundle folder."""
    for whole in (False, True):
        if whole:  # the kept folder lost or gained files: make every file again
            part.mirror.forget()
            shutil.rmtree(bundle, ignore_errors=True)
            part.mirror.update(part.files)
        try:
            found = asyncio.run(_write_index(part.mirror.folder, bundle, dict(config)))
        except Exception as error:  # Pagefind reports its failures as bare exceptions
            raise SearchIndexError(f"Pagefind failed: {error}") from error
        if found == part.pages:
            break
    else:
        raise SearchIndexError(
            f"Pagefind indexed {found} pages of {part.pages} in part {bundle.name}"
        )
    _finish_bundle(bundle, part.pages)


def _view(output: Path, page: SearchPage, digest: bytes, exclude_selectors: Sequence[str]) -> bytes:
    """What Pagefind is given of a page: its search view, else the whole page; the page
    must still have the digest its part was keyed with."""
    html = _checked_page(output, page)
    if hashlib.sha256(html).digest() != digest:
        raise SearchIndexError(f"{page.path}:1: error: changed while the search index was made")
    view = search_view(html, exclude_selectors)
    return html if view is None else view


class PageMirror:
    """A folder of a part's pages at the paths of their URLs, as Pagefind reads them.

    Pagefind takes a result's URL from the file's path, so each page (its search
    view) is written at the path of its URL. Kept in the cache between builds
    with a manifest of each file's source digest, so an edit rewrites only the
    files of the pages that changed: making the views and the 4,000 folders of
    a part costs about 3 s, which the edit saves. The manifest is removed while
    the folder changes, so a build that stops half-way leaves a folder that the
    next build rebuilds whole.
    """

    def __init__(self, folder: Path, key: str) -> None:
        self.folder = folder
        self._manifest = folder.with_name(folder.name + ".json")
        #: What the views depend on besides the pages (configuration, this code).
        self._key = key

    def update(self, files: Iterable[tuple[str, bytes, Callable[[], bytes]]]) -> None:
        """Make the folder hold exactly these files: (path, source digest, make bytes)."""
        kept = self._read_manifest()
        self._manifest.unlink(missing_ok=True)
        if not kept:
            shutil.rmtree(self.folder, ignore_errors=True)
        manifest: dict[str, str] = {}
        for path, digest, make in files:
            if kept.get(path) != digest.hex():
                target = self.folder / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(make())
            manifest[path] = digest.hex()
        for path in kept.keys() - manifest.keys():
            (self.folder / path).unlink(missing_ok=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        scratch = self._manifest.with_name(f"{self._manifest.name}.{os.getpid()}.tmp")
        scratch.write_text(json.dumps({"key": self._key, "files": manifest}), encoding="utf-8")
        os.replace(scratch, self._manifest)

    def forget(self) -> None:
        """Drop the manifest: the next build writes every file again."""
        self._manifest.unlink(missing_ok=True)

    def _read_manifest(self) -> dict[str, str]:
        try:
            found = json.loads(self._manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(found, dict) or found.get("key") != self._key:
            return {}
        files = found.get("files")
        if not isinstance(files, dict) or not self.folder.is_dir():
            return {}
        return files


@contextmanager
def _page_mirror(cache: Path | None, part: str, key: str) -> Iterator[PageMirror]:
    """A part's page mirror: kept in the cache, else in a folder removed afterwards."""
    if cache is not None:
        yield PageMirror(cache / part / "pages", key)
        return
    with tempfile.TemporaryDirectory(prefix="newsdesk-search-") as scratch:
        yield PageMirror(Path(scratch) / "pages", key)


def _page_digests(output: Path, pages: Sequence[SearchPage]) -> list[bytes]:
    """The SHA-256 of each page's bytes."""
    return [hashlib.sha256(_checked_page(output, page)).digest() for page in pages]


def _inputs_digest(key: str, pages: Sequence[SearchPage], digests: Sequence[bytes]) -> str:
    """The SHA-256 of what a part's bundle is made from: `key` and each page's URL and bytes."""
    hasher = hashlib.sha256(key.encode())
    for page, digest in zip(pages, digests, strict=True):
        hasher.update(f"{page.url}\0{page.path}\0".encode())
        hasher.update(digest)
    return hasher.hexdigest()


def _finish_bundle(bundle: Path, pages: int) -> None:
    """Put a new bundle in canonical order, check it, and drop the files nobody requests."""
    try:
        canonicalise_bundle(bundle)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SearchIndexError(f"cannot put {bundle} in canonical order: {error}") from error
    verify_bundle(bundle, pages)
    for name in UNUSED_BUNDLE_FILES:
        (bundle / name).unlink(missing_ok=True)


def _report(bundle: Path, pages: int, seconds: float, parts: int, reused: int) -> IndexReport:
    files = sorted(path for path in bundle.rglob("*") if path.is_file())
    return IndexReport(
        pages=pages,
        seconds=seconds,
        files=len(files),
        bytes=sum(path.stat().st_size for path in files),
        parts=parts,
        reused_parts=reused,
    )


def _indexer_key(config: Mapping[str, object]) -> str:
    """What the bundle depends on besides the pages: configuration, Pagefind, our code."""
    code = b"".join(Path(module).read_bytes() for module in (__file__, _bundle_module_file()))
    return json.dumps(
        [
            dict(config),
            importlib.metadata.version("pagefind"),
            hashlib.sha256(code).hexdigest(),
        ],
        sort_keys=True,
        default=str,
    )


def _bundle_module_file() -> str:
    from . import bundle

    return bundle.__file__


def _reuse(cache: Path, inputs: str, bundle: Path, pages: int) -> bool:
    """Link the kept bundle into place if it was built from these inputs; True if done."""
    try:
        if (cache / "inputs.sha256").read_text(encoding="ascii") != inputs:
            return False
        _link_tree(cache / "bundle", bundle)
        verify_bundle(bundle, pages)
    except (OSError, SearchIndexError):
        shutil.rmtree(bundle, ignore_errors=True)
        return False
    return True


def _keep(cache: Path, inputs: str, bundle: Path) -> None:
    """Keep a copy of a new bundle (hard links where possible) and its inputs' digest."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
        (cache / "inputs.sha256").unlink(missing_ok=True)
        kept = cache / "bundle"
        scratch = cache / f"bundle.{os.getpid()}.tmp"
        shutil.rmtree(scratch, ignore_errors=True)
        _link_tree(bundle, scratch)
        shutil.rmtree(kept, ignore_errors=True)
        os.replace(scratch, kept)
        digest = cache / f"inputs.{os.getpid()}.tmp"
        digest.write_text(inputs, encoding="ascii")
        os.replace(digest, cache / "inputs.sha256")
    except OSError as error:  # a cache that cannot be written costs time, not the build
        logger.warning("search: cannot keep the index in %s: %s", cache, error)


def _forget_other_parts(cache: Path, parts: set[str]) -> None:
    """Remove kept bundles of parts the site no longer has (and any older cache layout)."""
    try:
        entries = sorted(cache.iterdir()) if cache.is_dir() else []
        for entry in entries:
            if entry.name in parts:
                continue
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
    except OSError as error:
        logger.warning("search: cannot tidy the kept indexes in %s: %s", cache, error)


def _link_tree(source: Path, target: Path) -> None:
    """Recreate a folder of files as hard links (copies across file systems).

    Safe because nothing writes into a bundle file once Pagefind made it: a new
    build removes the bundle and makes new files.
    """
    shutil.copytree(source, target, copy_function=_link_or_copy)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def mirror_path(url: str) -> str:
    """Return the file path whose Pagefind URL is `url` ("/a/b/" is "a/b/index.html")."""
    path = url.split("?", 1)[0].split("#", 1)[0].lstrip("/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    if not path.endswith(".html"):
        raise SearchIndexError(f"cannot index a page whose URL is not a folder or .html: {url}")
    if ".." in path.split("/"):
        raise SearchIndexError(f"cannot index a page whose URL leaves the site: {url}")
    return path


#: What makes counting tags unsafe inside the indexed element (text that looks
#: like a tag but is not one, or foreign content): such pages are given whole.
_UNCOUNTABLE = (
    b"<!--",
    b"<![cdata[",
    b"<script",
    b"<style",
    b"<textarea",
    b"<template",
    b"<noscript",
    b"<noembed",
    b"<noframes",
    b"<svg",
    b"<math",
    b"<xmp",
    b"<plaintext",
    b"<title",
    b"<iframe",
)
_UNCOUNTABLE_PATTERN = re.compile(b"|".join(re.escape(token) for token in _UNCOUNTABLE))
_START_TAG = re.compile(rb"<([a-z][a-z0-9-]*)[\s/>]")
_HTML_TAG = re.compile(rb"<html(?:\s[^>]*)?>")
_TITLE = re.compile(rb"<title[\s>].*?</title\s*>", re.S)
#: A "<" inside a quoted attribute value, where counting would take it for a tag.
_ANGLE_IN_ATTRIBUTE = re.compile(rb"""<[a-z][^>]*=\s*(?:"[^"]*<|'[^']*<)""")
_IMG_WITH_SOURCE = re.compile(rb"<img\s[^>]*\bsrc\s*=")
#: A selector that only looks at an element itself: tags, classes, ids, attributes.
_COMPOUND_SELECTOR = re.compile(r"(?:[A-Za-z*][\w-]*)?(?:[.#][\w-]+|\[[^\]\s]+\])*")
_VOID_ELEMENTS = frozenset(
    b"area base br col embed hr img input link meta source track wbr".split()
)


def search_view(html: bytes, exclude_selectors: Sequence[str] = ()) -> bytes | None:
    """The page reduced to what Pagefind reads from it, or None to give it whole.

    With one element marked `data-pagefind-body`, Pagefind indexes only that
    element, but it still parses the whole page and reads some things from
    anywhere in it: the first `<h1>` (else the `<title>`) and the first `<img>`
    after it (default title and image), every `data-pagefind-*` attribute
    (metadata, filters), and the language on `<html>`; and its exclude
    selectors may name the element's ancestors. So the view is the page's
    `<html>` tag, its `<title>` and the marked element, and only when nothing
    outside the element could change what Pagefind takes: no `data-pagefind-`
    attribute outside it, no `<h1>` or `<img>` before it, no `<h1>` after it,
    no `<img>` after it unless it holds one (with a source) after its own
    `<h1>`, and no exclude selector could match differently without the
    elements around it (see `_selectors_stay_inside`).
    Parsing the navigation, related stories, comments and footer is then saved
    (about two fifths of Pagefind's time to add a page); the bundle is the same.
    """
    lowered = html.lower()
    marker = lowered.find(BODY_MARKER.encode())
    if marker < 0 or lowered.find(BODY_MARKER.encode(), marker + 1) >= 0:
        return None
    start = lowered.rfind(b"<", 0, marker)
    opened = _START_TAG.match(lowered, start)
    if opened is None or b">" in lowered[start:marker] or opened.group(1) in _VOID_ELEMENTS:
        return None
    name = opened.group(1)
    end = _element_end(lowered, start, name)
    if end is None:
        return None
    element = lowered[start:end]
    before, after = lowered[:start], lowered[end:]
    if _UNCOUNTABLE_PATTERN.search(element) or _ANGLE_IN_ATTRIBUTE.search(element):
        return None
    if b"data-pagefind-" in before or b"data-pagefind-" in after:
        return None
    if b"<h1" in before or b"<img" in before or b"<h1" in after:
        return None
    if b"<img" in after:
        heading = element.find(b"<h1")
        if heading < 0 or not _IMG_WITH_SOURCE.search(element, heading):
            return None
    if not _selectors_stay_inside(exclude_selectors, before):
        return None
    if b'<meta charset="utf-8">' not in before or b"<!--" in before:
        return None
    root = _HTML_TAG.search(before)
    if root is None or root.group(0).count(b'"') % 2 or root.group(0).count(b"'") % 2:
        return None
    title = _TITLE.search(before)
    return b"".join(
        (
            b"<!DOCTYPE html>",
            html[root.start() : root.end()],
            b'<head><meta charset="utf-8">',
            html[title.start() : title.end()] if title else b"",
            b"</head><body>",
            html[start:end],
            b"</body></html>",
        )
    )


def _selectors_stay_inside(selectors: Sequence[str], before: bytes) -> bool:
    """Whether each selector matches the same elements inside the marked element with
    or without what surrounds it: made only of tags, classes, ids and attributes
    joined by descendant or child combinators, none of which matches an element
    the marked one sits in (`before` is the page up to it)."""
    if not selectors:
        return True
    return _none_matches(tuple(selectors), _ancestors(before))


@functools.lru_cache(maxsize=256)
def _none_matches(selectors: tuple[str, ...], ancestors: tuple[tuple[bytes, bytes], ...]) -> bool:
    """Whether the selectors are plain compounds none of which matches an ancestor
    (remembered: the elements around the marked one are the same on most pages)."""
    compounds = []
    for selector in selectors:
        for part in selector.replace(">", " ").split():
            found = _COMPOUND_SELECTOR.fullmatch(part)
            if found is None or not part:
                return False  # a pseudo-class, a sibling combinator, anything else
            compounds.append(part)
    elements = [(tag, _attributes(rest)) for tag, rest in ancestors]
    return not any(
        _compound_matches(compound, element) for compound in compounds for element in elements
    )


_OPAQUE = re.compile(rb"<(script|style)\b.*?</\1\s*>", re.S)
_ANY_TAG = re.compile(rb"<(/?)([a-z][a-z0-9-]*)([^>]*)>")
_ATTRIBUTE = re.compile(rb"""([^\s=/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")


def _ancestors(before: bytes) -> tuple[tuple[bytes, bytes], ...]:
    """The elements still open at the end of `before` (tag, attribute text), outermost first."""
    names: list[bytes] = []
    rests: list[bytes] = []
    for closing, tag, rest in _ANY_TAG.findall(_OPAQUE.sub(b"", before)):
        if closing:
            if tag in names:
                at = len(names) - 1 - names[::-1].index(tag)
                del names[at:], rests[at:]
        elif tag not in _VOID_ELEMENTS and not rest.rstrip().endswith(b"/"):
            names.append(tag)
            rests.append(rest)
    return tuple(zip(names, rests, strict=True))


def _attributes(rest: bytes) -> dict[bytes, bytes]:
    """The attributes written in a start tag after its name."""
    return {
        m.group(1): next((g for g in m.groups()[1:] if g is not None), b"")
        for m in _ATTRIBUTE.finditer(rest)
    }


_COMPOUND_PART = re.compile(r"([.#]?)([\w-]+|\*)|\[([^\]=~|^$*]+)[^\]]*\]")


def _compound_matches(compound: str, element: tuple[bytes, dict[bytes, bytes]]) -> bool:
    """Whether a compound selector may match the element (attribute values are not
    compared: an element with the attribute counts as a match)."""
    tag, attributes = element
    classes = attributes.get(b"class", b"").split()
    for found in _COMPOUND_PART.finditer(compound.lower()):
        kind, name, attribute = found.groups()
        if attribute is not None:
            if attribute.strip().encode() not in attributes:
                return False
        elif kind == ".":
            if name.encode() not in classes:
                return False
        elif kind == "#":
            if attributes.get(b"id") != name.encode():
                return False
        elif name != "*" and name.encode() != tag:
            return False
    return True


def _element_end(lowered: bytes, start: int, name: bytes) -> int | None:
    """Where the element of that name opened at `start` closes, counting nested ones."""
    tags = re.compile(rb"<(/?)" + re.escape(name) + rb"[\s/>]")
    depth = 0
    for found in tags.finditer(lowered, start):
        if found.group(1):
            depth -= 1
            if depth == 0:
                close = lowered.find(b">", found.end() - 1)
                return None if close < 0 else close + 1
        else:
            depth += 1
    return None


def _checked_page(output: Path, page: SearchPage) -> bytes:
    """The bytes of a page, checked to exist and to mark the part to index."""
    try:
        html = (output / page.path).read_bytes()
    except OSError as error:
        message = f"{page.path}:1: error: cannot be read for search: {error}"
        raise SearchIndexError(message) from error
    if BODY_MARKER.encode() not in html:
        raise SearchIndexError(
            f"{page.path}:1: error: no element carries {BODY_MARKER}; the article template "
            "must mark the article so that navigation and footers stay out of the index"
        )
    return html


async def _write_index(folder: Path, bundle: Path, config: dict) -> int:
    """Index a folder of pages into a bundle folder; return the pages indexed."""
    from pagefind.service import PagefindService

    service = await PagefindService().launch()
    try:
        index = await service.create_index(config)
        indexed = await index.add_directory(str(folder), glob="**/*.html")
        await index.write_files(output_path=str(bundle.resolve()))
        await _files_landed(bundle)
    finally:
        await service.close()
    return indexed["page_count"]


async def _files_landed(bundle: Path) -> None:
    """Wait until every file of the bundle has its content on disk.

    Pagefind answers "written" once each file is created and its content handed
    to a background writer, and the Python API stops the service right after:
    the last files could be left empty (seen on 10,000 pages). Each file is
    written in one piece, so a file with a size has all of it; `verify_bundle`
    checks the result afterwards.
    """
    deadline = time.monotonic() + WRITE_TIMEOUT_SECONDS
    while True:
        files = [path for path in bundle.rglob("*") if path.is_file()]
        if files and all(path.stat().st_size > 0 for path in files):
            return
        if time.monotonic() > deadline:
            raise SearchIndexError(f"Pagefind left empty files in {bundle}")
        await asyncio.sleep(0.05)


def verify_bundle(bundle: Path, pages: int) -> None:
    """Check that a written bundle is whole: its entry, and every compressed file."""
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        indexed = sum(language["page_count"] for language in entry["languages"].values())
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SearchIndexError(f"{bundle}/pagefind-entry.json is not whole: {error}") from error
    if indexed != pages:
        raise SearchIndexError(f"the bundle lists {indexed} pages, not {pages}")
    for path in sorted(bundle.rglob("*")):
        if path.suffix.startswith(".pf_") or path.suffix == ".pagefind":
            try:
                gzip.decompress(path.read_bytes())
            except (OSError, EOFError) as error:
                raise SearchIndexError(f"{path} is not whole: {error}") from error
