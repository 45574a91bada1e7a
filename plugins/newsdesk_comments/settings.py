"""Settings of the comments and newsletter plugin: defaults in one place, validated up front.

Comments (Isso):
    COMMENTS_ISSO_URL   Isso's public URL (http(s), no trailing slash needed), or None for
                        no live comments. The article page loads `<url>/js/embed.min.js`.
    COMMENTS_ISSO_DB    Isso's SQLite database, read (read-only) at build time to put each
                        article's approved comments into its page; None for no static
                        comments. A relative path is taken from the folder the build runs in.

Newsletter signup:
    NEWSLETTER_ACTION         the provider's form action URL (http(s)); None hides the block.
    NEWSLETTER_EMAIL_FIELD    the name of the email input the provider expects.
    NEWSLETTER_HIDDEN_FIELDS  {name: value} sent along (list ids, `embed`, …).
    NEWSLETTER_HONEYPOT_FIELD the name of the trap field that people never fill in.
    NEWSLETTER_CONSENT        the consent line under the field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

#: The email input's name when NEWSLETTER_EMAIL_FIELD is not set (Buttondown, listmonk).
DEFAULT_EMAIL_FIELD = "email"
#: The honeypot's name when NEWSLETTER_HONEYPOT_FIELD is not set.
DEFAULT_HONEYPOT_FIELD = "website"
#: The consent line when NEWSLETTER_CONSENT is not set.
DEFAULT_CONSENT = (
    "By signing up you agree to receive our newsletters by email. We use your address"
    " for nothing else, and every newsletter has a link to unsubscribe."
)

#: A form field name: what HTML and the providers' forms accept without surprises.
FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-\[\]\.]*\Z")


class CommentsSettingsError(ValueError):
    """A COMMENTS_* setting has a value the plugin cannot use."""


class NewsletterSettingsError(ValueError):
    """A NEWSLETTER_* setting has a value the plugin cannot use."""


def web_url(value: object) -> str | None:
    """Return `value` without a trailing slash if it is an absolute http(s) URL, else None."""
    if not isinstance(value, str) or value != value.strip() or any(c.isspace() for c in value):
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return value.rstrip("/")


@dataclass(frozen=True)
class CommentsSettings:
    """Where the comment server and its database are."""

    #: COMMENTS_ISSO_URL: Isso's public URL without a trailing slash, or None.
    isso_url: str | None = None
    #: COMMENTS_ISSO_DB: Isso's SQLite database, or None.
    isso_db: Path | None = None

    @property
    def enabled(self) -> bool:
        """True when article pages carry a comments section at all."""
        return self.isso_url is not None or self.isso_db is not None

    @classmethod
    def from_pelican(cls, settings: Mapping[str, object]) -> CommentsSettings:
        """Read and validate the COMMENTS_* settings from Pelican's settings dict."""
        raw_url = settings.get("COMMENTS_ISSO_URL")
        url = None
        if raw_url not in (None, ""):
            url = web_url(raw_url)
            if url is None:
                raise CommentsSettingsError(
                    f"COMMENTS_ISSO_URL must be an absolute http(s) URL, not {raw_url!r}"
                )
        raw_db = settings.get("COMMENTS_ISSO_DB")
        database = None
        if raw_db not in (None, ""):
            if not isinstance(raw_db, str | Path):
                raise CommentsSettingsError(
                    f"COMMENTS_ISSO_DB must be the path of Isso's database, not {raw_db!r}"
                )
            database = Path(raw_db)
            if not database.is_file():
                raise CommentsSettingsError(
                    f"COMMENTS_ISSO_DB is {str(raw_db)!r}, which is not a file"
                    f" (in {Path.cwd()}); run Isso once to create it, or set it to None"
                )
        return cls(isso_url=url, isso_db=database)


@dataclass(frozen=True)
class NewsletterSettings:
    """Where the signup form posts and what it sends."""

    #: NEWSLETTER_ACTION: the provider's form action URL, or None for no signup block.
    action: str | None = None
    #: NEWSLETTER_EMAIL_FIELD: the name of the email input.
    email_field: str = DEFAULT_EMAIL_FIELD
    #: NEWSLETTER_HIDDEN_FIELDS: (name, value) pairs, sorted by name.
    hidden_fields: tuple[tuple[str, str], ...] = ()
    #: NEWSLETTER_HONEYPOT_FIELD: the name of the trap field.
    honeypot_field: str = DEFAULT_HONEYPOT_FIELD
    #: NEWSLETTER_CONSENT: the consent line.
    consent: str = DEFAULT_CONSENT

    @classmethod
    def from_pelican(cls, settings: Mapping[str, object]) -> NewsletterSettings:
        """Read and validate the NEWSLETTER_* settings from Pelican's settings dict."""
        raw_action = settings.get("NEWSLETTER_ACTION")
        action = None
        if raw_action not in (None, ""):
            if web_url(raw_action) is None:
                raise NewsletterSettingsError(
                    f"NEWSLETTER_ACTION must be an absolute http(s) URL, not {raw_action!r}"
                )
            action = str(raw_action)
        email_field = _field_name(settings, "NEWSLETTER_EMAIL_FIELD", DEFAULT_EMAIL_FIELD)
        honeypot = _field_name(settings, "NEWSLETTER_HONEYPOT_FIELD", DEFAULT_HONEYPOT_FIELD)
        hidden = settings.get("NEWSLETTER_HIDDEN_FIELDS") or {}
        if not isinstance(hidden, Mapping) or not all(
            isinstance(name, str) and FIELD_NAME.match(name) and isinstance(value, str)
            for name, value in hidden.items()
        ):
            raise NewsletterSettingsError(
                f"NEWSLETTER_HIDDEN_FIELDS must map field names to text values, not {hidden!r}"
            )
        names = [email_field, honeypot, *hidden]
        if len(set(names)) != len(names):
            raise NewsletterSettingsError(
                "NEWSLETTER_EMAIL_FIELD, NEWSLETTER_HONEYPOT_FIELD and NEWSLETTER_HIDDEN_FIELDS"
                f" must name different fields, not {names}"
            )
        consent = settings.get("NEWSLETTER_CONSENT", DEFAULT_CONSENT)
        if not isinstance(consent, str) or not consent.strip():
            raise NewsletterSettingsError(
                f"NEWSLETTER_CONSENT must be a line of text, not {consent!r}"
            )
        return cls(
            action=action,
            email_field=email_field,
            hidden_fields=tuple(sorted(hidden.items())),
            honeypot_field=honeypot,
            consent=consent.strip(),
        )


def _field_name(settings: Mapping[str, object], name: str, default: str) -> str:
    """Return a setting that must be a form field name."""
    value = settings.get(name, default)
    if not isinstance(value, str) or not FIELD_NAME.match(value):
        raise NewsletterSettingsError(f"{name} must be a form field name, not {value!r}")
    return value
