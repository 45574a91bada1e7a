"""Shared fixtures: build real sites (the demo, or small ones made by a test) with Pelican."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from textwrap import dedent

import pytest
from browser import chromium, serve_folder

REPO = Path(__file__).resolve().parent.parent
PLUGINS = REPO / "plugins"


@dataclass
class BuildResult:
    """What one run of the build command did."""

    returncode: int
    stdout: str
    stderr: str
    output: Path

    def check(self) -> BuildResult:
        """Fail the test with the build's own messages unless it succeeded."""
        assert self.returncode == 0, f"build failed:\n{self.stdout}\n{self.stderr}"
        return self


def pelican_markdown_settings() -> dict:
    """What Pelican's Markdown reader makes of the default MARKDOWN setting (a fresh copy)."""
    from pelican.settings import DEFAULT_CONFIG

    markdown = copy.deepcopy(DEFAULT_CONFIG["MARKDOWN"])
    markdown["extensions"] = list(markdown["extension_configs"])
    return markdown


def run_build(settings: Path, output: Path, *extra: str) -> BuildResult:
    """Run `python -m newsdesk_build` on a settings file, as `make html` does."""
    env = {**os.environ, "PYTHONPATH": str(PLUGINS)}
    process = subprocess.run(
        [sys.executable, "-m", "newsdesk_build", "-s", str(settings), "-o", str(output), *extra],
        cwd=settings.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return BuildResult(process.returncode, process.stdout, process.stderr, output)


def run_site_command(site_root: Path, module: str, *arguments: str) -> subprocess.CompletedProcess:
    """Run one of the plugins' commands (`python -m module …`) in a site's folder."""
    return subprocess.run(
        [sys.executable, "-m", module, "-s", "settings.py", *arguments],
        cwd=site_root,
        env={**os.environ, "PYTHONPATH": str(PLUGINS)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def article_source(
    title: str,
    date: str = "2025-01-15 10:00",
    section: str = "Armenia",
    authors: str = "Anahit Grigoryan",
    tags: str = "Armenia",
    summary: str = "A short standfirst.",
    body: str = "A paragraph of body text.",
    **extra: str,
) -> str:
    """Return the Markdown source of one valid article; extra fields go in the header."""
    header = {
        "Title": title,
        "Date": date,
        "Section": section,
        "Authors": authors,
        "Tags": tags,
        "Summary": summary,
        "Location": "YEREVAN",
        **{key.replace("__", "-").title(): value for key, value in extra.items()},
    }
    lines = [f"{key}: {value}" for key, value in header.items()]
    return "\n".join(lines) + "\n\n" + body + "\n"


@dataclass
class FixtureSite:
    """A small site in a temporary folder, using the repository's theme and plugins."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def settings(self) -> Path:
        return self.root / "settings.py"

    @property
    def output(self) -> Path:
        return self.root / "output"

    def add(self, relative_path: str, text: str) -> Path:
        """Write a file under content/ and return its path."""
        path = self.content / relative_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def build(self, *extra: str) -> BuildResult:
        """Build the site into its output folder."""
        return run_build(self.settings, self.output, *extra)


def make_fixture_site(root: Path, **settings: object) -> FixtureSite:
    """Create a site folder whose settings are the repository's plus overrides."""
    site = FixtureSite(root)
    site.content.mkdir(parents=True, exist_ok=True)
    (site.content / "articles").mkdir(exist_ok=True)
    (site.content / "pages").mkdir(exist_ok=True)
    (site.content / "authors.toml").write_text(
        (REPO / "content" / "authors.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    overrides = "\n".join(f"{key} = {value!r}" for key, value in settings.items())
    site.settings.write_text(
        dedent(
            f"""\
            import sys
            sys.path.insert(0, {str(REPO)!r})
            from pelicanconf import *
            PATH = "content"
            THEME = {str(REPO / "theme")!r}
            PLUGIN_PATHS = [{str(PLUGINS)!r}]
            """
        )
        + overrides
        + "\n",
        encoding="utf-8",
    )
    return site


@pytest.fixture
def fixture_site(tmp_path: Path) -> FixtureSite:
    """An empty site in a temporary folder with the repository's settings."""
    return make_fixture_site(tmp_path / "site")


def demo_settings(folder: Path, **overrides: object) -> Path:
    """A settings file in `folder` that builds the demo content with some settings overridden."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        "import sys",
        f"sys.path.insert(0, {str(REPO)!r})",
        "from pelicanconf import *",
        f"PATH = {str(REPO / 'content')!r}",
        f"THEME = {str(REPO / 'theme')!r}",
        f"PLUGIN_PATHS = [{str(PLUGINS)!r}]",
        "CACHE_PATH = 'cache'",
        *(f"{key} = {value!r}" for key, value in overrides.items()),
    ]
    settings = folder / "settings.py"
    settings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return settings


@pytest.fixture(scope="session")
def demo_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site (content/), built once per test session into a temporary folder."""
    output = tmp_path_factory.mktemp("demo") / "output"
    run_build(REPO / "pelicanconf.py", output).check()
    return output


@pytest.fixture(scope="module")
def site_url(demo_output: Path) -> Iterator[str]:
    """The demo site served on 127.0.0.1 (for browser tests)."""
    with serve_folder(demo_output) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless Chromium (Debian's, through Playwright) for a test module."""
    with chromium() as launched:
        yield launched
