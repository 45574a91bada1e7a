"""Reading the content tree from disk for the rules: the files, the authors, the result.

`check_site` is what both `make check` and the build call. It reads files and
hands plain data to `rules.check_documents`; it never imports Pelican.
"""

from __future__ import annotations

import fnmatch
import importlib.metadata
import os
import pickle
import sys
import unicodedata
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path

from .authors import AuthorInfo, AuthorsFileError, parse_authors
from .rules import (
    CheckReport,
    Kind,
    ParseMemo,
    Problem,
    SourceDocument,
    check_documents,
    parse_memo_key,
)
from .settings import MARKDOWN_EXTENSIONS, ContentSettings


def check_memo_path(pelican_settings: Mapping[str, object]) -> Path:
    """Where the check keeps its memo of per-file passes: CACHE_PATH/newsdesk_content/."""
    return Path(str(pelican_settings["CACHE_PATH"])) / "newsdesk_content" / "check.pickle"


def load_parse_memo(path: Path, key: str) -> ParseMemo:
    """The parse memo kept at `path` when it has this key, else an empty one."""
    try:
        with path.open("rb") as kept:
            memo = pickle.load(kept)
    except Exception:  # a memo that cannot be read is no memo
        return ParseMemo(key)
    if not isinstance(memo, ParseMemo) or memo.key != key:
        return ParseMemo(key)
    return ParseMemo(key, memo.kept)


def save_parse_memo(path: Path, memo: ParseMemo) -> None:
    """Keep this check's per-file passes for the next check (a failure costs time only)."""
    scratch = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with scratch.open("wb") as kept:
            pickle.dump(ParseMemo(memo.key, {}, memo.kept), kept, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(scratch, path)
    except Exception:  # a memo that cannot be kept costs time, not the check
        scratch.unlink(missing_ok=True)


def _rules_code() -> bytes:
    """The source of this package's modules, and the versions of Python, its Unicode
    tables and the libraries the rules call: a change to any of them voids the memo."""
    folder = Path(__file__).parent
    versions = [sys.version, unicodedata.unidata_version]
    versions += [importlib.metadata.version(name) for name in ("unidecode", "markupsafe")]
    code = b"".join(path.read_bytes() for path in sorted(folder.glob("*.py")))
    return "\0".join(versions).encode() + b"\0" + code


def display_path(path: Path, cwd: Path | None = None) -> str:
    """A path as messages show it: relative to the current directory when inside it."""
    cwd = (cwd or Path.cwd()).resolve()
    absolute = path.resolve()
    try:
        return absolute.relative_to(cwd).as_posix()
    except ValueError:
        return absolute.as_posix()


def source_label(source_path: str, content_root: Path) -> str:
    """A content file as messages name it: `content/articles/…`, from the content root's name."""
    source = Path(source_path)
    try:
        return (Path(content_root.name) / source.relative_to(content_root)).as_posix()
    except ValueError:
        return source.as_posix()


def list_files(root: Path, ignore: tuple[str, ...]) -> list[str]:
    """Every file under `root` (relative, forward slashes), skipping IGNORE_FILES patterns."""
    found: list[str] = []
    for folder, dirs, names in os.walk(root, followlinks=True):
        dirs[:] = sorted(d for d in dirs if not any(fnmatch.fnmatch(d, p) for p in ignore))
        relative = Path(folder).relative_to(root).as_posix()
        prefix = "" if relative == "." else relative + "/"
        found.extend(
            prefix + name
            for name in sorted(names)
            if not any(fnmatch.fnmatch(name, p) for p in ignore)
        )
    return found


def _under(path: str, folders: tuple[str, ...]) -> bool:
    return any(
        not folder.strip("/") or path.startswith(folder.strip("/") + "/") for folder in folders
    )


def classify(relpath: str, settings: ContentSettings) -> Kind | None:
    """Whether a content file is an article, a page, or neither (as Pelican would read it)."""
    if relpath.rsplit(".", 1)[-1] not in MARKDOWN_EXTENSIONS or "." not in relpath:
        return None
    if _under(relpath, settings.page_paths):
        return "page"
    if _under(relpath, settings.article_paths) and not _under(relpath, settings.static_paths):
        return "article"
    return None


def load_site_authors(
    settings: ContentSettings, files: set[str], cwd: Path | None = None
) -> tuple[dict[str, AuthorInfo], list[Problem]]:
    """Read the authors file; its problems are reported, not raised."""
    path = settings.authors_path
    shown = display_path(path, cwd)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, [
            Problem(
                shown,
                1,
                "error",
                "authors file not found (NEWSDESK_AUTHORS_FILE, a path inside PATH)",
            )
        ]
    except UnicodeDecodeError:
        return {}, [Problem(shown, 1, "error", "not valid UTF-8; save the file as UTF-8")]
    try:
        authors = parse_authors(text, shown)
    except AuthorsFileError as error:
        return {}, [Problem(shown, error.line, "error", error.reason)]
    problems: list[Problem] = []
    for author in authors.values():
        if author.photo and author.photo.lstrip("/") not in files:
            offset = text.find(author.photo)
            line = text.count("\n", 0, offset) + 1 if offset >= 0 else 1
            problems.append(
                Problem(
                    shown, line, "error", f'photo "{author.photo}" of {author.name} does not exist'
                )
            )
    return authors, problems


def check_site(
    settings: ContentSettings,
    now: datetime,
    cwd: Path | None = None,
    memo_path: Path | None = None,
) -> CheckReport:
    """Check the whole content tree named by the settings; with `memo_path`, replay the
    per-file passes of unchanged files from the last check's memo kept there."""
    root = settings.content_root
    if not root.is_dir():
        shown = display_path(root, cwd)
        problem = Problem(shown, 1, "error", "content folder not found (PATH in the settings)")
        return CheckReport((problem,), 0)
    files = list_files(root, settings.ignore_files)
    file_set = set(files)
    authors, author_problems = load_site_authors(settings, file_set, cwd)
    # An unreadable authors file is one error, not one per article.
    known_authors = None if author_problems and not authors else authors
    content_display = display_path(root, cwd)
    prefix = "" if content_display == "." else content_display + "/"
    unreadable: list[Problem] = []

    def documents() -> Iterator[SourceDocument]:
        # Each file's bytes are read when the rules reach it and dropped after.
        for relpath in files:
            kind = classify(relpath, settings)
            if kind is None:
                continue
            try:
                data = (root / relpath).read_bytes()
            except OSError as error:
                reason = error.strerror or error.__class__.__name__
                unreadable.append(Problem(prefix + relpath, 1, "error", f"cannot read: {reason}"))
                continue
            yield SourceDocument(prefix + relpath, relpath, kind, data)

    memo = None
    if memo_path is not None:
        key = parse_memo_key(settings, known_authors, content_display, _rules_code())
        memo = load_parse_memo(memo_path, key)
    report = check_documents(
        documents(), settings, known_authors, file_set, now, content_display, memo
    )
    if memo is not None and memo_path is not None and memo.changed():
        save_parse_memo(memo_path, memo)
    extra = [*author_problems, *unreadable]
    if not extra:
        return report
    problems = sorted((*report.problems, *extra), key=Problem.sort_key)
    checked = report.files_checked + len(unreadable)
    return CheckReport(tuple(problems), checked, report.tag_spellings)
