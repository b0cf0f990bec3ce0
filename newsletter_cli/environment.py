"""What a command runs in, read once at the edge and handed down (httpie's ``Environment``).

The command line builds one :class:`Environment` per command (:meth:`Environment.load`):
the project, its settings (newsletter.toml, read once), the clock and the consoles.
Library code takes it instead of reading files or the time itself; tests build their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from newsletter_cli.config import Config, load_config

if TYPE_CHECKING:
    from newsletter_cli.project import Project

LONDON = ZoneInfo("Europe/London")


def london_now() -> datetime:
    """The time now, in the UK (the team's clock)."""
    return datetime.now(LONDON)


@dataclass(frozen=True)
class Environment:
    """The project, its settings, the clock and the consoles of one command."""

    project: Project
    config: Config
    #: The time now (aware); tests pass a fixed one.
    now: Callable[[], datetime] = field(default=london_now, compare=False)
    #: Where the command line writes (rich consoles); library code never prints.
    console: Any = field(default=None, compare=False)
    err_console: Any = field(default=None, compare=False)

    @classmethod
    def load(cls, project: Project, **options: Any) -> Environment:
        """The environment for ``project``, its newsletter.toml read now (the only time)."""
        return cls(project, load_config(project), **options)
