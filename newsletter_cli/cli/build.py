"""`newsletter build`, `newsletter check` and `newsletter new`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from newsletter_cli.cli.output import console, err_console
from newsletter_cli.cli.params import IssueArg, ListOpt
from newsletter_cli.errors import CheckFailed, InputError
from newsletter_cli.project import Project


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def build(
    issue: IssueArg,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", metavar="DIR", file_okay=False,
            help="Folder to write to (default build/ and the issue's name).",
        ),
    ] = None,
    list_name: ListOpt = None,
) -> None:
    """Build an issue: responsive HTML with CSS inlined, a plain-text part, .eml and .ics files.

    Example: newsletter build issues/2025-09-regional-update.yaml --list dcs
    """
    from newsletter_cli.build import GMAIL_CLIP_BYTES, build_issue

    result = build_issue(issue, Project.find(), out=out, list_name=list_name)
    audience = f" for list {result.list_name}" if result.list_name else ""
    console.print(f"Built {result.issue.title}{audience} in {_relative(result.folder)}/")
    if result.recipient:
        console.print(f"  personalised for: {result.recipient}")
    console.print(
        f"  HTML {result.html_bytes / 1024:.1f} KB, {result.links} links, {result.images} images"
    )
    for path in result.files:
        console.print(f"  {path.name}")
    if result.clipped:
        err_console.print(
            f"warning: the HTML is over {GMAIL_CLIP_BYTES // 1024} KB: Gmail will clip it "
            "and hide the end, unsubscribe link included"
        )


def check(
    issue: IssueArg,
    links: Annotated[
        bool,
        typer.Option(
            "--links",
            help="Also try every link in the email and the web page (cached for a day).",
        ),
    ] = False,
) -> None:
    """Check an issue before sending: links, alt text, dates, subject, size. Errors exit 1.

    Example: newsletter check issues/2025-09-regional-update.yaml --links
    """
    from rich.markup import escape

    from newsletter_cli.checks import run_checks
    from newsletter_cli.issue import load_issue

    project = Project.find()
    loaded = load_issue(issue)
    report = run_checks(loaded, project)
    findings = list(report.findings)
    link_report = None
    if links:
        from newsletter_cli.links.check import check_links

        link_report = check_links(loaded, project)
        findings += link_report.findings
    for finding in findings:
        colour = "red" if finding.severity == "error" else "yellow"
        line = f":{finding.line}" if finding.line else ""
        about = escape(f" [{finding.block}]") if finding.block else ""
        where = _relative(Path(finding.path)) if finding.path else issue
        console.print(
            f"{escape(str(where))}{line}: [{colour}]{finding.severity}[/]: "
            f"{escape(finding.message)}{about}",
            markup=True,
        )
    if link_report is not None:
        for result in link_report.redirected:
            console.print(f"note: {escape(result.url)} redirects to {escape(result.final_url)}")
        console.print(
            f"links: {len(link_report.results)} checked ({link_report.count('http')} over the "
            f"network, {link_report.count('cache')} from the last day's cache, "
            f"{link_report.count('file')} in the published site, "
            f"{link_report.count('mailto')} email addresses)"
        )
    errors = sum(f.severity == "error" for f in findings)
    summary = f"{errors} errors, {len(findings) - errors} warnings"
    if errors:
        raise CheckFailed(f"{summary}: fix the errors before sending", path=issue)
    size = f"HTML {report.html_bytes / 1024:.0f} KB"
    console.print(f"{escape(str(issue))}: ready to send ({summary}, {size})")


def new(
    source: Annotated[
        Path | None,
        typer.Option(
            "--from", metavar="ISSUE", help="Start from this issue file (default: the latest one)."
        ),
    ] = None,
    when: Annotated[
        str | None,
        typer.Option(
            "--date", metavar="YYYY-MM-DD", help="The new issue's date (default: a month on)."
        ),
    ] = None,
) -> None:
    """Start the next issue from the last one: same shape, new date, events still to come.

    Subject and preheader say TODO (check fails until they are written); the guide comment
    stays at the top and an example of every block kind is at the bottom, commented out.
    Never overwrites a file.

    Example: newsletter new --date 2025-10-17
    """
    from newsletter_cli.authoring.new_issue import start_issue

    day = None
    if when is not None:
        try:
            day = date.fromisoformat(when)
        except ValueError:
            raise InputError(f"--date {when!r} is not a date (YYYY-MM-DD)") from None
    path, dropped = start_issue(Project.find(), source=source, when=day)
    console.print(f"Created {_relative(path)}: fill in every TODO, then run newsletter check.")
    if dropped:
        console.print(f"Left out {dropped} event(s) over before the new issue's date.")
    console.print("Examples of every block kind are at the bottom of the file, commented out.")


def register(app: typer.Typer) -> None:
    """Add build, check and new to the app."""
    app.command()(build)
    app.command()(check)
    app.command()(new)
