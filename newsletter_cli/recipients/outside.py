"""Symbolic links in recipients/ must stay inside the project folder.

A link to a file elsewhere on the machine (``/etc/passwd``, someone's home folder) would
be read as contacts and its lines quoted back in messages; it is refused before anything
is read, naming the link only.
"""

from __future__ import annotations

from pathlib import Path

from newsletter_cli.errors import InputError


def refuse_links_outside(root: Path, folder: Path) -> None:
    """InputError for the first link in ``folder`` (or ``folder`` itself) leaving ``root``."""
    inside = root.resolve()
    for entry in (folder, *sorted(folder.iterdir())):
        if not entry.is_symlink():
            continue
        if entry.resolve().is_relative_to(inside):
            continue  # a link to another file of the project is fine
        try:
            shown = entry.relative_to(root).as_posix()
        except ValueError:
            shown = str(entry)
        raise InputError(
            "is a symbolic link to something outside the project folder: refused",
            path=shown,
            hint="copy the file into recipients/ instead of linking to it",
        )
