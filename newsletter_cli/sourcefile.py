"""Read a user's YAML file and validate it, keeping line numbers for every message."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from newsletter_cli.errors import InputError, raise_all
from newsletter_cli.fieldhints import known_fields, lookalike, other_kinds_with, synonym
from newsletter_cli.yamlhints import explain

M = TypeVar("M", bound=BaseModel)
Loc = Sequence[str | int]

#: Lists and fields inside each other: an issue needs about ten levels.
MAX_NESTING = 100
#: Values that YAML aliases (``*name``) may stand for in one file, all told. Each alias
#: repeats its anchor's values; aliases of aliases multiply, so 2.6 KB could stand for
#: billions of values. A file may use aliases, but not to grow past this.
MAX_ALIASED_VALUES = 10_000


class _TooLarge(Exception):
    """The YAML would nest too deep, or expand too far through aliases, at ``line``."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _bounded_composer():
    """ruamel's Composer, refusing deep nesting and alias expansion as it reads."""
    from ruamel.yaml.composer import Composer
    from ruamel.yaml.events import AliasEvent

    class BoundedComposer(Composer):
        def __init__(self, loader: Any = None) -> None:
            super().__init__(loader=loader)
            self._nesting = 0
            self._aliased = 0  # values the aliases stand for so far
            self._sizes: dict[int, int] = {}  # id(anchored node) -> values in it, expanded
            self._counts: list[int] = []  # values inside each node being read

        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.parser.peek_event()
            line = event.start_mark.line + 1
            if isinstance(event, AliasEvent):
                target = self.anchors.get(event.anchor)
                size = self._sizes.get(id(target), 1)
                self._aliased += size
                if self._aliased > MAX_ALIASED_VALUES:
                    raise _TooLarge(
                        f"the alias *{event.anchor} repeats {size:,} values, and the aliases "
                        f"so far stand for more than {MAX_ALIASED_VALUES:,}: write the "
                        "values out instead of repeating them with & and *",
                        line,
                    )
                if self._counts:
                    self._counts[-1] += size
                return super().compose_node(parent, index)
            self._nesting += 1
            if self._nesting > MAX_NESTING:
                how = ("'[' or '{' opened inside each other" if getattr(event, "flow_style", None)
                       else "lists and fields indented inside each other")  # fmt: skip
                raise _TooLarge(f"nested too deeply: {how} more than {MAX_NESTING} times "
                                "by this line", line)  # fmt: skip
            self._counts.append(0)
            node = super().compose_node(parent, index)
            size = 1 + self._counts.pop()
            self._nesting -= 1
            if self._counts:
                self._counts[-1] += size
            if event.anchor is not None:
                self._sizes[id(node)] = size
            return node

    return BoundedComposer


def _bounded_scanner(base: type) -> type:
    """ruamel's Scanner, refusing '[' and '{' nested too deep as soon as it meets them
    (it would otherwise look ahead through all of them, in time growing as their square)."""

    class BoundedScanner(base):  # type: ignore[misc,valid-type]
        def fetch_flow_collection_start(self, TokenClass: Any, to_push: Any) -> None:
            if len(self.flow_context) >= MAX_NESTING:
                raise _TooLarge(f"nested too deeply: '[' or '{{' opened inside each other "
                                f"more than {MAX_NESTING} times by this line",
                                self.reader.line + 1)  # fmt: skip
            super().fetch_flow_collection_start(TokenClass, to_push)

    return BoundedScanner


def read_text(path: Path) -> str:
    """A file's text, or an InputError that names it."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", path=path) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", path=path) from None


def load_yaml(path: Path) -> Any:
    """Parse a YAML file with ruamel (round-trip mode keeps line numbers)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError

    text = read_text(path)
    yaml = YAML(typ="rt")
    yaml.Composer = _bounded_composer()
    yaml.Scanner = _bounded_scanner(yaml.Scanner)
    # Keep dates as text: the schema parses them and can name the line of a bad one.
    yaml.constructor.add_constructor(
        "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
    )
    try:
        return yaml.load(text)
    except MarkedYAMLError as exc:
        problem, line = explain(exc, text)
        raise InputError(f"YAML syntax: {problem}", path=path, line=line) from None
    except ReaderError as exc:  # a NUL byte or another character YAML does not allow
        line = text.count("\n", 0, exc.position) + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[0])
        what = "a NUL byte" if code == 0 else f"the control character U+{code:04X}"
        raise InputError(
            f"contains {what}, which a text file cannot hold", path=path, line=line
        ) from None
    except YAMLError as exc:
        raise InputError(f"YAML syntax: {' '.join(str(exc).split())}", path=path) from None
    except _TooLarge as exc:
        raise InputError(exc.message, path=path, line=exc.line) from None


def line_of(data: Any, loc: Loc) -> int | None:
    """The 1-based line of the deepest node along ``loc`` that ruamel knows about."""
    line = None
    node = data
    for key in loc:
        lc = getattr(node, "lc", None)
        try:
            if isinstance(key, int) and isinstance(node, list):
                if lc is not None and key < len(node):
                    line = lc.item(key)[0] + 1
                node = node[key]
            elif isinstance(node, dict) and key in node:
                if lc is not None:
                    line = lc.key(key)[0] + 1
                node = node[key]
            else:
                break
        except (KeyError, IndexError, TypeError):
            break
    if line is None and getattr(data, "lc", None) is not None:
        line = data.lc.line + 1
    return line


def describe_loc(loc: Loc) -> str:
    """('blocks', 2, 'events', 0, 'start') -> 'blocks[3].events[1].start' (1-based)."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += ("." if text else "") + str(part)
    return text


def _message(err: dict[str, Any]) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        return "is not a field here (check the spelling)"
    if kind == "union_tag_invalid":
        return (
            f"unknown block kind {ctx.get('tag')!r} "
            f"(expected one of: {ctx.get('expected_tags', '').replace(chr(39), '')})"
        )
    if kind == "union_tag_not_found":
        return f"needs a 'kind' (one of: {', '.join(_UNION_TAGS)})"
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    value = err.get("input")
    if isinstance(value, (str, int, float)) and kind not in {"missing"}:
        return f"{msg[0].lower()}{msg[1:]} (got {value!r})"
    return msg[0].lower() + msg[1:]


def _strip_tags(loc: Loc) -> tuple[str | int, ...]:
    """Drop pydantic's union-member tags ('foreword', 'function-before[...]') from a loc."""
    out: list[str | int] = []
    previous: str | int | None = None
    for part in loc:
        tag = isinstance(part, str) and isinstance(previous, int) and part in _UNION_TAGS
        if not (tag or (isinstance(part, str) and "[" in part)):
            out.append(part)
        previous = part
    return tuple(out)


_UNION_TAGS: dict[str, None] = {}  # an ordered set: the block kinds, built-in ones first


def register_union_tags(*tags: str) -> None:
    """Tell error reporting which loc parts are discriminator tags, not field names."""
    _UNION_TAGS.update(dict.fromkeys(tags))


def _without_doubles(errors: list[Any]) -> list[Any]:
    """The errors to report: a missing field beside an unknown one is left out.

    ``titel: ...`` makes both "title is missing" and "titel is not a field"; the second
    names the line to fix.
    """
    unknown = {_strip_tags(e["loc"])[:-1] for e in errors if e["type"] == "extra_forbidden"}
    return [
        e for e in errors
        if not (e["type"] == "missing" and _strip_tags(e["loc"])[:-1] in unknown)
    ]  # fmt: skip


def _unknown_field(model: type[BaseModel], data: Any, loc: tuple[str | int, ...]) -> str:
    """'is not a field here' and the field it most likely meant (or the ones allowed)."""
    fields = known_fields(model, data, loc) or []
    name = str(loc[-1]) if loc else ""
    guess = synonym(name, fields)
    kinds = other_kinds_with(model, data, loc) if loc else []
    if guess is None and kinds:
        here = _get(_node_at(data, loc[:-1]), "kind")
        return _belongs_to(kinds, here)
    guess = guess or lookalike(name, fields)
    if guess is not None:
        return f"is not a field here: did you mean {guess!r}?"
    shown = [f for f in fields if f not in ("kind", "only_for")] + (
        ["only_for"] if "only_for" in fields else []
    )
    if shown:
        return f"is not a field here (the fields here: {', '.join(shown)})"
    return "is not a field here (check the spelling)"


def _belongs_to(kinds: list[str], here: Any) -> str:
    """(deadline:) 'belongs to event blocks (kind: event), not article blocks'."""
    listed = " or ".join(kinds)
    which = " or ".join(f"kind: {k}" for k in kinds)
    return f"belongs to {listed} blocks ({which})" + (f", not {here} blocks" if here else "")


def _not_a_list(data: Any, loc: tuple[str | int, ...]) -> str:
    """A list written without its '- ': say so, with the line as it should start."""
    name = str(loc[-1]) if loc else "this"
    item = ITEM_NAMES.get(name, "item")
    value = _node_at(data, loc)
    if isinstance(value, dict) and value:
        first = next(iter(value))
        return (f"{name} must be a list: put '- ' before each {item}, e.g. '- {first}: ...', "
                f"with the {item}'s other fields lined up under {first!r}")  # fmt: skip
    brackets = f", or all in brackets: {name}: [{value}]" if isinstance(value, str) else ""
    return (f"{name} must be a list: write each {item} on a line of its own starting with '- '"
            + brackets)  # fmt: skip


def _not_fields(loc: tuple[str | int, ...], value: Any) -> str:
    """A link written as a bare address, or another item that needs 'field: value' lines."""
    in_list = len(loc) > 1 and isinstance(loc[-1], int)
    name = str(loc[-2]) if in_list else str(loc[-1]) if loc else ""
    item = ITEM_NAMES.get(name, "this")
    if item == "link" and isinstance(value, str):
        return (f"a link needs its text and its address: write '- text: \"...\"' and, lined up "
                f"under 'text', 'url: \"{value}\"'")  # fmt: skip
    return f"{'a ' + item if item != 'this' else 'this'} must be a set of 'field: value' lines"


#: What one item of a list is called in messages: 'blocks' -> 'block 4'.
ITEM_NAMES = {"blocks": "block", "events": "event", "people": "person", "sessions": "session",
              "links": "link", "only_for": "name"}  # fmt: skip


def _get(node: Any, key: str | int) -> Any:
    """``node[key]`` for parsed YAML (a dict or list) or a model's field; None if absent."""
    try:
        if isinstance(node, (dict, list)):
            return node[key]  # type: ignore[index]
        return getattr(node, key, None) if isinstance(key, str) else None
    except (KeyError, IndexError, TypeError):
        return None


def _node_at(data: Any, loc: Loc) -> Any:
    node = data
    for key in loc:
        node = _get(node, key)
    return node


def _item_label(name: str, item: Any) -> str:
    """'block 4 (event "Care Leavers Workshop")', 'link 2 ("Book")', 'person 1 ("Ann")'."""
    title = next((t for k in ("heading", "title", "name", "text", "label")
                  if isinstance(t := _get(item, k), str) and t.strip()), "")  # fmt: skip
    title = "".join(c for c in " ".join(title.split()) if c.isprintable())  # no U+FFFE...
    title = f'"{title[:47]}..."' if len(title) > 50 else f'"{title}"' if title else ""
    kind = _get(item, "kind") if name == "blocks" else None
    kind = kind if isinstance(kind, str) and kind else ""
    about = " ".join(p for p in (kind, title) if p)
    return f" ({about})" if about else ""


def describe_place(data: Any, loc: Loc) -> str:
    """Where ``loc`` is, in words: ('blocks', 3, 'deadline') ->
    'block 4 (event "Care Leavers Workshop"), deadline' (numbered from 1, as people count).

    ``data`` is the parsed YAML or the validated model, for the kinds and headings.
    """
    parts: list[str] = []
    node = data
    keys: list[str] = []
    for index, part in enumerate(loc):
        if isinstance(part, int):
            name = str(loc[index - 1]) if index else ""
            if keys and keys[-1] == name:
                keys.pop()
            if keys:
                parts.append(".".join(keys))
                keys = []
            node = _get(node, part)
            item = ITEM_NAMES.get(name, f"{name} item" if name else "item")
            parts.append(f"{item} {part + 1}{_item_label(name, node)}")
        else:
            keys.append(str(part))
            node = _get(node, part)
    if keys:
        parts.append(".".join(keys))
    return ", ".join(parts)


def _problem(model: type[BaseModel], data: Any, err: Any, path: Path) -> InputError:
    """One validation error as ``path:line: place: what is wrong``."""
    loc = _strip_tags(err["loc"])
    message = _message(err)
    if err["type"] == "extra_forbidden":
        message = _unknown_field(model, data, loc)
    elif err["type"] == "list_type":
        message = _not_a_list(data, loc)
    elif err["type"] == "model_type":
        message = _not_fields(loc, err.get("input"))
    elif err["type"] == "bool_parsing":
        message = f"write true or false (got {err.get('input')!r})"
    field = describe_place(data, loc)
    text = f"{field}: {message}" if field else message
    return InputError(text, path=path, line=line_of(data, loc))


def validate_all(model: type[M], data: Any, path: Path) -> tuple[M | None, list[InputError]]:
    """Validate parsed YAML against a pydantic model: (the model, []) or (None, every
    mistake as an InputError naming its line, in line order)."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        found = [_problem(model, data, e, path) for e in _without_doubles(exc.errors())]
        unique = list({str(p): p for p in found}.values())
        return None, sorted(unique, key=lambda p: p.line or 0)


def validate(model: type[M], data: Any, path: Path) -> M:
    """Validate parsed YAML against a pydantic model; every mistake is reported at once
    (InputError for one, InputErrors for several)."""
    result, problems = validate_all(model, data, path)
    raise_all(problems)
    assert result is not None
    return result
