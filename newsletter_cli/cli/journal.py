"""`newsletter journal`: where the send journal is; `journal migrate`: copy it to a shared one.

Thin commands over :mod:`newsletter_cli.journal.history` and
:mod:`newsletter_cli.journal.migrate` (psycopg is imported only when they run).
"""

from __future__ import annotations

from typing import Annotated

import typer

from newsletter_cli.cli.app import PlainGroup, app
from newsletter_cli.cli.output import console

journal_app = typer.Typer(
    cls=PlainGroup,
    help="Where the send journal is, and copying it to the team's shared PostgreSQL journal."
    "\n\nExample: newsletter journal",
    invoke_without_command=True,
    no_args_is_help=False,
    rich_markup_mode=None,
)
app.add_typer(journal_app, name="journal")


def _esc(text: object) -> str:
    from rich.markup import escape

    return escape(str(text))


@journal_app.callback()
def info(ctx: typer.Context) -> None:
    """Where the journal is (this machine's SQLite file or the shared database), its layout
    version and how many sends it holds. Example: 'newsletter journal'."""
    if ctx.invoked_subcommand is not None:
        return
    from newsletter_cli.delivery.signin import sources
    from newsletter_cli.journal.history import summary
    from newsletter_cli.project import Project

    project = Project.find()
    found = summary(project)
    kind = "shared, PostgreSQL" if found.shared else "this machine only, SQLite"
    console.print(f"Journal  {_esc(found.where)} ({kind})")
    if found.version is None:
        console.print("Schema   none yet: the first send creates it")
    else:
        console.print(f"Schema   version {found.version}")
        console.print(f"Sends    {found.sends}")
    for what, where in sources(project):
        console.print(_esc(f"{what}: {where}"))


@journal_app.command("migrate")
def migrate(
    to: Annotated[
        str,
        typer.Option("--to", metavar="URL",
                     help="The shared journal: postgresql://user@host:port/database.",
                     show_default=False),
    ],
) -> None:  # fmt: skip
    """Copy this project's SQLite journal into a shared PostgreSQL journal; run it again
    safely (what is there already is left alone). The password comes from PGPASSWORD or
    ~/.pgpass. Example: 'newsletter journal migrate --to postgresql://team@db.example.org/news'.
    """
    from newsletter_cli.journal import journal_url
    from newsletter_cli.journal.migrate import migrate as copy
    from newsletter_cli.project import Project

    project = Project.find()
    done = copy(project, to)
    source, target = _esc(done.source), _esc(done.target)
    if not done.copied:
        console.print(f"Nothing to copy: the {done.sends} send(s) and {done.recipients} "
                      f"recipient row(s) of {source} are all in {target} already.")  # fmt: skip
    else:
        console.print(
            f"Copied from {source} to {target}: {done.new_sends} new send(s) of {done.sends}, "
            f"{done.new_recipients} new recipient row(s) of {done.recipients}"
            + (f", {done.advanced} moved further along" if done.advanced else "") + "."
        )
    console.print(f"The SQLite journal is left as it was ({source}).")
    if journal_url(project) != to:
        console.print(_esc(f'Next: set journal = "{done.target}" under [delivery] in '
                           "newsletter.toml, so that every send uses the shared journal."))
