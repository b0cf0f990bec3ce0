"""`newsletter template diff` and `template copy`: a project's own copy of a template.

A copied template (``newsletter init --copy-template`` or ``newsletter template copy``)
never receives the tool's later fixes; ``diff`` shows, file by file, what the copy changed
and what it is missing.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from newsletter_cli.errors import InputError, UnknownNameError
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


def _builtin(name: str) -> Path:
    """The built-in template ``name``; UnknownNameError naming the ones there are."""
    builtin = BUILTIN_TEMPLATES / name
    plain = "/" not in name and "\\" not in name and not name.startswith(".")
    if not plain or not (builtin / TEMPLATE_MAIN).is_file():
        known = sorted(p.name for p in BUILTIN_TEMPLATES.iterdir() if p.is_dir())
        raise UnknownNameError(
            f"there is no built-in template {name!r}",
            hint=f"the built-in templates: {', '.join(known)}",
        )
    return builtin


def copy_template(project: Project, name: str) -> list[Path]:
    """Copy the built-in template ``name`` into ``templates/<name>/``; never overwrite.

    Refused (nothing written) when ``templates/<name>/`` already exists: its files are the
    team's own. Returns the files written.
    """
    builtin, own = _builtin(name), project.templates_dir / name
    if own.exists() or own.is_symlink():
        raise InputError(
            f"templates/{name} is already there: nothing was copied",
            path=own,
            hint="'newsletter template diff' shows how it differs from the built-in one",
        )
    written = []
    for rel, source in _files(builtin).items():
        target = own / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "xb") as handle:  # "x": never over a file that appeared meanwhile
            handle.write(source.read_bytes())
        written.append(target)
    return written


def template_diff(project: Project, name: str) -> TemplateDiff:
    """Compare ``templates/<name>/`` with the built-in template of that name."""
    own, builtin = project.templates_dir / name, _builtin(name)
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
