"""`newsletter lists`: the named lists, their members, and problems in the recipient files."""

from __future__ import annotations

from typing import Annotated

import typer

from newsletter_cli.cli.output import console

lists_app = typer.Typer(
    help="Show the mailing lists defined in recipients/ and check the contact files.",
    invoke_without_command=True,
    no_args_is_help=False,
    rich_markup_mode=None,
)

Strict = Annotated[
    bool, typer.Option("--strict", help="Treat every problem (warnings too) as a failure.")
]


def _load(strict: bool):
    from newsletter_cli.project import Project
    from newsletter_cli.recipients import load_roster

    return load_roster(Project.find(), strict=strict)


def _problem_line(problem) -> str:
    from rich.markup import escape

    colour = "red" if problem.severity == "error" else "yellow"
    return f"{escape(problem.where)}: [{colour}]{problem.severity}:[/] {escape(problem.message)}"


def _count(number: int, word: str, plural: str | None = None) -> str:
    return f"{number} {word if number == 1 else plural or word + 's'}"


def _summary(roster) -> str:
    return (
        f"{_count(len(roster.contacts), 'contact')} in {_count(len(roster.files), 'file')}, "
        f"{_count(len(roster.suppressions), 'suppressed address', 'suppressed addresses')}, "
        f"{_count(len(roster.errors), 'error')}, {_count(len(roster.warnings), 'warning')}"
    )


@lists_app.callback()
def overview(ctx: typer.Context, strict: Strict = False) -> None:
    """Every list with how many it reaches, how many are held back, and its problems."""
    if ctx.invoked_subcommand is not None:
        return
    from rich.table import Table

    roster = _load(strict)
    table = Table(title=None, show_edge=False, pad_edge=False)
    table.add_column("List", no_wrap=True)
    table.add_column("Members", justify="right")
    table.add_column("Suppressed", justify="right")
    table.add_column("Problems", justify="right")
    table.add_column("Description")
    for name in roster.list_names():
        resolution = roster.resolve([name])
        problems = len(roster.problems_for(name))
        table.add_row(
            name,
            str(len(resolution.members)),
            str(len(resolution.suppressed)),
            str(problems) if problems else "-",
            roster.lists[name].description,
        )
    if roster.list_names():
        console.print(table)
    else:
        console.print(f"No lists are defined in {roster.lists_path}.")
    console.print(_summary(roster))
    if roster.problems:
        console.print("Run 'newsletter lists check' to see the problems.")


@lists_app.command("show")
def show(
    names: Annotated[list[str], typer.Argument(help="One or more list names.", show_default=False)],
    strict: Strict = False,
) -> None:
    """The members of a list (or several lists together), and who is held back."""
    from rich.markup import escape

    roster = _load(strict)
    resolution = roster.resolve(names)
    for contact in resolution.members:
        about = " · ".join(
            part
            for part in (contact.name, contact.organisation, contact.role)
            if part
        )
        tags = ", ".join(sorted(contact.tags))
        console.print(f"{contact.email}  {escape(about)}  [dim]\\[{escape(tags)}][/]")
    label = " + ".join(resolution.names)
    console.print(f"{label}: {_count(len(resolution.members), 'member')}")
    if resolution.suppressed:
        console.print(f"Held back ({len(resolution.suppressed)} suppressed, never sent to):")
        for contact in resolution.suppressed:
            console.print(f"  {contact.email}: {resolution.reason(contact)}")


@lists_app.command("check")
def check(strict: Strict = False) -> None:
    """Every problem in the contacts, suppression and lists files; fails when any is an error."""
    from newsletter_cli.errors import CheckFailed

    roster = _load(False)
    for problem in roster.problems:
        console.print(_problem_line(problem))
    console.print(_summary(roster))
    failing = roster.problems if strict else roster.errors
    if failing:
        kind = "problem" if strict else "error"
        raise CheckFailed(
            f"the recipient files have {_count(len(failing), kind)}",
            hint="rows with errors are left out of every list until they are fixed",
        )
    console.print("[green]ok:[/] the recipient files have no errors")


def register(app: typer.Typer) -> None:
    """Add `lists`, `lists show` and `lists check` to the app."""
    app.add_typer(lists_app, name="lists")
