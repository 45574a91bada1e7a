"""How an article page loads Isso's client: its script URL and its `data-isso-*` settings.

The client is served by the Isso server itself (`<isso-url>/js/embed.min.js`);
nothing of it is committed here. Its settings are `data-isso-*` attributes on
the script element; texts are overridden per language with
`data-isso-<message>-text-<lang>`. Isso's server sends its own values of
`require-author`, `require-email` and `reply-to-self`, which win over the
page's: the repository's isso.cfg sets them to match these.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The language of the client's texts below.
LANGUAGE = "en"

#: The client's settings, by attribute name without the `data-isso-` prefix.
SETTINGS = {
    # The theme styles the thread (comments.css); Isso's own stylesheet stays out.
    "css": "false",
    "lang": LANGUAGE,
    "require-author": "true",
    "require-email": "true",
    "reply-to-self": "false",
    "avatar": "false",
    "gravatar": "false",
    "vote": "false",
    "sorting": "oldest",
}

#: The client's texts in the newsroom's words ("\\n" separates singular and plural).
TEXTS = {
    "num-comments": "1 comment\\n{{ n }} comments",
    "no-comments": "No comments yet",
    "postbox-text": "Your comment (at least 3 characters)",
    "postbox-author": "Name",
    "postbox-author-placeholder": "Your name",
    "postbox-email": "Email",
    "postbox-email-placeholder": "you@example.com",
    "postbox-website": "Website",
    "postbox-website-placeholder": "https://example.com",
    "postbox-submit": "Post Comment",
    "postbox-preview": "Preview",
    "comment-queued": "Your comment is awaiting moderation.",
    "comment-anonymous": "Anonymous",
}


@dataclass(frozen=True)
class IssoClient:
    """Where Isso's client comes from and how it is configured."""

    #: Isso's public URL, without a trailing slash.
    url: str

    @property
    def script_url(self) -> str:
        """The client script, served by the Isso server."""
        return f"{self.url}/js/embed.min.js"

    @property
    def endpoint(self) -> str:
        """The API endpoint the client talks to (`data-isso`)."""
        return f"{self.url}/"

    @property
    def attributes(self) -> tuple[tuple[str, str], ...]:
        """Every `data-isso-*` attribute of the script element, sorted by name."""
        pairs = {f"data-isso-{name}": value for name, value in SETTINGS.items()}
        pairs |= {f"data-isso-{name}-text-{LANGUAGE}": text for name, text in TEXTS.items()}
        return tuple(sorted(pairs.items()))
