"""Pelican adapter: comments (Isso) and the newsletter signup on article pages.

On `generator_init` it validates the COMMENTS_* and NEWSLETTER_* settings once
per build and puts `comments_client` (an `IssoClient`, or None) and
`newsletter_signup` (a `NewsletterSignup`, or None) on the shared context. On
`article_generator_finalized` it reads Isso's database once (when
COMMENTS_ISSO_DB is set) and gives every article `comment_thread` (a
`CommentThread`, or None when comments are off). The work is done by the pure
modules beside this one.
"""

from __future__ import annotations

import logging
from pathlib import Path
from zoneinfo import ZoneInfo

from newsdesk_content.tree import source_label
from pelican import signals

from .client import IssoClient
from .isso_db import read_accepted_comments
from .newsletter import signup_form
from .settings import CommentsSettings, NewsletterSettings
from .threads import build_thread, candidate_keys, parse_aliases

logger = logging.getLogger(__name__)

#: Context key of the validated comments settings (set once per build).
SETTINGS_KEY = "newsdesk_comments_settings"


def add_context(generator) -> None:
    """Validate the settings once per build; put the Isso client and signup form on the context."""
    context = generator.context
    if SETTINGS_KEY in context:
        return
    comments = CommentsSettings.from_pelican(generator.settings)
    newsletter = NewsletterSettings.from_pelican(generator.settings)
    context[SETTINGS_KEY] = comments
    context["comments_client"] = IssoClient(comments.isso_url) if comments.isso_url else None
    context["newsletter_signup"] = signup_form(newsletter)


def add_comment_threads(generator) -> None:
    """Give every article its comment thread, with the approved comments when a database is set."""
    add_context(generator)
    settings: CommentsSettings = generator.context[SETTINGS_KEY]
    everything = [
        *generator.articles,
        *generator.translations,
        *generator.hidden_articles,
        *generator.hidden_translations,
    ]
    if not settings.enabled:
        for article in everything:
            article.comment_thread = None
        return
    accepted = read_accepted_comments(settings.isso_db) if settings.isso_db else None
    zone = ZoneInfo(generator.settings.get("TIMEZONE") or "UTC")
    content_root = Path(generator.settings["PATH"])
    for article in everything:
        keys = candidate_keys(article.url, parse_aliases(article.metadata.get("aliases")))
        thread = build_thread(str(article.title), keys, accepted, zone)
        if thread.stray_threads:
            logger.warning(
                "%s:1: warning: comments are stored under %s as well as %s; the live thread"
                " shows only %s (move them to one thread in Isso's database)",
                source_label(article.source_path, content_root),
                ", ".join(thread.stray_threads),
                thread.isso_id,
                thread.isso_id,
            )
        article.comment_thread = thread


def register() -> None:
    """Connect the comments plugin to Pelican's signals."""
    signals.generator_init.connect(add_context)
    signals.article_generator_finalized.connect(add_comment_threads)
