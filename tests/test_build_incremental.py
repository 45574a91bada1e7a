"""Incremental builds: after each kind of change, the output is byte-identical to a cold build's."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import (
    REPO,
    FixtureSite,
    article_source,
    demo_settings,
    make_fixture_site,
    run_build,
)
from newsdesk_build.engine import FastArticlesGenerator, article_pages_order
from test_build import tree_digest

SUMMARY_RE = re.compile(
    r"Built (?P<articles>[\d,]+) articles? and (?P<pages>[\d,]+) pages?: "
    r"(?P<written>[\d,]+) files? written, (?P<unchanged>[\d,]+) unchanged, "
    r"(?P<skipped>[\d,]+) skipped"
)


def counts_in(pattern: re.Pattern[str], stdout: str) -> dict[str, int]:
    """The numbers a line of the build's output gives, by the pattern's group names."""
    match = pattern.search(stdout)
    assert match, f"no line like {pattern.pattern!r} in {stdout!r}"
    return {key: int(value.replace(",", "")) for key, value in match.groupdict().items()}


def summary(stdout: str) -> dict[str, int]:
    """The counts of the build's closing line."""
    return counts_in(SUMMARY_RE, stdout)


def incremental_site(root: Path, workers: int = 1) -> FixtureSite:
    """A site with its own copy of the theme (so a test may edit a template) and ten articles.

    `workers` is NEWSDESK_BUILD_WORKERS: with 2, every batch of pages is written by
    two processes (one forked), however small.
    """
    theme = root / "theme"
    shutil.copytree(REPO / "theme", theme)
    site = make_fixture_site(
        root / "site", THEME=str(theme), DEFAULT_PAGINATION=3, NEWSDESK_BUILD_WORKERS=workers
    )
    for number in range(10):
        site.add(
            f"articles/2025/story-{number}.md",
            article_source(
                f"Story number {number}",
                date=f"2025-03-{number + 1:02d} 10:00",
                section=("Armenia", "Region", "World")[number % 3],
                tags=("Armenia, Transport", "Armenia, Energy", "Culture")[number % 3],
                summary=f"Standfirst of story {number}.",
                body=f'Paragraph one of story {number}.\n\nParagraph two, "quoted" -- yes.',
            ),
        )
    site.add("pages/about.md", "Title: About\n\nAbout the newsroom.\n")
    return site


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_body(site: FixtureSite) -> None:
    _replace(site.content / "articles/2025/story-4.md", "Paragraph two", "A new second paragraph")


def edit_title(site: FixtureSite) -> None:
    _replace(site.content / "articles/2025/story-4.md", "Title: Story number 4", "Title: Renamed")


def edit_tags(site: FixtureSite) -> None:
    _replace(site.content / "articles/2025/story-4.md", "Tags: Armenia, Energy", "Tags: Transport")


def add_article(site: FixtureSite) -> None:
    site.add(
        "articles/2025/late-addition.md",
        article_source("A late addition", date="2025-03-20 09:00", tags="Armenia, Energy"),
    )


def delete_article(site: FixtureSite) -> None:
    (site.content / "articles/2025/story-2.md").unlink()


def change_template(site: FixtureSite) -> None:
    template = site.root.parent / "theme/templates/partials/tags.html"
    _replace(template, "Topics", "Subjects")


def change_setting(site: FixtureSite) -> None:
    with site.settings.open("a", encoding="utf-8") as settings:
        settings.write('SITE_TAGLINE = "A different tagline"\n')


CHANGES: dict[str, Callable[[FixtureSite], None]] = {
    "article-body": edit_body,
    "article-title": edit_title,
    "article-tags": edit_tags,
    "new-article": add_article,
    "deleted-article": delete_article,
    "changed-template": change_template,
    "changed-setting": change_setting,
}


@pytest.mark.parametrize("workers", [1, 2], ids=["serial", "parallel"])
@pytest.mark.parametrize("change", list(CHANGES.values()), ids=list(CHANGES))
def test_incremental_rebuild_is_byte_identical_to_a_cold_build(
    tmp_path: Path, change: Callable[[FixtureSite], None], workers: int
) -> None:
    site = incremental_site(tmp_path, workers)
    site.build().check()
    before = tree_digest(site.output)

    change(site)
    incremental = site.build().check()
    cold = run_build(site.settings, tmp_path / "cold", "--full").check()

    assert tree_digest(site.output) == tree_digest(cold.output)
    assert tree_digest(site.output) != before, "the change changed nothing"
    assert summary(cold.stdout)["skipped"] == 0
    assert summary(incremental.stdout)["written"] > 0


def test_builds_that_start_from_the_output_before_last_are_byte_identical_to_cold_ones(
    tmp_path: Path,
) -> None:
    site = incremental_site(tmp_path)
    site.build().check()
    spare = site.root / ".output-spare-output"
    for number, change in enumerate((edit_body, delete_article, edit_title, add_article)):
        change(site)
        if spare.is_dir():
            # What the spare holds beyond the pages is never kept.
            (spare / "stray.html").write_text("stray", encoding="utf-8")
            (spare / "empty" / "folder").mkdir(parents=True)
            (spare / "link.html").symlink_to(site.output / "index.html")
        site.build().check()
        cold = run_build(site.settings, tmp_path / f"cold-{number}", "--full").check()

        assert tree_digest(site.output) == tree_digest(cold.output), change.__name__
        assert not list(site.output.glob("empty")), change.__name__
        assert not (site.output / "link.html").exists()
        assert spare.is_dir()


def test_unchanged_rebuild_renders_nothing_and_writes_nothing(tmp_path: Path) -> None:
    site = incremental_site(tmp_path)
    first = summary(site.build().check().stdout)
    before = tree_digest(site.output)

    second = summary(site.build().check().stdout)

    assert tree_digest(site.output) == before
    assert first["skipped"] == 0 and first["written"] > 0
    assert second["written"] == 0
    assert second["skipped"] > 0
    assert second["articles"] == 10 and second["pages"] == 1


def test_editing_one_body_renders_only_the_pages_that_show_it(tmp_path: Path) -> None:
    site = incremental_site(tmp_path)
    site.build().check()
    edit_body(site)

    counts = summary(site.build().check().stdout)

    # The article's page, the pages suggesting it, and feeds; listings show no bodies.
    assert counts["skipped"] > counts["written"] + counts["unchanged"]


def test_an_earlier_build_output_is_never_modified_by_a_rebuild(tmp_path: Path) -> None:
    site = incremental_site(tmp_path)
    site.build().check()
    kept = tmp_path / "kept"
    # A second name for every file of the output: a rebuild that wrote into a
    # shared file (instead of replacing it) would change these too.
    shutil.copytree(site.output, kept, copy_function=lambda src, dst: Path(dst).hardlink_to(src))
    before = tree_digest(kept)

    edit_body(site)
    edit_title(site)
    change_setting(site)
    site.build().check()

    assert tree_digest(kept) == before
    assert tree_digest(site.output) != before


def test_progress_is_silent_and_the_summary_is_one_line_when_not_in_a_terminal(
    tmp_path: Path,
) -> None:
    site = incremental_site(tmp_path)

    result = site.build().check()

    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Built 10 articles and 1 page:")
    assert "\r" not in result.stderr


def test_search_parts_are_indexed_while_later_article_pages_are_written(tmp_path: Path) -> None:
    # Batches of 7 complete each search part of 10 while later pages are still to
    # write; two processes write every batch (forked while the index thread runs).
    options = {"NEWSDESK_SEARCH_PART_SIZE": 10, "NEWSDESK_BUILD_WORKERS": 2}
    whole = demo_settings(tmp_path / "whole", **options)
    batched = demo_settings(tmp_path / "batched", NEWSDESK_BUILD_ARTICLE_BATCH=7, **options)

    one = run_build(whole, tmp_path / "whole" / "output").check()
    many = run_build(batched, tmp_path / "batched" / "output", "--verbose").check()

    assert tree_digest(many.output) == tree_digest(one.output)
    assert len(list((many.output / "pagefind").iterdir())) == 5
    ready = re.findall(r"search: part (\d+) ready after (\d+|all) of 42 pages", many.stdout)
    # Oldest first, in batches of 7: part 0 (the 10 oldest) is complete after the
    # second batch, part 2 after the fifth, and so on; each is indexed from then on.
    assert ready == [("0", "14"), ("1", "21"), ("2", "35"), ("3", "42"), ("4", "42")]


def test_the_search_part_of_an_edited_article_is_written_and_indexed_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # the log's lines whole
    # Parts of 3 (stories 0-2, 3-5, 6-8, 9); story 4 is in part 1.
    options = {"NEWSDESK_SEARCH_PART_SIZE": 3, "NEWSDESK_BUILD_ARTICLE_BATCH": 2}
    site = incremental_site(tmp_path / "edited")
    with site.settings.open("a", encoding="utf-8") as settings:
        settings.writelines(f"{name} = {value!r}\n" for name, value in options.items())
    first = site.build("--verbose").check()
    assert re.findall(r"search: part (\d+) ready after (\d+)", first.stdout)[0] == ("0", "4")

    edit_body(site)
    again = site.build("--verbose").check()

    # Part 1's pages first (batches [3, 4], [5, 0]), then the others oldest first.
    ready = re.findall(r"search: part (\d+) ready after (\d+|all)", again.stdout)
    assert ready == [("1", "4"), ("0", "6"), ("2", "10"), ("3", "10")]
    assert "(1 indexed, 3 reused)" in again.stdout
    cold = run_build(site.settings, tmp_path / "cold", "--full").check()
    assert tree_digest(again.output) == tree_digest(cold.output)


def test_an_article_order_that_is_not_the_same_articles_fails_the_build() -> None:
    class Generator:
        _write_order = FastArticlesGenerator._write_order

    def drop_one(sender, articles, read):
        return articles[1:]

    article_pages_order.connect(drop_one)
    try:
        with pytest.raises(ValueError, match="drop_one answered newsdesk_article_pages_order"):
            Generator()._write_order([object(), object()])
    finally:
        article_pages_order.disconnect(drop_one)


def test_a_bad_article_batch_setting_fails_the_build_naming_it(tmp_path: Path) -> None:
    site = incremental_site(tmp_path)
    with site.settings.open("a", encoding="utf-8") as settings:
        settings.write("NEWSDESK_BUILD_ARTICLE_BATCH = 0\n")

    result = site.build()

    assert result.returncode == 1
    assert "NEWSDESK_BUILD_ARTICLE_BATCH must be a positive integer, not 0" in result.stderr


def test_timings_list_each_phase_of_the_build_with_its_seconds(tmp_path: Path) -> None:
    site = incremental_site(tmp_path)

    result = site.build("--timings").check()

    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert lines[0].startswith("Built 10 articles and 1 page:")
    assert lines[-1].startswith("  articles recalled as last read")
    phases = dict(re.fullmatch(r"  (.+?) +([\d.]+) s", line).groups() for line in lines[1:-1])
    assert {"checking content", "rendering bodies and reading articles", "writing pages"} <= set(
        phases
    )
    assert next(iter(phases)) == "linking the last build's pages"
    assert list(phases)[-1].startswith("finishing")
    total = float(lines[0].rsplit(" in ", 1)[1].split(" s")[0])
    # Each figure is rounded to hundredths.
    assert sum(float(seconds) for seconds in phases.values()) <= total + 0.005 * len(phases)


def test_pages_written_by_two_processes_are_byte_identical_to_a_serial_build(
    tmp_path: Path,
) -> None:
    serial_settings = demo_settings(tmp_path / "one", NEWSDESK_BUILD_WORKERS=1)
    serial = run_build(serial_settings, tmp_path / "one" / "output").check()
    parallel_settings = demo_settings(tmp_path / "two", NEWSDESK_BUILD_WORKERS=2)
    parallel = run_build(parallel_settings, tmp_path / "two" / "output").check()

    assert tree_digest(parallel.output) == tree_digest(serial.output)
    assert summary(parallel.stdout) == summary(serial.stdout)
    # The manifest the two processes left behind lets the next build skip what a
    # serial build's does (pages whose bodies link to other content always render).
    serial_again = summary(run_build(serial_settings, serial.output).check().stdout)
    parallel_again = summary(run_build(parallel_settings, parallel.output).check().stdout)
    assert parallel_again == serial_again
    assert parallel_again["written"] == 0 and parallel_again["skipped"] > 100


# Two neighbouring articles: the two processes share a batch alternately, so one of
# them fails in the forked process and the other in the build's own.
@pytest.mark.parametrize("title", ["Story number 7", "Story number 8"])
def test_a_template_error_in_a_page_writer_process_fails_the_build_and_keeps_the_output(
    tmp_path: Path, title: str
) -> None:
    site = incremental_site(tmp_path, workers=2)
    site.build().check()
    before = tree_digest(site.output)
    template = site.root.parent / "theme/templates/article.html"
    # Fails for one article only, whichever process renders it.
    _replace(
        template,
        "{% block content %}",
        f"{{% block content %}}{{% if article.title == '{title}' %}}"
        "{{ article.no_such_thing.deeper }}{% endif %}",
    )

    result = site.build()

    assert result.returncode != 0
    # The error as a serial build reports it: one line, no traceback.
    assert (
        "build failed: 'newsdesk_build.engine.FastArticle object' has no attribute "
        "'no_such_thing'" in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert tree_digest(site.output) == before


RECALLED_RE = re.compile(
    r"articles recalled as last read \(files unchanged\): (?P<recalled>[\d,]+); "
    r"bodies rendered: (?P<rendered>[\d,]+), from the cache: (?P<cached>[\d,]+)"
)


def reading(stdout: str) -> dict[str, int]:
    """How the articles of a `--timings` build were read."""
    return counts_in(RECALLED_RE, stdout)


def test_unchanged_articles_are_recalled_and_an_edited_one_is_read_again(tmp_path: Path) -> None:
    site = incremental_site(tmp_path)
    assert reading(site.build("--timings").check().stdout) == {
        "recalled": 0,
        "rendered": 10,
        "cached": 0,
    }
    edit_body(site)
    assert reading(site.build("--timings").check().stdout) == {
        "recalled": 9,
        "rendered": 1,
        "cached": 0,
    }
    assert reading(site.build("--timings").check().stdout)["recalled"] == 10
    # An article is read again when the site's spelling of one of its tags changes:
    # "CULTURE" becomes the most used spelling, so stories 2, 5 and 8 say it too.
    for number in range(4):
        site.add(
            f"articles/2025/culture-{number}.md",
            article_source(f"Culture piece {number}", date="2025-04-01 10:00", tags="CULTURE"),
        )
    respelt = site.build("--timings").check()
    assert reading(respelt.stdout)["recalled"] == 7
    cold = run_build(site.settings, tmp_path / "cold", "--full").check()
    assert tree_digest(site.output) == tree_digest(cold.output)
    story = (site.output / "2025/03/story-number-2/index.html").read_text(encoding="utf-8")
    assert "CULTURE" in story
    # --full ignores the caches: every article is read and every body rendered
    # (the four culture pieces share one body).
    assert reading(site.build("--timings", "--full").check().stdout) == {
        "recalled": 0,
        "rendered": 11,
        "cached": 0,
    }


def test_an_article_dated_in_the_future_is_read_every_build(tmp_path: Path) -> None:
    # Pelican makes it a draft while its date is ahead of the clock: that cannot be kept.
    site = incremental_site(tmp_path)
    site.add(
        "articles/2099/scheduled.md",
        article_source("Scheduled story", date="2099-01-01 09:00", slug="scheduled"),
    )
    site.build().check()
    again = reading(site.build("--timings").check().stdout)
    assert again == {"recalled": 10, "rendered": 0, "cached": 1}


def test_articles_are_read_when_a_plugin_listens_to_the_reading_signals() -> None:
    from newsdesk_build.engine import _read_cache_usable
    from pelican import signals

    def listener(*args: object, **kwargs: object) -> None:
        return None

    assert _read_cache_usable({})
    signals.content_object_init.connect(listener)
    try:
        assert not _read_cache_usable({})
    finally:
        signals.content_object_init.disconnect(listener)
    assert not _read_cache_usable({"DATE_FORMATS": {"hy": ("hy_AM.UTF-8", "%d %B %Y")}})


def test_an_article_kept_with_its_own_body_is_recalled_with_that_body(tmp_path: Path) -> None:
    # A body that is not the body cache's (typeset again by Pelican, or rendered by the
    # reader after a worker failed) is kept in the entry itself.
    from newsdesk_build.engine import FastArticle, ReadCache

    settings: dict = {}
    context: dict = {}
    article = FastArticle.__new__(FastArticle)
    article.__dict__.update(
        {"_content": "<p>Own body</p>", "title": "T", "settings": settings, "_context": context}
    )
    shared = {"settings": settings, "context": context}
    cache = ReadCache(tmp_path / "articles.pickle", "key")
    cache.remember("a.md", "digest", None, article, shared, ())
    cache.save()

    again = ReadCache(tmp_path / "articles.pickle", "key")
    entry = again.lookup("a.md", "digest", {})
    recalled = again.recall("a.md", entry, None, shared)
    assert recalled._content == "<p>Own body</p>"
    assert recalled.settings is settings and recalled._context is context
    assert ReadCache(tmp_path / "articles.pickle", "other key").lookup("a.md", "digest", {}) is None


def test_a_date_dateutil_completes_from_the_clock_is_noted_so_its_article_is_not_kept() -> None:
    import locale

    from newsdesk_content.reader import NewsdeskMarkdownReader
    from pelican.settings import read_settings

    saved = locale.setlocale(locale.LC_ALL)  # read_settings sets it from LOCALE
    try:
        reader = NewsdeskMarkdownReader(read_settings(str(REPO / "pelicanconf.py")))
    finally:
        locale.setlocale(locale.LC_ALL, saved)
    reader.process_metadata("date", "2025-03-02 09:00")
    assert not reader.dates_read_with_clock
    reader.process_metadata("date", "2025-03")  # dateutil takes the day from today
    assert reader.dates_read_with_clock


def test_url_fields_inside_a_format_spec_are_inputs_of_the_url() -> None:
    from newsdesk_build.engine import _format_fields

    assert _format_fields("{date:%Y}/{date:{month_format}}/{slug}.html") == (
        "date",
        "month_format",
        "slug",
    )
