"""The CLI reference, written from the Typer app itself (run by cog; see docs/reference/cli.md).

Regenerate with `make docs` (or `cog -r -I docs docs/reference/cli.md`); never edit by hand.
"""

from __future__ import annotations

from typing import Any

import typer

#: Help is wrapped at this width, whatever the terminal, so the page is the same everywhere.
WIDTH = 88


def root_command() -> Any:
    """The click command tree Typer builds from the app (Typer carries its own click)."""
    from newsletter_cli.cli import app

    return typer.main.get_command(app)


def context(command: Any, name: str, parent: Any = None) -> Any:
    """A context for `command`, as `--help` would make one, at a fixed width."""
    return command.context_class(command, info_name=name, parent=parent, terminal_width=WIDTH,
                                 max_content_width=WIDTH)  # fmt: skip


def walk(command: Any, ctx: Any) -> list[Any]:
    """Every visible command under `command`, depth first, in the order `--help` lists them."""
    found = [ctx]
    for name in command.list_commands(ctx) if hasattr(command, "list_commands") else []:
        sub = command.get_command(ctx, name)
        if sub is not None and not sub.hidden:
            found.extend(walk(sub, context(sub, name, ctx)))
    return found


def summary(ctx: Any) -> str:
    """The command's one-line description, as a group's `--help` shows it."""
    return ctx.command.get_short_help_str(limit=200).replace("|", "\\|")


def section(ctx: Any) -> str:
    """One command: a heading, its summary, and its whole `--help` as the terminal shows it."""
    path = ctx.command_path
    text = ctx.command.get_help(ctx).rstrip()
    return f"## `{path}`\n\n{summary(ctx)}\n\n```text\n{text}\n```\n"


def reference() -> str:
    """The Markdown for every command: a table of them all, then one section each."""
    root = root_command()
    contexts = walk(root, context(root, "newsletter"))
    rows = [f"| [`{c.command_path}`](#{anchor(c.command_path)}) | {summary(c)} |" for c in contexts]
    table = "| command | what it does |\n| --- | --- |\n" + "\n".join(rows) + "\n"
    return "\n".join([table, *(section(c) for c in contexts)])


def anchor(path: str) -> str:
    """The id MkDocs gives the heading `## \\`path\\``: words joined by '-'."""
    return "-".join(path.lower().split())
