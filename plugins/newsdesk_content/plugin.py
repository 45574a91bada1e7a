"""Pelican adapter: check the content before anything is written, then read it.

At `initialized` (before any file is read or written) the content rules run
over the whole tree, as `make check` runs them. Problems are printed to stderr
as `path:line: severity: message`; any error raises `ContentCheckFailed`, which
fails the build (`python -m newsdesk_build` exits 1 and output/ stays as it was).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Mapping
from datetime import datetime

from pelican import signals

from .reader import NewsdeskMarkdownReader
from .rules import CheckReport
from .settings import ContentSettings
from .tree import check_memo_path, check_site


class ContentCheckFailed(Exception):
    """The content check found errors; they were printed above."""


# The latest check of each content root, for the readers of the same build
# (receivers are module-level functions, so state lives here, keyed by PATH).
_reports: dict[str, CheckReport] = {}


def check_content(pelican) -> None:
    """Run the content rules over the tree; print problems; raise on any error."""
    settings = ContentSettings.from_pelican(pelican.settings)
    memo = check_memo_path(pelican.settings)
    report = check_site(settings, datetime.now(settings.zone), memo_path=memo)
    _reports[str(settings.content_root)] = report
    for problem in report.problems:
        if problem.severity != "info":
            print(problem, file=sys.stderr)
    if report.errors:
        count = len(report.errors)
        raise ContentCheckFailed(
            f"the content check found {count} error{'s' if count != 1 else ''} (listed above)"
        )


def install_reader(readers) -> None:
    """Read every Markdown extension with the Newsdesk reader (with the site's tag spellings)."""
    report = _reports.get(str(ContentSettings.from_pelican(readers.settings).content_root))
    spellings: Mapping[str, str] = report.tag_spellings if report else {}
    reader = functools.partial(NewsdeskMarkdownReader, tag_spellings=spellings)
    for extension in NewsdeskMarkdownReader.file_extensions:
        readers.reader_classes[extension] = reader


def register() -> None:
    """Connect the content plugin to Pelican's signals."""
    signals.initialized.connect(check_content)
    signals.readers_init.connect(install_reader)
