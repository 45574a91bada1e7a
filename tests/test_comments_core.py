"""The comments plugin's pure parts: sanitising, thread keys, counts, settings, reader, backup."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from newsdesk_comments.backup import BackupError, backup_database, backup_name
from newsdesk_comments.client import IssoClient
from newsdesk_comments.isso_db import CommentsDatabaseError, IssoComment, read_accepted_comments
from newsdesk_comments.newsletter import signup_form
from newsdesk_comments.sanitise import LINK_REL, author_name, comment_html, website_url
from newsdesk_comments.settings import (
    CommentsSettings,
    CommentsSettingsError,
    NewsletterSettings,
    NewsletterSettingsError,
)
from newsdesk_comments.threads import (
    build_thread,
    candidate_keys,
    count_label,
    normalise_path,
    parse_aliases,
)

YEREVAN = ZoneInfo("Asia/Yerevan")

# Isso 0.14's tables, as far as the reader uses them.
ISSO_SCHEMA = """
CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR(256) UNIQUE, title VARCHAR(256));
CREATE TABLE comments (
    tid REFERENCES threads(id), id INTEGER PRIMARY KEY, parent INTEGER,
    created FLOAT NOT NULL, modified FLOAT, mode INTEGER, remote_addr VARCHAR,
    text VARCHAR NOT NULL, author VARCHAR, email VARCHAR, website VARCHAR,
    likes INTEGER DEFAULT 0, dislikes INTEGER DEFAULT 0, voters BLOB NOT NULL,
    notification INTEGER DEFAULT 0);
"""


def comment(
    id: int, created: float = 1_700_000_000.0, parent: int | None = None, uri: str = "/a/"
) -> IssoComment:
    """A stored comment with plain fields."""
    return IssoComment(
        id=id,
        thread_uri=uri,
        parent=parent,
        created=created,
        author=f"Reader {id}",
        website=None,
        text=f"Comment number {id}.",
    )


def make_database(path: Path, rows: list[tuple]) -> Path:
    """Write an Isso-shaped database with (uri, id, parent, created, mode, text) rows."""
    connection = sqlite3.connect(path)
    connection.executescript(ISSO_SCHEMA)
    uris = sorted({row[0] for row in rows})
    for number, uri in enumerate(uris, start=1):
        connection.execute("INSERT INTO threads VALUES (?, ?, ?)", (number, uri, uri))
    for uri, comment_id, parent, created, mode, text in rows:
        connection.execute(
            "INSERT INTO comments (tid, id, parent, created, mode, remote_addr, text, author,"
            " email, website, voters) VALUES (?, ?, ?, ?, ?, '127.0.0.1', ?, 'A', 'a@x.org',"
            " NULL, x'')",
            (uris.index(uri) + 1, comment_id, parent, created, mode, text),
        )
    connection.commit()
    connection.close()
    return path


class TestCountLabel:
    def test_no_comments(self) -> None:
        assert count_label(0) == "No comments yet"

    def test_one_comment(self) -> None:
        assert count_label(1) == "1 comment"

    def test_several_comments(self) -> None:
        assert count_label(2) == "2 comments"
        assert count_label(1234) == "1,234 comments"


class TestThreadKeys:
    def test_article_without_aliases_is_keyed_by_its_url(self) -> None:
        assert candidate_keys("2025/01/budget/", ()) == ("/2025/01/budget/",)

    def test_first_alias_is_the_preferred_key_and_every_address_is_looked_up(self) -> None:
        aliases = parse_aliases("/2024/12/draft-budget/, 2025/01/old-budget/")
        assert candidate_keys("2025/01/budget/", aliases) == (
            "/2024/12/draft-budget/",
            "/2025/01/old-budget/",
            "/2025/01/budget/",
        )

    def test_aliases_split_on_commas_and_whitespace_without_repeats(self) -> None:
        assert parse_aliases("/a/ /b/,/a/\n/c/") == ("/a/", "/b/", "/c/")
        assert parse_aliases(["/a/", "/b/"]) == ("/a/", "/b/")
        assert parse_aliases(None) == ()

    def test_absolute_urls_become_paths(self) -> None:
        assert normalise_path("https://ararat-ledger.example/2020/01/x/#c") == "/2020/01/x/"
        assert normalise_path("old/page.html") == "/old/page.html"

    def test_existing_thread_under_another_address_is_kept(self) -> None:
        keys = ("/first/", "/2025/01/current/")
        accepted = {"/2025/01/current/": (comment(1, uri="/2025/01/current/"),)}
        thread = build_thread("T", keys, accepted, YEREVAN)
        assert thread.isso_id == "/2025/01/current/"
        assert thread.stray_threads == ()
        assert thread.count == 1

    def test_comments_spread_over_two_threads_are_all_shown_and_reported(self) -> None:
        keys = ("/old/", "/new/")
        accepted = {
            "/old/": (comment(1, created=100.0, uri="/old/"),),
            "/new/": (comment(2, created=50.0, uri="/new/"),),
        }
        thread = build_thread("T", keys, accepted, YEREVAN)
        assert thread.isso_id == "/old/"
        assert thread.stray_threads == ("/new/",)
        assert [c.id for c in thread.comments] == [2, 1]

    def test_without_a_database_nothing_is_known(self) -> None:
        thread = build_thread("T", ("/a/",), None, YEREVAN)
        assert thread.comments is None
        assert thread.count is None
        assert thread.count_label is None


class TestArrangement:
    def test_oldest_first_ties_by_id_replies_under_their_comment(self) -> None:
        accepted = {
            "/a/": (
                comment(3, created=10.0),
                comment(1, created=10.0),
                comment(2, created=5.0),
                comment(4, created=1.0, parent=1),
                comment(5, created=2.0, parent=99),  # parent not approved: stands alone
            )
        }
        thread = build_thread("T", ("/a/",), accepted, YEREVAN)
        assert [c.id for c in thread.comments] == [5, 2, 1, 3]
        assert [r.id for r in thread.comments[2].replies] == [4]
        assert thread.count == 5
        assert thread.count_label == "5 comments"

    def test_dates_are_in_the_site_time_zone(self) -> None:
        created = datetime(2025, 3, 4, 8, 5, tzinfo=UTC).timestamp() + 0.917  # Isso's precision
        thread = build_thread("T", ("/a/",), {"/a/": (comment(1, created=created),)}, YEREVAN)
        only = thread.comments[0]
        assert only.published.isoformat() == "2025-03-04T12:05:00+04:00"
        assert only.date_text == "March 4, 2025 at 12:05"
        assert only.anchor == "comment-1"


class TestSanitising:
    def parse(self, html: str) -> BeautifulSoup:
        return BeautifulSoup(html, "html5lib")

    def test_allowed_markup_is_kept(self) -> None:
        html = comment_html("> quoted\n\n*em* **strong** `code`\nnext line")
        soup = self.parse(html)
        assert soup.find("blockquote") is not None
        assert soup.find("em").text == "em"
        assert soup.find("strong").text == "strong"
        assert soup.find("code").text == "code"
        assert soup.find("br") is not None

    def test_typed_tags_stay_visible_text(self) -> None:
        html = comment_html('<script>alert("x")</script> <img src=x onerror=alert(1)>')
        soup = self.parse(html)
        assert soup.find("script") is None
        assert soup.find("img") is None
        assert '<script>alert("x")</script>' in soup.get_text()
        assert "onerror=alert(1)" in soup.get_text()

    def test_links_get_rel_and_lose_unsafe_urls(self) -> None:
        html = comment_html(
            "[ok](https://example.org/a?b=1&c=2) [js](JavaScript:alert(1)) [data](data:text/html,x)"
            " [rel](/relative/) [mail](mailto:ed@example.org)"
        )
        links = self.parse(html).find_all("a")
        assert [link.get("href") for link in links] == [
            "https://example.org/a?b=1&c=2",
            None,
            None,
            None,
            "mailto:ed@example.org",
        ]
        assert all(link["rel"] == LINK_REL.split() for link in links)

    def test_no_attribute_other_than_href_and_rel_survives(self) -> None:
        html = comment_html('[x](https://example.org "title") <a href="#" onclick="x()">y</a>')
        for element in self.parse(html).body.find_all(True):
            assert set(element.attrs) <= {"href", "rel"}

    def test_disallowed_elements_are_dropped_but_their_text_kept(self) -> None:
        soup = self.parse(comment_html("# Heading\n\n- item"))
        assert soup.find(["h1", "ul", "li"]) is None
        assert "Heading" in soup.get_text()
        assert "item" in soup.get_text()

    def test_author_names_are_unescaped_plain_text(self) -> None:
        assert author_name("Ani &lt;b&gt;") == "Ani <b>"
        assert author_name(None) == "Anonymous"
        assert author_name("   ") == "Anonymous"
        assert author_name("x" * 200).endswith("\N{HORIZONTAL ELLIPSIS}")

    def test_only_http_websites_are_kept(self) -> None:
        assert website_url("https://example.org/?a=1&amp;b=2") == "https://example.org/?a=1&b=2"
        assert website_url("http://example.org") == "http://example.org"
        assert website_url("javascript:alert(1)") is None
        assert website_url("ftp://example.org") is None
        assert website_url("https://exa mple.org") is None
        assert website_url(None) is None


class TestSettings:
    def test_defaults_switch_everything_off(self) -> None:
        comments = CommentsSettings.from_pelican({})
        assert not comments.enabled
        assert signup_form(NewsletterSettings.from_pelican({})) is None

    def test_isso_url_loses_its_trailing_slash(self) -> None:
        settings = CommentsSettings.from_pelican({"COMMENTS_ISSO_URL": "https://c.example/isso/"})
        client = IssoClient(settings.isso_url)
        assert client.script_url == "https://c.example/isso/js/embed.min.js"
        assert client.endpoint == "https://c.example/isso/"

    @pytest.mark.parametrize("url", ["c.example", "javascript:alert(1)", "ftp://c.example", 3])
    def test_bad_isso_url_is_a_named_error(self, url: object) -> None:
        with pytest.raises(CommentsSettingsError, match="COMMENTS_ISSO_URL"):
            CommentsSettings.from_pelican({"COMMENTS_ISSO_URL": url})

    def test_missing_database_is_a_named_error(self, tmp_path: Path) -> None:
        with pytest.raises(CommentsSettingsError, match="not a file"):
            CommentsSettings.from_pelican({"COMMENTS_ISSO_DB": str(tmp_path / "none.db")})

    @pytest.mark.parametrize("url", ["/subscribe", "mailto:x@example.org", "https://"])
    def test_bad_newsletter_action_is_a_named_error(self, url: str) -> None:
        with pytest.raises(NewsletterSettingsError, match="NEWSLETTER_ACTION"):
            NewsletterSettings.from_pelican({"NEWSLETTER_ACTION": url})

    def test_field_names_must_differ(self) -> None:
        with pytest.raises(NewsletterSettingsError, match="different fields"):
            NewsletterSettings.from_pelican(
                {"NEWSLETTER_ACTION": "https://n.example/", "NEWSLETTER_HONEYPOT_FIELD": "email"}
            )

    def test_hidden_fields_must_be_text(self) -> None:
        with pytest.raises(NewsletterSettingsError, match="NEWSLETTER_HIDDEN_FIELDS"):
            NewsletterSettings.from_pelican({"NEWSLETTER_HIDDEN_FIELDS": {"list": 3}})

    def test_settings_are_not_changed(self) -> None:
        settings = {
            "NEWSLETTER_ACTION": "https://n.example/",
            "NEWSLETTER_HIDDEN_FIELDS": {"b": "2"},
        }
        before = repr(settings)
        form = signup_form(NewsletterSettings.from_pelican(settings))
        assert repr(settings) == before
        assert form.hidden_fields == (("b", "2"),)
        assert form.method == "post"

    def test_client_attributes_are_sorted_and_ask_for_name_and_email(self) -> None:
        attributes = IssoClient("https://c.example").attributes
        assert list(attributes) == sorted(attributes)
        as_dict = dict(attributes)
        assert as_dict["data-isso-require-author"] == "true"
        assert as_dict["data-isso-require-email"] == "true"
        assert as_dict["data-isso-css"] == "false"


class TestReader:
    def test_only_accepted_comments_are_read_by_thread(self, tmp_path: Path) -> None:
        database = make_database(
            tmp_path / "c.db",
            [
                ("/b/", 1, None, 3.0, 1, "accepted"),
                ("/b/", 2, None, 2.0, 2, "pending"),
                ("/a/", 3, None, 1.0, 1, "accepted too"),
                ("/a/", 4, None, 1.5, 4, "deleted"),
            ],
        )
        by_thread = read_accepted_comments(database)
        assert list(by_thread) == ["/a/", "/b/"]
        assert [c.id for c in by_thread["/a/"]] == [3]
        assert [c.text for c in by_thread["/b/"]] == ["accepted"]

    def test_reading_never_writes(self, tmp_path: Path) -> None:
        database = make_database(tmp_path / "c.db", [("/a/", 1, None, 1.0, 1, "x")])
        before = database.read_bytes()
        read_accepted_comments(database)
        assert database.read_bytes() == before
        assert sorted(path.name for path in tmp_path.iterdir()) == ["c.db"]

    def test_a_file_that_is_not_isso_s_is_a_named_error(self, tmp_path: Path) -> None:
        other = tmp_path / "other.db"
        sqlite3.connect(other).close()
        with pytest.raises(CommentsDatabaseError, match="not an Isso database"):
            read_accepted_comments(other)


class TestBackup:
    def test_backup_is_a_complete_copy_named_by_utc_time(self, tmp_path: Path) -> None:
        database = make_database(tmp_path / "c.db", [("/a/", 1, None, 1.0, 1, "x")])
        now = datetime(2025, 6, 1, 12, 30, 5, tzinfo=UTC)
        copy = backup_database(database, tmp_path / "backups", now)
        assert copy.name == "comments-20250601T123005Z.db" == backup_name(now)
        assert read_accepted_comments(copy) == read_accepted_comments(database)

    def test_backup_never_overwrites(self, tmp_path: Path) -> None:
        database = make_database(tmp_path / "c.db", [("/a/", 1, None, 1.0, 1, "x")])
        now = datetime(2025, 6, 1, tzinfo=UTC)
        backup_database(database, tmp_path / "b", now)
        with pytest.raises(BackupError, match="exists already"):
            backup_database(database, tmp_path / "b", now)

    def test_missing_database_is_reported(self, tmp_path: Path) -> None:
        with pytest.raises(BackupError, match="no such database"):
            backup_database(tmp_path / "none.db", tmp_path / "b", datetime.now(UTC))
