"""The synthetic archive generator: seeded, valid under the check, shaped like the benchmark's."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from conftest import make_fixture_site
from newsdesk_content.settings import ContentSettings
from newsdesk_content.synthetic import BROAD_TAG, generate_archive
from newsdesk_content.tree import check_site


def _settings(root: Path) -> ContentSettings:
    return ContentSettings(
        content_root=root,
        sections=("Armenia", "Diaspora", "Region", "World", "Culture", "Opinion"),
        timezone="Asia/Yerevan",
    )


def test_the_same_seed_gives_the_same_bytes_and_another_seed_does_not(tmp_path):
    first = generate_archive(tmp_path / "a", 40, seed=7)
    second = generate_archive(tmp_path / "b", 40, seed=7)
    other = generate_archive(tmp_path / "c", 40, seed=8)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert [p.read_bytes() for p in first] != [p.read_bytes() for p in other]
    assert (tmp_path / "a" / "authors.toml").read_bytes() == (
        tmp_path / "b" / "authors.toml"
    ).read_bytes()


def test_a_generated_archive_passes_the_check_without_a_warning(tmp_path):
    generate_archive(tmp_path / "content", 400, seed=1)
    report = check_site(_settings(tmp_path / "content"), datetime(2026, 1, 1).astimezone())
    assert report.files_checked == 400
    assert [str(p) for p in report.problems] == []


def test_bodies_tags_and_authors_have_the_benchmarks_shape(tmp_path):
    paths = generate_archive(tmp_path / "content", 500, seed=3)
    broad = 0
    tags_per_article = []
    for path in paths:
        header, body = path.read_text(encoding="utf-8").split("\n\n", 1)
        fields = dict(line.split(": ", 1) for line in header.splitlines())
        words = len(re.findall(r"[A-Za-z]+", body))
        assert 480 <= words <= 950, (path.name, words)
        tags = fields["Tags"].split(", ")
        tags_per_article.append(len(tags))
        broad += BROAD_TAG in tags
    assert 0.35 <= broad / len(paths) <= 0.45
    assert min(tags_per_article) >= 2 and max(tags_per_article) <= 5


def test_a_small_generated_archive_builds(tmp_path):
    site = make_fixture_site(tmp_path / "site")
    generate_archive(site.content, 12, seed=5)
    site.build().check()
    pages = list(site.output.glob("20*/*/story-*/index.html"))
    assert len(pages) == 12
