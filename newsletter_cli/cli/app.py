"""The Typer application and the one place errors become messages and exit codes."""

from __future__ import annotations

import os
import sys
from typing import Any

import typer
from rich.markup import escape
from typer.core import TyperGroup

from newsletter_cli.cli.output import err_console
from newsletter_cli.errors import NewsletterError

INTERNAL_ERROR = 70
INTERRUPTED = 130


def report(exc: BaseException) -> int:
    """Print one line for ``exc`` (and a hint if it has one); return the exit status."""
    if isinstance(exc, NewsletterError):
        err_console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        if exc.hint:
            err_console.print(f"[dim]hint:[/] {escape(exc.hint)}", highlight=False)
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


class NewsletterGroup(TyperGroup):
    """Runs every subcommand inside the single error handler."""

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
    help="Build, preview and send the Regional Update email newsletter.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _register() -> None:
    from newsletter_cli.cli import (
        build,
        history,
        init,
        journal,
        lists,
        preview,
        publish,
        report,
        send,
        suppressions,
    )

    modules = (init, build, lists, send, history, preview, publish, suppressions, report, journal)
    for module in modules:
        module.register(app)


_register()


def main() -> None:
    """Console-script entry point."""
    app(prog_name="newsletter")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
