"""The Typer application and the one place errors become messages and exit codes.

Each command module adds its commands to :data:`app` at module level (``@app.command()``);
the package's ``__init__`` imports them all, in the order of the work.
"""

from __future__ import annotations

import gc
import os
import re
import sys
from typing import Annotated, Any

import typer
from rich.cells import cell_len
from rich.markup import escape
from typer.core import TyperArgument, TyperGroup

from newsletter_cli.cli.output import err_console
from newsletter_cli.errors import NewsletterError

INTERNAL_ERROR = 70
INTERRUPTED = 130
#: What each exit status means, as `newsletter --help` lists them (the README's table too).
EXIT_CODES = (
    (0, "done"),
    (1, "check found errors, or the tool refused (no confirmation, checks failed)"),
    (2, "an input file or option is wrong (the message names the file and line)"),
    (3, "delivery stopped, SendGrid refused, or the shared journal cannot be reached"),
    (INTERNAL_ERROR, "an internal error (NEWSLETTER_DEBUG=1 shows where)"),
    (INTERRUPTED, "interrupted with Ctrl-C"),
)


def report(exc: BaseException) -> int:
    """Print one line for ``exc`` (one per mistake when a file has several, in line order,
    each with its hint); return the exit status."""
    if isinstance(exc, NewsletterError):
        for one in getattr(exc, "problems", [exc]):
            err_console.print(f"[bold red]error:[/] {escape(str(one))}", highlight=False)
            if one.hint:
                err_console.print(f"[dim]hint:[/] {escape(one.hint)}", highlight=False)
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        err_console.print("interrupted: nothing more was done.", highlight=False)
        return INTERRUPTED
    name = type(exc).__name__
    err_console.print(
        f"[bold red]internal error:[/] {name}: {escape(str(exc))} "
        "(set NEWSLETTER_DEBUG=1 to see where; please report it)",
        highlight=False,
        soft_wrap=True,
    )
    return INTERNAL_ERROR


#: The commands in the order of the work, under the heading `newsletter --help` shows them.
#: A command not named here is listed last, under "Other commands".
COMMAND_GROUPS = (
    ("Write an issue", ("init", "new", "import")),
    ("Check it", ("check", "build", "preview")),
    ("Send it", ("lists", "send", "history", "cancel")),
    ("After sending", ("report", "suppressions", "publish")),
    ("Settings", ("journal", "template", "login", "logout")),
)
OTHER_COMMANDS = "Other commands"
#: The widest the help is written, however wide the terminal (each summary on one line).
HELP_WIDTH = 120


def _usage_name(param: TyperArgument) -> str:
    """NAME, [NAME] when it may be left out, NAME... for several: never Typer's {NAME}."""
    name = param.display_name_raw
    name = name if param.required else f"[{name}]"
    return name + "..." if param.nargs != 1 else name


def _plain_help(command: Any) -> None:
    """Help that reads well: arguments show only their metavar (ISSUE, NAME), not Typer's
    type label (<path>) nor braces ({ISSUE}), and an example is never rewrapped (a wrapped
    command line breaks at its hyphens, and could not be copied)."""
    for param in getattr(command, "params", ()):
        if isinstance(param, TyperArgument):
            param.display_type_rich = lambda ctx: None  # type: ignore[method-assign]
            param._usage_display_name = lambda p=param: _usage_name(p)  # type: ignore[method-assign]
    if command.help:
        command.help = re.sub(r"(^|\n\n)(Examples?:)", "\\1\b\n\\2", command.help)
    for sub in getattr(command, "commands", {}).values():
        _plain_help(sub)


def summary(command: Any) -> str:
    """A command's whole one-line summary (its first sentence), never cut with '...'."""
    return command.get_short_help_str(limit=sys.maxsize)


class PlainGroup(TyperGroup):
    """A group whose listing gives each command's whole summary, wrapped, never cut."""

    #: (heading, command names) in the order they are listed; empty: one "Commands" list.
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def list_commands(self, ctx: Any) -> list[str]:
        """The commands in the order of :attr:`groups`, then any others as added."""
        named = [name for _, names in self.groups for name in names if name in self.commands]
        return named + [name for name in self.commands if name not in named]

    def sections(self, ctx: Any) -> list[tuple[str, list[tuple[str, str]]]]:
        """(heading, [(command, summary)]) for each group with a visible command."""
        shown = {
            name: summary(command)
            for name in self.list_commands(ctx)
            if (command := self.get_command(ctx, name)) is not None and not command.hidden
        }
        sections = [
            (heading, [(name, shown.pop(name)) for name in names if name in shown])
            for heading, names in self.groups
        ]
        sections.append((OTHER_COMMANDS if self.groups else "Commands", list(shown.items())))
        return [(heading, rows) for heading, rows in sections if rows]

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        sections = self.sections(ctx)
        width = max((cell_len(name) for _, rows in sections for name, _ in rows), default=0)
        for heading, rows in sections:  # names padded alike: one column through every section
            with formatter.section(heading):
                formatter.write_dl([(name + " " * (width - cell_len(name)), about)
                                    for name, about in rows])  # fmt: skip


class NewsletterGroup(PlainGroup):
    """The `newsletter` command: its commands grouped in the order of the work, each run
    inside the single error handler."""

    groups = COMMAND_GROUPS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain_help(self)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort):
            raise
        except BrokenPipeError:  # `newsletter history ... --csv | head`: the reader had enough
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None
        except Exception as exc:  # noqa: BLE001 - the one place errors become exit codes
            if os.environ.get("NEWSLETTER_DEBUG") and not isinstance(exc, NewsletterError):
                raise
            if type(exc).__module__.startswith("typer"):
                raise  # usage errors: Typer prints them itself
            raise typer.Exit(report(exc)) from None
        except KeyboardInterrupt as exc:
            raise typer.Exit(report(exc)) from None


app = typer.Typer(
    cls=NewsletterGroup,
    name="newsletter",
    help="Build, preview and send the Regional Update email newsletter.\n\n"
    "Example: newsletter init my-newsletter, then newsletter build ISSUE in that folder.",
    no_args_is_help=True,
    epilog="\b\nExit codes:\n" + "\n".join(f"  {code:<4} {about}" for code, about in EXIT_CODES),
    context_settings={"max_content_width": HELP_WIDTH},
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _show_version(value: bool) -> None:
    if value:
        from newsletter_cli import __version__

        print(f"newsletter {__version__}")
        from newsletter_cli.delivery.signin import sources
        from newsletter_cli.project import Project

        for what, where in sources(Project.nearest()):
            print(f"{what}: {where}")
        raise typer.Exit()


#: Commands that finish in a moment and hold little: Python's cycle collector stays off for
#: them (its passes over every object the imports made cost a build about 40 ms of CPU), and
#: when one succeeds the process ends without taking every module apart (another 30-70 ms).
QUICK_COMMANDS = frozenset({"build"})
_quick = {"run": False}


@app.callback()
def _options(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", is_eager=True, callback=_show_version, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Options that come before the command."""
    _quick["run"] = ctx.invoked_subcommand in QUICK_COMMANDS
    if not _quick["run"]:
        gc.enable()  # a send to 100,000 or a preview left open: memory is collected as usual


def _end_now() -> None:
    """End a quick command's process at once: exit handlers run and the output is flushed
    first (nothing is lost); only the tearing down of every module is skipped."""
    import atexit

    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return  # a closed pipe: Python's own exit reports it as usual
    os._exit(0)


def main() -> None:
    """Console-script entry point.

    Start-up creates no garbage worth collecting, so the cycle collector waits until the
    command is known (see :data:`QUICK_COMMANDS`). pydantic's plugins (found by reading the
    metadata of every installed package) are not used by this tool. A quick command that
    succeeded ends the process at once (:func:`_end_now`).
    """
    gc.disable()
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        app(prog_name="newsletter")
    except SystemExit as done:
        if _quick["run"] and done.code in (0, None):
            _end_now()
        raise
