"""Newsdesk build: run Pelican into a temporary folder and swap it in atomically."""
