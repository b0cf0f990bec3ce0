"""Read a user's YAML file and validate it, keeping line numbers for every message."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from newsletter_cli.errors import InputError
from newsletter_cli.fieldhints import known_fields, nearest
from newsletter_cli.yamlhints import explain, reserved_start

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
    if (reserved := reserved_start(text)) is not None:  # read as YAML markup, often silently
        raise InputError(f"YAML syntax: {reserved[0]}", path=path, line=reserved[1])
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


def _first_error(errors: list[Any]) -> Any:
    """The error to report: the first, unless it is a missing field beside an unknown one.

    ``titel: ...`` makes both "title is missing" and "titel is not a field"; the second
    names the line to fix.
    """
    first = errors[0]
    if first["type"] == "missing":
        parent = _strip_tags(first["loc"])[:-1]
        for err in errors[1:]:
            if err["type"] == "extra_forbidden" and _strip_tags(err["loc"])[:-1] == parent:
                return err
    return first


def _unknown_field(model: type[BaseModel], data: Any, loc: tuple[str | int, ...]) -> str:
    """'is not a field here' and the field it most likely meant (or the ones allowed)."""
    fields = known_fields(model, data, loc) or []
    guess = nearest(str(loc[-1]), fields) if loc else None
    if guess is not None:
        return f"is not a field here: did you mean {guess!r}?"
    shown = [f for f in fields if f not in ("kind", "only_for")] + (
        ["only_for"] if "only_for" in fields else []
    )
    if shown:
        return f"is not a field here (the fields here: {', '.join(shown)})"
    return "is not a field here (check the spelling)"


def validate(model: type[M], data: Any, path: Path) -> M:
    """Validate parsed YAML against a pydantic model; the first error becomes an InputError."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = _first_error(exc.errors())
        loc = _strip_tags(err["loc"])
        field = describe_loc(loc)
        message = _message(err)
        if err["type"] == "extra_forbidden":
            message = _unknown_field(model, data, loc)
        text = f"{field}: {message}" if field else message
        raise InputError(text, path=path, line=line_of(data, loc)) from None
