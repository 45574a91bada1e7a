"""The content rules' pure core: header parsing, slugs, tags, dates, links, settings.

These run the core on documents held in memory (no Pelican, no files), so each
case states exactly what it feeds in and what comes out.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from newsdesk_content.authors import AuthorInfo, AuthorsFileError, parse_authors
from newsdesk_content.rules import CheckReport, SourceDocument, check_documents, parse_memo_key
from newsdesk_content.settings import ContentSettings, ContentSettingsError
from newsdesk_content.slugs import canonical_tags, normalize_tag, slugify, tag_key
from newsdesk_content.source import decode_source, parse_header, split_list
from newsdesk_content.tree import load_parse_memo, save_parse_memo

ZONE = ZoneInfo("Asia/Yerevan")
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=ZONE)
AUTHORS = {
    "Anahit Grigoryan": AuthorInfo("Anahit Grigoryan", "anahit-grigoryan", "Bio."),
    "Davit Sargsyan": AuthorInfo("Davit Sargsyan", "davit-sargsyan", "Bio."),
}
SETTINGS = ContentSettings(
    content_root=Path("content"),
    sections=("Armenia", "Region", "World"),
    timezone="Asia/Yerevan",
)


def source(title: str, **fields: str) -> str:
    """A valid article's source; fields override or add header lines (body=… sets the body)."""
    body = fields.pop("body", "Body text.")
    header = {
        "Title": title,
        "Date": "2025-01-15 10:00",
        "Section": "Armenia",
        "Authors": "Anahit Grigoryan",
        "Tags": "Economy",
        "Summary": "A standfirst.",
        **{key.title(): value for key, value in fields.items()},
    }
    return "\n".join(f"{k}: {v}" for k, v in header.items()) + f"\n\n{body}\n"


def check(
    *documents: tuple[str, str],
    settings: ContentSettings = SETTINGS,
    files: set[str] | None = None,
    now: datetime = NOW,
) -> CheckReport:
    """Check (relpath, text) pairs; relpaths under pages/ are pages."""
    docs = [
        SourceDocument(
            f"content/{relpath}",
            relpath,
            "page" if relpath.startswith("pages/") else "article",
            text.encode("utf-8"),
        )
        for relpath, text in documents
    ]
    all_files = {relpath for relpath, _ in documents} | (files or set())
    return check_documents(docs, settings, AUTHORS, all_files, now)


def lines(report: CheckReport) -> list[str]:
    return [str(problem) for problem in report.problems]


# --- parsing --------------------------------------------------------------------------


def test_header_fields_carry_their_line_and_continuations_join():
    header = parse_header(
        "Title: A long\n    headline\nTags: a, b,\n    c\n\tTabbed: no\n\nBody: not metadata\n"
    )
    # As in Python-Markdown, a tab is 4 spaces: the tabbed line continues Tags.
    assert [(f.key, f.line, f.value) for f in header.fields] == [
        ("Title", 1, "A long headline"),
        ("Tags", 3, "a, b,,c,Tabbed: no"),
    ]
    assert split_list(header.get("tags").value) == ["a", "b", "c", "Tabbed: no"]
    assert header.bad_lines == ()
    assert header.body == "Body: not metadata\n"
    assert header.body_line == 7


def test_header_between_dashes_and_a_line_that_is_not_metadata():
    header = parse_header("---\nTitle: X\nnot a field\n---\nBody\n")
    assert [(f.key, f.line) for f in header.fields] == [("Title", 2)]
    assert [(bad.line, bad.text) for bad in header.bad_lines] == [(3, "not a field")]
    assert header.body == "Body\n"


def test_decoding_drops_a_bom_and_normalises_newlines():
    assert decode_source(b"\xef\xbb\xbfTitle: X\r\n\r\nBody") == "Title: X\n\nBody"


def test_split_list_matches_pelican():
    from pelican.readers import ensure_metadata_list

    for value in ["a, b, a", "Doe, Jane; Roe, Rich", " , a ,, ", "single"]:
        assert split_list(value) == ensure_metadata_list(value)


@pytest.mark.parametrize(
    "text",
    [
        "Parliament adopts the 2025 budget",
        "Երևանի քաղաքապետարանը նոր բյուջե ընդունեց",
        "Москва и Ереван: новый договор",
        "R&amp;D spending <em>doubles</em> — again!",
        "  spaces   and -- dashes  ",
        "Ça coûte cher: l'été à Gyumri",
    ],
)
def test_slugify_is_pelicans_slugify(text):
    from pelican.settings import DEFAULT_CONFIG
    from pelican.utils import slugify as pelican_slugify

    subs = DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]
    assert slugify(text, subs) == pelican_slugify(text, regex_subs=subs)


# --- tags -----------------------------------------------------------------------------


def test_tags_are_normalised_for_entities_and_space():
    assert normalize_tag("  r&amp;d  ") == "r&d"
    assert normalize_tag("Nagorno \t Karabakh") == "Nagorno Karabakh"
    rules = SETTINGS.slugs
    assert tag_key("KDE", rules) == tag_key("kde", rules)
    assert tag_key("Nagorno Karabakh", rules) == tag_key("Nagorno-Karabakh", rules)
    assert tag_key("yast", rules) != tag_key("yast2", rules)


def test_canonical_tags_apply_aliases_then_the_sites_spelling():
    rules = SETTINGS.slugs
    aliases = {"karabakh": "Nagorno-Karabakh"}
    spellings = {"kde": "KDE"}
    result = canonical_tags(["Karabakh", "kde", "KDE", " r&amp;d "], aliases, spellings, rules)
    assert result == ["Nagorno-Karabakh", "KDE", "r&d"]


def test_near_duplicate_tag_warns_naming_the_most_used_spelling():
    report = check(
        ("articles/a.md", source("A", tags="KDE")),
        ("articles/b.md", source("B", tags="KDE")),
        ("articles/c.md", source("C", tags="kde, Nagorno Karabakh")),
        ("articles/d.md", source("D", tags="Nagorno-Karabakh", date="2024-01-01")),
    )
    assert lines(report) == [
        'content/articles/c.md:5: warning: tag "Nagorno Karabakh" nearly duplicates the existing '
        'tag "Nagorno-Karabakh"; write "Nagorno-Karabakh" or map one to the other in '
        "NEWSDESK_TAG_ALIASES",
        'content/articles/c.md:5: warning: tag "kde" nearly duplicates the existing tag "KDE"; '
        'write "KDE" or map one to the other in NEWSDESK_TAG_ALIASES',
    ]
    assert report.tag_spellings[tag_key("kde", SETTINGS.slugs)] == "KDE"


def test_an_alias_merges_synonyms_without_a_warning():
    settings = ContentSettings(
        content_root=Path("content"),
        sections=("Armenia",),
        timezone="Asia/Yerevan",
        tag_aliases={"Artsakh": "Nagorno-Karabakh"},
    )
    report = check(
        ("articles/a.md", source("A", tags="Artsakh")),
        ("articles/b.md", source("B", tags="Nagorno-Karabakh")),
        settings=settings,
    )
    assert lines(report) == []
    assert set(report.tag_spellings.values()) == {"Nagorno-Karabakh"}


# --- dates ----------------------------------------------------------------------------


def test_dates_are_read_in_the_site_timezone():
    just_before = datetime(2025, 1, 15, 9, 59, tzinfo=ZONE)
    report = check(("articles/a.md", source("A")), now=just_before)
    assert lines(report) == [
        "content/articles/a.md:2: info: scheduled for 2025-01-15 10:00 (Asia/Yerevan); the "
        "first build after that time publishes it"
    ]
    # 10:00 in Yerevan is 06:00 UTC: one minute later it is published.
    assert (
        lines(check(("articles/a.md", source("A")), now=datetime(2025, 1, 15, 6, 1, tzinfo=UTC)))
        == []
    )


def test_an_explicit_offset_is_kept_and_modified_compares_instants():
    report = check(
        ("articles/a.md", source("A", date="2025-01-15T10:00+00:00", modified="2025-01-15 13:30")),
    )
    assert lines(report) == [
        "content/articles/a.md:7: error: Modified (2025-01-15 13:30) is before Date "
        "(2025-01-15 14:00)"
    ]


def test_a_draft_in_the_future_is_not_reported_as_scheduled():
    report = check(("articles/a.md", source("A", date="2030-01-01", status="draft")))
    assert lines(report) == []


def test_a_date_without_a_year_is_an_error():
    report = check(("articles/a.md", source("A", date="March 5")))
    assert lines(report)[0].startswith('content/articles/a.md:2: error: Date "March 5" is not')


# --- links ----------------------------------------------------------------------------


def test_site_relative_links_to_every_kind_of_page_pass():
    body = "\n".join(
        [
            "[a](/2025/01/a/) [a2](/2025/01/a) [a3](/2025/01/a/index.html#top)",
            "[tag](/tag/economy/) [tag2](/tag/economy/page/2/) [s](/section/armenia/)",
            "[au](/author/anahit-grigoryan/) [ar](/archives/) [home](/) [p](/about/)",
            "[search](/search/) [feed](/feeds/all.atom.xml) [img](/images/x.png)",
            '<a href="{filename}a.md">a</a> [t]({tag}Economy) [c]({category}Armenia)',
            "[au]({author}anahit-grigoryan) [i]({static}/images/x.png)",
            "[f]({filename}/pages/about.md)",
        ]
    )
    report = check(
        ("articles/a.md", source("A")),
        ("articles/b.md", source("B", body=body)),
        ("pages/about.md", "Title: About\n\nUs.\n"),
        files={"images/x.png"},
    )
    assert lines(report) == []


def test_links_to_missing_drafts_and_scheduled_articles():
    body = (
        "Intro.\n\n```\n[in code](/2025/01/nowhere/)\n```\n\n"
        "[d](/2025/01/d/) [s](/2030/01/s/)\n[n](/2025/01/nowhere/) [t]({tag}Nothing)\n"
        "[rel](images/x.png)"
    )
    report = check(
        ("articles/a.md", source("A", body=body)),
        ("articles/d.md", source("D", status="draft")),
        ("articles/s.md", source("S", date="2030-01-01 10:00")),
    )
    assert lines(report) == [
        'content/articles/a.md:14: error: link to "/2025/01/d/": that article is a draft',
        'content/articles/a.md:14: warning: link to "/2030/01/s/": that article is scheduled and '
        "the link is broken until it is published",
        'content/articles/a.md:15: error: link to "/2025/01/nowhere/": no page of the site has '
        "that address",
        'content/articles/a.md:15: error: {tag}Nothing: no article has the tag "Nothing"',
        'content/articles/a.md:16: warning: relative link "images/x.png" breaks on the '
        "article's page; write {filename}/… for an article or /images/… for an image",
        "content/articles/s.md:2: info: scheduled for 2030-01-01 10:00 (Asia/Yerevan); the "
        "first build after that time publishes it",
    ]


def test_related_pins_must_be_other_published_articles():
    report = check(
        ("articles/a.md", source("A", related="none")),
        ("articles/b.md", source("B", related="b, a, d, s")),
        ("articles/d.md", source("D", status="draft", related="s")),
        ("articles/s.md", source("S", date="2030-01-01 10:00")),
    )
    assert lines(report) == [
        'content/articles/b.md:7: error: Related article "d" is not published (draft); pin it '
        "once it is out",
        'content/articles/b.md:7: error: Related article "s" is not published (scheduled); pin '
        "it once it is out",
        'content/articles/b.md:7: error: Related lists the article itself ("b"); remove it',
        "content/articles/s.md:2: info: scheduled for 2030-01-01 10:00 (Asia/Yerevan); the "
        "first build after that time publishes it",
    ]


def test_an_alias_may_not_be_an_address_the_site_already_has():
    report = check(
        ("articles/a.md", source("A", aliases="/2025/01/a")),
        (
            "articles/b.md",
            source(
                "B",
                aliases="/2025/01/a/index.html, /about/, /section/region/, /tag/economy/, "
                "/archives/, /, /images/map.png, /author/davit-sargsyan/, /old/b/",
            ),
        ),
        ("pages/about.md", "Title: About\n\nUs.\n"),
        files={"images/map.png"},
    )
    taken = "content/articles/b.md:7: error: alias"
    assert lines(report) == [
        'content/articles/a.md:7: error: alias "/2025/01/a" is the address of this article '
        "itself; remove it",
        f'{taken} "/" is already the address of the front page; remove it',
        f'{taken} "/2025/01/a/index.html" is already the address of content/articles/a.md; '
        "remove it",
        f'{taken} "/about/" is already the address of content/pages/about.md; remove it',
        f'{taken} "/archives/" is already the address of the archives; remove it',
        f'{taken} "/author/davit-sargsyan/" is already the address of the page of Davit '
        "Sargsyan; remove it",
        f'{taken} "/images/map.png" is already the address of the file '
        "content/images/map.png; remove it",
        f'{taken} "/section/region/" is already the address of the page of the section '
        "Region; remove it",
        f'{taken} "/tag/economy/" is already the address of the page of the tag "economy"; '
        "remove it",
    ]


def test_an_alias_belongs_to_one_article_and_drafts_claim_none():
    report = check(
        ("articles/a.md", source("A", aliases="/old/story/")),
        ("articles/b.md", source("B", aliases="/old/story")),
        ("articles/c.md", source("C", aliases="/old/story/", status="draft")),
        ("articles/d.md", source("D", aliases="/2025/01/c/, /old/d.html")),
    )
    assert lines(report) == [
        'content/articles/b.md:7: error: alias "/old/story" is also an alias of '
        "content/articles/a.md; keep it on one of them",
    ]


def test_pages_need_only_a_title():
    assert lines(check(("pages/about.md", "Title: About\n\nUs.\n"))) == []
    assert lines(check(("pages/about.md", "Slug: about\n\nUs.\n"))) == [
        "content/pages/about.md:1: error: missing required field Title"
    ]


def test_image_fields_accept_http_and_site_paths_and_refuse_script_schemes():
    report = check(
        ("articles/a.md", source("A", image="https://example.org/x.jpg", image_alt="x")),
        ("articles/b.md", source("B", image="{static}/images/x.png", image_alt="x")),
        ("articles/c.md", source("C", image=" java\tscript:alert(1)", image_alt="x")),
        ("articles/d.md", source("D", image="/images/x.png")),
        files={"images/x.png"},
    )
    assert lines(report) == [
        'content/articles/c.md:7: error: Image: "javascript:" URLs are not allowed; use an '
        "http(s) URL or a path on this site",
        "content/articles/d.md:7: warning: Image has no Image_Alt: describe the picture for "
        "readers who cannot see it",
    ]


def test_extra_metadata_keys_and_link_fields():
    settings = ContentSettings(
        content_root=Path("content"),
        sections=("Armenia",),
        timezone="Asia/Yerevan",
        extra_metadata=("source_url",),
    )
    report = check(
        ("articles/a.md", source("A", source_url="vbscript:msgbox(1)", dateline="X")),
        settings=settings,
    )
    assert lines(report) == [
        'content/articles/a.md:7: error: Source_Url: "vbscript:" URLs are not allowed; use an '
        "http(s) URL or a path on this site",
        "content/articles/a.md:8: warning: unknown metadata key Dateline (did you mean Location?)",
    ]


# --- settings and authors -------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"NEWSDESK_SECTIONS": []}, "NEWSDESK_SECTIONS must be a non-empty list"),
        ({"NEWSDESK_TAG_ALIASES": {"a": ""}}, "NEWSDESK_TAG_ALIASES must map"),
        ({"NEWSDESK_SUMMARY_MAX_LENGTH": 0}, "NEWSDESK_SUMMARY_MAX_LENGTH must be"),
        ({"TIMEZONE": "Mars/Olympus"}, "TIMEZONE 'Mars/Olympus' is not a known timezone"),
    ],
)
def test_bad_settings_raise_a_named_error(overrides, message):
    settings = {"NEWSDESK_SECTIONS": ["Armenia"], "TIMEZONE": "UTC", **overrides}
    with pytest.raises(ContentSettingsError, match=message):
        ContentSettings.from_pelican(settings)


def test_settings_are_read_without_changing_the_dict():
    settings = {"NEWSDESK_SECTIONS": ["Armenia"], "PATH": "/site/content"}
    before = repr(settings)
    content = ContentSettings.from_pelican(settings)
    assert repr(settings) == before
    assert content.tag_aliases == {}
    assert content.summary_max_length == 300


def test_authors_file_errors_name_the_line():
    text = '[[author]]\nname = "A"\nslug = "a"\nbio = "x"\n\n[[author]]\nname = "B"\nslug = "b"\n'
    with pytest.raises(AuthorsFileError) as caught:
        parse_authors(text, "content/authors.toml")
    assert str(caught.value) == "content/authors.toml:6: error: author #2 lacks bio"
    with pytest.raises(AuthorsFileError) as caught:
        parse_authors('[[author]]\nname = "A\n', "content/authors.toml")
    assert caught.value.line == 2


# --- the memo of per-file passes ----------------------------------------------------------------


def memo_check(
    memo_path: Path, *documents: tuple[str, str], files: set[str] = frozenset(), **kwargs
) -> tuple[CheckReport, int]:
    """Check through a memo kept in a file, as the build does; return the report and how
    many files' passes were replayed."""
    docs = [
        SourceDocument(f"content/{rel}", rel, "article", text.encode()) for rel, text in documents
    ]
    memo = load_parse_memo(memo_path, parse_memo_key(SETTINGS, AUTHORS, "content", b"rules"))
    all_files = {rel for rel, _ in documents} | set(files)
    report = check_documents(
        docs,
        kwargs.pop("settings", SETTINGS),
        AUTHORS,
        all_files,
        kwargs.pop("now", NOW),
        memo=memo,
    )
    if memo.changed():
        save_parse_memo(memo_path, memo)
    return report, memo.replayed


def test_a_second_check_replays_unchanged_files_and_reports_the_same(tmp_path: Path) -> None:
    documents = (
        ("articles/a.md", source("A", body="[b](/2025/01/b/) [x](/2025/01/nowhere/)")),
        ("articles/b.md", source("B", tags="Economy, economy!", colour="red")),
        ("articles/c.md", source("C", image="images/missing.jpg")),
    )
    first, replayed_first = memo_check(tmp_path / "memo", *documents)
    second, replayed_second = memo_check(tmp_path / "memo", *documents)
    plain = check(*documents)

    assert (replayed_first, replayed_second) == (0, 3)
    assert lines(first) == lines(second) == lines(plain)
    assert len(lines(plain)) >= 3
    assert second.tag_spellings == plain.tag_spellings


def test_an_edited_file_or_a_changed_file_answer_is_checked_again(tmp_path: Path) -> None:
    photo = ("articles/c.md", source("C", image="images/photo.jpg", image_alt="A dam."))
    other = ("articles/a.md", source("A"))
    missing, _ = memo_check(tmp_path / "memo", photo, other)
    found, replayed = memo_check(tmp_path / "memo", photo, other, files={"images/photo.jpg"})
    edited, replayed_after_edit = memo_check(
        tmp_path / "memo", photo, ("articles/a.md", source("A", section="Nowhere"))
    )

    assert "does not exist" in " ".join(lines(missing))
    assert (lines(found), replayed) == ([], 1)
    assert replayed_after_edit == 0
    assert any("Nowhere" in line for line in lines(edited))


def test_a_replayed_article_is_scheduled_by_the_clock_of_this_check(tmp_path: Path) -> None:
    article = ("articles/a.md", source("A", date="2025-06-02 10:00"))
    before, _ = memo_check(tmp_path / "memo", article)
    after, replayed = memo_check(tmp_path / "memo", article, now=datetime(2025, 6, 3, tzinfo=ZONE))

    assert [line.split(": ")[1] for line in lines(before)] == ["info"]
    assert (lines(after), replayed) == ([], 1)


def test_a_date_completed_from_the_clock_is_not_kept(tmp_path: Path) -> None:
    article = ("articles/a.md", source("A", date="March 2025"))
    memo_check(tmp_path / "memo", article)
    _, replayed = memo_check(tmp_path / "memo", article)

    assert replayed == 0


def test_a_memo_of_other_settings_or_code_is_not_used(tmp_path: Path) -> None:
    memo_check(tmp_path / "memo", ("articles/a.md", source("A")))
    other_code = load_parse_memo(
        tmp_path / "memo", parse_memo_key(SETTINGS, AUTHORS, "content", b"x")
    )
    other_settings = parse_memo_key(
        ContentSettings(content_root=Path("content"), sections=("World",), timezone="UTC"),
        AUTHORS,
        "content",
        b"rules",
    )

    assert other_code.entries == {}
    assert load_parse_memo(tmp_path / "memo", other_settings).entries == {}
    assert load_parse_memo(
        tmp_path / "memo", parse_memo_key(SETTINGS, AUTHORS, "content", b"rules")
    ).entries


def test_a_memo_that_cannot_be_read_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "memo").write_bytes(b"\x80\x09not a pickle")
    report, replayed = memo_check(tmp_path / "memo", ("articles/a.md", source("A")))

    assert (lines(report), replayed) == ([], 0)
    assert memo_check(tmp_path / "memo", ("articles/a.md", source("A")))[1] == 1
