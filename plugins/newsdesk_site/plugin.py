"""Pelican adapter: give the theme's templates their filters and data."""

from __future__ import annotations

from pelican import signals

from newsdesk_content.typography import typeset_text


def add_filters(generator) -> None:
    """Add the theme's Jinja filters to a generator's environment."""
    generator.env.filters["headline"] = typeset_text


def register() -> None:
    """Connect the site plugin to Pelican's signals."""
    signals.generator_init.connect(add_filters)
