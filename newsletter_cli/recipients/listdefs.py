"""The lists file (recipients/lists.yaml): named lists built from tags and other lists.

Each list is the union of contacts carrying any of its ``tags`` and the members of
its ``lists``, minus contacts with any ``exclude_tags`` or in any ``exclude_lists``.
``everyone: true`` starts from every contact. Mistakes in this file stop the tool
with ``lists.yaml:line: what is wrong``: a wrong list definition is never guessed at.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsletter_cli.errors import InputError
from newsletter_cli.recipients.tags import tag_key
from newsletter_cli.sourcefile import load_yaml

LISTS_FILE = "lists.yaml"
SETTINGS = ("description", "everyone", "tags", "lists", "exclude_tags", "exclude_lists")


@dataclass(frozen=True)
class ListDef:
    """One named list as written in the lists file."""

    name: str
    line: int
    description: str = ""
    everyone: bool = False
    tags: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    exclude_tags: tuple[str, ...] = ()
    exclude_lists: tuple[str, ...] = ()


def closest(name: str, known: Iterable[str], n: int = 3) -> list[str]:
    """The known names most like ``name`` (for 'did you mean' messages)."""
    return difflib.get_close_matches(name, list(known), n=n, cutoff=0.5)


def did_you_mean(name: str, known: Iterable[str]) -> str:
    near = closest(name, known)
    return f" (did you mean {' or '.join(repr(n) for n in near)}?)" if near else ""


def _line(node: Any, key: Any) -> int | None:
    lc = getattr(node, "lc", None)
    try:
        return lc.key(key)[0] + 1 if lc is not None else None
    except (KeyError, TypeError, AttributeError):
        return None


def _names(value: Any, where: str, shown: str, line: int | None) -> tuple[str, ...]:
    """A YAML list of names, or one string of names separated by commas, as keys."""
    items = re.split(r"[,;]", value) if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise InputError(
            f"{where}: write names separated by commas, e.g. 'tags: dcs, send-lead'",
            path=shown,
            line=line,
        )
    return tuple(dict.fromkeys(k for item in items if (k := tag_key(item))))


@dataclass
class ListsFile:
    """Every list definition, in file order, and where each setting was written."""

    shown: str
    lists: dict[str, ListDef]
    lines: dict[tuple[str, str], int]

    def line_of(self, name: str, setting: str | None = None) -> int:
        if setting is None:
            return self.lists[name].line
        return self.lines.get((name, setting), self.lists[name].line)


def read_lists_file(path: Path, shown: str, known_tags: Iterable[str] = ()) -> ListsFile:
    """Parse and check the lists file; any mistake is an InputError with its line.

    ``known_tags`` (the contacts' tags) make a tag written under ``lists:`` easy to spot.
    """
    if not path.is_file():
        raise InputError(
            "no lists file",
            path=shown,
            hint="create it to name your lists, e.g. 'dcs: {tags: [dcs]}' "
            "(see 'Recipients and lists' in the manual)",
        )
    try:
        data = load_yaml(path)
    except InputError as exc:  # name the file as the user knows it: recipients/lists.yaml
        raise InputError(exc.message, path=shown, line=exc.line, hint=exc.hint) from None
    if data is None:
        raise InputError("defines no lists", path=shown)
    if not isinstance(data, dict):
        raise InputError("must be a set of 'name:' entries, one per list", path=shown, line=1)
    lists: dict[str, ListDef] = {}
    lines: dict[tuple[str, str], int] = {}
    for raw_name, body in data.items():
        if raw_name == "_files":  # settings for the contact files (recipients/sources.py)
            continue
        line = _line(data, raw_name) or 1
        name = str(raw_name)
        if tag_key(name) != name:
            raise InputError(
                f"list name {name!r}: use lower case letters, digits and hyphens "
                f"(e.g. {tag_key(name) or 'send-network'!r})",
                path=shown,
                line=line,
            )
        if not isinstance(body, dict):
            raise InputError(
                f"list {name!r}: give its settings below it (tags:, lists:, ...)",
                path=shown,
                line=line,
            )
        values: dict[str, Any] = {}
        for setting, value in body.items():
            at = _line(body, setting) or line
            lines[(name, str(setting))] = at
            if setting not in SETTINGS:
                raise InputError(
                    f"list {name!r}: unknown setting {setting!r}"
                    f"{did_you_mean(str(setting), SETTINGS)} "
                    f"(expected: {', '.join(SETTINGS)})",
                    path=shown,
                    line=at,
                )
            if setting == "description":
                values[setting] = "" if value is None else " ".join(str(value).split())
            elif setting == "everyone":
                if not isinstance(value, bool):
                    raise InputError(f"list {name!r}: everyone: must be true or false",
                                     path=shown, line=at)
                values[setting] = value
            else:
                values[setting] = _names(value or [], f"list {name!r}: {setting}", shown, at)
        definition = ListDef(name=name, line=line, **values)
        if not (definition.everyone or definition.tags or definition.lists):
            raise InputError(
                f"list {name!r} includes nobody: give it tags:, lists: or everyone: true",
                path=shown,
                line=line,
            )
        lists[name] = definition
    result = ListsFile(shown, lists, lines)
    _check_references(result, set(known_tags))
    _check_cycles(result)
    return result


def _check_references(file: ListsFile, known_tags: set[str]) -> None:
    for definition in file.lists.values():
        for setting in ("lists", "exclude_lists"):
            for ref in getattr(definition, setting):
                if ref in file.lists:
                    continue
                tags_setting = setting.replace("lists", "tags")
                hint = f"tags go under '{tags_setting}:', list names under '{setting}:'"
                if ref in known_tags:
                    hint = f"{ref!r} is a tag: move it to '{tags_setting}:'"
                raise InputError(
                    f"list {definition.name!r}: {setting} names {ref!r}, which is not a "
                    f"list{did_you_mean(ref, file.lists)}",
                    path=file.shown,
                    line=file.line_of(definition.name, setting),
                    hint=hint,
                )


def _check_cycles(file: ListsFile) -> None:
    """Refuse lists that include each other in a loop (iterative: any depth is fine)."""
    done: set[str] = set()
    for first in file.lists:
        if first in done:
            continue
        path = [first]  # the chain being followed; ``todo`` holds what each still names
        on_path = {first}
        todo = [iter(_refs(file, first))]
        while todo:
            ref = next(todo[-1], None)
            if ref is None:
                done.add(path[-1])
                on_path.discard(path.pop())
                todo.pop()
            elif ref in on_path:
                loop = path[path.index(ref):] + [ref]
                if len(loop) > 8:  # thousands of names would not be one line
                    loop = [*loop[:3], f"... {len(loop) - 5} more ...", *loop[-2:]]
                raise InputError(
                    "lists include each other in a loop: " + " -> ".join(loop),
                    path=file.shown,
                    line=file.line_of(loop[0], "lists"),
                )
            elif ref not in done:
                path.append(ref)
                on_path.add(ref)
                todo.append(iter(_refs(file, ref)))


def _refs(file: ListsFile, name: str) -> tuple[str, ...]:
    definition = file.lists[name]
    return (*definition.lists, *definition.exclude_lists)
