"""`newsletter build`, `newsletter check` and `newsletter new`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from newsletter_cli.cli.app import app
from newsletter_cli.cli.output import console, err_console
from newsletter_cli.cli.params import IssueArg, ListOpt, resolve_issue
from newsletter_cli.errors import CheckFailed, InputError
from newsletter_cli.project import Project


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def date_option(text: str) -> date:
    """The day `--date` names; a mistake said in words (exit 2)."""
    from newsletter_cli.datefmt import parse_day

    try:
        return parse_day(text)
    except ValueError as exc:
        raise InputError(f"--date {exc}") from None


@app.command()
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

    Example: newsletter build regional-update --list dcs
    """
    from newsletter_cli.build import GMAIL_CLIP_BYTES, build_issue

    result = build_issue(issue, Project.of_issue(issue), out=out, list_name=list_name)
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


@app.command()
def check(
    issue: IssueArg,
    links: Annotated[
        bool,
        typer.Option(
            "--links/--no-links",
            help="Try every link in the email and the web page, as send does (good answers "
            "are kept for a day). --no-links: quicker, but then it cannot say ready to send.",
        ),
    ] = True,
) -> None:
    """Check an issue before sending: everything send would refuse on, links included.

    Exits 0 when it is ready to send, 1 when its checks find errors, and 2 when the issue
    file cannot be read (a YAML mistake or a wrong field: the message names file and line).

    Says "ready to send" only when a real send of the issue would go (with --no-links:
    "links not tried").

    Example: newsletter check regional-update
    """
    from newsletter_cli.checks import run_checks
    from newsletter_cli.model.issue import load_issue

    project = Project.of_issue(issue)
    loaded = load_issue(issue)
    report = run_checks(loaded, project)
    findings = list(report.findings)
    link_report = None
    if links:
        from newsletter_cli.links.check import check_links

        link_report = check_links(loaded, project)
        findings += link_report.findings
    _show_findings(issue, findings)
    if link_report is not None:
        _show_links(link_report)
    _verdict(issue, findings, report.html_bytes, links_tried=links)


def _show_findings(issue: Path, findings: list) -> None:
    """One line per finding: file:line: severity: message [block]."""
    from rich.markup import escape

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


def _show_links(link_report) -> None:
    """What the link check did: redirects, and how many links were tried how."""
    from rich.markup import escape

    for result in link_report.redirected:
        console.print(f"note: {escape(result.url)} redirects to {escape(result.final_url)}")
    console.print(
        f"links: {len(link_report.results)} checked ({link_report.count('http')} over the "
        f"network, {link_report.count('cache')} from the last day's cache, "
        f"{link_report.count('file')} in the published site, "
        f"{link_report.count('mailto')} email addresses)"
    )


def _verdict(issue: Path, findings: list, html_bytes: int, *, links_tried: bool) -> None:
    """The one verdict: "ready to send" only when a live send would go; else CheckFailed."""
    from rich.markup import escape

    errors = [f for f in findings if f.severity == "error"]
    todo = [f for f in errors if f.kind == "placeholder"]
    warnings = len(findings) - len(errors)
    summary = (f"{len(errors)} error{'s' * (len(errors) != 1)}, "
               f"{warnings} warning{'s' * (warnings != 1)}")  # fmt: skip
    untried = "" if links_tried else "; links not tried"
    if errors and len(todo) == len(errors):
        raise CheckFailed(
            f"ready except {len(todo)} link{'s' if len(todo) != 1 else ''} still TODO "
            f"({summary}{untried}): fill in their addresses",
            path=issue,
        )
    if errors:
        raise CheckFailed(f"{summary}{untried}: fix the errors before sending", path=issue)
    size = f"HTML {html_bytes / 1024:.0f} KB"
    if not links_tried:
        console.print(
            f"{escape(str(issue))}: no errors, but links not tried ({summary}, {size}); "
            "check without --no-links before sending"
        )
        return
    console.print(f"{escape(str(issue))}: ready to send ({summary}, {size})")


@app.command()
def new(
    source: Annotated[
        Path | None,
        typer.Option(
            "--from", metavar="ISSUE", callback=resolve_issue,
            help="Start from this issue: a file or short name (default: the latest one).",
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

    day = None if when is None else date_option(when)
    project = Project.of_issue(source) if source else Project.find()
    path, dropped = start_issue(project, source=source, when=day)
    console.print(f"Created {_relative(path)}: fill in every TODO, then run newsletter check.")
    if dropped:
        console.print(f"Left out {dropped} event(s) over before the new issue's date.")
    console.print("Examples of every block kind are at the bottom of the file, commented out.")
