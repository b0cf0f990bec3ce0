"""`newsletter preview`: see an issue as readers will, live, or as PNGs for sign-off."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsletter_cli.cli.app import app
from newsletter_cli.cli.output import console, err_console
from newsletter_cli.cli.params import complete_list_names

IssueArg = Annotated[
    Path,
    typer.Argument(
        metavar="ISSUE", help="The issue file, e.g. issues/2025-09-regional-update.yaml."
    ),
]
ListOpt = Annotated[
    str | None,
    typer.Option(
        "--list", metavar="NAME", autocompletion=complete_list_names,
        help="Show this list's version, personalised for one of its members.",
    ),
]
PortOpt = Annotated[
    int | None,
    typer.Option(
        "--port", metavar="N", min=0, max=65535,
        help="Port on 127.0.0.1 (default 8642, or a free one if that is busy; 0: any free one).",
    ),
]
NoOpenOpt = Annotated[bool, typer.Option("--no-open", help="Do not open a browser.")]
ShotOpt = Annotated[
    Path | None,
    typer.Option(
        "--screenshot", metavar="DIR", file_okay=False,
        help="Write desktop (600 px) and phone (375 px) PNGs to DIR and exit.",
    ),
]


@app.command()
def preview(
    issue: IssueArg,
    list_name: ListOpt = None,
    port: PortOpt = None,
    no_open: NoOpenOpt = False,
    screenshot: ShotOpt = None,
) -> None:
    """Preview ISSUE in your browser at desktop and phone width; it reloads when you save.

    Example: newsletter preview issues/2025-09-regional-update.yaml --list dcs
    """
    from newsletter_cli.project import Project

    project = Project.find()
    if screenshot is not None:
        _screenshots(issue, project, screenshot, list_name)
    else:
        _serve(issue, project, list_name, port, open_browser=not no_open)


def _screenshots(issue: Path, project, out_dir: Path, list_name: str | None) -> None:
    from newsletter_cli.preview import take_screenshots

    result = take_screenshots(issue, project, out_dir, list_name=list_name)
    for shot in result.shots:
        console.print(f"{shot.label} ({shot.width} px): {shot.path}")
        if shot.overflows:
            err_console.print(
                f"warning: at {shot.width} px the email is {shot.content_width} px wide; "
                "readers must scroll sideways"
            )
    for note in result.notes:
        err_console.print(f"note: {note}")
    if result.errors or result.warnings:
        err_console.print(
            f"check: {result.errors} error(s), {result.warnings} warning(s) "
            f"(see: newsletter check {issue})"
        )


def _serve(
    issue: Path, project, list_name: str | None, port: int | None, *, open_browser: bool
) -> None:
    import webbrowser
    from urllib.parse import quote

    from newsletter_cli.preview import PreviewServer

    server = PreviewServer(issue, project, list_name=list_name, port=port)
    url = server.url + (f"?list={quote(list_name)}" if list_name else "")
    console.print(f"Previewing {issue} at {url}")
    console.print(
        "It reloads when you save the issue, a template or the recipients. Press Ctrl-C to stop."
    )
    if open_browser:
        webbrowser.open(url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    console.print("Preview stopped.")
