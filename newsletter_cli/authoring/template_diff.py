"""`newsletter template diff`: how a project's copy of a template differs from the built-in one.

A copied template (``newsletter init --copy-template``) never receives the tool's later
fixes; this shows, file by file, what the copy changed and what it is missing.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from newsletter_cli.errors import UnknownNameError
from newsletter_cli.project import BUILTIN_TEMPLATES, TEMPLATE_MAIN, Project


@dataclass(frozen=True)
class TemplateDiff:
    """A unified diff per file that differs (built-in first, the copy second)."""

    name: str
    own: Path
    builtin: Path
    files: dict[str, list[str]]
    #: False when the project has no copy: it uses the built-in template (nothing to show).
    copied: bool = True


def _files(folder: Path) -> dict[str, Path]:
    """Every file under ``folder`` by its relative path (with /), caches left out."""
    if not folder.is_dir():
        return {}
    return {
        path.relative_to(folder).as_posix(): path
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def _lines(path: Path | None) -> list[str]:
    if path is None:
        return []
    try:
        return path.read_text(encoding="utf-8").splitlines(keepends=True)
    except UnicodeDecodeError:  # an image: compared as bytes, shown as one line
        return [f"(binary file, {path.stat().st_size:,} bytes)\n"]


def template_diff(project: Project, name: str) -> TemplateDiff:
    """Compare ``templates/<name>/`` with the built-in template of that name."""
    own, builtin = project.templates_dir / name, BUILTIN_TEMPLATES / name
    if not (builtin / TEMPLATE_MAIN).is_file():
        known = sorted(p.name for p in BUILTIN_TEMPLATES.iterdir() if p.is_dir())
        raise UnknownNameError(
            f"there is no built-in template {name!r} to compare with",
            hint=f"the built-in templates: {', '.join(known)}",
        )
    if not own.is_dir():
        return TemplateDiff(name, own, builtin, {}, copied=False)
    ours, theirs = _files(own), _files(builtin)
    diffs: dict[str, list[str]] = {}
    for rel in sorted(set(ours) | set(theirs)):
        mine, base = ours.get(rel), theirs.get(rel)
        if mine is not None and base is not None and mine.read_bytes() == base.read_bytes():
            continue
        diffs[rel] = list(difflib.unified_diff(
            _lines(base), _lines(mine),
            fromfile=f"built-in/{name}/{rel}" if base else "/dev/null",
            tofile=f"templates/{name}/{rel}" if mine else "/dev/null",
        ))  # fmt: skip
    return TemplateDiff(name, own, builtin, diffs)
