"""Newsdesk SEO: head metadata, JSON-LD, feeds, sitemaps, robots.txt and redirects."""

from .plugin import register

__all__ = ["register"]
