from __future__ import annotations

import pytest

from connectors.cleaning import clean_name, html_to_text, normalise_email, normalise_url


def test_html_keeps_paragraphs_and_drops_markup_scripts_and_styles() -> None:
    html = (
        "<style>p{color:red}</style><p>Struggling with Drug &amp; Alcohol?&nbsp;</p>"
        "<p>Drop in on <strong>Thursdays</strong>.<br>No appointment.</p>"
        "<script>alert('x')</script><ul><li>Tea</li><li>Advice</li></ul>"
    )
    assert html_to_text(html) == (
        "Struggling with Drug & Alcohol?\n\nDrop in on Thursdays.\nNo appointment.\n\n"
        "- Tea\n- Advice"
    )


def test_html_that_is_empty_becomes_none_and_plain_text_keeps_its_lines() -> None:
    assert html_to_text("<p><br></p>") is None
    assert html_to_text("Line one\n\n\n\nLine two &amp; three") == "Line one\n\nLine two & three"


def test_names_are_trimmed_to_one_line() -> None:
    assert clean_name("  Age&nbsp;UK\n Camden  ") == "Age UK Camden"
    assert clean_name("   ") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\xa0spot@thecareforum.org.uk", "spot@thecareforum.org.uk"),
        ("Info@Example.ORG.", "Info@example.org"),
        ("mailto:hello@x.example", "hello@x.example"),
    ],
)
def test_emails_are_normalised(raw: str, expected: str) -> None:
    assert normalise_email(raw) == expected


@pytest.mark.parametrize("raw", ["[redacted-personal-email]", "a@b", "x..y@z.org", "a b@c.org"])
def test_invalid_emails_raise(raw: str) -> None:
    with pytest.raises(ValueError):
        normalise_email(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("www.nlmind.org", "https://www.nlmind.org"),
        (
            "HTTPS://e-voice.org/scunthorpechoralsociety/",
            "https://e-voice.org/scunthorpechoralsociety/",
        ),
        ("http:www.yateandsodburydc.co.uk", "http://www.yateandsodburydc.co.uk"),
        ("WWW.DYNAMICSUPPORTGM.ORG.", "https://www.dynamicsupportgm.org"),
    ],
)
def test_urls_are_normalised(raw: str, expected: str) -> None:
    assert normalise_url(raw) == expected


@pytest.mark.parametrize("raw", ["Warmley Community Centre", "ftp://x.org", "www,x.com", "a@b.org"])
def test_invalid_urls_raise(raw: str) -> None:
    with pytest.raises(ValueError):
        normalise_url(raw)
