"""Moved articles: `Aliases:` old paths become redirect pages and server redirect files.

Each alias gets a small HTML page (meta refresh plus canonical link: works on
any static host) and a line in an nginx `map` and in a `_redirects` file
(Netlify, Cloudflare Pages) for servers that answer with a real 301. An alias
that would overwrite any file of the site, or that two articles claim, is an
error in the `path:line: error: message` form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote, unquote

from jinja2 import Environment

#: What an alias may contain: a root-relative path of URL-safe characters.
_ALIAS = re.compile(r"/[A-Za-z0-9._~%/+-]*")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")

_PAGE = Environment(autoescape=True, keep_trailing_newline=True).from_string(
    """<!DOCTYPE html>
<html lang="{{ language }}">
<head>
<meta charset="utf-8">
<title>{{ title }}</title>
<link rel="canonical" href="{{ url }}">
<meta http-equiv="refresh" content="0; url={{ url }}">
</head>
<body>
<p>This article has moved to <a href="{{ url }}">{{ title }}</a>.</p>
</body>
</html>
"""
)


class AliasError(ValueError):
    """One or more aliases are malformed or collide; the message lists them all."""


@dataclass(frozen=True)
class AliasSource:
    """An article (or page) that declares aliases, as the core needs to know it."""

    source: str
    line: int
    title: str
    #: Where readers should land: absolute in production, root-relative in development.
    target_url: str
    #: The target as a path from the host's root, for server redirect files.
    target_path: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Redirect:
    """One old path and where it now leads."""

    alias: str
    save_as: str
    title: str
    target_url: str
    target_path: str
    source: str
    line: int


def split_aliases(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """The aliases of a metadata value (comma-separated string or list), blanks dropped."""
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else [str(item) for item in value]
    return tuple(item.strip() for item in items if item.strip())


def alias_problem(alias: str) -> str | None:
    """Why an alias cannot be used, or None when it is a clean site path."""
    if not _ALIAS.fullmatch(alias):
        return (
            "must be a path starting with '/' made of letters, digits and . _ ~ % / + - "
            "(no spaces, quotes, query strings or fragments)"
        )
    if "//" in alias or any(part in (".", "..") for part in alias.split("/")):
        return "must not contain empty, '.' or '..' segments"
    if _BAD_PERCENT.search(alias):
        return "has a '%' that is not followed by two hexadecimal digits"
    return None


def alias_save_as(alias: str) -> str:
    """The output file of an alias (decoded): a folder gets index.html, a file path is kept."""
    path = unquote(alias).lstrip("/")
    last = path.rsplit("/", 1)[-1]
    if path == "" or alias.endswith("/"):
        return f"{path}index.html"
    if "." in last:
        return path
    return f"{path}/index.html"


def metadata_line(text: str, key: str) -> int:
    """The 1-based line of a `Key:` header field in a Markdown source, else 1."""
    wanted = key.lower()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            break
        name, sep, _ = line.partition(":")
        if sep and name.strip().lower() == wanted:
            return number
    return 1


def plan_redirects(sources: Iterable[AliasSource], taken: Mapping[str, str]) -> list[Redirect]:
    """Check every alias and return the redirects, sorted by alias.

    `taken` maps each output file the site writes to a description of it.
    Raises AliasError listing every malformed or colliding alias, one
    `path:line: error: message` line each, under a one-line count.
    """
    errors: list[tuple[str, int, str]] = []
    claimed: dict[str, Redirect] = {}
    for source in sorted(sources, key=lambda item: (item.source, item.line)):
        for alias in dict.fromkeys(source.aliases):
            where = (source.source, source.line)
            problem = alias_problem(alias)
            if problem:
                errors.append((*where, f"alias {alias!r} {problem}"))
                continue
            save_as = alias_save_as(alias)
            if save_as in taken:
                errors.append(
                    (*where, f"alias {alias} collides with {taken[save_as]}, at {save_as}")
                )
                continue
            if save_as in claimed:
                other = claimed[save_as]
                errors.append(
                    (
                        *where,
                        f"alias {alias} is also an alias of {other.title!r} "
                        f"({other.source}:{other.line})",
                    )
                )
                continue
            claimed[save_as] = Redirect(
                alias=alias,
                save_as=save_as,
                title=source.title,
                target_url=source.target_url,
                target_path=source.target_path,
                source=source.source,
                line=source.line,
            )
    if errors:
        lines = [f"{path}:{line}: error: {message}" for path, line, message in errors]
        heading = "1 alias problem:" if len(lines) == 1 else f"{len(lines)} alias problems:"
        raise AliasError("\n".join([heading, *lines]))
    return sorted(claimed.values(), key=lambda redirect: redirect.alias)


def redirect_page(redirect: Redirect, language: str) -> str:
    """The HTML page left at an old path: meta refresh and canonical to the new URL."""
    return _PAGE.render(language=language, title=redirect.title, url=redirect.target_url)


def _host_path(site_path: str, path: str) -> str:
    return quote(site_path + path, safe="/%~-._+")


def nginx_map(redirects: Iterable[Redirect], site_path: str = "") -> str:
    """An nginx `map` include: one `"old" "new";` line per alias."""
    lines = [
        "# Newsdesk redirects (generated): old path -> current path.",
        "# In the http block:   map $uri $newsdesk_redirect { include redirects.nginx.map; }",
        "# In the server block: if ($newsdesk_redirect) { return 301 $newsdesk_redirect; }",
    ]
    for redirect in redirects:
        old = _host_path(site_path, redirect.alias)
        new = _host_path(site_path, redirect.target_path)
        lines.append(f'"{old}" "{new}";')
    return "\n".join(lines) + "\n"


def redirects_file(redirects: Iterable[Redirect], status: str, site_path: str = "") -> str:
    """A `_redirects` file (Netlify, Cloudflare Pages): `old new status` per alias."""
    lines = ["# Newsdesk redirects (generated): old path, current path, status."]
    for redirect in redirects:
        old = _host_path(site_path, redirect.alias)
        new = _host_path(site_path, redirect.target_path)
        lines.append(f"{old} {new} {status}")
    return "\n".join(lines) + "\n"
