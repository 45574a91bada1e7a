"""Back up Isso's comment database: `python -m newsdesk_comments.backup [DATABASE] [-o FOLDER]`.

Uses SQLite's online backup API, so a copy taken while Isso is running is a
consistent snapshot. The copy is named `comments-<UTC timestamp>.db`
(`make comments-backup` writes it to var/backups/).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

DEFAULT_DATABASE = Path("var/comments/comments.db")
DEFAULT_FOLDER = Path("var/backups")


class BackupError(RuntimeError):
    """The database cannot be backed up."""


def backup_name(now: datetime) -> str:
    """Return the file name of a backup taken at `now` (UTC, to the second)."""
    return f"comments-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}.db"


def backup_database(database: Path, folder: Path, now: datetime) -> Path:
    """Copy the database into `folder` with SQLite's online backup API; return the copy's path."""
    if not database.is_file():
        raise BackupError(f"{database}: no such database (has Isso run yet?)")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / backup_name(now)
    if target.exists():
        raise BackupError(f"{target} exists already; not overwriting it")
    partial = target.with_suffix(".db.partial")
    source = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
            (result,) = copy.execute("PRAGMA integrity_check").fetchone()
        finally:
            copy.close()
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        raise BackupError(f"{database}: backup failed: {error}") from None
    finally:
        source.close()
    if result != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(f"{database}: the copy fails SQLite's integrity check: {result}")
    partial.replace(target)
    return target


def main(argv: list[str] | None = None) -> int:
    """Back up the database named on the command line; return the exit code."""
    parser = argparse.ArgumentParser(prog="newsdesk_comments.backup", description=__doc__)
    parser.add_argument("database", nargs="?", type=Path, default=DEFAULT_DATABASE)
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_FOLDER)
    args = parser.parse_args(argv)
    try:
        target = backup_database(args.database, args.output, datetime.now(UTC))
    except BackupError as error:
        print(f"comments-backup: error: {error}", file=sys.stderr)
        return 1
    print(f"backed up {args.database} to {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
