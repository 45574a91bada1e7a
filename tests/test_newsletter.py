"""The newsletter signup in built pages: its form when an endpoint is set, nothing otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import FixtureSite, article_source, make_fixture_site

ACTION = "https://example.us1.list-manage.com/subscribe/post?u=abc&id=def"


def article_page(site: FixtureSite) -> BeautifulSoup:
    """Build a one-article site and parse the article page."""
    site.add("articles/2025/signup.md", article_source("Signup", date="2025-06-01 10:00"))
    site.build().check()
    html = (site.output / "2025/06/signup/index.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html5lib")


@pytest.fixture
def configured(tmp_path: Path) -> BeautifulSoup:
    """The article page of a site with a Mailchimp-shaped signup configured."""
    site = make_fixture_site(
        tmp_path / "site",
        NEWSLETTER_ACTION=ACTION,
        NEWSLETTER_EMAIL_FIELD="EMAIL",
        NEWSLETTER_HIDDEN_FIELDS={"tags": "123", "list": "daily"},
        NEWSLETTER_HONEYPOT_FIELD="b_abc_def",
    )
    return article_page(site)


def test_signup_form_posts_to_the_configured_endpoint(configured: BeautifulSoup) -> None:
    section = configured.find("section", id="newsletter")
    assert section.find("h2").get_text(strip=True) == "Sign Up for Our Newsletters"
    (form,) = section.find_all("form")
    assert form["action"] == ACTION
    assert form["method"] == "post"


def test_email_field_has_a_visible_label_and_the_provider_s_name(
    configured: BeautifulSoup,
) -> None:
    form = configured.select_one("#newsletter form")
    email = form.find("input", attrs={"type": "email"})
    assert email["name"] == "EMAIL"
    assert email.has_attr("required")
    assert email["autocomplete"] == "email"
    label = form.find("label", attrs={"for": email["id"]})
    assert label.get_text(strip=True) == "Email address"
    assert "newsletter__trap" not in " ".join(
        " ".join(parent.get("class", [])) for parent in label.parents
    )
    consent = configured.find(id=email["aria-describedby"])
    assert "unsubscribe" in consent.get_text()


def test_hidden_fields_are_sent_in_name_order(configured: BeautifulSoup) -> None:
    hidden = configured.select("#newsletter form input[type=hidden]")
    assert [(field["name"], field["value"]) for field in hidden] == [
        ("list", "daily"),
        ("tags", "123"),
    ]


def test_honeypot_is_hidden_from_people_and_assistive_technology(
    configured: BeautifulSoup,
) -> None:
    trap = configured.select_one("#newsletter form input[name=b_abc_def]")
    assert trap is not None
    assert trap["tabindex"] == "-1"
    assert trap["autocomplete"] == "off"
    assert trap.get("value", "") == ""
    wrapper = trap.find_parent(class_="newsletter__trap")
    assert wrapper["aria-hidden"] == "true"
    assert not trap.has_attr("required")
    css = (Path(__file__).parent.parent / "theme/static/css/comments.css").read_text()
    rule = css.split(".newsletter__trap {", 1)[1].split("}", 1)[0]
    assert "left: -10000px" in rule
    assert "display: none" not in rule


def test_no_signup_block_without_an_endpoint(tmp_path: Path) -> None:
    page = article_page(make_fixture_site(tmp_path / "site", NEWSLETTER_ACTION=None))
    assert page.find(id="newsletter") is None
    assert "Sign Up for Our Newsletters" not in page.get_text()
    assert page.find("form", attrs={"method": "post"}) is None


def test_a_bad_endpoint_fails_the_build_with_a_named_error(tmp_path: Path) -> None:
    site = make_fixture_site(tmp_path / "site", NEWSLETTER_ACTION="newsletter.example/subscribe")
    site.add("articles/2025/signup.md", article_source("Signup", date="2025-06-01 10:00"))
    result = site.build()
    assert result.returncode != 0
    assert "NEWSLETTER_ACTION must be an absolute http(s) URL" in result.stderr
