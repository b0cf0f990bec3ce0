"""The Typer application and the one place errors become messages and exit codes."""

from __future__ import annotations

import os
import re
import sys
from typing import Annotated, Any

import typer
from rich.markup import escape
from typer.core import TyperArgument, TyperGroup

from newsletter_cli.cli.output import err_console
from newsletter_cli.errors import NewsletterError

INTERNAL_ERROR = 70
INTERRUPTED = 130


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


def _plain_help(command: Any) -> None:
    """Help that reads well: arguments show only their metavar (ISSUE, NAME), not Typer's
    type label (<path>), and an example is never rewrapped (a wrapped command line breaks
    at its hyphens, and could not be copied)."""
    for param in getattr(command, "params", ()):
        if isinstance(param, TyperArgument):
            param.display_type_rich = lambda ctx: None  # type: ignore[method-assign]
    if command.help:
        command.help = re.sub(r"(^|\n\n)(Examples?:)", "\\1\b\n\\2", command.help)
    for sub in getattr(command, "commands", {}).values():
        _plain_help(sub)


class NewsletterGroup(TyperGroup):
    """Runs every subcommand inside the single error handler."""

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

        for what, where in sources(Project.find()):
            print(f"{what}: {where}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", is_eager=True, callback=_show_version, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Options that come before the command."""


def _register() -> None:
    from newsletter_cli.cli import (
        build,
        history,
        importing,
        init,
        journal,
        lists,
        login,
        preview,
        publish,
        report,
        send,
        suppressions,
    )

    modules = (
        init, build, importing, lists, send, history, preview, publish, suppressions, report,
        journal, login,
    )
    for module in modules:
        module.register(app)


_register()


def main() -> None:
    """Console-script entry point."""
    app(prog_name="newsletter")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
