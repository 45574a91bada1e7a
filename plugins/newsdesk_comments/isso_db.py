"""Read the approved comments out of Isso's SQLite database, read-only.

Isso keeps one row per thread in `threads` (its `uri` is the thread key, the
`data-isso-id` the page gave) and one row per comment in `comments`, whose
`mode` is 1 once a comment is accepted (2: waiting for moderation, 4: deleted
but kept for its replies). Only accepted comments are read, and only the
columns a page may show: never the email address or the commenter's IP.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

#: Isso's `comments.mode` of an accepted (public) comment.
MODE_ACCEPTED = 1

QUERY = """
SELECT threads.uri, comments.id, comments.parent, comments.created,
       comments.author, comments.website, comments.text
FROM comments JOIN threads ON threads.id = comments.tid
WHERE comments.mode = ?
ORDER BY threads.uri, comments.created, comments.id
"""


class CommentsDatabaseError(RuntimeError):
    """Isso's database cannot be opened or does not have Isso's tables."""


@dataclass(frozen=True)
class IssoComment:
    """One accepted comment as Isso stored it (author and website HTML-escaped by Isso)."""

    id: int
    thread_uri: str
    parent: int | None
    created: float
    author: str | None
    website: str | None
    text: str


def read_accepted_comments(database: Path) -> Mapping[str, tuple[IssoComment, ...]]:
    """Return every accepted comment, by thread URI, oldest first (ties by id)."""
    try:
        connection = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise CommentsDatabaseError(f"{database}: cannot open Isso's database: {error}") from None
    try:
        rows = connection.execute(QUERY, (MODE_ACCEPTED,)).fetchall()
    except sqlite3.Error as error:
        raise CommentsDatabaseError(f"{database}: not an Isso database: {error}") from None
    finally:
        connection.close()
    threads: dict[str, list[IssoComment]] = {}
    for uri, comment_id, parent, created, author, website, text in rows:
        threads.setdefault(uri, []).append(
            IssoComment(
                id=comment_id,
                thread_uri=uri,
                parent=parent,
                created=float(created),
                author=author,
                website=website,
                text=text or "",
            )
        )
    return {uri: tuple(comments) for uri, comments in sorted(threads.items())}
