"""`newsletter template diff` and `template copy`: the built-in design, or the team's copy."""

from __future__ import annotations

from typing import Annotated

import typer

from newsletter_cli.cli.app import PlainGroup, app
from newsletter_cli.cli.output import console

template_app = typer.Typer(
    cls=PlainGroup,
    help="The email's design: the built-in template, or a copy in templates/."
    "\n\nExample: newsletter template diff",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(template_app, name="template")


@template_app.command("diff")
def diff(
    name: Annotated[
        str, typer.Argument(metavar="NAME", help="The template (default: regional-update).")
    ] = "regional-update",
) -> None:
    """Show how templates/NAME differs from the built-in template: a unified diff per file.

    A copy never receives the tool's later fixes; this shows what to carry over.
    Example: newsletter template diff
    """
    from rich.markup import escape

    from newsletter_cli.authoring.template_diff import template_diff
    from newsletter_cli.project import Project

    found = template_diff(Project.find(), name)
    if not found.copied:
        console.print(f"no templates/{escape(name)} here: this newsletter uses the built-in "
                      "template, with every fix the tool brings")  # fmt: skip
        return
    if not found.files:
        console.print(f"templates/{escape(name)}: no differences from the built-in template")
        return
    for lines in found.files.values():
        for line in lines:
            console.print(escape(line.rstrip("\n")), highlight=False, soft_wrap=True)
    console.print(f"{len(found.files)} file(s) differ from the built-in template {escape(name)}")


@template_app.command("copy")
def copy(
    name: Annotated[
        str, typer.Argument(metavar="NAME", help="The template (default: regional-update).")
    ] = "regional-update",
) -> None:
    """Copy the built-in template into templates/NAME, to change the design; never overwrites.

    From then on this newsletter uses the copy, which does not receive the tool's later
    fixes: 'newsletter template diff' shows what differs.
    Example: newsletter template copy
    """
    from rich.markup import escape

    from newsletter_cli.authoring.template_diff import copy_template
    from newsletter_cli.project import Project

    written = copy_template(Project.find(), name)
    console.print(f"Copied the built-in template into templates/{escape(name)} "
                  f"({len(written)} files): edit them there; 'newsletter template diff' "
                  "shows how they differ")  # fmt: skip
