"""The content rules: source files and the site's settings in, a sorted list of problems out.

This is the one implementation of the rules. `make check`
(`python -m newsdesk_content.check`) and the build (the plugin's `initialized`
receiver) both call `check_documents` through `newsdesk_content.tree`. It never
renders Markdown: internal links are found with a regular expression over the
body, which keeps it fast (about 0.15 ms of CPU per article here).
"""

from __future__ import annotations

import difflib
import hashlib
import posixpath
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import dateutil.parser

from .authors import AuthorInfo
from .settings import ContentSettings
from .slugs import (
    alias_table,
    normalize_tag,
    slugify,
    split_tags,
    tag_key,
    tag_slug,
    title_slug,
)
from .source import Field, Header, SourceDecodeError, decode_source, parse_header, split_list

Severity = Literal["error", "warning", "info"]
Kind = Literal["article", "page"]
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}

# Every metadata key the site understands, as the editor's guide writes it.
KNOWN_FIELDS: dict[str, str] = {
    name.lower(): name
    for name in (
        "Title",
        "Date",
        "Modified",
        "Section",
        "Authors",
        "Tags",
        "Summary",
        "Location",
        "Slug",
        "Image",
        "Image_Alt",
        "Image_Caption",
        "Image_Credit",
        "Status",
        "Related",
        "Aliases",
        "Original_Slug",
        "Template",
    )
}
REQUIRED_FIELDS: dict[Kind, tuple[str, ...]] = {
    "article": ("title", "date", "section", "authors", "summary", "tags"),
    "page": ("title",),
}
# Keys people reach for from other tools, and the key they mean here.
SYNONYMS: dict[str, str] = {
    "category": "section",
    "author": "authors",
    "tag": "tags",
    "keywords": "tags",
    "description": "summary",
    "standfirst": "summary",
    "dateline": "location",
    "updated": "modified",
    "alt": "image_alt",
    "caption": "image_caption",
    "credit": "image_credit",
    "photo": "image",
    "picture": "image",
}
STATUSES = ("published", "draft", "hidden")
# Fields whose value is a URL or path: http(s) or site-relative only.
URL_FIELD_SUFFIXES = ("url", "link")
SCAFFOLD_BODY_MARKER = "TODO: write the article"
TODO_RE = re.compile(r"^\s*TODO\b")
SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
CONTROL_RE = re.compile(r"[\x00-\x20\x7f]+")
YEAR_RE = re.compile(r"\d{4}")

# Links in a Markdown body, found without rendering it.
INTRASITE_RE = re.compile(
    r"[{|](?P<what>filename|static|attach|tag|category|author|index)[}|]"
    r"(?P<target>[^\s\"'<>()\[\]]*)"
)
INLINE_LINK_RE = re.compile(r"\]\(\s*<?(?P<target>[^\s)>]+)")
REFERENCE_RE = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*<?(?P<target>[^\s>]+)", re.MULTILINE)
HTML_ATTR_RE = re.compile(r"\b(?:href|src)\s*=\s*[\"'](?P<target>[^\"']*)[\"']", re.IGNORECASE)
FENCE_RE = re.compile(r"^(?P<fence>```+|~~~+).*?^(?P=fence)[ \t]*$", re.MULTILINE | re.DOTALL)
NEWLINE_RE = re.compile("\n")
ALIAS_RE = re.compile(r"^/[A-Za-z0-9._~%+/-]*$")
ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
PAGINATION_RE = re.compile(r"^(?P<listing>.*?)page/\d+/$")


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, printed as `path:line: severity: message`."""

    path: str
    line: int
    severity: Severity
    message: str

    def sort_key(self) -> tuple[str, int, int, str]:
        """Path, then line, then severity (errors first), then message."""
        return (self.path, self.line, SEVERITY_ORDER[self.severity], self.message)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class SourceDocument:
    """One Markdown file to check: where it is and its bytes."""

    path: str  # as printed in messages (relative to the current directory)
    relpath: str  # relative to the content root, with forward slashes
    kind: Kind
    data: bytes


@dataclass(frozen=True)
class CheckReport:
    """What a check found, and what the build reuses from it."""

    problems: tuple[Problem, ...]
    files_checked: int
    # tag key -> the spelling the site uses (the most used one): the reader applies it.
    tag_spellings: Mapping[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems that fail the check."""
        return tuple(p for p in self.problems if p.severity == "error")

    def count(self, severity: Severity) -> int:
        """How many problems of one severity."""
        return sum(1 for p in self.problems if p.severity == severity)

    def summary(self) -> str:
        """One line: files checked and problems by severity."""
        parts = [
            _plural(self.count("error"), "error"),
            _plural(self.count("warning"), "warning"),
        ]
        if self.count("info"):
            parts.append(f"{self.count('info')} scheduled")
        return f"checked {_plural(self.files_checked, 'file')}: {', '.join(parts)}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


@dataclass
class _Parsed:
    """A document after the per-file pass: what the cross-file pass needs."""

    doc: SourceDocument
    slug: str | None = None
    slug_line: int = 1
    date: datetime | None = None
    date_line: int = 1
    status: str = "published"
    section: str | None = None
    authors: list[str] = field(default_factory=list)
    tags: list[tuple[str, int]] = field(default_factory=list)  # (normalised tag, line)
    related: list[str] = field(default_factory=list)
    related_line: int = 1
    aliases: list[str] = field(default_factory=list)
    aliases_line: int = 1


@dataclass(frozen=True)
class ParseMemoEntry:
    """One file's per-file pass, to replay: what it found and what it depended on."""

    digest: bytes
    parsed: _Parsed
    problems: tuple[Problem, ...]
    body_links: tuple[tuple[int, str, str], ...]
    #: Each file-existence question the pass asked, with its answer.
    files_asked: tuple[tuple[str, bool], ...]


@dataclass
class ParseMemo:
    """The per-file passes of the last check, by file, valid for one `key`.

    The key covers what every pass reads besides its file: the settings, the
    authors, the folder shown in messages and the rules' code. A pass that read
    the clock (a date dateutil completed from today's) is not kept; the note
    of a scheduled article, which reads the clock, is made again each check.
    """

    key: str
    entries: dict[str, ParseMemoEntry] = field(default_factory=dict)
    #: This check's entries (replayed or new): what is worth keeping.
    kept: dict[str, ParseMemoEntry] = field(default_factory=dict)
    replayed: int = 0

    def changed(self) -> bool:
        """Whether this check's entries differ from the ones it started with."""
        return self.replayed != len(self.entries) or len(self.kept) != self.replayed


def parse_memo_key(
    settings: ContentSettings,
    authors: Mapping[str, AuthorInfo] | None,
    content_display: str,
    code: bytes,
) -> str:
    """The key of a parse memo: what every per-file pass depends on besides its file."""
    described = repr((settings, sorted((authors or {}).items()), authors is None, content_display))
    return hashlib.sha256(described.encode() + b"\0" + code).hexdigest()


class _Checker:
    """Runs the rules over a set of documents (one instance per check)."""

    def __init__(
        self,
        settings: ContentSettings,
        authors: Mapping[str, AuthorInfo] | None,
        files: Collection[str],
        now: datetime,
        content_display: str,
        memo: ParseMemo | None = None,
    ) -> None:
        self.settings = settings
        self.memo = memo
        #: While a file is parsed for the memo: the file-existence questions and
        #: whether a date was completed from the clock.
        self.files_asked: list[tuple[str, bool]] | None = None
        self.clock_read = False
        # None: the authors file could not be read (reported on its own), so names go unchecked.
        self.check_authors = authors is not None
        self.authors: Mapping[str, AuthorInfo] = authors or {}
        self.files = files
        self.zone = ZoneInfo(settings.timezone)
        self.now = now if now.tzinfo else now.replace(tzinfo=self.zone)
        self.content_display = content_display.rstrip("/") or "."
        self.problems: list[Problem] = []
        self.aliases = alias_table(settings.tag_aliases, settings.slugs)
        self.known = dict(KNOWN_FIELDS)
        for key in settings.extra_metadata:
            self.known.setdefault(key, key)
        self.default_date = self.now.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)

    def report(self, doc: SourceDocument, line: int, severity: Severity, message: str) -> None:
        """Record one problem at a line of a document."""
        self.problems.append(Problem(doc.path, line, severity, message))

    # --- one file ----------------------------------------------------------------
    def parse(self, doc: SourceDocument) -> _Parsed:
        """The per-file pass: decode, read the header, check every field and the body."""
        # The result keeps what the cross-file pass needs, not the file's bytes.
        parsed = _Parsed(replace(doc, data=b""))
        try:
            text = decode_source(doc.data)
        except SourceDecodeError as error:
            self.report(
                doc,
                error.line,
                "error",
                f"not valid UTF-8 (byte 0x{error.byte:02x} at column {error.column}); "
                "save the file as UTF-8",
            )
            return parsed
        if not text.strip():
            self.report(
                doc,
                1,
                "error",
                "empty file; an article starts with its metadata "
                "(Title: …, Date: …), then a blank line and the body",
            )
            return parsed
        header = parse_header(text)
        if not header.fields:
            self.report(
                doc,
                1,
                "error",
                "no metadata block; the file must start with "
                "`Key: value` lines (Title: …, Date: …), then a blank line",
            )
            return parsed
        for bad in header.bad_lines:
            shown = bad.text.strip()
            if len(shown) > 40:
                shown = shown[:39] + "…"
            self.report(
                doc,
                bad.line,
                "error",
                f'cannot parse metadata line "{shown}": write '
                "`Key: value`, indent continuation lines by 4 spaces and end the header "
                "with a blank line",
            )
        seen: dict[str, Field] = {}
        for item in header.fields:
            if item.name in seen:
                self.report(
                    doc,
                    item.line,
                    "error",
                    f"duplicate metadata key {item.key} "
                    f"(already set on line {seen[item.name].line}); keep one",
                )
                continue
            seen[item.name] = item
            if item.name not in self.known:
                self.report(doc, item.line, "warning", self.unknown_key_message(item.key))
        todo = {name for name, item in seen.items() if TODO_RE.match(item.value)}
        for name in sorted(todo, key=lambda n: seen[n].line):
            item = seen[name]
            self.report(
                doc,
                item.line,
                "error",
                f"{item.key} is still TODO: fill it in"
                + ("" if name in REQUIRED_FIELDS[doc.kind] else ", or delete the line"),
            )
        fields = {name: item for name, item in seen.items() if name not in todo}
        for name in REQUIRED_FIELDS[doc.kind]:
            if name in todo:
                continue
            item = fields.get(name)
            if item is None:
                self.report(doc, 1, "error", f"missing required field {KNOWN_FIELDS[name]}")
            elif not item.value.strip():
                self.report(doc, item.line, "error", f"{item.key} is empty")
        self.check_fields(parsed, fields)
        self.check_body(parsed, header)
        return parsed

    def note_schedule(self, parsed: _Parsed) -> None:
        """An article dated after now is scheduled: say when it will be published."""
        if (
            parsed.date
            and parsed.date > self.now
            and parsed.status != "draft"
            and parsed.doc.kind == "article"
        ):
            self.report(
                parsed.doc,
                parsed.date_line,
                "info",
                f"scheduled for "
                f"{parsed.date.astimezone(self.zone):%Y-%m-%d %H:%M} "
                f"({self.settings.timezone}); the first build after that time "
                "publishes it",
            )

    def parse_remembered(self, doc: SourceDocument) -> _Parsed:
        """The per-file pass, or its result replayed from the memo when the file's bytes
        and every file-existence answer it depended on are unchanged."""
        if self.memo is None:
            parsed = self.parse(doc)
        else:
            digest = hashlib.sha256(doc.data).digest()
            entry = self.memo.entries.get(doc.path)
            if (
                entry is not None
                and entry.digest == digest
                and all((path in self.files) == there for path, there in entry.files_asked)
            ):
                parsed = entry.parsed
                self.problems.extend(entry.problems)
                self.body_links.extend((parsed, *link) for link in entry.body_links)
                self.memo.kept[doc.path] = entry
                self.memo.replayed += 1
            else:
                problems, links = len(self.problems), len(self.body_links)
                self.files_asked, self.clock_read = [], False
                parsed = self.parse(doc)
                if not self.clock_read:  # a date completed from today's is not kept
                    self.memo.kept[doc.path] = ParseMemoEntry(
                        digest,
                        parsed,
                        tuple(self.problems[problems:]),
                        tuple(link[1:] for link in self.body_links[links:]),
                        tuple(self.files_asked),
                    )
                self.files_asked = None
        self.note_schedule(parsed)
        return parsed

    def has_file(self, path: str) -> bool:
        """Whether a file is under the content root (noted for the memo)."""
        there = path in self.files
        if self.files_asked is not None:
            self.files_asked.append((path, there))
        return there

    def unknown_key_message(self, key: str) -> str:
        """The warning for an unknown key, naming the known key it most likely means."""
        name = key.lower()
        guess = SYNONYMS.get(name)
        if guess is None:
            close = difflib.get_close_matches(name, list(self.known), n=1, cutoff=0.6)
            guess = close[0] if close else None
        if guess is None:
            return f"unknown metadata key {key}; the editor's guide lists the known keys"
        return f"unknown metadata key {key} (did you mean {self.known[guess]}?)"

    def check_fields(self, parsed: _Parsed, fields: dict[str, Field]) -> None:
        """Check each known field's value and keep what the cross-file pass needs."""
        doc = parsed.doc
        value = {name: item.value.strip() for name, item in fields.items()}

        status = fields.get("status")
        if status and value["status"]:
            if value["status"] in STATUSES:
                parsed.status = value["status"]
            else:
                hint = (
                    f'write "{value["status"].lower()}"'
                    if value["status"].lower() in STATUSES
                    else "use one of them"
                )
                self.report(
                    doc,
                    status.line,
                    "error",
                    f'Status "{value["status"]}" is not one of {", ".join(STATUSES)}; {hint}',
                )

        date = fields.get("date")
        if date and value["date"]:
            parsed.date = self.parse_date(doc, date, value["date"].replace("_", " "))
            parsed.date_line = date.line
        modified = fields.get("modified")
        if modified and value["modified"]:
            changed = self.parse_date(doc, modified, value["modified"])
            if changed and parsed.date and changed < parsed.date:
                self.report(
                    doc,
                    modified.line,
                    "error",
                    f"Modified "
                    f"({changed.astimezone(self.zone):%Y-%m-%d %H:%M}) is before Date "
                    f"({parsed.date.astimezone(self.zone):%Y-%m-%d %H:%M})",
                )

        section = fields.get("section")
        if section and value["section"]:
            if value["section"] in self.settings.sections:
                parsed.section = value["section"]
            else:
                self.report(
                    doc,
                    section.line,
                    "error",
                    f'unknown section "{value["section"]}"'
                    + suggest(value["section"], self.settings.sections)
                    + f"; sections: {', '.join(self.settings.sections)}",
                )

        authors = fields.get("authors")
        if authors and value["authors"]:
            for name in split_list(value["authors"]):
                if name in self.authors:
                    parsed.authors.append(name)
                elif self.check_authors:
                    self.report(
                        doc,
                        authors.line,
                        "error",
                        f'unknown author "{name}"'
                        + suggest(name, self.authors)
                        + "; authors are listed in "
                        f"{self.content_display}/{self.settings.authors_file}",
                    )

        summary = fields.get("summary")
        limit = self.settings.summary_max_length
        if summary and len(value["summary"]) > limit:
            self.report(
                doc,
                summary.line,
                "warning",
                f"Summary is {len(value['summary'])} "
                f"characters; keep it under {limit} (it is the standfirst and the "
                "description search engines show)",
            )

        tags = fields.get("tags")
        if tags:
            self.check_tags(parsed, tags)

        title = fields.get("title")
        slug = fields.get("slug")
        rules = self.settings.slugs
        if slug and value["slug"]:
            clean = title_slug(value["slug"], rules)
            if clean != value["slug"]:
                self.report(
                    doc,
                    slug.line,
                    "error",
                    f'Slug "{value["slug"]}" is not a valid '
                    f'slug (lower-case letters, digits and hyphens); use "{clean}"'
                    if clean
                    else f'Slug "{value["slug"]}" has no letters or digits',
                )
            parsed.slug, parsed.slug_line = (clean or None), slug.line
        elif rules.source == "basename":
            stem = posixpath.splitext(posixpath.basename(doc.relpath))[0]
            parsed.slug = title_slug(stem, rules) or None
        elif title and value["title"]:
            parsed.slug = title_slug(value["title"], rules)
            parsed.slug_line = title.line
            if not parsed.slug:
                self.report(
                    doc,
                    title.line,
                    "error",
                    "the title gives an empty slug (no letters or digits); add a Slug: line",
                )
                parsed.slug = None

        image = fields.get("image")
        if image and value["image"]:
            self.check_image(doc, image, value["image"])
            if "image_alt" not in fields:
                self.report(
                    doc,
                    image.line,
                    "warning",
                    "Image has no Image_Alt: describe the picture for readers who cannot see it",
                )
        else:
            for name in ("image_alt", "image_caption", "image_credit"):
                if name in fields and value[name]:
                    self.report(
                        doc, fields[name].line, "warning", f"{fields[name].key} without an Image"
                    )

        related = fields.get("related")
        if related and value["related"]:
            parsed.related_line = related.line
            if value["related"].lower() != "none":
                parsed.related = split_list(value["related"])

        aliases = fields.get("aliases")
        if aliases and value["aliases"]:
            parsed.aliases_line = aliases.line
            for alias in split_list(value["aliases"]):
                problem = _url_problem(alias)
                if problem:
                    self.report(doc, aliases.line, "error", f"Aliases: {problem}")
                elif not alias.startswith("/") or alias.startswith("//"):
                    self.report(
                        doc,
                        aliases.line,
                        "error",
                        f'alias "{alias}" must be a site-relative path such as /2019/05/old-slug/',
                    )
                elif not ALIAS_RE.match(alias) or {".", ".."} & set(alias.split("/")):
                    # Aliases become files in output/ and lines of server redirect maps.
                    self.report(
                        doc,
                        aliases.line,
                        "error",
                        f'alias "{alias}" may hold only letters, digits and - . _ ~ % + / '
                        "(percent-encode anything else) and no . or .. segment",
                    )
                else:
                    parsed.aliases.append(alias)

        for name, item in fields.items():
            if name.endswith(URL_FIELD_SUFFIXES) and value[name]:
                problem = _url_problem(value[name])
                if problem:
                    self.report(doc, item.line, "error", f"{item.key}: {problem}")

    def parse_date(self, doc: SourceDocument, item: Field, text: str) -> datetime | None:
        """A date field in the site's timezone (unless it has an offset), or None, reported."""
        text = re.sub(" +", " ", text)
        iso = ISO_DATE_RE.match(text)
        if iso:  # the usual form, without dateutil's cost
            try:
                numbers = [int(part) for part in iso.groups(default="0")]
                return datetime(*numbers, tzinfo=self.zone)  # type: ignore[misc]
            except ValueError:
                pass  # e.g. month 13: dateutil's verdict and message below
        self.clock_read = True  # dateutil completes a partial date from today's
        try:
            if not YEAR_RE.search(text):
                raise ValueError(text)
            parsed = dateutil.parser.parse(text, default=self.default_date)
        except (ValueError, OverflowError, TypeError):
            self.report(
                doc,
                item.line,
                "error",
                f'{item.key} "{text}" is not a date; write '
                "YYYY-MM-DD HH:MM, e.g. 2025-03-14 09:30 (site time, "
                f"{self.settings.timezone})",
            )
            return None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=self.zone)
        return parsed

    def check_tags(self, parsed: _Parsed, item: Field) -> None:
        """Normalise and alias the tags; each needs letters or digits, and one is required."""
        rules = self.settings.slugs
        keys: set[str] = set()
        for raw in split_tags(item.value):
            tag = normalize_tag(raw)
            if not tag:
                continue
            key = tag_key(tag, rules)
            if not key:
                self.report(
                    parsed.doc,
                    item.line,
                    "error",
                    f'tag "{tag}" has no letters or digits, so it can have no page',
                )
                continue
            tag = self.aliases.get(key, tag)
            key = tag_key(tag, rules)
            if key not in keys:
                keys.add(key)
                parsed.tags.append((tag, item.line))
        if not parsed.tags and item.value.strip():
            self.report(parsed.doc, item.line, "error", "Tags lists no tag; give at least one")

    def check_image(self, doc: SourceDocument, item: Field, image: str) -> None:
        """An image is an http(s) URL or a file under the content root."""
        problem = _url_problem(image)
        if problem:
            self.report(doc, item.line, "error", f"{item.key}: {problem}")
            return
        if _is_external(image):
            return
        target = _strip_intrasite(image).split("#")[0].split("?")[0]
        path = posixpath.normpath(unquote(target).lstrip("/"))
        if not self.has_file(path):
            self.report(
                doc,
                item.line,
                "error",
                f'{item.key} "{image}" does not exist (no file {self.content_display}/{path})',
            )

    def check_body(self, parsed: _Parsed, header: Header) -> None:
        """The body is written, and its links use no script scheme; collect site links."""
        doc = parsed.doc
        body = header.body
        if not body.strip():
            if doc.kind == "article":
                self.report(doc, 1, "warning", "the article has no body text")
            return
        if SCAFFOLD_BODY_MARKER in body:
            offset = body.index(SCAFFOLD_BODY_MARKER)
            self.report(
                doc,
                header.body_line + body.count("\n", 0, offset),
                "error",
                "the body is still the scaffold's placeholder: write the article",
            )
        parsed_links = _BodyLinks(body, header.body_line)
        for line, what, target in parsed_links.intrasite:
            self.body_links.append((parsed, line, what, target))
        for line, target in parsed_links.links:
            scheme = SCHEME_RE.match(CONTROL_RE.sub("", target))
            if scheme:
                if scheme.group(1).lower() in ("javascript", "vbscript", "data"):
                    self.report(
                        doc,
                        line,
                        "error",
                        f'link to a "{scheme.group(1).lower()}:" '
                        "URL; links may only go to http(s) or site pages",
                    )
                continue
            if target.startswith("/") and not target.startswith("//"):
                self.body_links.append((parsed, line, "site", target))
            elif target and not target.startswith(("#", "?", "{", "|", "//")):
                self.report(
                    doc,
                    line,
                    "warning",
                    f'relative link "{target}" breaks on the '
                    "article's page; write {filename}/… for an article or "
                    "/images/… for an image",
                )

    # --- the whole site ------------------------------------------------------------
    def run(self, documents: Iterable[SourceDocument]) -> CheckReport:
        """Check every document, then the rules that span files; return the sorted report."""
        self.body_links: list[tuple[_Parsed, int, str, str]] = []
        parsed = [self.parse_remembered(doc) for doc in documents]
        self.check_slugs(parsed)
        spellings = self.check_tag_spellings(parsed)
        self.check_related(parsed)
        if self.body_links or any(item.aliases for item in parsed):
            index = _UrlIndex(self, parsed, spellings)
            self.check_aliases(parsed, index)
            self.check_links(index)
        problems = sorted(self.problems, key=Problem.sort_key)
        return CheckReport(tuple(problems), len(parsed), spellings)

    def check_slugs(self, parsed: list[_Parsed]) -> None:
        """No two files share a slug: the later path names the earlier one."""
        owners: dict[str, _Parsed] = {}
        for item in sorted(parsed, key=lambda p: p.doc.path):
            if item.slug is None:
                continue
            first = owners.setdefault(item.slug, item)
            if first is not item:
                self.report(
                    item.doc,
                    item.slug_line,
                    "error",
                    f'slug "{item.slug}" is also '
                    f"the slug of {first.doc.path}; give one of them another Slug:",
                )

    def check_tag_spellings(self, parsed: list[_Parsed]) -> dict[str, str]:
        """Pick each tag's site-wide spelling (the most used) and warn on the others."""
        rules = self.settings.slugs
        uses: dict[str, dict[str, list[_Parsed]]] = defaultdict(lambda: defaultdict(list))
        for item in parsed:
            for tag, _line in item.tags:
                uses[tag_key(tag, rules)][tag].append(item)
        far_future = datetime.max.replace(tzinfo=self.zone)
        spellings: dict[str, str] = {}
        for key, variants in uses.items():

            def rank(spelling: str, variants: dict[str, list[_Parsed]] = variants) -> tuple:
                first_use = min(p.date or far_future for p in variants[spelling])
                return (-len(variants[spelling]), first_use, spelling)

            canonical = min(variants, key=rank)
            spellings[key] = canonical
            if len(variants) == 1:
                continue
            for spelling, articles in variants.items():
                if spelling == canonical:
                    continue
                for article in articles:
                    line = next(line for tag, line in article.tags if tag == spelling)
                    self.report(
                        article.doc,
                        line,
                        "warning",
                        f'tag "{spelling}" nearly '
                        f'duplicates the existing tag "{canonical}"; write '
                        f'"{canonical}" or map one to the other in NEWSDESK_TAG_ALIASES',
                    )
        return spellings

    def check_related(self, parsed: list[_Parsed]) -> None:
        """Related: pins name existing articles; a published article pins only published ones.

        (You May Also Like refuses, and fails the build on, a pin to itself or to an
        article that is not published: the check says so first, at the line.)
        """
        articles = {p.slug: p for p in parsed if p.slug and p.doc.kind == "article"}
        sorted_slugs: list[str] | None = None
        for item in parsed:
            live = self.visibility(item) == "published"
            for slug in item.related:
                target = articles.get(slug)
                message = None
                if target is None:
                    sorted_slugs = sorted_slugs or sorted(articles)
                    message = (
                        f'Related article "{slug}" does not exist (no article has that '
                        f"slug){suggest(slug, sorted_slugs)}"
                    )
                elif target is item:
                    message = f'Related lists the article itself ("{slug}"); remove it'
                elif live and self.visibility(target) != "published":
                    message = (
                        f'Related article "{slug}" is not published '
                        f"({self.visibility(target)}); pin it once it is out"
                    )
                if message:
                    self.report(item.doc, item.related_line, "error", message)

    def visibility(self, item: _Parsed) -> str:
        """published, hidden, draft or scheduled (a published article with a future date)."""
        if item.status == "published" and item.date and item.date > self.now:
            return "scheduled"
        return item.status

    def check_aliases(self, parsed: list[_Parsed], index: _UrlIndex) -> None:
        """An alias is no other page's address and no other article's alias (it becomes a file).

        Drafts are skipped: they write nothing. The build's redirect writer
        (newsdesk_seo) refuses the same collisions; the check says so first.
        """
        claimed: dict[str, _Parsed] = {}
        for item in sorted(parsed, key=lambda p: p.doc.path):
            if item.status == "draft":
                continue
            for alias in item.aliases:
                address = _alias_address(alias)
                owner = index.addresses.get(address)
                if owner == item.doc.path:
                    message = f'alias "{alias}" is the address of this article itself; remove it'
                elif owner is not None:
                    message = f'alias "{alias}" is already the address of {owner}; remove it'
                elif claimed.setdefault(address, item) is not item:
                    message = (
                        f'alias "{alias}" is also an alias of {claimed[address].doc.path}; '
                        "keep it on one of them"
                    )
                else:
                    continue
                self.report(item.doc, item.aliases_line, "error", message)

    def check_links(self, index: _UrlIndex) -> None:
        """Every link found in a body leads to a page or file the site will have."""
        for item, line, what, target in self.body_links:
            problem = index.problem(item, what, target)
            if problem:
                severity, message = problem
                self.report(item.doc, line, severity, message)


class _BodyLinks:
    """The link targets of a Markdown body, each with its line number."""

    def __init__(self, body: str, first_line: int) -> None:
        # Code blocks show links; they do not make them. Blank them, keeping lines.
        if "```" in body or "~~~" in body:
            body = FENCE_RE.sub(lambda m: "\n" * m.group(0).count("\n"), body)
        # Each pattern runs only when its telltale characters occur: most bodies have no links.
        patterns: list[re.Pattern] = []
        if "](" in body:
            patterns.append(INLINE_LINK_RE)
        if "]:" in body:
            patterns.append(REFERENCE_RE)
        if "<" in body:
            patterns.append(HTML_ATTR_RE)
        scan_intrasite = "{" in body or "|" in body
        starts = [0]
        if patterns or scan_intrasite:
            starts.extend(m.end() for m in NEWLINE_RE.finditer(body))

        def line_of(offset: int) -> int:
            return first_line + bisect_right(starts, offset) - 1

        self.intrasite: list[tuple[int, str, str]] = (
            [(line_of(m.start()), m["what"], m["target"]) for m in INTRASITE_RE.finditer(body)]
            if scan_intrasite
            else []
        )
        found: dict[tuple[int, str], None] = {}
        for pattern in patterns:
            for m in pattern.finditer(body):
                found.setdefault((line_of(m.start("target")), m["target"].strip()), None)
        self.links = sorted(found)


class _UrlIndex:
    """Every URL the site will have, to tell whether a site-relative link works."""

    def __init__(
        self, checker: _Checker, parsed: list[_Parsed], spellings: Mapping[str, str]
    ) -> None:
        settings = checker.settings
        rules = settings.slugs
        urls = settings.urls
        self.checker = checker
        self.pages: dict[str, str] = {"": "published"}  # url (no leading /) -> status
        # url (no leading /) -> what is there, for aliases: a source path or a listing.
        self.addresses: dict[str, str] = {"": "the front page"}
        self.files = checker.files
        self.sources = {p.doc.relpath: p for p in parsed}
        self.tag_slugs = {tag_slug(tag, rules) for tag in spellings.values()}
        self.section_slugs = {self.slug(name, "category") for name in settings.sections}
        self.author_slugs = {self.slug(a.name, "author") for a in checker.authors.values()}
        self.author_slugs.update(a.slug for a in checker.authors.values())
        for item in parsed:
            if item.slug is None:
                continue
            status = checker.visibility(item)
            fields = {
                "slug": item.slug,
                "lang": "en",
                "date": item.date or checker.now,
                "category": slugify(
                    item.section or "",
                    rules.category_substitutions,
                    rules.preserve_case,
                    rules.use_unicode,
                ),
                "author": (checker.authors[item.authors[0]].slug if item.authors else ""),
            }
            pattern = urls.article if item.doc.kind == "article" else urls.page
            if item.doc.kind == "article" and item.date is None:
                continue
            url = _format(pattern, fields)
            if url is not None:
                self.pages[url] = status
                if status != "draft":
                    self.addresses.setdefault(url, item.doc.path)
            for alias in item.aliases:
                self.pages.setdefault(alias.lstrip("/"), "published")
        for name in settings.sections:
            slug = slugify(
                name, rules.category_substitutions, rules.preserve_case, rules.use_unicode
            )
            self._add(_format(urls.category, {"slug": slug}), f"the page of the section {name}")
        for slug in self.tag_slugs:
            self._add(_format(urls.tag, {"slug": slug}), f'the page of the tag "{slug}"')
        for author in checker.authors.values():
            self._add(_format(urls.author, {"slug": author.slug}), f"the page of {author.name}")
            self._add(
                _format(
                    urls.author,
                    {
                        "slug": slugify(
                            author.name,
                            rules.author_substitutions,
                            rules.preserve_case,
                            rules.use_unicode,
                        )
                    },
                )
            )
        self._add(urls.archives, "the archives")
        static_roots = tuple(path.strip("/") + "/" for path in settings.static_paths)
        self.static_roots = static_roots
        for path in self.files:
            if path.startswith(static_roots):
                self.addresses.setdefault(path, f"the file {checker.content_display}/{path}")
        self.segments = {url.split("/", 1)[0] for url in self.pages if "/" in url}
        self.segments.update(root.split("/", 1)[0] for root in static_roots)

    def slug(self, name: str, kind: str) -> str:
        """The slug Pelican gives a category or author of this name."""
        rules = self.checker.settings.slugs
        subs = rules.category_substitutions if kind == "category" else rules.author_substitutions
        return slugify(name, subs, rules.preserve_case, rules.use_unicode)

    def _add(self, url: str | None, what: str | None = None) -> None:
        if url is not None:
            self.pages.setdefault(url, "published")
            if what:
                self.addresses.setdefault(url, what)

    def problem(self, item: _Parsed, what: str, target: str) -> tuple[Severity, str] | None:
        """Why a link from `item` to `target` would not work, if it would not."""
        target = target.split("#", 1)[0].split("?", 1)[0]
        if what in ("filename", "static", "attach"):
            if not target:
                return ("error", f"empty {{{what}}} link")
            base = "" if target.startswith("/") else posixpath.dirname(item.doc.relpath)
            path = posixpath.normpath(posixpath.join(base, unquote(target).lstrip("/")))
            if path not in self.files:
                return (
                    "error",
                    f"{{{what}}}{target} links to a file that does not exist "
                    f"({self.checker.content_display}/{path})",
                )
            source = self.sources.get(path)
            if what == "filename" and source is not None and source.status == "draft":
                return ("warning", f"{{{what}}}{target} links to a draft, which is not published")
            return None
        if what == "tag":
            if tag_slug(unquote(target), self.checker.settings.slugs) not in self.tag_slugs:
                return ("error", f'{{tag}}{target}: no article has the tag "{target}"')
            return None
        if what == "category":  # Pelican links to the section whose slug this slugifies to
            if self.slug(unquote(target), "category") not in self.section_slugs:
                return ("error", f'{{category}}{target}: no section is called "{target}"')
            return None
        if what == "author":
            if self.slug(unquote(target), "author") not in self.author_slugs:
                return ("error", f'{{author}}{target}: no author is called "{target}"')
            return None
        if what == "index":
            return None
        return self.site_link(target)

    def site_link(self, target: str) -> tuple[Severity, str] | None:
        """Why a site-relative link would not work, if it would not."""
        path = unquote(target).lstrip("/")
        if not path or path == "index.html":
            return None
        if path.split("/", 1)[0] not in self.segments:
            return None  # a page no content file makes (search, feeds, theme files)
        if path.startswith(self.static_roots):
            if posixpath.normpath(path) in self.files:
                return None
            return (
                "error",
                f'link to "{target}": no file '
                f"{self.checker.content_display}/{posixpath.normpath(path)}",
            )
        if path.endswith("index.html"):
            path = path[: -len("index.html")]
        candidates = [path] if path.endswith("/") else [path, path + "/"]
        for candidate in candidates:
            status = self.pages.get(candidate)
            pagination = PAGINATION_RE.match(candidate)
            if status is None and pagination and pagination["listing"] in self.pages:
                status = "published"
            if status in ("published", "hidden"):
                return None
            if status == "draft":
                return ("error", f'link to "{target}": that article is a draft')
            if status == "scheduled":
                return (
                    "warning",
                    f'link to "{target}": that article is scheduled and '
                    "the link is broken until it is published",
                )
        return ("error", f'link to "{target}": no page of the site has that address')


def _alias_address(alias: str) -> str:
    """The address an alias takes, written as the URL settings write one (no leading /).

    `/old/story` and `/old/story/index.html` both become the folder `old/story/`;
    a last segment with a dot (`/old/story.html`) stays a file, as the redirect
    writer saves it.
    """
    path = unquote(alias).lstrip("/")
    if path == "index.html" or path.endswith("/index.html"):
        path = path[: -len("index.html")]
    last = path.rsplit("/", 1)[-1]
    if path and not path.endswith("/") and "." not in last:
        path += "/"
    return path


def _format(pattern: str, fields: Mapping[str, object]) -> str | None:
    """A URL setting filled in, or None when it needs a field we do not know."""
    try:
        return pattern.format(**fields)
    except (KeyError, IndexError, ValueError, AttributeError):
        return None


def suggest(value: str, choices: Iterable[str]) -> str:
    """Return ` (did you mean "X"?)` for the closest choice, or nothing."""
    choices = list(choices)
    folded = {choice.lower(): choice for choice in choices}
    if value.lower() in folded:
        return f' (did you mean "{folded[value.lower()]}"?)'
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _url_problem(value: str) -> str | None:
    """Why a metadata URL is refused: only http(s) and site-relative paths are allowed."""
    match = SCHEME_RE.match(CONTROL_RE.sub("", _strip_intrasite(value)))
    if match and match.group(1).lower() not in ("http", "https"):
        return (
            f'"{match.group(1).lower()}:" URLs are not allowed; use an http(s) URL or a '
            "path on this site"
        )
    return None


def _is_external(value: str) -> bool:
    return bool(SCHEME_RE.match(value.strip())) or value.strip().startswith("//")


def _strip_intrasite(value: str) -> str:
    """`{static}/images/x.jpg` -> `/images/x.jpg`."""
    match = INTRASITE_RE.match(value.strip())
    if match and match["what"] in ("filename", "static", "attach"):
        return match["target"]
    return value.strip()


def check_documents(
    documents: Iterable[SourceDocument],
    settings: ContentSettings,
    authors: Mapping[str, AuthorInfo] | None,
    files: Collection[str],
    now: datetime,
    content_display: str = "content",
    memo: ParseMemo | None = None,
) -> CheckReport:
    """Check every document against the rules; `files` lists every file under the content root.

    `authors` is None when the authors file could not be read: names then go unchecked.
    With a memo (of the same key), unchanged files' passes are replayed from it.
    """
    checker = _Checker(settings, authors, files, now, content_display, memo)
    return checker.run(documents)
