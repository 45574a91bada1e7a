"""An article's comment thread as plain data: its Isso key, its comments, its count.

Isso keys a thread by the `data-isso-id` the page gives it. An article's key
is its first URL: the first of its `Aliases:` (its oldest address, when aliases
are listed oldest first) or, without aliases, its current URL. When the
database already holds the article's comments under another of its addresses
(the current URL or any alias), that thread is used, so a URL change never
loses a thread. Comments are shown oldest first, replies under their comment
(Isso keeps replies one level deep), ties broken by id.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from urllib.parse import urlsplit

from .isso_db import IssoComment
from .sanitise import author_name, comment_html, website_url

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class StaticComment:
    """One approved comment, ready for the page: plain text fields and sanitised HTML."""

    id: int
    author: str
    #: The commenter's website, only when it is an absolute http(s) URL.
    website: str | None
    published: datetime
    #: The comment's text, sanitised by `sanitise.comment_html`: the one comment
    #: field the theme marks safe.
    sanitised_html: str
    replies: tuple[StaticComment, ...] = ()

    @property
    def anchor(self) -> str:
        """The id of the comment's element in the static page."""
        return f"comment-{self.id}"

    @property
    def date_text(self) -> str:
        """The comment's date and time for readers, e.g. 'January 5, 2025 at 09:30'."""
        when = self.published
        return f"{MONTHS[when.month - 1]} {when.day}, {when.year} at {when:%H:%M}"


@dataclass(frozen=True)
class CommentThread:
    """What an article page shows of its comments."""

    #: The thread key given to Isso's client (`data-isso-id`).
    isso_id: str
    #: The article's title, given to Isso for a new thread (`data-title`).
    title: str
    #: The approved comments, or None when no database is configured (nothing is
    #: known at build time: only the live client shows comments).
    comments: tuple[StaticComment, ...] | None = None
    #: Thread keys other than `isso_id` under which comments of this article were found;
    #: the live client does not show those (the adapter warns about them).
    stray_threads: tuple[str, ...] = ()

    @property
    def count(self) -> int | None:
        """How many approved comments the article has, replies included (None: unknown)."""
        if self.comments is None:
            return None
        return sum(1 + len(comment.replies) for comment in self.comments)

    @property
    def count_label(self) -> str | None:
        """'No comments yet', '1 comment' or 'N comments' (None: unknown)."""
        count = self.count
        return None if count is None else count_label(count)


def count_label(count: int) -> str:
    """Say how many comments there are: 'No comments yet', '1 comment', 'N comments'."""
    if count == 0:
        return "No comments yet"
    if count == 1:
        return "1 comment"
    return f"{count:,} comments"


def normalise_path(address: str) -> str:
    """Return the path of a URL or site path, with a leading slash ('' if there is none)."""
    address = address.strip()
    if not address:
        return ""
    parts = urlsplit(address)
    path = parts.path if parts.scheme or parts.netloc else address.split("#", 1)[0]
    if not path:
        return "/" if parts.netloc else ""
    return path if path.startswith("/") else "/" + path


def parse_aliases(value: object) -> tuple[str, ...]:
    """Return an article's `Aliases:` as site paths, in the order given, without repeats."""
    if value is None:
        return ()
    if isinstance(value, str):
        items = [value]
    elif isinstance(value, Iterable):
        items = list(value)
    else:
        items = []
    paths: list[str] = []
    for item in items:
        for part in re.split(r"[,\s]+", str(item)):
            path = normalise_path(part)
            if path and path not in paths:
                paths.append(path)
    return tuple(paths)


def candidate_keys(url: str, aliases: Sequence[str]) -> tuple[str, ...]:
    """Return an article's possible thread keys, the preferred one (its first URL) first."""
    current = normalise_path(url) or "/"
    keys = [*aliases, current] if aliases else [current]
    return tuple(dict.fromkeys(keys))


def _static_comment(comment: IssoComment, zone: tzinfo, replies=()) -> StaticComment:
    """Turn one stored comment into its page form."""
    return StaticComment(
        id=comment.id,
        author=author_name(comment.author),
        website=website_url(comment.website),
        published=datetime.fromtimestamp(comment.created, tz=zone).replace(microsecond=0),
        sanitised_html=comment_html(comment.text),
        replies=tuple(replies),
    )


def arrange(comments: Iterable[IssoComment], zone: tzinfo) -> tuple[StaticComment, ...]:
    """Return comments oldest first with replies under their parent (an orphan stands alone)."""

    def order(comment: IssoComment) -> tuple[float, int]:
        return (comment.created, comment.id)

    everything = sorted(comments, key=order)
    ids = {comment.id for comment in everything}
    replies: dict[int, list[IssoComment]] = {}
    roots: list[IssoComment] = []
    for comment in everything:
        if comment.parent is not None and comment.parent in ids:
            replies.setdefault(comment.parent, []).append(comment)
        else:
            roots.append(comment)

    def build(comment: IssoComment) -> StaticComment:
        children = [build(child) for child in replies.get(comment.id, [])]
        return _static_comment(comment, zone, children)

    return tuple(build(root) for root in roots)


def build_thread(
    title: str,
    keys: Sequence[str],
    accepted: Mapping[str, Sequence[IssoComment]] | None,
    zone: tzinfo,
) -> CommentThread:
    """Return an article's thread from its candidate keys and the database's comments.

    `accepted` maps thread keys to accepted comments, or is None when no database
    is configured.
    """
    if not keys:
        raise ValueError("an article needs at least one thread key")
    if accepted is None:
        return CommentThread(isso_id=keys[0], title=title)
    found = [key for key in keys if accepted.get(key)]
    if not found or keys[0] in found:
        isso_id = keys[0]
    else:
        isso_id = min(found, key=lambda key: (min(c.created for c in accepted[key]), key))
    comments = [comment for key in found for comment in accepted[key]]
    return CommentThread(
        isso_id=isso_id,
        title=title,
        comments=arrange(comments, zone),
        stray_threads=tuple(key for key in found if key != isso_id),
    )
