"""Newsdesk search: a Pagefind index of the archive, a search page and a header search box."""

from .plugin import register

__all__ = ["register"]
