"""Comments end to end with a real Isso server: post, approve, rebuild, find them in the page.

Each server runs on a free port of 127.0.0.1 with a configuration written to a
temporary folder, is polled until it answers, and is stopped by its fixture.
Comments are approved the way an editor does it: through the signed activation
link Isso prints for each new comment (notify = stdout).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import PLUGINS, FixtureSite, article_source, make_fixture_site
from nu_checker import nu_errors, requires_nu_checker

ISSO = Path(sys.executable).parent / "isso"
READY_ATTEMPTS = 400
ACTIVATE_LINK = re.compile(r"Activate comment: (\S+)")


def free_port() -> int:
    """Return a TCP port of 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def isso_config(folder: Path, port: int, *, moderated: bool, origins: list[str]) -> str:
    """Return an Isso configuration for a test server (isso.cfg's rules, for one address).

    Every test comment comes from 127.0.0.1, so the rate limits are high and a
    reply to a comment from the same address (reply-to-self) is allowed.
    """
    hosts = "\n".join(f"    {origin}" for origin in origins)
    return f"""\
[general]
dbpath = {folder / "comments.db"}
host =
{hosts}
notify = stdout
max-age = 15m
[admin]
enabled = false
[moderation]
enabled = {"true" if moderated else "false"}
[server]
listen = http://127.0.0.1:{port}
public-endpoint = http://127.0.0.1:{port}
[guard]
enabled = true
ratelimit = 1000
direct-reply = 1000
reply-to-self = true
require-author = true
require-email = true
[markup]
renderer = mistune
[markup.mistune]
plugins = strikethrough
parameters = escape, hard_wrap
"""


@dataclass
class IssoServer:
    """A running Isso server and what the tests need of it."""

    url: str
    database: Path
    log: Path

    def post(
        self,
        uri: str,
        text: str,
        author: str = "Reader",
        email: str = "reader@example.org",
        *,
        website: str | None = None,
        parent: int | None = None,
    ) -> dict:
        """Post a comment through Isso's API (`POST /new?uri=…`); return Isso's answer."""
        body = {
            "text": text,
            "author": author,
            "email": email,
            "website": website,
            "parent": parent,
            "title": "A test article",
        }
        request = urllib.request.Request(
            f"{self.url}/new?uri={urllib.parse.quote(uri)}",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status in (201, 202), response.status
            return json.load(response)

    def activate(self, comment_id: int) -> None:
        """Approve a comment by POSTing to the signed activation link Isso printed for it."""
        links = ACTIVATE_LINK.findall(self.log.read_text(encoding="utf-8"))
        link = next(link for link in links if f"/id/{comment_id}/activate/" in link)
        request = urllib.request.Request(link, data=b"", method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
            assert b"activated" in response.read()

    def public_comments(self, uri: str) -> list[dict]:
        """Return the comments the public API shows for a thread."""
        url = f"{self.url}/?uri={urllib.parse.quote(uri)}&plain=1"
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return json.load(response)["replies"]
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return []
            raise


def wait_until_ready(url: str, process: subprocess.Popen, log: Path) -> None:
    """Poll Isso's /info with quick requests until it answers (bounded; no sleeps)."""
    for _ in range(READY_ATTEMPTS):
        if process.poll() is not None:
            raise RuntimeError(f"Isso exited early:\n{log.read_text(encoding='utf-8')}")
        try:
            with urllib.request.urlopen(f"{url}/info", timeout=0.5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            # Before the next request, wait on the process itself: returns at once if it died.
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=0.05)
    raise RuntimeError(f"Isso did not answer on {url}:\n{log.read_text(encoding='utf-8')}")


@contextmanager
def running_isso(folder: Path, *, moderated: bool, origins: list[str]) -> Iterator[IssoServer]:
    """Start Isso on a free port of 127.0.0.1; stop it on exit."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    config = folder / "isso.cfg"
    config.write_text(
        isso_config(folder, port, moderated=moderated, origins=origins), encoding="utf-8"
    )
    log = folder / "isso.log"
    url = f"http://127.0.0.1:{port}"
    with log.open("w", encoding="utf-8") as log_file:
        process = subprocess.Popen(
            [str(ISSO), "-c", str(config), "run"],
            cwd=folder,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        try:
            wait_until_ready(url, process, log)
            yield IssoServer(url=url, database=folder / "comments.db", log=log)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def site_with_comments(root: Path, isso: IssoServer, **settings: object) -> FixtureSite:
    """A fixture site whose pages embed this Isso and read its database."""
    return make_fixture_site(
        root,
        COMMENTS_ISSO_URL=isso.url,
        COMMENTS_ISSO_DB=str(isso.database),
        **settings,
    )


def comments_section(site: FixtureSite, path: str) -> BeautifulSoup:
    """Parse an article page of a built site and return its comments section."""
    html = (site.output / path / "index.html").read_text(encoding="utf-8")
    section = BeautifulSoup(html, "html5lib").find("section", id="comments")
    assert section is not None, f"no comments section on {path}"
    return section


def static_comments(section) -> list:
    """The comment articles of the static list, replies included."""
    return section.select("[data-comments-static] article.comment")


@pytest.fixture(scope="module")
def moderated_isso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IssoServer]:
    """An Isso server with moderation on, as `make comments` runs it."""
    folder = tmp_path_factory.mktemp("isso-moderated")
    with running_isso(folder, moderated=True, origins=["http://127.0.0.1:8000"]) as server:
        yield server


@pytest.fixture(scope="module")
def open_isso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IssoServer]:
    """An Isso server with moderation off."""
    folder = tmp_path_factory.mktemp("isso-open")
    with running_isso(folder, moderated=False, origins=["http://127.0.0.1:8000"]) as server:
        yield server


def test_approved_comments_appear_in_the_static_page_with_their_count(
    moderated_isso: IssoServer, tmp_path: Path
) -> None:
    isso = moderated_isso
    first = isso.post("/2025/02/approved/", "First, and approved.", "Anahit")
    reply = isso.post("/2025/02/approved/", "A reply, approved.", "Tigran", parent=first["id"])
    pending = isso.post("/2025/02/approved/", "Still waiting for an editor.", "Spammy")
    single = isso.post("/2025/02/single/", "The only comment here.", "Lilit")
    for comment in (first, reply, pending, single):
        assert comment["mode"] == 2  # held for moderation
    for comment in (first, reply, single):
        isso.activate(comment["id"])
    assert len(isso.public_comments("/2025/02/approved/")) == 1  # one top-level, one reply

    site = site_with_comments(tmp_path / "site", isso)
    site.add("articles/2025/approved.md", article_source("Approved", date="2025-02-03 10:00"))
    site.add("articles/2025/single.md", article_source("Single", date="2025-02-04 10:00"))
    site.add("articles/2025/quiet.md", article_source("Quiet", date="2025-02-05 10:00"))
    site.build().check()

    section = comments_section(site, "2025/02/approved")
    assert section.select_one("[data-comments-count]").get_text(strip=True) == "2 comments"
    listed = static_comments(section)
    assert [c.select_one(".comment__author").get_text(strip=True) for c in listed] == [
        "Anahit",
        "Tigran",
    ]
    assert "First, and approved." in listed[0].select_one(".comment__text").get_text()
    assert listed[1] in section.select(".comments__list--replies article.comment")
    assert all(c.find("time", attrs={"datetime": True}) for c in listed)
    assert "Still waiting" not in section.get_text()
    assert "Spammy" not in section.get_text()

    single_section = comments_section(site, "2025/02/single")
    assert single_section.select_one("[data-comments-count]").get_text(strip=True) == "1 comment"
    assert len(static_comments(single_section)) == 1

    quiet = comments_section(site, "2025/02/quiet")
    assert quiet.select_one("[data-comments-count]").get_text(strip=True) == "No comments yet"
    assert static_comments(quiet) == []


def test_comment_with_script_payloads_is_stored_but_renders_as_inert_text(
    open_isso: IssoServer, tmp_path: Path
) -> None:
    isso = open_isso
    payload = (
        "<script>alert('xss')</script> <img src=x onerror=alert(1)>"
        ' [click me](javascript:alert(1)) <a href="javascript:alert(2)">two</a>'
    )
    stored = isso.post(
        "/2025/03/payload/",
        payload,
        author='<b onmouseover="alert(3)">Eve</b>',
        website="https://eve.example/?a=1&b=2",
    )
    with sqlite3.connect(isso.database) as connection:
        (text,) = connection.execute(
            "SELECT text FROM comments WHERE id = ?", (stored["id"],)
        ).fetchone()
    assert text == payload  # Isso keeps what was typed

    site = site_with_comments(tmp_path / "site", isso)
    site.add("articles/2025/payload.md", article_source("Payload", date="2025-03-01 10:00"))
    site.build().check()

    section = comments_section(site, "2025/03/payload")
    (comment,) = static_comments(section)
    assert comment.find("script") is None
    assert comment.find("img") is None
    for element in comment.find_all(True):
        assert not [name for name in element.attrs if name.lower().startswith("on")]
        for value in element.attrs.values():
            values = value if isinstance(value, list) else [value]
            assert not any("javascript:" in v.lower().replace(" ", "") for v in values)
    text = comment.select_one(".comment__text").get_text()
    assert "<script>alert('xss')</script>" in text
    assert "onerror=alert(1)" in text
    author = comment.select_one(".comment__author-link")
    assert author.get_text() == '<b onmouseover="alert(3)">Eve</b>'
    assert author["href"] == "https://eve.example/?a=1&b=2"
    assert author["rel"] == ["nofollow", "ugc", "noopener"]
    for link in comment.select(".comment__text a"):
        assert link["rel"] == ["nofollow", "ugc", "noopener"]
    # The page's only scripts are the theme's and Isso's client.
    sources = sorted(script.get("src", "") for script in section.find_all("script"))
    assert sources == sorted([f"{isso.url}/js/embed.min.js", "/theme/js/comments.js"])


def test_comments_follow_an_article_to_its_new_url(open_isso: IssoServer, tmp_path: Path) -> None:
    isso = open_isso
    isso.post("/2024/09/old-name/", "Posted when the story had its old URL.", "Aram")
    site = site_with_comments(tmp_path / "site", isso)
    site.add(
        "articles/2024/renamed.md",
        article_source(
            "Renamed story", date="2024-09-10 10:00", slug="new-name", aliases="/2024/09/old-name/"
        ),
    )
    site.build().check()
    first_build = (site.output / "2024/09/new-name/index.html").read_bytes()

    section = comments_section(site, "2024/09/new-name")
    assert section.select_one("#isso-thread")["data-isso-id"] == "/2024/09/old-name/"
    assert section.select_one("[data-comments-count]").get_text(strip=True) == "1 comment"
    assert "Posted when the story had its old URL." in section.get_text()

    site.build().check()
    assert (site.output / "2024/09/new-name/index.html").read_bytes() == first_build


def test_backup_copies_the_live_database(open_isso: IssoServer, tmp_path: Path) -> None:
    isso = open_isso
    isso.post("/2025/04/backup/", "Worth keeping.", "Nare")
    result = subprocess.run(
        [sys.executable, "-m", "newsdesk_comments.backup", str(isso.database), "-o", str(tmp_path)],
        env={**os.environ, "PYTHONPATH": str(PLUGINS)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    (copy,) = tmp_path.glob("comments-*.db")
    assert re.fullmatch(r"comments-\d{8}T\d{6}Z\.db", copy.name)
    query = "SELECT id, text FROM comments ORDER BY id"
    with sqlite3.connect(isso.database) as live, sqlite3.connect(copy) as backup:
        assert backup.execute(query).fetchall() == live.execute(query).fetchall()
    assert f"to {copy}" in result.stdout


def test_a_missing_database_fails_the_build_with_a_named_error(tmp_path: Path) -> None:
    site = make_fixture_site(tmp_path / "site", COMMENTS_ISSO_DB=str(tmp_path / "absent.db"))
    site.add("articles/2025/a.md", article_source("A"))
    result = site.build()
    assert result.returncode != 0
    assert "COMMENTS_ISSO_DB" in result.stderr
    assert "absent.db" in result.stderr


@requires_nu_checker
def test_page_with_static_comments_passes_the_nu_html_checker(
    open_isso: IssoServer, tmp_path: Path
) -> None:
    isso = open_isso
    first = isso.post("/2025/07/valid/", "Valid *markup*, a [link](https://example.org).", "Ani")
    isso.post("/2025/07/valid/", "> quoted\n\n<b>typed tags</b>", "Aram", parent=first["id"])
    site = site_with_comments(tmp_path / "site", isso, NEWSLETTER_ACTION="https://n.example/")
    site.add("articles/2025/valid.md", article_source("Valid", date="2025-07-01 10:00"))
    site.build().check()
    page = site.output / "2025/07/valid/index.html"
    assert len(static_comments(comments_section(site, "2025/07/valid"))) == 2
    errors = nu_errors([page])
    assert errors == []
