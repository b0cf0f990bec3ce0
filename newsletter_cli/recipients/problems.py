"""A problem found in the recipient files: reported, never silently swallowed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One data problem at ``path:line``.

    ``error`` means a row was left out (or a suppression could not work);
    ``warning`` means the data was used but looks wrong (a merged duplicate, a short row).
    ``keys`` are the tags of the affected row, or the list names of the affected
    definition: they decide which lists count the problem; None means every list.
    ``contact_row`` marks problems with a contact row (lists of everyone count them).
    ``suppression`` marks a suppression entry that could not be read: it blocks live sends.
    """

    path: str
    line: int | None
    message: str
    severity: Severity = "error"
    keys: frozenset[str] | None = None
    contact_row: bool = False
    suppression: bool = False

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"
