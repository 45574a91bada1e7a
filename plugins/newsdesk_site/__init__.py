"""Newsdesk site: the data the news theme renders (filters, navigation, fronts, archives)."""

from .plugin import register

__all__ = ["register"]
