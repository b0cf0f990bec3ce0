"""A send request: the ``send`` command's options, turned into one value once, at the edge."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SendRequest:
    """What was asked for: which issue, to whom, through which backend, and how."""

    issue: str  # a path, or a name in issues/
    lists: tuple[str, ...] = ()
    test_to: tuple[str, ...] = ()  # a test send: these addresses only
    backend: str | None = None  # None: newsletter.toml's [delivery] backend
    at: str | None = None  # schedule: 'YYYY-MM-DD HH:MM' (UK time)
    sandbox: bool = False
    dry_run: bool = False  # check, count and render; send nothing
    yes: bool = False  # do not ask to confirm
    resend_uncertain: bool = False
    allow_repeat: bool = False
    check_uncertain: bool = False  # ask SendGrid about uncertain recipients; send nothing
    strict: bool = False  # refuse while a recipient-file problem may keep someone off
    #: Try every link of a live send first (the command does, unless --no-link-check).
    link_check: bool = False
    #: Try every link again, not trusting the cache of good answers (a held send's hand-over).
    fresh_links: bool = False

    @property
    def test(self) -> bool:
        """True for a test send (``--test-to``)."""
        return bool(self.test_to)
