"""Newsdesk content: reading articles (metadata, typography) and the content rules."""


def register() -> None:
    """Connect the content plugin to Pelican (imported lazily: the rules need no Pelican)."""
    from .plugin import register as register_plugin

    register_plugin()


__all__ = ["register"]
