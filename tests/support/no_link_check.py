"""Sends in tests about delivery and reports skip the link check before a send."""

from __future__ import annotations


def without_link_check(invoke):
    """``invoke`` with --no-link-check added to every send to lists.

    For tests about delivery and reports: the samples' links point at example.org, which
    does not answer here; the link check before a send is tested in tests/links/.
    """

    def run(*args: str, **kwargs):
        if args[:1] == ("send",) and "--test-to" not in args:
            args = (*args, "--no-link-check")
        return invoke(*args, **kwargs)

    return run
