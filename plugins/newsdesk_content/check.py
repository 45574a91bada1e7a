"""`make check`: validate the whole content tree without building the site.

`python -m newsdesk_content.check [-s pelicanconf.py] [--now ISO-DATETIME]` prints
every problem as `path:line: severity: message`, sorted by path and line, then
a one-line count; it exits 1 when there is any error, 2 when the settings are bad.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from .rules import CheckReport
from .settings import ContentSettings
from .tree import check_memo_path, check_site


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(prog="newsdesk_content.check", description=__doc__)
    parser.add_argument("-s", "--settings", default="pelicanconf.py", type=Path)
    parser.add_argument(
        "--now",
        default=None,
        help="check as if it were this moment (ISO 8601, site timezone if none given)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    return parser.parse_args(argv)


def load_settings(path: Path) -> ContentSettings:
    """Read a Pelican settings file (with Pelican's defaults) into the content settings."""
    return ContentSettings.from_pelican(read_pelican_settings(path))


def read_pelican_settings(path: Path) -> dict:
    """A Pelican settings file with Pelican's defaults."""
    from pelican.settings import read_settings  # the one Pelican import: its defaults

    return read_settings(str(path))


def resolve_now(text: str | None, settings: ContentSettings) -> datetime:
    """The moment the check runs at: now, or the pinned --now value, in the site timezone."""
    if text is None:
        return datetime.now(settings.zone)
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=settings.zone)


def print_report(report: CheckReport, quiet: bool = False, stream=None) -> None:
    """Print every problem, then the count line."""
    stream = stream or sys.stdout
    for problem in report.problems:
        if not quiet or problem.severity == "error":
            print(problem, file=stream)
    print(report.summary(), file=stream)


def main(argv: list[str] | None = None) -> int:
    """Run the check; return the exit code."""
    args = parse_arguments(argv)
    if not args.settings.is_file():
        print(f"{args.settings}: settings file not found", file=sys.stderr)
        return 2
    try:
        pelican_settings = read_pelican_settings(args.settings)
        settings = ContentSettings.from_pelican(pelican_settings)
        now = resolve_now(args.now, settings)
    except Exception as error:  # a broken settings file: say so, no traceback
        line = getattr(error, "lineno", None) or 1
        print(f"{args.settings}:{line}: error: {error}", file=sys.stderr)
        return 2
    report = check_site(settings, now, memo_path=check_memo_path(pelican_settings))
    print_report(report, args.quiet)
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
