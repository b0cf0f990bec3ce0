"""Address checks: syntax, no spaces, a real domain shape."""

from __future__ import annotations

import pytest

from newsletter_cli.recipients.addresses import address_problem, normalise


@pytest.mark.parametrize(
    "raw",
    [
        "jane.doe@coventry.example.org",
        "  Jane.Doe@Coventry.Example.ORG ",
        "\u00a0o'brien+news@walsall.example.org\u200b",
        "a@b.test",
        "first_last-2@sub.domain.xn--p1ai",
    ],
)
def test_good_addresses_pass_after_normalising(raw: str) -> None:
    assert address_problem(normalise(raw)) is None


def test_normalise_lower_cases_and_strips() -> None:
    assert normalise(" \ufeffJane.Doe@Coventry.Example.ORG\u00a0") == "jane.doe@coventry.example.org"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "no email address"),
        ("jane doe@x.example.org", "contains a space"),
        ("jane@x .example.org", "contains a space"),
        ("jane\u00a0doe@x.example.org", "contains a space"),
        ("mailto:jane@x.example.org", "starts with 'mailto:'"),
        ("jane.x.example.org", "has no @"),
        ("jane@@x.example.org", "has more than one @"),
        ("@x.example.org", "nothing before the @"),
        ("jane@", "no domain after the @"),
        ("jane@localhost", "has no dot"),
        ("jane@x..example.org", "misplaced dot in the domain"),
        ("jane.@x.example.org", "misplaced dot before the @"),
        ("ja..ne@x.example.org", "misplaced dot before the @"),
        ("jane@-x.example.org", "invalid part '-x'"),
        ("jane@x.example.o", "real top-level domain"),
        ("jane@x.example.123", "real top-level domain"),
        ("jane@x_y.example.org", "invalid part 'x_y'"),
        ("ja(ne)@x.example.org", "a character addresses cannot have"),
        ("jane@exämple.org", "non-ASCII"),
        ("x" * 65 + "@x.example.org", "longer than 64"),
    ],
)
def test_bad_addresses_say_why(raw: str, reason: str) -> None:
    problem = address_problem(normalise(raw))
    assert problem is not None
    assert reason in problem
