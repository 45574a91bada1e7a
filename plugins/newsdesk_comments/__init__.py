"""Newsdesk comments: Isso's live thread, approved comments in static pages, newsletter signup."""

from .plugin import register

__all__ = ["register"]
