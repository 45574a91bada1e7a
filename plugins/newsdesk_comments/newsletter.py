"""The newsletter signup form as plain data: where it posts and which fields it sends.

The form posts straight to the provider (Mailchimp, Buttondown, listmonk …:
their embedded forms all take an action URL, an email field and a few hidden
fields), so a static site needs no server of its own for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .settings import NewsletterSettings

HEADING = "Sign Up for Our Newsletters"


@dataclass(frozen=True)
class NewsletterSignup:
    """What the signup block renders."""

    action: str
    email_field: str
    hidden_fields: tuple[tuple[str, str], ...]
    honeypot_field: str
    consent: str
    heading: str = HEADING
    #: Always POST: an email address does not belong in a URL.
    method: str = "post"


def signup_form(settings: NewsletterSettings) -> NewsletterSignup | None:
    """Return the signup form, or None when no provider endpoint is configured."""
    if settings.action is None:
        return None
    return NewsletterSignup(
        action=settings.action,
        email_field=settings.email_field,
        hidden_fields=settings.hidden_fields,
        honeypot_field=settings.honeypot_field,
        consent=settings.consent,
    )
