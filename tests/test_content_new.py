"""`make new`: a scaffold with every field, the slug transliterated, never overwriting."""

from __future__ import annotations

import re
import subprocess

from conftest import REPO, FixtureSite, run_site_command
from test_content_fixtures import run_check


def run_new(site: FixtureSite, *arguments: str, now: str | None = "2025-03-14T09:30"):
    """Run the command behind `make new` in the site's folder."""
    return run_site_command(
        site.root, "newsdesk_content.new", *arguments, *(["--now", now] if now else [])
    )


def test_new_article_has_every_field_filled_or_todo(fixture_site):
    result = run_new(
        fixture_site,
        "--title",
        "Parliament adopts the 2026 budget",
        "--section",
        "Armenia",
        "--authors",
        "Anahit Grigoryan, Davit Sargsyan",
        "--tags",
        "Economy, Budget",
    )
    assert result.returncode == 0, result.stderr
    path = fixture_site.content / "articles" / "2025" / "parliament-adopts-the-2026-budget.md"
    assert result.stdout.splitlines()[0] == (
        "created content/articles/2025/parliament-adopts-the-2026-budget.md"
    )
    text = path.read_text(encoding="utf-8")
    header, body = text.split("\n\n", 1)
    fields = dict(line.split(": ", 1) for line in header.splitlines())
    assert list(fields) == [
        "Title", "Date", "Modified", "Section", "Authors", "Tags", "Summary", "Location",
        "Slug", "Status", "Image", "Image_Alt", "Image_Caption", "Image_Credit", "Related",
        "Aliases",
    ]  # fmt: skip
    assert fields["Title"] == "Parliament adopts the 2026 budget"
    assert fields["Date"] == "2025-03-14 09:30"
    assert fields["Section"] == "Armenia"
    assert fields["Authors"] == "Anahit Grigoryan, Davit Sargsyan"
    assert fields["Tags"] == "Economy, Budget"
    assert fields["Slug"] == "parliament-adopts-the-2026-budget"
    assert fields["Status"] == "published"
    todo = [key for key, value in fields.items() if value.startswith("TODO")]
    assert todo == ["Modified", "Summary", "Location", "Image", "Image_Alt", "Image_Caption",
                    "Image_Credit", "Related", "Aliases"]  # fmt: skip
    assert body.startswith("TODO: write the article")


def test_the_date_is_now_in_the_site_timezone(fixture_site):
    # 23:30 UTC on 31 December is already 1 January in Yerevan (UTC+4): the year folder follows.
    result = run_new(
        fixture_site, "--title", "New year", "--section", "World", now="2025-12-31T23:30+00:00"
    )
    assert result.returncode == 0, result.stderr
    text = (fixture_site.content / "articles" / "2026" / "new-year.md").read_text()
    assert "\nDate: 2026-01-01 03:30\n" in text


def test_armenian_and_russian_titles_are_transliterated(fixture_site):
    for title, slug in [
        ("Երևանի նոր բյուջեն", "yerevani-nor-byujen"),
        ("Ոսկե ծիրանը Ռուսաստանում և Ուզբեկստանում", "voske-tsirane-rusastanum-ev-uzbekstanum"),
        ("Москва и Ереван: новый договор", "moskva-i-erevan-novyi-dogovor"),
    ]:
        result = run_new(fixture_site, "--title", title, "--section", "Region")
        assert result.returncode == 0, result.stderr
        path = fixture_site.content / "articles" / "2025" / f"{slug}.md"
        assert re.search(rf"^Title: {title}$", path.read_text(encoding="utf-8"), re.MULTILINE)


def test_new_never_overwrites(fixture_site):
    assert run_new(fixture_site, "--title", "Same story", "--section", "World").returncode == 0
    path = fixture_site.content / "articles" / "2025" / "same-story.md"
    path.write_text(path.read_text() + "Edited by hand.\n")
    before = path.read_bytes()
    again = run_new(fixture_site, "--title", "Same story", "--section", "World")
    assert again.returncode == 1
    assert again.stderr == (
        'make new: an article with the slug "same-story" already exists: '
        "content/articles/2025/same-story.md\n"
    )
    assert path.read_bytes() == before


def test_new_refuses_unknown_sections_and_authors(fixture_site):
    result = run_new(fixture_site, "--title", "X", "--section", "Sports")
    assert result.returncode == 1
    assert result.stderr.startswith('make new: unknown section "Sports"; sections: Armenia')
    result = run_new(fixture_site, "--title", "X", "--section", "World", "--authors", "Anahit")
    assert result.returncode == 1
    assert 'unknown author "Anahit"' in result.stderr
    assert list((fixture_site.content / "articles").rglob("*.md")) == []


def test_a_fresh_scaffold_fails_the_check_until_the_todos_are_filled(fixture_site):
    run_new(
        fixture_site,
        "--title",
        "Lake Sevan rises",
        "--section",
        "Armenia",
        "--authors",
        "Sona Karapetyan",
    )
    path = fixture_site.content / "articles" / "2025" / "lake-sevan-rises.md"
    check = run_check(fixture_site)
    assert check.returncode == 1
    assert (
        "content/articles/2025/lake-sevan-rises.md:7: error: Summary is still TODO: fill it "
        "in" in check.stdout
    )
    assert (
        "lake-sevan-rises.md:18: error: the body is still the scaffold's placeholder: "
        "write the article" in check.stdout
    )

    kept = []
    for line in path.read_text(encoding="utf-8").splitlines():
        key = line.split(":", 1)[0]
        if key in (
            "Modified",
            "Image",
            "Image_Alt",
            "Image_Caption",
            "Image_Credit",
            "Related",
            "Aliases",
        ):
            continue  # optional: deleted
        kept.append(
            {
                "Tags": "Tags: Environment, Lake Sevan",
                "Summary": "Summary: The lake rose by four centimetres this spring.",
                "Location": "Location: SEVAN",
            }.get(key, line)
        )
    text = "\n".join(kept).replace("TODO: write the article here.", "The lake rose.")
    path.write_text(text + "\n", encoding="utf-8")
    check = run_check(fixture_site)
    assert check.returncode == 0, check.stdout
    assert check.stdout == "checked 1 file: 0 errors, 0 warnings\n"


def test_make_new_passes_titles_with_quotes_through_the_shell(fixture_site):
    result = subprocess.run(
        ["make", "--no-print-directory", "-C", str(REPO), "new",
         f"SETTINGS={fixture_site.settings}",
         """TITLE=Mayor says "no" to the $HOME 'tax' of $5bn""",
         "SECTION=Armenia", "TAGS=Yerevan, Tax"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    [path] = (fixture_site.content / "articles").rglob("*.md")
    assert path.name == "mayor-says-no-to-the-home-tax-of-5bn.md"
    text = path.read_text(encoding="utf-8")
    assert "Title: Mayor says \"no\" to the $HOME 'tax' of $5bn\n" in text
    assert "\nTags: Yerevan, Tax\n" in text
