"""Pelican, run faster: parallel cached reading, linear listings, incremental rendering.

`NewsdeskPelican` is Pelican with three of its parts replaced by subclasses
(Pelican's signals, readers, writers and semantics are kept):

- `FastArticlesGenerator` renders the Markdown bodies of every article before
  Pelican reads them: bodies found in the content cache (keyed by the body's
  SHA-256 and the code and settings that render it) are reused, the others are
  rendered in worker processes (one per core). Its tag, category and author
  pages find their `dates` with a set instead of Pelican's list scan, which
  made them quadratic.
- `IncrementalWriter` (mixed into whichever writer a plugin provides) renders a
  page only when the fingerprint of its inputs differs from the last build's
  (see `digest.py` and `page_fingerprint`), writes a file only when its bytes
  differ, and always replaces a file by renaming a new one over it, never by
  writing into it. So the staging folder can start as hard links to the last
  output: a kept page costs a link, and the previous output is never changed.
  The articles generator's pages are written in batches by forked processes,
  one per core, and replayed in Pelican's order (see `IncrementalWriter`).
- `run()` is Pelican's, with a progress line and a one-line summary.

What a page depends on (the dependency model of the incremental build): every
page depends on the build's global key (Pelican's version, every setting, the
theme's templates, the plugins' source files) and on the fingerprint of the
keyword arguments of its `write_file` call. Article, tag, category and author
pages also depend on the shared context's small values (navigation, authors,
pages, comments and search settings…) but not on its site-wide collections
(`articles`, `dates`, `tags`, the front page…), unless their template (with
everything it includes, imports or extends) names one of those collections;
every other page (direct templates, pages) depends on the whole context.
An article with links to other content ({filename}…) is always rendered.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import importlib.metadata
import io
import json
import logging
import multiprocessing
import multiprocessing.connection
import os
import pickle
import re
import shutil
import signal
import string
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, tzinfo
from itertools import chain, groupby
from operator import attrgetter
from pathlib import Path
from stat import S_ISREG
from typing import NamedTuple

import blinker
from jinja2 import meta, nodes
from pelican import Pelican, generators, signals, urlwrappers
from pelican.contents import Article
from pelican.generators import ArticlesGenerator, PagesGenerator, StaticGenerator
from pelican.paginator import Paginator
from pelican.readers import find_empty_alt
from pelican.utils import clean_output_dir, get_relative_path, path_to_url, sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from .digest import VOLATILE_SETTINGS, CardMemo, Fingerprinter, file_digest, is_content
from .progress import BuildCounts, Progress

logger = logging.getLogger(__name__)

#: Sent (with the articles generator) once every article page is in the output
#: folder, before listings are written: work that reads only article pages (the
#: search index) can start while the rest is written.
article_pages_written = blinker.signal("newsdesk_article_pages_written")
#: Sent (with the articles generator and `paths`, the output paths written) after each
#: batch of article pages is in the output folder: the search index may start on the
#: parts of it whose pages are all written while the next batches are rendered.
article_pages_batch_written = blinker.signal("newsdesk_article_pages_batch_written")
#: Sent (with the articles generator, `articles`, the published articles oldest first,
#: and `read`, the source paths of the articles read this build rather than recalled
#: from the read cache, or None when none was recalled) before article pages are
#: written. A receiver may answer with the same articles in the order to write them
#: (the search index, to have the parts it must index again written first).
article_pages_order = blinker.signal("newsdesk_article_pages_order")
#: Sent (with the settings) when a build fails: work started for it should stop.
build_failed = blinker.signal("newsdesk_build_failed")
#: Bump when the engine's idea of a page's inputs changes: every page renders again.
ENGINE_VERSION = "1"
#: Context keys holding site-wide collections (see the module docstring).
COLLECTION_KEYS = frozenset(
    {
        "articles",
        "dates",
        "tags",
        "categories",
        "authors",
        "drafts",
        "drafts_translations",
        "hidden_articles",
        "hidden_translations",
        "translations",
        "period_archives",
        "hidden_pages",
        "draft_pages",
        "generated_content",
        "static_content",
        "static_links",
        "staticfiles",
        "related_posts",
        "all_articles",
        "newsdesk_front",
        "newsdesk_archive",
    }
)
#: Templates whose pages depend only on their own arguments and the small context.
NARROW_TEMPLATES = frozenset({"article", "tag", "category", "author"})
#: Markers of intrasite links, whose targets' URLs can change without the article changing.
LINK_MARKERS = (
    "{filename}",
    "{static}",
    "{attach}",
    "{tag}",
    "{category}",
    "{author}",
    "{index}",
    "|filename|",
    "|static|",
    "|attach|",
    "|tag|",
    "|category|",
    "|author|",
    "|index|",
)
#: Below this many bodies to render, worker processes cost more than they save.
PARALLEL_MINIMUM = 64
CHUNK = 32
#: Below this many pages to write in one batch, a forked writer costs more than it saves.
PARALLEL_PAGES_MINIMUM = 32
#: A forked writer reports its progress every this many files.
STEP_BATCH = 25
#: Article pages are written in batches of this many (NEWSDESK_BUILD_ARTICLE_BATCH).
ARTICLE_BATCH = 1000


def build_workers(settings: dict) -> int:
    """Processes a build uses for bodies and pages: NEWSDESK_BUILD_WORKERS, else one per core."""
    return int(settings.get("NEWSDESK_BUILD_WORKERS") or os.cpu_count() or 1)


def article_batch(settings: dict) -> int:
    """How many article pages are written in one batch: NEWSDESK_BUILD_ARTICLE_BATCH, else 1,000."""
    value = settings.get("NEWSDESK_BUILD_ARTICLE_BATCH", ARTICLE_BATCH)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"NEWSDESK_BUILD_ARTICLE_BATCH must be a positive integer, not {value!r}")
    return value


# --- the state of one build --------------------------------------------------------------------


class BuildState:
    """What one build shares between the engine, its generators and its writer."""

    def __init__(
        self,
        cache_dir: Path,
        previous: dict[str, str | None],
        seeded: set[str],
        progress: Progress,
        full: bool = False,
    ) -> None:
        self.cache_dir = cache_dir
        #: Ignore every cache (`--full`): each body and page is rendered.
        self.full = full
        self.previous = previous
        self.seeded = seeded
        self.manifest: dict[str, str | None] = {}
        self.progress = progress
        self.counts = BuildCounts()
        self.global_key = ""
        #: Fingerprinters whose cards include the body, and whose cards do not.
        memo = CardMemo()
        self.fingerprints = {True: Fingerprinter(True, memo), False: Fingerprinter(False, memo)}
        #: Set once pages are written: no article's URL changes any more, so each is
        #: computed once (Pelican formats it again, dates and all, on every access).
        self.urls_fixed = False


_state: BuildState | None = None


def current_state() -> BuildState | None:
    """The build in progress (None when Pelican runs without this engine)."""
    return _state


# --- reading: bodies rendered in parallel, cached across builds ---------------------------------


def _body_code_version() -> str:
    """What renders a body: our reader, typography, inline and block modules, the libraries'
    versions."""
    from newsdesk_content import blocks, inline, reader, typography

    parts = [Path(m.__file__).read_bytes() for m in (reader, typography, inline, blocks)]
    for name, version in _library_versions(("markdown", "typogrify", "smartypants", "pygments")):
        parts.append(f"{name}={version}".encode())
    return hashlib.sha256(b"\0".join(parts)).hexdigest()


def body_key(body: str, settings_key: str) -> str:
    """The cache key of one body under the given rendering settings."""
    return hashlib.sha256(settings_key.encode() + b"\0" + body.encode("utf-8")).hexdigest()


def _render_chunk(bodies: list[str], markdown_settings: dict) -> list[str]:
    from newsdesk_content.reader import render_body

    return [render_body(body, markdown_settings) for body in bodies]


class BodyCache:
    """Rendered bodies by key: loaded from the cache folder, saved with this build's keys only."""

    def __init__(self, path: Path, load: bool = True) -> None:
        self.path = path
        self.entries: dict[str, str] = {}
        self.used: set[str] = set()
        self.changed = False
        if not load:
            return
        try:
            with path.open("rb") as handle:
                loaded = pickle.load(handle)
            if isinstance(loaded, dict):
                self.entries = loaded
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            self.entries = {}

    def get(self, key: str) -> str | None:
        """A rendered body, or None."""
        found = self.entries.get(key)
        if found is not None:
            self.used.add(key)
        return found

    def put(self, key: str, html: str) -> None:
        """Remember a rendered body."""
        self.entries[key] = html
        self.used.add(key)
        self.changed = True

    def save(self) -> None:
        """Write the bodies this build used (atomically); drop the others."""
        if not self.changed and self.used == set(self.entries):
            return
        _write_pickle(self.path, {key: self.entries[key] for key in sorted(self.used)})


def _write_pickle(path: Path, value: object) -> None:
    """Pickle a value into a file by replacing it (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    with temporary.open("wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)


class PreparedBodies:
    """Rendered bodies by key: the cached ones, and those still arriving, in reading order,
    from worker processes (so Pelican reads articles while the next bodies render)."""

    def __init__(
        self, known: dict[str, str], keys: list[str], rendered: Iterator[str], cache: BodyCache
    ) -> None:
        self.known = known
        self.cache = cache
        self._rendered = rendered
        self._arriving = zip(keys, rendered, strict=True)

    def get(self, key: str) -> str | None:
        """A body's HTML, waiting for it if it is still being rendered; None if unknown.

        If a worker fails, no more bodies arrive and None is the answer: the reader
        then renders the body itself, inside Pelican's reading of that very file, so
        a body that cannot be rendered fails the build naming its file.
        """
        found = self.known.get(key)
        while found is None and self._arriving is not None:
            try:
                arrived = next(self._arriving, None)
            except Exception:
                self.abandon()
                break
            if arrived is None:
                self._arriving = None
                break
            self._keep(*arrived)
            if arrived[0] == key:
                found = arrived[1]
        return found

    def finish(self) -> None:
        """Take the bodies nobody asked for, and save the cache."""
        if self._arriving is not None:
            for key, html in self._arriving:
                self._keep(key, html)
            self._arriving = None
        self.cache.save()

    def abandon(self) -> None:
        """Stop rendering (the build failed)."""
        self._arriving = None
        close = getattr(self._rendered, "close", None)
        if close is not None:
            close()

    def _keep(self, key: str, html: str) -> None:
        self.known[key] = html
        self.cache.put(key, html)


class _SharedPickler(pickle.Pickler):
    """Pickle that names the build's settings and context instead of copying them."""

    def __init__(self, file: io.BytesIO, shared: dict[int, str]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._shared = shared

    def persistent_id(self, obj: object) -> str | None:
        return self._shared.get(id(obj))


class _SharedUnpickler(pickle.Unpickler):
    """Unpickle, giving the named settings and context this build's objects."""

    def __init__(self, file: io.BytesIO, shared: dict[str, object]) -> None:
        super().__init__(file)
        self._shared = shared

    def persistent_load(self, pid: object) -> object:
        try:
            return self._shared[pid]  # type: ignore[index]
        except (KeyError, TypeError):
            raise pickle.UnpicklingError(f"unknown shared object {pid!r}") from None


#: The signals Pelican sends while reading one file: an article recalled from the
#: read cache is not read, so the cache is used only when nothing listens to them.
READING_SIGNALS = (
    signals.article_generator_preread,
    signals.article_generator_context,
    signals.content_object_init,
)


class ReadEntry(NamedTuple):
    """One article as it was read, and what its reading depended on."""

    #: SHA-256 of the file's bytes (and its modification time when dates come from it).
    digest: str
    #: The body's key in the body cache, or None when the body is in `attributes`.
    body_key: str | None
    #: The article's attributes, pickled with the build's settings and context cut out.
    attributes: bytes
    #: The site-wide tag spellings the reader looked up, and what it found (None: none).
    spellings: tuple[tuple[str, str | None], ...]


class ReadCache:
    """Articles as Pelican read them, by source path, kept across builds.

    An article is recalled instead of read while its file's bytes, the site-wide
    tag spellings its reading looked up, and everything else that reads it (the
    key: Pelican's and Python's versions, the settings, the plugins' code, the
    readers' other state) are unchanged. Each entry is the article's attributes
    right after reading (before any generator or plugin touched it); the body is
    the one in the body cache when it is the same. Only articles dated in the
    past are kept: Pelican makes an article dated in the future a draft, and that
    changes with the clock.
    """

    def __init__(self, path: Path, key: str, load: bool = True) -> None:
        self.path = path
        self.key = key
        self.entries: dict[str, ReadEntry] = {}
        self.kept: dict[str, ReadEntry] = {}
        self.changed = False
        if not load:
            return
        try:
            with path.open("rb") as handle:
                stored_key, entries = pickle.load(handle)
            if stored_key == key and isinstance(entries, dict):
                self.entries = {relative: ReadEntry(*entry) for relative, entry in entries.items()}
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
            self.entries = {}

    def lookup(self, relative: str, digest: str, spellings: Mapping[str, str]) -> ReadEntry | None:
        """The entry of a file whose bytes have this digest, read with these spellings."""
        entry = self.entries.get(relative)
        if entry is None or entry.digest != digest:
            return None
        if any(spellings.get(key) != spelt for key, spelt in entry.spellings):
            return None
        return entry

    def recall(self, relative: str, entry: ReadEntry, body: str | None, shared: dict) -> Article:
        """The article of an entry found by `lookup`, with this build's settings and context
        (and its body from the body cache, unless the entry holds it)."""
        attributes = _SharedUnpickler(io.BytesIO(entry.attributes), shared).load()
        article = FastArticle.__new__(FastArticle)
        article.__dict__.update(attributes)
        if entry.body_key is not None:
            article._content = body
        self.kept[relative] = entry
        return article

    def remember(
        self,
        relative: str,
        digest: str,
        body_key: str | None,
        article: Article,
        shared: dict,
        spellings: tuple[tuple[str, str | None], ...],
    ) -> None:
        """Keep a freshly read article (if its state cannot change with the clock)."""
        if not _dated_in_the_past(article):
            return
        attributes = dict(vars(article))
        content = attributes.pop("_content", None)
        attributes.pop("_newsdesk_urls", None)
        if body_key is None:
            attributes["_content"] = content
        buffer = io.BytesIO()
        try:
            _SharedPickler(buffer, {id(v): k for k, v in shared.items()}).dump(attributes)
        except (pickle.PicklingError, TypeError, AttributeError, ValueError, RecursionError):
            return  # an attribute pickle cannot keep: this article is always read
        self.kept[relative] = ReadEntry(digest, body_key, buffer.getvalue(), spellings)
        self.changed = True

    def save(self) -> None:
        """Write the entries of this build's articles (atomically); drop the others."""
        if not self.changed and self.kept.keys() == self.entries.keys():
            return
        entries = {relative: tuple(self.kept[relative]) for relative in sorted(self.kept)}
        _write_pickle(self.path, (self.key, entries))


def _dated_in_the_past(article: Article) -> bool:
    date = getattr(article, "date", None)
    if date is None:
        return True
    now = datetime.now(UTC) if date.tzinfo is not None else datetime.now()
    try:
        return date <= now
    except TypeError:
        return False


def read_cache_key(settings: dict, readers: dict[str, object]) -> str:
    """What reading a file depends on besides its bytes (see `ReadCache`)."""
    prints = Fingerprinter()
    folders = [(f"plugins{i}", Path(p)) for i, p in enumerate(settings.get("PLUGIN_PATHS") or [])]
    return prints.digest_items(
        [
            ("engine", ENGINE_VERSION),
            ("pelican", importlib.metadata.version("pelican")),
            ("python", sys.version),
            ("code", file_digest(_source_files(folders))),
            ("settings", prints.settings_digest(settings)),
            ("libraries", _library_versions(READING_LIBRARIES)),
            # Dates from a file's time (DEFAULT_DATE = "fs") are local times.
            ("zone", (os.environ.get("TZ"), time.tzname, time.timezone)),
            (
                "readers",
                [
                    (ext, type(reader).__qualname__, type(reader).__module__, _reader_state(reader))
                    for ext, reader in sorted(readers.items())
                ],
            ),
        ]
    )


#: The libraries whose versions an article's reading depends on.
READING_LIBRARIES = ("markdown", "typogrify", "smartypants", "pygments", "python-dateutil")


def _library_versions(names: tuple[str, ...]) -> list[tuple[str, str]]:
    """Each installed library's version ("-" when it is not installed)."""
    versions = []
    for name in names:
        try:
            versions.append((name, importlib.metadata.version(name)))
        except importlib.metadata.PackageNotFoundError:
            versions.append((name, "-"))
    return versions


def _reader_state(reader: object) -> dict[str, object]:
    # The site-wide tag spellings enter each entry, as far as its reading looked them up.
    skipped = ("settings", "_md", "_tag_spellings", "dates_read_with_clock")
    return {k: v for k, v in sorted(vars(reader).items()) if k not in skipped}


class _ConsultedMapping(Mapping):
    """A read-only mapping that notes the keys looked up in it, and what they gave."""

    def __init__(self, data: Mapping[str, str]) -> None:
        self.data = data
        self.consulted: dict[str, str | None] = {}
        #: Set when the mapping was walked whole: every key was consulted.
        self.walked = False

    def __getitem__(self, key: str) -> str:
        try:
            value = self.data[key]
        except KeyError:
            self.consulted[key] = None
            raise
        self.consulted[key] = value
        return value

    def __iter__(self) -> Iterator[str]:
        self.walked = True
        return iter(self.data)

    def __len__(self) -> int:
        self.walked = True
        return len(self.data)

    def start(self) -> None:
        """Forget what was consulted (a new file is about to be read)."""
        self.consulted = {}
        self.walked = False


def _reader_class():
    from newsdesk_content.reader import NewsdeskMarkdownReader
    from newsdesk_content.source import Header, decode_source, parse_header

    class CachedBodyReader(NewsdeskMarkdownReader):
        """The Newsdesk reader, answering bodies from the build's prepared bodies."""

        bodies: PreparedBodies
        settings_key: str
        on_read: Callable[[], None] | None
        #: Headers the build parsed before reading, by absolute path: (SHA-256 of the
        #: file's bytes, header). Each is taken once, if the file still has those bytes.
        headers: dict[str, tuple[bytes, Header]]

        def read_header(self, source_path: str) -> Header:
            """The header parsed while the bodies were prepared, when the file is unchanged."""
            data = Path(source_path).read_bytes()
            parsed = self.headers.pop(os.path.abspath(source_path), None)
            if parsed is not None and parsed[0] == hashlib.sha256(data).digest():
                return parsed[1]
            return parse_header(decode_source(data))

        def render_body(self, body: str) -> str:
            """The prepared body when there is one; else render it here."""
            found = self.bodies.get(body_key(body, self.settings_key))
            if found is None:
                found = super().render_body(body)
            return found

        def read(self, source_path: str) -> tuple[str, dict]:
            """Read one file and count it."""
            result = super().read(source_path)
            if self.on_read is not None:
                self.on_read()
            return result

    return CachedBodyReader


_format_field_names: dict[str, tuple[str, ...]] = {}


def _format_fields(pattern: str) -> tuple[str, ...]:
    """The names a format string reads ("{date:%Y}/{slug}/" reads date and slug; a
    field inside a format spec, "{date:{fmt}}", is read too)."""
    found = _format_field_names.get(pattern)
    if found is None:
        names: list[str] = []
        for _text, field, spec, _conversion in string.Formatter().parse(pattern):
            if field is not None:
                names.append(re.split(r"[.\[]", field, maxsplit=1)[0])
            if spec and "{" in spec:
                names.extend(_format_fields(spec))
        found = _format_field_names[pattern] = tuple(dict.fromkeys(names))
    return found


#: Values a URL is remembered by: they cannot change without being replaced.
_IMMUTABLE_URL_VALUES = (str, int, float, bool, type(None), datetime, tzinfo, tuple, frozenset)


_slugs: dict[tuple, str] = {}


def _remembering_slugify(slugify: Callable[..., str]) -> Callable[..., str]:
    """Pelican's `slugify` (a pure function), answering again from memory."""

    def remembered(
        value: str, regex_subs=(), preserve_case: bool = False, use_unicode: bool = False
    ) -> str:
        key = (value, tuple(tuple(sub) for sub in regex_subs), preserve_case, use_unicode)
        found = _slugs.get(key)
        if found is None:
            found = _slugs[key] = slugify(value, regex_subs, preserve_case, use_unicode)
        return found

    return remembered


def _process_translations_by_group(process_translations: Callable) -> Callable:
    """Pelican's `process_translations`, run on each group of one translation id.

    Pelican's ends by looking every item up in the list of originals, a scan per
    item: about 1 s at 10,000 articles and four times that at 20,000. The groups
    are independent (Pelican sorts the list by the id and takes runs of equal
    ids), so sorting the list the same way and giving Pelican's function one run
    at a time gives the same lists, translations and warnings.
    """

    def by_group(content_list, translation_id=None):
        if not translation_id:
            return process_translations(content_list, translation_id)
        names = {translation_id} if isinstance(translation_id, str) else translation_id
        key = attrgetter(*names)
        try:
            content_list.sort(key=key)
        except (TypeError, AttributeError):
            return process_translations(content_list, translation_id)  # Pelican's error
        index: list = []
        translations: list = []
        for _, group in groupby(content_list, key):
            originals, others = process_translations(list(group), translation_id)
            index.extend(originals)
            translations.extend(others)
        return index, translations

    return by_group


class FastArticle(Article):
    """Pelican's Article, remembering its path relative to PATH (asked for by every URL)
    and, while pages are written, its URLs."""

    def get_url_setting(self, key: str) -> str:
        """Pelican's answer; computed once per key while pages are written, and before
        that again only when a value it is formatted from has changed."""
        state = current_state()
        if state is None:
            return super().get_url_setting(key)
        if state.urls_fixed:
            urls = self.__dict__.setdefault("_newsdesk_urls", {})
            found = urls.get(key)
            if found is None:
                found = urls[key] = super().get_url_setting(key)
            return found
        inputs = self._url_inputs(key)
        if inputs is None:
            return super().get_url_setting(key)
        memo = self.__dict__.setdefault("_newsdesk_url_memo", {})
        remembered = memo.get(key)
        if remembered is not None and remembered[0] == inputs:
            return remembered[1]
        value = super().get_url_setting(key)
        memo[key] = (inputs, value)
        return value

    def _url_inputs(self, key: str) -> tuple | None:
        """What Pelican formats this URL setting from (see `Content.url_format`); None
        when one of those values could change in place (a list): not remembered then."""
        override = self.__dict__.get("override_" + key)
        if override is not None:
            return ("override", override)
        klass = "draft" if self.status == "draft" else "article"
        setting = f"{klass}_{key if self.in_default_lang else 'lang_' + key}".upper()
        pattern = self.settings.get(setting)
        values = []
        for name in _format_fields(str(pattern)):
            if name == "path":
                value = self.metadata.get("path", self.get_relative_source_path())
            elif name in ("slug", "lang"):
                value = getattr(self, name, None)
            elif name == "date":
                value = getattr(self, "date", None)
                value = (value, getattr(value, "tzinfo", None))
            elif name in ("author", "category"):
                value = getattr(self, name).slug if hasattr(self, name) else ""
            else:
                value = self.metadata.get(name)
            values.append(value)
        flat = [part for value in values for part in (value if type(value) is tuple else (value,))]
        if not all(isinstance(part, _IMMUTABLE_URL_VALUES) for part in flat):
            return None
        return (setting, pattern, tuple(values))

    def get_relative_source_path(self, source_path: str | None = None) -> str | None:
        """Pelican's answer, computed once per source path and PATH (a pure function of them)."""
        if source_path:
            return super().get_relative_source_path(source_path)
        key = (self.source_path, self.settings["PATH"])
        cached = self.__dict__.get("_newsdesk_relative_source")
        if cached is None or cached[0] != key:
            cached = (key, super().get_relative_source_path())
            self.__dict__["_newsdesk_relative_source"] = cached
        return cached[1]


def _read_cache_usable(settings: dict) -> bool:
    """Whether articles may be recalled instead of read (see `READING_SIGNALS`).

    Not when a plugin listens to a signal sent while reading, and not with a date
    format naming a locale (Pelican sets the locale while reading such an article).
    """
    if any(bool(signal.receivers) for signal in READING_SIGNALS):
        return False
    formats = [settings.get("DEFAULT_DATE_FORMAT"), *(settings.get("DATE_FORMATS") or {}).values()]
    return not any(isinstance(value, tuple | list) for value in formats)


class _Recall:
    """One build's use of the read cache: which files are recalled, and what was read."""

    def __init__(
        self, cache: ReadCache, shared: dict[str, object], spellings: Mapping[str, str]
    ) -> None:
        self.cache = cache
        self.shared = shared
        #: The site's tag spellings, noting what each reading looks up.
        self.spellings = _ConsultedMapping(spellings)
        self.digests: dict[str, str] = {}
        self.body_keys: dict[str, str] = {}
        self.found: dict[str, tuple[ReadEntry, str | None]] = {}
        self.bodies: PreparedBodies | None = None
        #: The build's Newsdesk readers (each notes when a date was read by dateutil).
        self.readers: list = []
        self.on_recall: Callable[[], None] | None = None
        self.counts: BuildCounts | None = None

    def start_reading(self) -> None:
        """A file is about to be read: watch what its reading depends on afresh."""
        self.spellings.start()
        for reader in self.readers:
            reader.dates_read_with_clock = False

    def look_up(self, relative: str, digest: str, bodies: BodyCache) -> bool:
        """Note a file's digest; True when its article can be recalled (body included)."""
        self.digests[relative] = digest
        entry = self.cache.lookup(relative, digest, self.spellings.data)
        if entry is None:
            return False
        body = None
        if entry.body_key is not None:
            body = bodies.get(entry.body_key)
            if body is None:
                return False
        self.found[relative] = (entry, body)
        return True

    def recall(self, relative: str) -> Article | None:
        """The recalled article of a file, or None when it must be read."""
        found = self.found.pop(relative, None)
        if found is None:
            return None
        try:
            article = self.cache.recall(relative, found[0], found[1], self.shared)
        except (pickle.UnpicklingError, AttributeError, ImportError, EOFError, TypeError):
            return None
        # Pelican warns about body images without alt text as it reads: so does a recall.
        if article._content:
            find_empty_alt(article._content, getattr(article, "source_path", relative))
        if self.on_recall is not None:
            self.on_recall()
        if self.counts is not None:
            self.counts.articles_recalled += 1
        return article

    def remember(self, relative: str, article: Article) -> None:
        """Keep a freshly read article, its body by key when the body cache has that body."""
        digest = self.digests.get(relative)
        if digest is None or self.spellings.walked:
            return
        if any(reader.dates_read_with_clock for reader in self.readers):
            return  # a date may have been completed from today's date
        spellings = tuple(sorted(self.spellings.consulted.items()))
        key = self.body_keys.get(relative)
        known = self.bodies.known.get(key) if self.bodies is not None and key else None
        same = known is not None and known == getattr(article, "_content", None)
        self.cache.remember(
            relative, digest, key if same else None, article, self.shared, spellings
        )


class FastArticlesGenerator(ArticlesGenerator):
    """Pelican's articles generator with parallel cached bodies and linear listings."""

    def cache_data(self, filename, data) -> None:
        """Pelican's, without the file's stamp when nothing is cached (CACHE_CONTENT off):
        Pelican takes it for every article and then drops it."""
        if self._cache_data_policy:
            super().cache_data(filename, data)

    def generate_context(self) -> None:
        """Let Pelican read the articles while worker processes render their bodies;
        articles whose files did not change are recalled from the read cache."""
        state = current_state()
        prepared = self._prepare_bodies(state) if state is not None else None
        bodies, recall = prepared if prepared is not None else (None, None)
        read_file = self.readers.read_file

        def read_fast(*args, content_class=Article, **kwargs):
            relative = kwargs.get("path") if recall is not None and not args else None
            if content_class is Article:
                content_class = FastArticle
                if relative is not None:
                    found = recall.recall(relative)
                    if found is not None:
                        return found
            if relative is not None:
                recall.start_reading()
            result = read_file(*args, content_class=content_class, **kwargs)
            if relative is not None and isinstance(result, FastArticle):
                recall.remember(relative, result)
                read_sources.add(result.source_path)
            return result

        # The articles read rather than recalled (None: there was nothing to recall).
        read_sources: set[str] = set()
        self._newsdesk_read_sources = read_sources if recall is not None else None

        self.readers.read_file = read_fast
        try:
            super().generate_context()
        except BaseException:
            if bodies is not None:
                bodies.abandon()
            raise
        finally:
            del self.readers.read_file
            for reader in self.readers.readers.values():
                getattr(reader, "headers", {}).clear()  # those of files never read
        if bodies is not None:
            bodies.finish()
        if recall is not None:
            recall.cache.save()

    def _prepare_bodies(self, state: BuildState) -> tuple[PreparedBodies, _Recall | None] | None:
        """Recall cached articles and bodies; start rendering the others, in reading order."""
        from newsdesk_content.reader import NewsdeskMarkdownReader
        from newsdesk_content.source import Header, decode_source, parse_header

        readers = {
            ext: reader
            for ext, reader in self.readers.readers.items()
            if type(reader) is NewsdeskMarkdownReader
        }
        if not readers:
            return None
        markdown = self.settings["MARKDOWN"]
        settings_key = hashlib.sha256(
            (_body_code_version() + repr(sorted(markdown.items(), key=repr))).encode()
        ).hexdigest()
        # In the order Pelican reads them (the same call), so that the bodies come
        # back from the worker processes in the order the reader asks for them.
        files = self.get_files(
            self.settings["ARTICLE_PATHS"], exclude=self.settings["ARTICLE_EXCLUDES"]
        )
        files = [f for f in files if f.rsplit(".", 1)[-1] in readers]
        state.progress.start("reading bodies", len(files))
        recall = None
        if _read_cache_usable(self.settings):
            key = read_cache_key(self.settings, self.readers.readers)
            read_cache = ReadCache(state.cache_dir / "articles.pickle", key, load=not state.full)
            spellings = getattr(next(iter(readers.values())), "_tag_spellings", {})
            shared = {"settings": self.settings, "context": self.context}
            recall = _Recall(read_cache, shared, spellings)
        cache = BodyCache(state.cache_dir / "bodies.pickle", load=not state.full)
        known: dict[str, str] = {}
        missing: dict[str, str] = {}
        headers: dict[str, tuple[bytes, Header]] = {}
        with_mtime = self.settings.get("DEFAULT_DATE") == "fs"
        for relative in files:
            path = Path(self.path, relative)
            try:
                data = path.read_bytes()
                text = decode_source(data)
            except (OSError, ValueError):
                continue  # the reader reports it
            data_digest = hashlib.sha256(data)
            if recall is not None:
                digest = data_digest.copy()
                if with_mtime:
                    digest.update(b"%d" % path.stat().st_mtime_ns)
                if recall.look_up(relative, digest.hexdigest(), cache):
                    continue
            header = parse_header(text)
            # Handed to the reader, which would parse the same bytes again.
            headers[os.path.abspath(path)] = (data_digest.digest(), header)
            body = header.body
            key = body_key(body, settings_key)
            if recall is not None:
                recall.body_keys[relative] = key
            found = cache.get(key)
            if found is not None:
                known[key] = found
                state.counts.bodies_cached += 1
            else:
                missing.setdefault(key, body)
        state.counts.bodies_rendered += len(missing)
        bodies = PreparedBodies(
            known, list(missing), self._render(list(missing.values()), markdown), cache
        )
        reader_class = _reader_class()
        state.progress.start("rendering bodies and reading articles", len(files))
        for ext, reader in readers.items():
            fast = object.__new__(reader_class)
            fast.__dict__.update(reader.__dict__)
            fast.bodies = bodies
            fast.settings_key = settings_key
            fast.on_read = state.progress.step
            fast.headers = headers
            if recall is not None:
                if hasattr(fast, "_tag_spellings"):
                    fast._tag_spellings = recall.spellings
                recall.readers.append(fast)
            self.readers.readers[ext] = fast
        if recall is not None:
            recall.bodies = bodies
            recall.on_recall = state.progress.step
            recall.counts = state.counts
        return bodies, recall

    def _render(self, bodies: list[str], markdown: dict) -> Iterator[str]:
        """The rendered bodies, in order: from worker processes, one per core, when that pays."""
        workers = build_workers(self.settings)
        # A few bodies are rendered here, unless NEWSDESK_BUILD_WORKERS asks for processes.
        few = len(bodies) < PARALLEL_MINIMUM and not self.settings.get("NEWSDESK_BUILD_WORKERS")
        if workers < 2 or few or not bodies:
            for body in bodies:
                yield _render_chunk([body], markdown)[0]
            return
        chunks = [bodies[i : i + CHUNK] for i in range(0, len(bodies), CHUNK)]
        # Not "fork": in a process with threads (a host embedding the build), a forked
        # child can deadlock on a lock one of them held.
        context = multiprocessing.get_context("forkserver")
        pool = concurrent.futures.ProcessPoolExecutor(workers, mp_context=context)
        try:
            for rendered in pool.map(_render_chunk, chunks, [markdown] * len(chunks)):
                yield from rendered
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def generate_pages(self, writer) -> None:
        """Pelican's pages, written in parallel batches: the articles, then the rest."""
        parallel = isinstance(writer, IncrementalWriter) and current_state() is not None
        self._batching_writer = writer if parallel else None
        if not parallel:
            super().generate_pages(writer)
            return
        writer.defer()
        try:
            super().generate_pages(writer)
        except BaseException:
            writer.discard()
            raise
        writer.flush()

    def generate_articles(self, write) -> None:
        """Write the article pages in batches, oldest first, announcing each batch.

        Pelican writes the newest first; the search index's parts are cut from
        the oldest, so in this order each part is complete (and indexed beside
        the pages still to write) as early as can be, and the last part left to
        index when the article pages are done is the newest, the smallest. A
        receiver of `article_pages_order` may change the order of the published
        articles (see `_write_order`). Only the order of the writes differs:
        each page is written exactly as Pelican writes it.
        """
        writer = getattr(self, "_batching_writer", None)
        if writer is None:
            super().generate_articles(write)
            article_pages_written.send(self)
            return
        size = article_batch(self.settings)
        batch: list[str] = []

        def write_batch() -> None:
            writer.flush()
            writer.defer()
            if batch:
                article_pages_batch_written.send(self, paths=tuple(batch))
                batch.clear()

        # Pelican's order, the published articles reversed (they are newest first).
        for article in chain(
            self.translations,
            self._write_order(list(reversed(self.articles))),
            self.hidden_translations,
            self.hidden_articles,
        ):
            signals.article_generator_write_article.send(self, content=article)
            write(
                article.save_as,
                self.get_template(article.template),
                self.context,
                article=article,
                category=getattr(article, "category", None),
                override_output=hasattr(article, "override_save_as"),
                url=article.url,
                blog=True,
            )
            batch.append(article.save_as)
            if len(batch) >= size:
                write_batch()
        write_batch()
        article_pages_written.send(self)

    def _write_order(self, oldest_first: list) -> list:
        """The published articles in the order the first receiver of
        `article_pages_order` gives, else oldest first."""
        read = self.__dict__.get("_newsdesk_read_sources")
        answers = article_pages_order.send(
            self, articles=tuple(oldest_first), read=None if read is None else frozenset(read)
        )
        for receiver, answer in answers:
            if answer is None:
                continue
            answer = list(answer)
            if sorted(map(id, answer)) != sorted(map(id, oldest_first)):
                name = getattr(receiver, "__qualname__", repr(receiver))
                raise ValueError(
                    f"{name} answered newsdesk_article_pages_order with other articles than "
                    "it was given: it may only change their order"
                )
            return answer
        return oldest_first

    # Pelican finds each listing's `dates` by testing every article of the site
    # for membership in the listing's list: quadratic. Same result: the listing's
    # members that are in `dates`, in their order there.
    def _listing_dates(self, articles: list) -> list:
        positions = self.__dict__.get("_newsdesk_date_positions")
        if positions is None or positions[0] is not self.dates or positions[1] != len(self.dates):
            where = {id(article): i for i, article in enumerate(self.dates)}
            positions = (self.dates, len(self.dates), where)
            self._newsdesk_date_positions = positions
        where = positions[2]
        found = {where[id(a)]: a for a in articles if id(a) in where}
        return [found[i] for i in sorted(found)]

    def _write_listings(self, write, listings, template_name: str, key: str) -> None:
        template = self.get_template(template_name)
        for subject, articles in listings:
            try:
                write(
                    subject.save_as,
                    template,
                    self.context,
                    url=subject.url,
                    articles=articles,
                    dates=self._listing_dates(articles),
                    template_name=template_name,
                    blog=True,
                    page_name=subject.page_name,
                    all_articles=self.articles,
                    **{key: subject},
                )
            except FileOverwriteFailedError:
                if not subject.slug:
                    logger.info(
                        '%s "%s" has an invalid slug; skipping writing its page...',
                        key.capitalize(),
                        subject,
                        extra={"limit_msg": f"Further {key}s with invalid slugs."},
                    )
                    continue
                logger.error('Failed to write %s page for "%s".', key.capitalize(), subject)
                raise

    def generate_tags(self, write) -> None:
        """Generate tag pages (linear time)."""
        self._write_listings(write, self.tags.items(), "tag", "tag")

    def generate_categories(self, write) -> None:
        """Generate category pages (linear time)."""
        self._write_listings(write, self.categories, "category", "category")

    def generate_authors(self, write) -> None:
        """Generate author pages (linear time)."""
        self._write_listings(write, self.authors, "author", "author")


# --- writing: render what changed, write what differs, replace by rename ---------------------


class _ReplacingFile(io.StringIO):
    """Text collected in memory; on close the file is replaced only if its bytes differ."""

    def __init__(self, path: str, encoding: str, done: Callable[[str, bool], None]) -> None:
        super().__init__()
        self._path = path
        self._encoding = encoding
        self._done = done

    def close(self) -> None:
        if not self.closed:
            data = self.getvalue().encode(self._encoding)
            super().close()
            self._done(self._path, replace_if_changed(self._path, data))


def replace_if_changed(path: str, data: bytes) -> bool:
    """Replace path by a new file holding data unless it holds it already; True if written."""
    try:
        if os.path.getsize(path) == len(data):
            with open(path, "rb") as handle:
                if handle.read() == data:
                    return False
    except OSError:
        pass
    temporary = f"{path}.newsdesk-tmp"
    with open(temporary, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)
    return True


class IncrementalWriter(Writer):
    """Pelican's writer: skips unchanged inputs, keeps unchanged bytes, replaces by rename.

    Between `defer()` and `flush()` its `write_file` calls are recorded; `flush`
    then writes them in forked processes, one per core (`build_workers`): each
    renders its share ("collect": fingerprint, render, replace files, note each
    file's outcome), then this process goes through every call again in the
    order Pelican made them ("replay": no rendering) to record the outcomes and
    send `content_written` with each page's context, as a serial build does.
    A batch whose files would overwrite one another is written serially, so
    Pelican's overwrite rules hold exactly.
    """

    _page_key: str | None = None
    #: None (write now), "plan" (only list the files), "collect" or "replay" (see above).
    _mode: str | None = None
    _deferred: list | None = None

    def _relative(self, path: str) -> str:
        return Path(os.path.relpath(path, self.output_path)).as_posix()

    def _open_w(self, filename, encoding, override=False):
        # Pelican's overwrite rules, then a file that replaces itself on close.
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" a second time (was previously overwritten)'
                )
            logger.info('Skipping "%s", not overwriting', filename)
            return open(os.devnull, "w", encoding=encoding)
        if filename in self._written_files:
            if override:
                logger.info('Overwriting "%s"', filename)
            else:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" as Pelican has already '
                    "written to it previously (set `override=True` if intended)"
                )
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return _ReplacingFile(filename, encoding, self._file_done)

    def _file_done(self, path: str, written: bool) -> None:
        self._record(
            path, self._relative(path), self._page_key, "written" if written else "unchanged"
        )

    def _record(self, path: str, relative: str, key: str | None, outcome: str) -> None:
        """Note one file's outcome: in the build's state, or for the replay when collecting."""
        state = current_state()
        if state is None:
            return
        if self._mode == "collect":
            self._outcomes[self._relative(path)] = (relative, key, outcome)
            self._on_step(1)
            return
        state.manifest[relative] = key
        setattr(state.counts, outcome, getattr(state.counts, outcome) + 1)
        if self._mode != "replay":
            state.progress.step()

    def _replay_file(self, path: str, override: bool) -> None:
        """Record a file a collecting process wrote (or skipped) as if written here."""
        relative, key, outcome = self._outcomes[self._relative(path)]
        if override:
            self._overridden_files.add(path)
        self._written_files.add(path)
        self._record(path, relative, key, outcome)

    # --- batches ----------------------------------------------------------------------------

    def defer(self) -> None:
        """Record `write_file` calls from now on, until `flush` writes them."""
        if self._deferred is None:
            self._deferred = []

    def discard(self) -> None:
        """Forget the recorded calls (the build failed)."""
        self._deferred = None

    def flush(self) -> None:
        """Write the recorded calls: in forked processes when that pays, else one by one."""
        calls, self._deferred = self._deferred, None
        if not calls:
            return
        workers = min(build_workers(self.settings), len(calls))
        # A batch too small to pay for a fork is written here, unless
        # NEWSDESK_BUILD_WORKERS asks for processes explicitly.
        small = len(calls) < PARALLEL_PAGES_MINIMUM and not self.settings.get(
            "NEWSDESK_BUILD_WORKERS"
        )
        if workers < 2 or small or not hasattr(os, "fork") or not self._files_are_distinct(calls):
            for args, kwargs in calls:
                self.write_file(*args, **kwargs)
            return
        outcomes = self._collect_in_processes([calls[k::workers] for k in range(workers)])
        self._outcomes, self._mode = outcomes, "replay"
        try:
            for args, kwargs in calls:
                self.write_file(*args, **kwargs)
        finally:
            self._outcomes, self._mode = {}, None

    def _files_are_distinct(self, calls: list) -> bool:
        """Whether the calls write distinct files that nothing wrote before."""
        self._planned: list[str] = []
        self._mode = "plan"
        try:
            for args, kwargs in calls:
                self.write_file(*args, **kwargs)
        finally:
            self._mode = None
        planned, self._planned = self._planned, []
        return len(set(planned)) == len(planned) and not self._written_files.intersection(planned)

    def _collect(self, calls: list, on_step: Callable[[int], None]) -> dict:
        """Write a share of a batch; return each file's (manifest key, fingerprint, outcome)."""
        written, overridden = set(self._written_files), set(self._overridden_files)
        self._outcomes, self._on_step, self._mode = {}, on_step, "collect"
        try:
            for args, kwargs in calls:
                self.write_file(*args, **kwargs)
            return self._outcomes
        finally:
            self._mode = None
            # The replay marks the files written, in Pelican's order.
            self._written_files, self._overridden_files = written, overridden

    def _collect_in_processes(self, shares: list[list]) -> dict:
        """Collect the first share here and each other share in a forked process."""
        state = current_state()
        progress = state.progress if state is not None else Progress(enabled=False)
        children: list[tuple[int, multiprocessing.connection.Connection]] = []
        results: dict[int, dict | BaseException] = {}
        try:
            for share in shares[1:]:
                receiver, sender = multiprocessing.Pipe(duplex=False)
                pid = os.fork()
                if pid == 0:  # pragma: no cover (the child's coverage is not collected)
                    receiver.close()
                    _collect_in_child(self, share, sender)
                sender.close()
                children.append((pid, receiver))

            def step(count: int) -> None:
                progress.step(count)
                for pid, connection in children:
                    _drain(pid, connection, progress, results, block=False)

            outcomes = dict(self._collect(shares[0], step))
            for pid, connection in children:
                _drain(pid, connection, progress, results, block=True)
        finally:
            for pid, connection in children:
                if pid not in results:
                    _stop(pid)
                connection.close()
                os.waitpid(pid, 0)
        for pid, _ in children:
            result = results[pid]
            if isinstance(result, BaseException):
                raise result
            child_outcomes, learned = result
            outcomes.update(child_outcomes)
            if state is not None:
                for kind, cards in learned.items():
                    state.fingerprints[kind].learn_cards(cards)
        return outcomes

    def write_file(
        self,
        name,
        template,
        context,
        relative_urls=False,
        paginated=None,
        template_name=None,
        override_output=False,
        url=None,
        **kwargs,
    ):
        """Pelican's write_file: render a page only when its inputs changed."""
        if self._deferred is not None and self._mode is None:
            self._deferred.append(
                (
                    (name, template, context),
                    {
                        "relative_urls": relative_urls,
                        "paginated": paginated,
                        "template_name": template_name,
                        "override_output": override_output,
                        "url": url,
                        **kwargs,
                    },
                )
            )
            return
        if not name:
            return
        state = current_state()
        fingerprint = (
            page_fingerprint(
                state,
                template,
                context,
                template_name,
                kwargs,
                (name, relative_urls, override_output, url),
            )
            if state is not None and self._mode not in ("plan", "replay")
            else None
        )

        def _write_file(template, localcontext, output_path, name, override, pages=None):
            if localcontext["localsiteurl"]:
                context["localsiteurl"] = localcontext["localsiteurl"]
            path = sanitised_join(output_path, name)
            if self._mode == "plan":
                self._planned.append(path)
                return
            if self._mode == "replay":
                self._replay_file(path, override)
                signals.content_written.send(path, context=localcontext)
                return
            key = None
            if fingerprint is not None:
                call_key, prints = fingerprint
                page_key = page_digest(prints, pages) if pages else ""
                key = hashlib.sha256(f"{call_key}\0{name}\0{page_key}".encode()).hexdigest()
            relative = Path(name).as_posix().lstrip("/")
            if (
                key is not None
                and state is not None
                and state.previous.get(relative) == key
                and relative in state.seeded
                and path not in self._written_files
                and not override
            ):
                self._written_files.add(path)
                self._record(path, relative, key, "skipped")
            else:
                output = template.render(localcontext)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                self._page_key = key
                try:
                    with self._open_w(path, "utf-8", override=override) as handle:
                        handle.write(output)
                finally:
                    self._page_key = None
                logger.info('Writing "%s"', path)
            if self._mode is None:
                signals.content_written.send(path, context=localcontext)

        def _get_localcontext(context, name, kwargs, relative_urls):
            localcontext = context.copy()
            localcontext["localsiteurl"] = localcontext.get("localsiteurl", None)
            if relative_urls:
                relative_url = path_to_url(get_relative_path(name))
                localcontext["SITEURL"] = relative_url
                localcontext["localsiteurl"] = relative_url
            localcontext["output_file"] = name
            localcontext.update(kwargs)
            return localcontext

        if paginated is None:
            paginated = {key: val for key, val in kwargs.items() if key in {"articles", "dates"}}

        if paginated and template_name in self.settings["PAGINATED_TEMPLATES"]:
            per_page = (
                self.settings["PAGINATED_TEMPLATES"][template_name]
                or self.settings["DEFAULT_PAGINATION"]
            )
            paginators = {
                key: Paginator(name, url, val, self.settings, per_page)
                for key, val in paginated.items()
            }
            for page_num in range(next(iter(paginators.values())).num_pages):
                paginated_kwargs = kwargs.copy()
                for key, paginator in paginators.items():
                    previous_page = paginator.page(page_num) if page_num > 0 else None
                    page = paginator.page(page_num + 1)
                    next_page = (
                        paginator.page(page_num + 2) if page_num + 1 < paginator.num_pages else None
                    )
                    paginated_kwargs.update(
                        {
                            f"{key}_paginator": paginator,
                            f"{key}_page": page,
                            f"{key}_previous_page": previous_page,
                            f"{key}_next_page": next_page,
                        }
                    )
                localcontext = _get_localcontext(
                    context, page.save_as, paginated_kwargs, relative_urls
                )
                _write_file(
                    template,
                    localcontext,
                    self.output_path,
                    page.save_as,
                    override_output,
                    paginated_kwargs,
                )
        else:
            localcontext = _get_localcontext(context, name, kwargs, relative_urls)
            _write_file(template, localcontext, self.output_path, name, override_output)


def _collect_in_child(
    writer: IncrementalWriter, share: list, sender: multiprocessing.connection.Connection
) -> None:
    """In a forked process: write a share of a batch, send the outcomes, and exit."""
    code = 1
    try:
        state = current_state()
        if state is not None:
            state.progress = Progress(enabled=False)
        pending = [0]

        def step(count: int) -> None:
            pending[0] += count
            if pending[0] >= STEP_BATCH:
                sender.send(("step", pending[0]))
                pending[0] = 0

        prints = state.fingerprints if state is not None else {}
        marks = {kind: found.card_count() for kind, found in prints.items()}
        outcomes = writer._collect(share, step)
        # The cards this process digested go back, so later batches' processes,
        # forked from the parent, need not digest them again.
        learned = {kind: found.cards_since(marks[kind]) for kind, found in prints.items()}
        sender.send(("step", pending[0]))
        sender.send(("done", (outcomes, learned)))
        code = 0
    except BaseException as error:
        # The error itself when it can travel (the build reports it as a serial build
        # would), else its traceback as text.
        try:
            sender.send(("error", error))
        except Exception:
            with suppress(BaseException):
                sender.send(("error", RuntimeError(traceback.format_exc())))
    finally:
        # Never run the parent's clean-up (atexit, the staging folder's removal).
        os._exit(code)


def _drain(pid: int, connection, progress: Progress, results: dict, block: bool) -> None:
    """Take a forked writer's messages: progress steps, then its outcomes or its error."""
    while pid not in results and (block or connection.poll()):
        try:
            kind, value = connection.recv()
        except EOFError:
            results[pid] = RuntimeError(f"page writer process {pid} ended without a result")
            return
        if kind == "step":
            progress.step(value)
        else:
            results[pid] = value


def _stop(pid: int) -> None:
    with suppress(OSError):
        os.kill(pid, signal.SIGTERM)


def incremental_writer(base: type) -> type:
    """The writer class a plugin provides (or Pelican's), with the incremental behaviour."""
    if issubclass(base, IncrementalWriter):
        return base
    return type(f"Incremental{base.__name__}", (IncrementalWriter, base), {})


# --- what a page depends on ------------------------------------------------------------------


def template_reads(
    environment, name: str, seen: dict[str, tuple[set[str], set[str]] | None]
) -> tuple[set[str], set[str]] | None:
    """The variables and attribute names a template (with what it includes, imports,
    extends) reads; None when that cannot be known."""
    if name in seen:
        return seen[name] or (set(), set())
    seen[name] = None
    try:
        source, _, _ = environment.loader.get_source(environment, name)
        tree = environment.parse(source)
    except Exception:
        return None
    names = set(meta.find_undeclared_variables(tree))
    attributes = {node.attr for node in tree.find_all(nodes.Getattr)}
    attributes |= {
        node.arg.value
        for node in tree.find_all(nodes.Getitem)
        if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str)
    }
    for referenced in meta.find_referenced_templates(tree):
        if referenced is None:
            return None  # a template chosen at render time: anything may be read
        inner = template_reads(environment, referenced, seen)
        if inner is None:
            return None
        names |= inner[0]
        attributes |= inner[1]
    seen[name] = (names, attributes)
    return names, attributes


#: Per template: (narrow, cards include bodies).
_template_profiles: dict[tuple[int, str, str | None], tuple[bool, bool]] = {}
BODY_ATTRIBUTES = frozenset({"content", "_content", "get_content"})


def template_profile(template, kind: str | None) -> tuple[bool, bool]:
    """Whether pages of this template are narrow, and whether their cards need bodies."""
    key = (id(template.environment), template.name, kind)
    found = _template_profiles.get(key)
    if found is None:
        reads = template_reads(template.environment, template.name, {})
        if reads is None:
            found = (False, True)
        else:
            names, attributes = reads
            narrow = kind in NARROW_TEMPLATES and not (names & COLLECTION_KEYS)
            found = (narrow, bool(attributes & BODY_ATTRIBUTES))
        _template_profiles[key] = found
    return found


def page_fingerprint(
    state: BuildState, template, context: dict, template_name: str | None, kwargs: dict, call: tuple
) -> tuple[str, Fingerprinter] | None:
    """The fingerprint of one write_file call's inputs (and its fingerprinter);
    None when the page must always render."""
    article = kwargs.get("article")
    if article is not None:
        raw = getattr(article, "_content", "") or ""
        if any(marker in raw for marker in LINK_MARKERS):
            return None
    kind = template_name or ("article" if article is not None else None)
    narrow, with_body = template_profile(template, kind)
    prints = state.fingerprints[with_body]
    context_key = _context_digest(state, prints, context, narrow)
    # The page's own article or page enters whole (body included); others as cards.
    own_name = next((k for k in ("article", "page") if is_content(kwargs.get(k))), None)
    arguments = {
        k: v for k, v in kwargs.items() if k != own_name and not (narrow and k in COLLECTION_KEYS)
    }
    own = prints.content_digest(kwargs[own_name]) if own_name else ""
    key = prints.digest_items(
        [
            ("engine", ENGINE_VERSION),
            ("global", state.global_key),
            ("template", template.name),
            ("template_name", template_name),
            ("call", call),
            ("context", context_key),
            ("arguments", arguments),
            ("article", own),
        ]
    )
    return key, prints


_context_digests: dict[tuple[int, int, bool, bool], str] = {}


def _context_digest(state: BuildState, prints: Fingerprinter, context: dict, narrow: bool) -> str:
    key = (id(state), id(context), narrow, prints.cards_with_body)
    found = _context_digests.get(key)
    if found is None:
        items = [
            (name, context[name])
            for name in sorted(context)
            if name not in VOLATILE_SETTINGS and not (narrow and name in COLLECTION_KEYS)
        ]
        found = prints.digest_items(items)
        _context_digests[key] = found
        if os.environ.get("NEWSDESK_BUILD_DEBUG"):
            with open(os.environ["NEWSDESK_BUILD_DEBUG"], "a", encoding="utf-8") as debug:
                for name, value in items:
                    debug.write(
                        f"{narrow} {prints.cards_with_body} {name} {prints.digest(value)}\n"
                    )
    return found


def page_digest(prints: Fingerprinter, paginated: dict) -> str:
    """What one page of a paginated listing shows: its members and its place."""
    return prints.digest_items(
        (
            name,
            (
                page.number,
                page.paginator.num_pages,
                page.paginator.count,
                page.url,
                page.save_as,
                list(page.object_list),
            ),
        )
        for name, page in sorted(paginated.items())
        if name.endswith("_page") and page is not None and hasattr(page, "object_list")
    )


def global_key(settings: dict) -> str:
    """Pelican's and Python's versions, the settings, the theme's and plugins' files."""
    theme = Path(settings["THEME"])
    folders = [("theme", theme / "templates")]
    folders += [
        (f"extra{i}", Path(p)) for i, p in enumerate(settings.get("EXTRA_TEMPLATES_PATHS") or [])
    ]
    folders += [(f"plugins{i}", Path(p)) for i, p in enumerate(settings.get("PLUGIN_PATHS") or [])]
    prints = Fingerprinter()
    return prints.digest_items(
        [
            ("pelican", importlib.metadata.version("pelican")),
            ("python", sys.version),
            ("files", file_digest(_source_files(folders))),
            (
                "settings",
                {k: v for k, v in settings.items() if k not in VOLATILE_SETTINGS},
            ),
        ]
    )


def _source_files(folders: list[tuple[str, Path]]) -> list[tuple[str, bytes]]:
    """The templates and code in these folders, named by label and relative path."""
    files: list[tuple[str, bytes]] = []
    for label, folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if (
                path.is_file()
                and "__pycache__" not in path.parts
                and path.suffix
                in (".html", ".xml", ".txt", ".py", ".j2", ".jinja", ".json", ".toml")
            ):
                files.append((f"{label}/{path.relative_to(folder).as_posix()}", path.read_bytes()))
    return files


# --- the manifest of the last build, and the staging folder seeded from it --------------------


def manifest_path(cache_dir: Path, output: Path) -> Path:
    """Where the manifest of builds into `output` is kept."""
    name = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:16]
    return cache_dir / f"manifest-{name}.json"


def load_manifest(cache_dir: Path, output: Path) -> dict[str, str | None]:
    """The last build's pages and their fingerprints, if output/ is still that build's."""
    try:
        data = json.loads(manifest_path(cache_dir, output).read_text(encoding="utf-8"))
        stat = output.stat()
        if data.get("output") != [stat.st_dev, stat.st_ino]:
            return {}
        files = data["files"]
        return files if isinstance(files, dict) else {}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def save_manifest(
    cache_dir: Path, output: Path, staging: Path, files: dict[str, str | None]
) -> None:
    """Remember this build's pages, tied to the staging folder that becomes output/."""
    stat = staging.stat()
    path = manifest_path(cache_dir, output)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(
        json.dumps({"output": [stat.st_dev, stat.st_ino], "files": files}, sort_keys=True),
        encoding="utf-8",
    )
    os.replace(temporary, path)


def seed_staging(output: Path, staging: Path, files: dict[str, str | None]) -> set[str]:
    """Make the staging folder hold the last build's pages as hard links to them, and
    nothing else; return those linked.

    The staging folder may be the spare (the output before last, see `atomic`):
    a file of it that already is the page (the same inode, linked by the build
    that kept it unchanged) stays; every other file and folder goes.
    """
    wanted = {
        relative: (found.st_dev, found.st_ino) for relative, found in _file_stats(output, files)
    }
    try:
        seeded = _keep_linked(staging, "", wanted)
    except OSError:  # something of the spare cannot be removed: start from an empty folder
        shutil.rmtree(staging)
        staging.mkdir()
        seeded = set()
    made: set[Path] = set()
    for relative in sorted(files):
        if relative in seeded or relative not in wanted:
            continue
        source = output / relative
        target = staging / relative
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        try:
            os.link(source, target)
        except OSError:
            continue
        seeded.add(relative)
    return seeded


def _file_stats(root: Path, files: Iterable[str]) -> Iterator[tuple[str, os.stat_result]]:
    """The stat of each of these regular files under root (those that are)."""
    for relative in files:
        try:
            found = os.lstat(root / relative)
        except OSError:
            continue
        if S_ISREG(found.st_mode):
            yield relative, found


def _keep_linked(folder: Path, prefix: str, wanted: dict[str, tuple[int, int]]) -> set[str]:
    """Remove what under folder is not a wanted file (by device and inode); return the kept."""
    kept: set[str] = set()
    with os.scandir(folder) as entries:
        for entry in entries:
            relative = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                kept |= _keep_linked(Path(entry.path), relative + "/", wanted)
                with suppress(OSError):
                    os.rmdir(entry.path)  # only when nothing was kept in it
                continue
            if entry.is_file(follow_symlinks=False):
                found = entry.stat(follow_symlinks=False)
                if wanted.get(relative) == (found.st_dev, found.st_ino):
                    kept.add(relative)
                    continue
            os.unlink(entry.path)
    return kept


def remove_stale(staging: Path, seeded: set[str], kept: dict[str, str | None]) -> None:
    """Remove linked pages that this build did not produce (deleted articles, tags…)."""
    for relative in sorted(seeded - set(kept)):
        try:
            (staging / relative).unlink()
        except OSError:
            continue
        parent = (staging / relative).parent
        while parent != staging:
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent


# --- Pelican with the engine -----------------------------------------------------------------


class NewsdeskPelican(Pelican):
    """Pelican with the fast generator, the incremental writer, progress and a summary."""

    def _get_generator_classes(self):
        classes = super()._get_generator_classes()
        return [FastArticlesGenerator if cls is ArticlesGenerator else cls for cls in classes]

    def _get_writer(self):
        writers = [w for _, w in signals.get_writer.send(self) if isinstance(w, type)]
        if len(writers) > 1:
            logger.warning("%s writers found, using only first one", len(writers))
        base = writers[0] if writers else Writer
        return incremental_writer(base)(self.output_path, settings=self.settings)

    def run(self) -> BuildCounts:
        """Pelican's run, phase by phase, with progress; return what was done."""
        try:
            return self._run()
        except BaseException:
            build_failed.send(self, settings=self.settings)
            raise

    def _run(self) -> BuildCounts:
        state = current_state()
        progress = state.progress if state is not None else Progress(enabled=False)
        article_batch(self.settings)  # a bad value fails the build before any work
        context = self.settings.copy()
        context["generated_content"] = {}
        context["static_links"] = set()
        context["static_content"] = {}
        context["localsiteurl"] = self.settings["SITEURL"]
        generators = [
            cls(
                context=context,
                settings=self.settings,
                path=self.path,
                theme=self.theme,
                output_path=self.output_path,
            )
            for cls in self._get_generator_classes()
        ]
        if (
            state is None
            and self.delete_outputdir
            and os.path.commonpath([os.path.realpath(self.output_path)])
            != os.path.commonpath([os.path.realpath(self.output_path), os.path.realpath(self.path)])
        ):
            # Under the engine the staging folder holds only this build's links.
            clean_output_dir(self.output_path, self.output_retention)
        for generator in generators:
            if hasattr(generator, "generate_context"):
                generator.generate_context()
            if hasattr(generator, "check_disabled_readers"):
                generator.check_disabled_readers()
        progress.start("linking articles")
        signals.all_generators_finalized.send(generators)
        for generator in generators:
            if hasattr(generator, "refresh_metadata_intersite_links"):
                generator.refresh_metadata_intersite_links()
        writer = self._get_writer()
        if state is not None:
            state.urls_fixed = True
        articles = next(g for g in generators if isinstance(g, ArticlesGenerator))
        pages = next(g for g in generators if isinstance(g, PagesGenerator))
        if state is not None:
            state.global_key = global_key(self.settings)
            state.counts.articles = len(articles.articles) + len(articles.translations)
            state.counts.pages_read = len(pages.pages) + len(pages.translations)
        progress.start(
            "writing pages",
            len(state.previous)
            if state and state.previous
            else _estimate_pages(articles, self.settings),
        )
        for generator in generators:
            if isinstance(generator, StaticGenerator) and state is not None:
                # Every page is written: the linked pages nobody wrote are stale.
                remove_stale(Path(self.output_path), state.seeded, state.manifest)
                progress.start("copying static files")
            if hasattr(generator, "generate_output"):
                generator.generate_output(writer)
        progress.start("finishing (search index, sitemaps, redirects)")
        finishing = time.monotonic()
        signals.finalized.send(self)
        if state is not None:
            state.counts.finishing_seconds = time.monotonic() - finishing
        return state.counts if state is not None else BuildCounts()


def _estimate_pages(articles: ArticlesGenerator, settings: dict) -> int:
    per_page = settings.get("DEFAULT_PAGINATION") or 0
    total = len(articles.articles) + len(articles.translations) + len(articles.hidden_articles)
    listings = [
        *articles.tags.values(),
        *(a for _, a in articles.categories),
        *(a for _, a in articles.authors),
    ]
    for members in listings:
        total += max(1, -(-len(members) // per_page)) if per_page else 1
    return total + len(settings.get("DIRECT_TEMPLATES") or []) + 16


@contextmanager
def engine_state(state: BuildState) -> Iterator[BuildState]:
    """Make `state` the build in progress for the duration of the block."""
    global _state
    previous, _state = _state, state
    _context_digests.clear()
    _template_profiles.clear()
    # Tags, authors and categories slugify their names on first use: one object per
    # article, so the same few hundred names are slugified tens of thousands of times.
    slugify = urlwrappers.slugify
    urlwrappers.slugify = _remembering_slugify(slugify)
    process_translations = generators.process_translations
    generators.process_translations = _process_translations_by_group(process_translations)
    try:
        yield state
    finally:
        _state = previous
        urlwrappers.slugify = slugify
        generators.process_translations = process_translations
        _context_digests.clear()
        _slugs.clear()


def run_engine(settings: dict, state: BuildState) -> BuildCounts:
    """Run NewsdeskPelican on settings with `state` as the build in progress."""
    with engine_state(state):
        return NewsdeskPelican(settings).run()
