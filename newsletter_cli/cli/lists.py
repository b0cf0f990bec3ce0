"""`newsletter lists`: the named lists, their members, and problems in the recipient files.

``lists`` and ``lists show`` also write CSV or JSON (``--csv``, ``--json``): then stdout
holds the data only, and the summary goes to stderr.
"""

from __future__ import annotations

from typing import Annotated

import typer

from newsletter_cli.cli.app import PlainGroup, app
from newsletter_cli.cli.output import console, err_console
from newsletter_cli.cli.params import AsCsv, AsJson, complete_list_names
from newsletter_cli.cli.tabular import Column, choose_format, emit, say

lists_app = typer.Typer(
    cls=PlainGroup,
    help="Show the mailing lists defined in recipients/ and check the contact files.\n\n"
    "Example: newsletter lists, newsletter lists --csv > lists.csv",
    invoke_without_command=True,
    no_args_is_help=False,
    rich_markup_mode=None,
)
app.add_typer(lists_app, name="lists")

Strict = Annotated[
    bool, typer.Option("--strict", help="Treat every problem (warnings too) as a failure.")
]

LIST_COLUMNS = (
    Column("name", "List"),
    Column("members", "Members", "right"),
    Column("suppressed", "Suppressed", "right"),
    Column("problems", "Problems", "right", zero="-"),
    Column("description", "Description", wrap=True),
)
MEMBER_COLUMNS = (
    Column("email", "Email"),
    Column("name", "Name"),
    Column("organisation", "Organisation"),
    Column("role", "Role"),
    Column("tags", "Tags"),
    Column("status", "Status"),
    Column("reason", "Reason"),
)


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
def overview(
    ctx: typer.Context, strict: Strict = False, as_csv: AsCsv = False, as_json: AsJson = False
) -> None:
    """Every list with how many it reaches, how many are held back, and its problems."""
    if ctx.invoked_subcommand is not None:
        return
    fmt = choose_format(as_csv=as_csv, as_json=as_json)
    roster = _load(strict)
    rows = []
    for name in roster.list_names():
        resolution = roster.resolve([name])
        rows.append({
            "name": name,
            "members": len(resolution.members),
            "suppressed": len(resolution.suppressed),
            "problems": len(roster.problems_for(name)),
            "description": roster.lists[name].description,
        })  # fmt: skip
    if rows or fmt != "table":
        emit(rows, LIST_COLUMNS, fmt)
    notes = [] if rows else [f"No lists are defined in {roster.lists_path}."]
    notes.append(_summary(roster))
    if roster.problems:
        notes.append("Run 'newsletter lists check' to see the problems.")
    for text in notes:
        if fmt == "table":
            say(text)
        else:
            err_console.print(text, markup=False)


@lists_app.command("show")
def show(
    names: Annotated[
        list[str],
        typer.Argument(metavar="NAME", help="One or more list names.", show_default=False,
                       autocompletion=complete_list_names),
    ],
    strict: Strict = False,
    as_csv: AsCsv = False,
    as_json: AsJson = False,
) -> None:
    """The members of a list (or several lists together), and who is held back.

    Example: newsletter lists show send-network --csv > send-network.csv
    """
    fmt = choose_format(as_csv=as_csv, as_json=as_json)
    roster = _load(strict)
    resolution = roster.resolve(names)
    label = " + ".join(resolution.names)
    if fmt != "table":
        rows = [_member_row(c, "member", "") for c in resolution.members]
        rows += [_member_row(c, "suppressed", resolution.reason(c)) for c in resolution.suppressed]
        emit(rows, MEMBER_COLUMNS, fmt)
        err_console.print(f"{label}: {_count(len(resolution.members), 'member')}, "
                          f"{len(resolution.suppressed)} held back")  # fmt: skip
        return
    for contact in resolution.members:
        _print_member(contact)
    console.print(f"{label}: {_count(len(resolution.members), 'member')}")
    if resolution.suppressed:
        console.print(f"Held back ({len(resolution.suppressed)} suppressed, never sent to):")
        for contact in resolution.suppressed:
            say(f"{contact.email}: {resolution.reason(contact)}", indent="  ", following="    ")


def _member_row(contact, status: str, reason: str) -> dict:
    return {
        "email": contact.email, "name": contact.name, "organisation": contact.organisation,
        "role": contact.role, "tags": sorted(contact.tags), "status": status, "reason": reason,
    }  # fmt: skip


def _print_member(contact) -> None:
    """One member on one line; on a narrow terminal, the details under the address."""
    from rich.cells import cell_len
    from rich.markup import escape

    from newsletter_cli.cli.tabular import wrapped

    about = " · ".join(p for p in (contact.name, contact.organisation, contact.role) if p)
    tags = f"[{', '.join(sorted(contact.tags))}]"
    line = f"{contact.email}  {about}  {tags}"
    if not console.is_terminal or cell_len(line) <= console.width:
        console.print(f"{contact.email}  {escape(about)}  [dim]{escape(tags)}[/]")
        return
    console.print(contact.email)
    for part in wrapped(f"{about}  {tags}", console.width, indent="    ", following="    "):
        console.print(escape(part))


@lists_app.command("check")
def check(strict: Strict = False) -> None:
    """Every problem in the contacts, suppression and lists files; exits 1 when any is an error.

    Example: newsletter lists check --strict
    """
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
