"""What a check found: an error (stops a send) or a warning (for a person to judge).

The value types every check shares (the issue check, the link check, the web-edition
checks), kept at the bottom of the package so any layer may report findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    severity: Severity
    message: str
    block: str | None = None
    line: int | None = None
    #: The file the line is in, when it is not the issue file (newsletter.toml, a template).
    path: str | None = None


def file_order(finding: Finding) -> tuple[bool, str, int]:
    """Sort key: the issue file's findings first, top to bottom (those about the whole
    issue before any line), then each other file's, by line."""
    return (finding.path is not None, finding.path or "", finding.line or 0)


class Findings:
    """Errors and warnings of a report that holds ``findings``."""

    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]
