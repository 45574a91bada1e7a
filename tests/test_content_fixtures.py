"""One broken article per content rule: `make check` prints the exact message and exit code.

Each file of tests/fixtures/broken/articles/ is dropped, alone, into a copy of
the small valid site in tests/fixtures/broken/site/ and checked with the
command `make check` runs. A build over a broken tree fails with the same
messages and leaves the previous output byte-identical.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PLUGINS, REPO, FixtureSite, make_fixture_site, run_site_command

FIXTURES = Path(__file__).parent / "fixtures" / "broken"
NOW = "2025-06-01T12:00"  # the check's clock, pinned: future-date.md is then scheduled

SCHEDULED = "the first build after that time publishes it"
LINK_HINT = "; links may only go to http(s) or site pages"
URL_HINT = "; use an http(s) URL or a path on this site"

# file -> (exit code, [(line, severity, message)]): every line `make check` prints for it.
EXPECTED: dict[str, tuple[int, list[tuple[int, str, str]]]] = {
    "missing-title.md": (1, [(1, "error", "missing required field Title")]),
    "missing-date.md": (1, [(1, "error", "missing required field Date")]),
    "missing-section.md": (1, [(1, "error", "missing required field Section")]),
    "unknown-section.md": (
        1,
        [
            (
                3,
                "error",
                'unknown section "Sport"; sections: Armenia, '
                "Diaspora, Region, World, Culture, Opinion",
            )
        ],
    ),
    "missing-authors.md": (1, [(1, "error", "missing required field Authors")]),
    "unknown-author.md": (
        1,
        [
            (
                4,
                "error",
                'unknown author "Davit Sarksyan" (did you mean '
                '"Davit Sargsyan"?); authors are listed in content/authors.toml',
            )
        ],
    ),
    "missing-summary.md": (1, [(1, "error", "missing required field Summary")]),
    "long-summary.md": (
        0,
        [
            (
                6,
                "warning",
                "Summary is 335 characters; keep it under 300 (it "
                "is the standfirst and the description search engines show)",
            )
        ],
    ),
    "missing-tags.md": (1, [(1, "error", "missing required field Tags")]),
    "empty-tags.md": (1, [(5, "error", "Tags lists no tag; give at least one")]),
    "bad-date.md": (
        1,
        [
            (
                2,
                "error",
                'Date "2025-02-30 10:00" is not a date; write '
                "YYYY-MM-DD HH:MM, e.g. 2025-03-14 09:30 (site time, Asia/Yerevan)",
            )
        ],
    ),
    "modified-before-date.md": (
        1,
        [(8, "error", "Modified (2025-02-01 09:00) is before Date (2025-02-03 10:00)")],
    ),
    "future-date.md": (
        0,
        [(2, "info", f"scheduled for 2031-05-01 08:00 (Asia/Yerevan); {SCHEDULED}")],
    ),
    "duplicate-slug.md": (
        1,
        [
            (
                8,
                "error",
                'slug "budget-adopted" is also the slug of '
                "content/articles/2025/budget-adopted.md; give one of them "
                "another Slug:",
            )
        ],
    ),
    "unknown-key.md": (
        0,
        [(8, "warning", "unknown metadata key Locaton (did you mean Location?)")],
    ),
    "near-duplicate-tag.md": (
        0,
        [
            (
                5,
                "warning",
                'tag "Nagorno Karabakh" nearly duplicates the '
                'existing tag "Nagorno-Karabakh"; write "Nagorno-Karabakh" '
                "or map one to the other in NEWSDESK_TAG_ALIASES",
            )
        ],
    ),
    "near-duplicate-tag-case.md": (
        0,
        [
            (
                5,
                "warning",
                'tag "economy" nearly duplicates the '
                'existing tag "Economy"; write "Economy" or map one to '
                "the other in NEWSDESK_TAG_ALIASES",
            )
        ],
    ),
    "broken-filename-link.md": (
        1,
        [
            (
                9,
                "error",
                "{filename}/articles/2024/old-story.md links "
                "to a file that does not exist "
                "(content/articles/2024/old-story.md)",
            )
        ],
    ),
    "broken-site-link.md": (
        1,
        [
            (
                11,
                "error",
                'link to "/2025/01/border-talk-resume/": no page of the site has that address',
            )
        ],
    ),
    "missing-image.md": (
        1,
        [
            (
                8,
                "error",
                'Image "images/missing.jpg" does not exist (no file content/images/missing.jpg)',
            )
        ],
    ),
    "missing-body-image.md": (
        1,
        [
            (
                11,
                "error",
                "{static}/images/map.png links to a file that "
                "does not exist (content/images/map.png)",
            )
        ],
    ),
    "unknown-related.md": (
        1,
        [
            (
                8,
                "error",
                'Related article "budget-adopted-2024" does not '
                "exist (no article has that slug) (did you mean "
                '"budget-adopted"?)',
            )
        ],
    ),
    "not-utf8.md": (
        1,
        [(6, "error", "not valid UTF-8 (byte 0xe9 at column 13); save the file as UTF-8")],
    ),
    "empty.md": (
        1,
        [
            (
                1,
                "error",
                "empty file; an article starts with its metadata (Title: …, "
                "Date: …), then a blank line and the body",
            )
        ],
    ),
    "no-metadata.md": (
        1,
        [
            (
                1,
                "error",
                "no metadata block; the file must start with `Key: "
                "value` lines (Title: …, Date: …), then a blank line",
            )
        ],
    ),
    "unparseable-line.md": (
        1,
        [
            (
                4,
                "error",
                'cannot parse metadata line "Authors Anahit '
                'Grigoryan": write `Key: value`, indent continuation lines by 4 '
                "spaces and end the header with a blank line",
            )
        ],
    ),
    "bad-status.md": (
        1,
        [
            (
                8,
                "error",
                'Status "published!" is not one of published, draft, hidden; use one of them',
            )
        ],
    ),
    "javascript-image.md": (
        1,
        [(8, "error", f'Image: "javascript:" URLs are not allowed{URL_HINT}')],
    ),
    "data-image.md": (1, [(8, "error", f'Image: "data:" URLs are not allowed{URL_HINT}')]),
    "javascript-body-link.md": (1, [(9, "error", f'link to a "javascript:" URL{LINK_HINT}')]),
    "todo-field.md": (1, [(6, "error", "Summary is still TODO: fill it in")]),
    "duplicate-key.md": (
        1,
        [(8, "error", "duplicate metadata key Tags (already set on line 5); keep one")],
    ),
    "invalid-slug.md": (
        1,
        [
            (
                8,
                "error",
                'Slug "Invalid Slug!" is not a valid slug (lower-case '
                'letters, digits and hyphens); use "invalid-slug"',
            )
        ],
    ),
    "alias-path-traversal.md": (
        1,
        [
            (
                8,
                "error",
                'alias "/../../outside/" may hold only letters, digits and - . _ ~ % + / '
                "(percent-encode anything else) and no . or .. segment",
            )
        ],
    ),
    "alias-taken.md": (
        1,
        [
            (
                8,
                "error",
                'alias "/2025/01/budget-adopted/" is already the address of '
                "content/articles/2025/budget-adopted.md; remove it",
            )
        ],
    ),
    "alias-not-site-relative.md": (
        1,
        [(8, "error", 'alias "old-page" must be a site-relative path such as /2019/05/old-slug/')],
    ),
}


def broken_site(root: Path, *names: str) -> FixtureSite:
    """The valid fixture site with the named broken articles added to content/articles/2025/."""
    site = make_fixture_site(root)
    shutil.copytree(FIXTURES / "site" / "content", site.content, dirs_exist_ok=True)
    for name in names:
        shutil.copy(FIXTURES / "articles" / name, site.content / "articles" / "2025" / name)
    return site


def run_check(site: FixtureSite, now: str | None = NOW) -> subprocess.CompletedProcess:
    """Run the command behind `make check` in the site's folder."""
    return run_site_command(site.root, "newsdesk_content.check", *(["--now", now] if now else []))


def _counts(lines: list[tuple[int, str, str]], files: int) -> str:
    errors = sum(1 for _, severity, _ in lines if severity == "error")
    warnings = sum(1 for _, severity, _ in lines if severity == "warning")
    infos = sum(1 for _, severity, _ in lines if severity == "info")
    text = (
        f"checked {files} files: {errors} error{'s' * (errors != 1)}, "
        f"{warnings} warning{'s' * (warnings != 1)}"
    )
    return text + (f", {infos} scheduled" if infos else "")


def test_every_broken_fixture_has_an_expected_message():
    assert sorted(path.name for path in (FIXTURES / "articles").iterdir()) == sorted(EXPECTED)


def test_the_fixture_site_alone_is_valid(tmp_path):
    result = run_check(broken_site(tmp_path / "site"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "checked 3 files: 0 errors, 0 warnings\n"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_article_gives_its_exact_message_and_exit_code(tmp_path, name):
    code, lines = EXPECTED[name]
    result = run_check(broken_site(tmp_path / "site", name))
    expected = [
        f"content/articles/2025/{name}:{line}: {severity}: {message}"
        for line, severity, message in lines
    ]
    assert result.stdout.splitlines() == [*expected, _counts(lines, 4)]
    assert result.returncode == code
    assert "Traceback" not in result.stderr


def test_a_second_check_of_the_same_tree_replays_the_kept_passes_and_says_the_same(tmp_path):
    site = broken_site(tmp_path / "site", *sorted(EXPECTED))
    first = run_check(site)
    memo = site.root / "cache" / "newsdesk_content" / "check.pickle"
    kept = memo.stat().st_mtime_ns
    second = run_check(site)

    assert (second.stdout, second.returncode) == (first.stdout, first.returncode)
    assert first.stdout.count(": error: ") > 5
    assert memo.stat().st_mtime_ns == kept, "nothing changed: the memo is not written again"


def test_all_broken_articles_together_are_reported_sorted_by_path_then_line(tmp_path):
    names = sorted(EXPECTED)
    result = run_check(broken_site(tmp_path / "site", *names))
    printed = result.stdout.splitlines()[:-1]
    locations = [(line.split(":")[0], int(line.split(":")[1])) for line in printed]
    assert locations == sorted(locations)
    for name in names:
        for line, severity, message in EXPECTED[name][1]:
            if name == "unknown-related.md" or "duplicates the existing tag" in message:
                continue  # these depend on the rest of the tree, checked alone above
            assert f"content/articles/2025/{name}:{line}: {severity}: {message}" in printed
    assert result.returncode == 1
    assert "Traceback" not in result.stderr


def test_make_check_runs_the_check_and_fails_on_errors(tmp_path):
    site = broken_site(tmp_path / "site", "missing-date.md")
    result = subprocess.run(
        ["make", "--no-print-directory", "-C", str(REPO), "check", f"SETTINGS={site.settings}"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert (
        f"{site.content}/articles/2025/missing-date.md:1: error: missing required field Date"
        in result.stdout
    )


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_build_over_a_broken_tree_fails_prints_the_check_and_keeps_the_old_output(tmp_path):
    site = broken_site(tmp_path / "site")
    site.build().check()
    before = _tree(site.output)
    assert before, "the first build wrote nothing"

    for name in ("unknown-author.md", "missing-image.md", "unknown-key.md"):
        shutil.copy(FIXTURES / "articles" / name, site.content / "articles" / "2025" / name)
    result = site.build()

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    check = run_check(site, now=None)
    messages = [line for line in check.stdout.splitlines()[:-1] if ": info: " not in line]
    assert len(messages) == 3
    printed = [line for line in result.stderr.splitlines() if line.startswith("content/")]
    assert printed == messages  # the same lines as `make check`, from the same code
    assert "build failed: the content check found 2 errors (listed above)" in result.stderr
    assert _tree(site.output) == before


def test_the_demo_content_passes_the_check_without_errors_or_warnings():
    result = subprocess.run(
        [sys.executable, "-m", "newsdesk_content.check", "-s", "pelicanconf.py"],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(PLUGINS)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    problems = [line for line in result.stdout.splitlines()[:-1] if ": info: " not in line]
    assert problems == []
    assert result.returncode == 0
