"""Before a send: whatever in recipients/ may keep someone off the chosen lists.

Nobody is skipped in silence. Every problem that may change who is on the lists (a row
left out, shifted columns, a tag no list uses, a list tag nobody carries, no suppression
file…) is named with its ``file:line`` on the send screen and in ``--dry-run``;
``send --strict`` refuses while any remain. A suppression entry that cannot be read
refuses every live send: nobody can be sure who it was meant to hold back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from newsletter_cli.errors import Refused
from newsletter_cli.recipients.problems import Problem

if TYPE_CHECKING:
    from newsletter_cli.recipients.roster import Roster

SHOWN = 10  # problems listed on the send screen before "... and N more"


def problems_affecting(roster: Roster, names: Sequence[str]) -> list[Problem]:
    """The problems that may change who is on any of these lists: errors first, by file:line."""
    found = dict.fromkeys(p for name in names for p in roster.problems_for(name))
    return sorted(found, key=lambda p: (p.severity != "error", p.path, p.line or 0))


def describe(problems: Sequence[Problem], shown: int = SHOWN) -> list[str]:
    """One line per problem for the send screen (the first ``shown``, then a count)."""
    lines = []
    for problem in problems[:shown]:
        if problem.severity == "error":
            lines.append(f"left out, may belong on these lists: {problem}")
        else:
            lines.append(f"may keep someone off these lists: {problem}")
    if len(problems) > shown:
        lines.append(
            f"... and {len(problems) - shown} more: see 'newsletter lists check'"
        )
    return lines


def unreadable_suppressions(roster: Roster) -> list[Problem]:
    """Suppression entries that could not be read (each one blocks a live send)."""
    return [p for p in roster.problems if p.suppression and p.severity == "error"]


def refuse_unreadable_suppressions(roster: Roster) -> None:
    """Refused when any suppression entry cannot be read: suppression always wins."""
    bad = unreadable_suppressions(roster)
    if not bad:
        return
    first = bad[0]
    more = f" ({len(bad) - 1} more like it)" if len(bad) > 1 else ""
    raise Refused(
        f"{first.message}; nothing was sent{more}",
        path=first.path,
        line=first.line,
        hint="nobody can be sure who it was meant to hold back: write the address only "
        "(e.g. ben@example.org); 'newsletter lists check' lists every such entry",
    )


def refuse_if_any(problems: Sequence[Problem], names: Sequence[str]) -> None:
    """``send --strict``: refused while anything may keep someone off the lists."""
    if not problems:
        return
    first = problems[0]
    raise Refused(
        f"--strict: {len(problems)} problem(s) in the recipient files may keep someone off "
        f"{', '.join(names)}; nothing was sent (first: {first.message})",
        path=first.path,
        line=first.line,
        hint="fix them ('newsletter lists check' lists them all), or send without --strict",
    )
