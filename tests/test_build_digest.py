"""Page fingerprints (newsdesk_build.digest): equal inputs agree, any change shows."""

from __future__ import annotations

import threading

from newsdesk_build.digest import CardMemo, Fingerprinter

SETTINGS = {"THEME": "theme", "OUTPUT_PATH": "/tmp/staging-1", "SITENAME": "Ledger"}


class Tag:
    """Shaped like Pelican's URLWrapper: name, slug and the settings."""

    def __init__(self, name: str, settings: dict) -> None:
        self.name = name
        self.slug = name.lower()
        self._slug_from_name = True
        self.settings = settings


class Story:
    """Shaped like Pelican's content objects: a source path and the shared context."""

    def __init__(self, slug: str, body: str, settings: dict, **extra: object) -> None:
        self.source_path = f"content/{slug}.md"
        self.title = slug.title()
        self.slug = slug
        self._content = body
        self.metadata = {"title": self.title, "summary": "Standfirst."}
        self.tags = [Tag("Armenia", settings), Tag("Energy", settings)]
        self.settings = settings
        self._context = {"articles": [], "SITENAME": "Ledger"}
        self.__dict__.update(extra)


def digest_of(story: Story, cards_with_body: bool = True) -> str:
    return Fingerprinter(cards_with_body).content_digest(story)


def test_equal_stories_built_twice_have_equal_digests() -> None:
    first = Story("grid", "<p>Body.</p>", dict(SETTINGS))
    second = Story("grid", "<p>Body.</p>", dict(SETTINGS))

    assert digest_of(first) == digest_of(second)


def test_a_changed_body_title_or_tag_changes_the_digest() -> None:
    base = digest_of(Story("grid", "<p>Body.</p>", dict(SETTINGS)))
    body = Story("grid", "<p>Body, edited.</p>", dict(SETTINGS))
    title = Story("grid", "<p>Body.</p>", dict(SETTINGS))
    title.title = "Renamed"
    tags = Story("grid", "<p>Body.</p>", dict(SETTINGS))
    tags.tags = [Tag("Armenia", SETTINGS)]

    assert len({base, digest_of(body), digest_of(title), digest_of(tags)}) == 4


def test_the_output_folder_of_the_build_does_not_enter_the_digest() -> None:
    first = Story("grid", "<p>Body.</p>", dict(SETTINGS))
    second = Story("grid", "<p>Body.</p>", dict(SETTINGS, OUTPUT_PATH="/tmp/staging-2"))
    # A settings dict reached through another object than the content's own.
    first.extra = {"conf": dict(SETTINGS)}
    second.extra = {"conf": dict(SETTINGS, OUTPUT_PATH="/tmp/staging-3")}

    assert digest_of(first) == digest_of(second)


def test_sets_digest_the_same_whatever_their_insertion_order() -> None:
    first = Story("grid", "<p>Body.</p>", SETTINGS, keywords={"grid", "power", "winter"})
    second = Story("grid", "<p>Body.</p>", SETTINGS, keywords={"winter", "power", "grid"})
    third = Story("grid", "<p>Body.</p>", SETTINGS, keywords={"winter", "power"})

    assert digest_of(first) == digest_of(second) != digest_of(third)


def test_a_suggested_story_enters_as_its_card_and_its_title_counts() -> None:
    suggestion = Story("dam", "<p>Dam.</p>", SETTINGS)
    renamed = Story("dam", "<p>Dam.</p>", SETTINGS)
    renamed.title = "The dam, renamed"

    with_first = Story("grid", "<p>Body.</p>", SETTINGS, also_like=[suggestion])
    with_renamed = Story("grid", "<p>Body.</p>", SETTINGS, also_like=[renamed])

    assert digest_of(with_first) != digest_of(with_renamed)


def test_cards_without_bodies_ignore_a_suggestion_body_edit() -> None:
    suggestion = Story("dam", "<p>Dam.</p>", SETTINGS)
    edited = Story("dam", "<p>Dam, with a new paragraph.</p>", SETTINGS)
    pages = [
        Story("grid", "<p>Body.</p>", SETTINGS, also_like=[story]) for story in (suggestion, edited)
    ]

    assert digest_of(pages[0], cards_with_body=False) == digest_of(pages[1], cards_with_body=False)
    assert digest_of(pages[0], cards_with_body=True) != digest_of(pages[1], cards_with_body=True)


def test_a_value_pickle_refuses_is_still_described() -> None:
    lock_a = Story("grid", "<p>Body.</p>", SETTINGS, guard=[threading.Lock(), "first"])
    lock_b = Story("grid", "<p>Body.</p>", SETTINGS, guard=[threading.Lock(), "first"])
    lock_c = Story("grid", "<p>Body.</p>", SETTINGS, guard=[threading.Lock(), "second"])

    assert digest_of(lock_a) == digest_of(lock_b) != digest_of(lock_c)


def test_a_card_pickle_refuses_is_still_described_by_its_fields() -> None:
    def page_suggesting(title: str) -> Story:
        suggestion = Story("dam", "<p>Dam.</p>", SETTINGS, guard=[threading.Lock()])
        suggestion.title = title
        return Story("grid", "<p>Body.</p>", SETTINGS, also_like=[suggestion])

    assert digest_of(page_suggesting("Dam")) == digest_of(page_suggesting("Dam"))
    assert digest_of(page_suggesting("Dam")) != digest_of(page_suggesting("The dam, renamed"))


def test_fingerprinters_sharing_a_card_memo_agree_with_ones_that_do_not() -> None:
    suggestion = Story("dam", "<p>Dam.</p>", SETTINGS, keywords={"river"})
    page = Story("grid", "<p>Body.</p>", SETTINGS, also_like=[suggestion])
    memo = CardMemo()
    shared = [Fingerprinter(True, memo), Fingerprinter(False, memo)]

    # The page's own digest (first) fills the memo the second fingerprinter reads.
    assert [prints.content_digest(page) for prints in shared] == [
        digest_of(page, cards_with_body=True),
        digest_of(page, cards_with_body=False),
    ]


def test_cards_a_forked_copy_digested_are_learned_and_not_digested_again() -> None:
    suggestion = Story("dam", "<p>Dam.</p>", SETTINGS)
    page = Story("grid", "<p>Body.</p>", SETTINGS, also_like=[suggestion])
    parent = Fingerprinter(True)
    mark = parent.card_count()
    copy = Fingerprinter(True)  # stands for the forked process's copy
    expected = copy.content_digest(page)

    parent.learn_cards(copy.cards_since(mark))
    suggestion._content = "<p>Changed after the copy digested it.</p>"

    assert parent.content_digest(page) == expected
