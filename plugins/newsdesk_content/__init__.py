"""Newsdesk content: reading articles (metadata, typography) and the content rules."""

from .plugin import register

__all__ = ["register"]
