"""One error tree for the whole tool.

Every failure a user can cause or meet is a :class:`NewsletterError`. The command
line turns it into a one-line message and an exit status in exactly one place
(:mod:`newsletter_cli.cli.app`); library code never prints or exits.
"""

from __future__ import annotations

from pathlib import Path


class NewsletterError(Exception):
    """Root of every error the tool reports to a user."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.message}"


class InputError(NewsletterError):
    """A file the user wrote (issue, contacts, lists, config) is wrong."""

    exit_code = 2

    @property
    def problems(self) -> list[InputError]:
        """Each mistake on its own (one here; several in :class:`InputErrors`)."""
        return [self]


class InputErrors(InputError):
    """Several mistakes found in one file, in line order: one ``path:line: ...`` each.

    Its ``message``, ``path`` and ``line`` are the first mistake's; ``str()`` gives every
    mistake, one per line.
    """

    def __init__(self, problems: list[InputError]) -> None:
        flat = [one for problem in problems for one in problem.problems]
        ordered = sorted(flat, key=lambda p: p.line or 0)
        first = ordered[0]
        super().__init__(first.message, path=first.path, line=first.line, hint=first.hint)
        self._problems = ordered

    @property
    def problems(self) -> list[InputError]:
        return list(self._problems)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self._problems)


def raise_all(problems: list[InputError]) -> None:
    """Raise the mistakes found (one InputError, or InputErrors for several); none: return."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise InputErrors(problems)


class ConfigError(InputError):
    """newsletter.toml or the environment is wrong."""


class UnknownNameError(InputError):
    """A list, template or send id that does not exist."""


class CheckFailed(NewsletterError):
    """`check` found errors; nothing may be sent."""

    exit_code = 1


class Refused(NewsletterError):
    """The tool declined to act: no confirmation, no terminal, unsafe request."""

    exit_code = 1


class DeliveryError(NewsletterError):
    """A delivery backend failed in a way that stops the send."""

    exit_code = 3


class AuthError(DeliveryError):
    """The mail service rejected the credentials."""


class Interrupted(NewsletterError):
    """Ctrl-C: the run stopped cleanly between two steps, with everything recorded."""

    exit_code = 130
