"""Build properties of the whole site: determinism, atomicity, scheduling, pagination."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import PLUGINS, REPO, FixtureSite, article_source, make_fixture_site, run_build


def tree_digest(root: Path) -> dict[str, str]:
    """Map every file below root (relative path) to the SHA-256 of its bytes."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def parse(path: Path) -> BeautifulSoup:
    """Parse an output page with an HTML5 parser."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")


def listing_links(page: Path) -> list[str]:
    """The article links of a listing page's main region, in page order."""
    main = parse(page).find("main")
    return [a["href"] for a in main.select("article a[href]") if "/20" in a["href"]]


def small_site(root: Path, articles: int = 6, **settings: object) -> FixtureSite:
    """A fixture site with a few valid articles spread over two sections."""
    site = make_fixture_site(root, **settings)
    for number in range(articles):
        site.add(
            f"articles/2025/story-{number}.md",
            article_source(
                f"Story number {number}",
                date=f"2025-03-{number + 1:02d} 10:00",
                section="Armenia" if number % 2 else "Region",
                tags="Armenia, Transport",
            ),
        )
    return site


FAIL_HALFWAY_PLUGIN = '''
"""Test plugin: fail the build after a few pages were written."""
from pelican import signals

written = []

def count(path, context):
    written.append(path)
    if len(written) == 3:
        raise RuntimeError("forced failure halfway through writing")

def register():
    signals.content_written.connect(count)
'''

PAUSE_HALFWAY_PLUGIN = '''
"""Test plugin: after a few pages, announce "halfway" and wait for the test."""
import os
import sys
from pelican import signals

written = []

def pause(path, context):
    written.append(path)
    if len(written) == 3:
        sys.stdout.write("halfway\\n")
        sys.stdout.flush()
        sys.stdin.readline()  # blocks until the test has sent its signal

def register():
    signals.content_written.connect(pause)
'''


def default_interrupt_handling() -> None:
    """In the child before exec: SIGINT and SIGTERM at their default, as a terminal has them."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def wait_until_halfway(build: subprocess.Popen) -> None:
    """Read the build's output until the pause plugin says it is halfway."""
    for line in build.stdout:
        if line.strip() == "halfway":
            return
    raise AssertionError("the build ended before it was halfway")


def add_test_plugin(site: FixtureSite, name: str, source: str) -> None:
    """Install a one-file plugin next to the site and enable it in its settings."""
    plugins = site.root / "test_plugins"
    plugins.mkdir(exist_ok=True)
    (plugins / f"{name}.py").write_text(source, encoding="utf-8")
    with site.settings.open("a", encoding="utf-8") as settings:
        settings.write(f"PLUGIN_PATHS = PLUGIN_PATHS + [{str(plugins)!r}]\n")
        settings.write(f"PLUGINS = PLUGINS + [{name!r}]\n")


def test_two_builds_of_the_demo_are_byte_identical(tmp_path: Path, demo_output: Path) -> None:
    # The second build is cold (--full: no cached body or page), so the cache is tested too.
    second = run_build(REPO / "pelicanconf.py", tmp_path / "again", "--full").check()
    first_tree, second_tree = tree_digest(demo_output), tree_digest(second.output)
    assert len(first_tree) > 50
    assert first_tree == second_tree


def test_build_failing_halfway_leaves_previous_output_byte_identical(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site")
    site.build().check()
    before = tree_digest(site.output)
    site.add("articles/2025/late-addition.md", article_source("A late addition"))
    add_test_plugin(site, "fail_halfway", FAIL_HALFWAY_PLUGIN)

    result = site.build()

    assert result.returncode == 1
    assert "forced failure halfway" in result.stderr
    assert tree_digest(site.output) == before
    assert not list(site.root.glob(".output-*")), "the failed build's staging folder remains"


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "kill"])
def test_interrupted_build_leaves_previous_output_byte_identical(
    tmp_path: Path, stop_signal: signal.Signals
) -> None:
    site = small_site(tmp_path / "site")
    site.build().check()
    before = tree_digest(site.output)
    site.add("articles/2025/late-addition.md", article_source("A late addition"))
    add_test_plugin(site, "pause_halfway", PAUSE_HALFWAY_PLUGIN)
    build = subprocess.Popen(
        [sys.executable, "-m", "newsdesk_build", "-s", str(site.settings), "-o", str(site.output)],
        cwd=site.root,
        env={**os.environ, "PYTHONPATH": str(PLUGINS)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # As in a terminal: a shell's background job (CI may be one) inherits SIGINT
        # ignored, and Python then never turns Ctrl-C into KeyboardInterrupt.
        preexec_fn=default_interrupt_handling,
    )
    try:
        wait_until_halfway(build)
        staging = list(site.root.glob(".output-staging-*"))
        assert staging and any(staging[0].rglob("*.html")), "the build had started writing"
        build.send_signal(stop_signal)
        build.stdin.write("\n")
        build.stdin.flush()
        build.wait(timeout=60)
    finally:
        if build.poll() is None:
            build.kill()
        build.stdout.close()
        build.stderr.close()
        build.stdin.close()

    assert build.returncode != 0
    assert tree_digest(site.output) == before
    assert not list(site.root.glob(".output-*"))


def test_a_spare_that_is_not_a_folder_is_replaced_and_the_build_succeeds(
    tmp_path: Path,
) -> None:
    site = small_site(tmp_path / "site")
    site.build().check()
    spare = site.root / ".output-spare-output"
    spare.write_text("not a folder", encoding="utf-8")

    site.build().check()  # the retired output becomes the spare
    assert spare.is_dir()
    shutil.rmtree(spare)
    spare.symlink_to(site.output)
    site.build().check()  # a link is never taken for the spare, nor followed

    assert spare.is_dir() and not spare.is_symlink()
    assert any(site.output.rglob("*.html"))


def test_killed_build_leaves_output_and_next_build_cleans_up(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site")
    site.build().check()
    before = tree_digest(site.output)
    add_test_plugin(site, "pause_halfway", PAUSE_HALFWAY_PLUGIN)
    build = subprocess.Popen(
        [sys.executable, "-m", "newsdesk_build", "-s", str(site.settings), "-o", str(site.output)],
        cwd=site.root,
        env={**os.environ, "PYTHONPATH": str(PLUGINS)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    wait_until_halfway(build)
    build.kill()
    build.wait(timeout=60)
    build.stdout.close()
    build.stdin.close()
    assert tree_digest(site.output) == before
    assert list(site.root.glob(".output-staging-*")), "SIGKILL cannot clean up"

    site.settings.write_text(
        site.settings.read_text(encoding="utf-8").replace(
            "PLUGINS = PLUGINS + ['pause_halfway']", ""
        ),
        encoding="utf-8",
    )
    site.build().check()
    # Only the retired output, kept as the next build's spare, is left beside it.
    assert [path.name for path in site.root.glob(".output-*")] == [".output-spare-output"]


def test_draft_and_future_articles_appear_nowhere_in_the_demo(demo_output: Path) -> None:
    drafts = {"Quillbrook": "budget-draft-notes", "Marblethorn": "biennale-preview"}
    files = [path for path in demo_output.rglob("*") if path.is_file()]
    assert files
    for path in files:
        if path.suffix in {".jpg", ".png", ".webp", ".ico", ".woff2"}:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for word, slug in drafts.items():
            assert word not in text, f"{word} leaked into {path}"
            assert slug not in text, f"{slug} leaked into {path}"
        assert "biennale-preview" not in path.as_posix()
        assert "budget-draft-notes" not in path.as_posix()


def test_draft_and_future_articles_stay_out_of_every_listing(tmp_path: Path) -> None:
    site = small_site(
        tmp_path / "site",
        FEED_ALL_ATOM="feeds/all.atom.xml",
        CATEGORY_FEED_ATOM="feeds/section/{slug}.atom.xml",
        TAG_FEED_ATOM="feeds/tag/{slug}.atom.xml",
    )
    site.add(
        "articles/2025/unfinished.md",
        article_source(
            "Unfinished draft Wobblequartz", tags="Armenia, Secretdrafttag", status="draft"
        ),
    )
    site.add(
        "articles/2099/far-future.md",
        article_source(
            "Far future Plinkerton", date="2099-01-01 10:00", tags="Armenia, Secretfuturetag"
        ),
    )
    site.build().check()
    for path in site.output.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".txt", ".json"}:
            text = path.read_text(encoding="utf-8")
            for marker in (
                "Wobblequartz",
                "Plinkerton",
                "Secretdrafttag",
                "Secretfuturetag",
                "unfinished",
                "far-future",
            ):
                assert marker.lower() not in text.lower(), f"{marker} in {path}"
    assert not (site.output / "tag" / "secretdrafttag").exists()
    assert not (site.output / "tag" / "secretfuturetag").exists()


PELICAN_DEFAULT_PAGINATION = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}{number}{extension}", "{base_name}{number}{extension}"),
)
# Pelican's own tag layout, where its default pagination makes page 2 of `yast` the
# file of tag `yast2`.
FLAT_TAGS = {"TAG_URL": "tag/{slug}.html", "TAG_SAVE_AS": "tag/{slug}.html"}


def yast_site(root: Path, **settings: object) -> FixtureSite:
    """Tags `yast` and `yast2`, five articles each, two per listing page: three pages each."""
    site = make_fixture_site(
        root,
        DEFAULT_PAGINATION=2,
        PAGINATED_TEMPLATES={"index": 2, "tag": None, "category": None, "author": None},
        **settings,
    )
    for number in range(5):
        site.add(
            f"articles/2025/yast-{number}.md",
            article_source(
                f"Yast story {number}", date=f"2025-04-{number + 1:02d} 09:00", tags="yast"
            ),
        )
        site.add(
            f"articles/2025/yast2-{number}.md",
            article_source(
                f"Yast2 story {number}", date=f"2025-05-{number + 1:02d} 09:00", tags="yast2"
            ),
        )
    return site


def test_the_yast_site_collides_under_pelicans_default_pagination(tmp_path: Path) -> None:
    site = yast_site(tmp_path / "site", PAGINATION_PATTERNS=PELICAN_DEFAULT_PAGINATION, **FLAT_TAGS)
    result = site.build()
    assert result.returncode == 1
    assert not site.output.exists()


@pytest.mark.parametrize(
    ("settings", "first_page"),
    [({}, "tag/{slug}/index.html"), (FLAT_TAGS, "tag/{slug}.html")],
    ids=["site-urls", "pelican-flat-urls"],
)
def test_paginated_tags_yast_and_yast2_do_not_collide(
    tmp_path: Path, settings: dict[str, str], first_page: str
) -> None:
    site = yast_site(tmp_path / "site", **settings)
    site.build().check()

    for slug in ("yast", "yast2"):
        pages = [site.output / first_page.format(slug=slug)] + [
            site.output / f"tag/{slug}/page/{n}/index.html" for n in (2, 3)
        ]
        links = [link for page in pages for link in listing_links(page)]
        assert len(links) == len(set(links)) == 5, (slug, links)
        assert all(f"/{slug}-story-" in link for link in links), (slug, links)
    assert (site.output / "page/2/index.html").exists()


def test_preview_server_answers_a_missing_page_with_the_site_404_page(tmp_path: Path) -> None:
    import urllib.error
    import urllib.request

    from newsdesk_build.serve import serve_forever

    (tmp_path / "index.html").write_text("<h1>Front</h1>", encoding="utf-8")
    (tmp_path / "404.html").write_text("<h1>Page not found</h1>", encoding="utf-8")
    server = serve_forever(tmp_path, "127.0.0.1", 0)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with urllib.request.urlopen(f"{base}/") as response:
            assert response.status == 200 and b"Front" in response.read()
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"{base}/2025/01/no-such-story/")
        assert missing.value.code == 404
        assert missing.value.read() == b"<h1>Page not found</h1>"
        assert missing.value.headers["Content-Type"] == "text/html; charset=utf-8"
    finally:
        server.shutdown()
        server.server_close()
