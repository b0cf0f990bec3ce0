"""Block kinds a template declares without Python: ``templates/<t>/blocks/<kind>.yaml``.

A declaration names the kind's fields and their types; the partial beside it
(``<kind>.mjml.j2``, and optionally ``<kind>.txt.j2``) shows them. Each declaration
becomes a pydantic model built with ``create_model``, so an issue's declared blocks are
validated exactly like the built-in ones (same messages, same file:line). Mistakes in
a declaration file are reported at its own file and line.

    # templates/regional-update/blocks/vacancy.yaml
    description: A job or secondment on offer
    heading: title              # the field "In this issue" shows (default: heading or title)
    fields:
      title: {type: str, required: true}
      body: markdown             # short form: just the type
      closing: {type: date, required: true}
      apply: {type: url}
      hours: {type: str, default: "Full time"}
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    create_model,
)

from newsletter_cli.errors import InputError
from newsletter_cli.model.blocks.builtin import BUILTIN_KINDS, Block
from newsletter_cli.model.parts import When, check_link_url
from newsletter_cli.sourcefile import line_of, load_yaml, validate

FieldType = Literal["str", "markdown", "url", "date", "datetime", "list", "bool"]
KIND_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
#: Names a declared field cannot take: the block's own machinery.
RESERVED = {"kind", "only_for", "label", "line", "declaration", "field_types"} | {
    name for name in dir(Block) if not name.startswith("__")
} - {"heading"}


def _date_only(value: date) -> date:
    if isinstance(value, datetime):
        raise ValueError("write a date as YYYY-MM-DD (no time)")
    return value


def _with_time(value: date) -> datetime:
    if not isinstance(value, datetime):
        raise ValueError("write a date and time as YYYY-MM-DD HH:MM")
    return value


Url = Annotated[str, AfterValidator(check_link_url)]
TYPES: dict[str, Any] = {
    "str": str,
    "markdown": str,
    "url": Url,
    "date": Annotated[When, AfterValidator(_date_only)],
    "datetime": Annotated[When, AfterValidator(_with_time)],
    "list": list[str],
    "bool": bool,
}
EMPTY: dict[str, Any] = {"str": "", "markdown": "", "list": [], "bool": False}


def _short_form(value: Any) -> Any:
    return {"type": value} if isinstance(value, str) else value


class FieldSpec(BaseModel):
    """One field of a declared kind."""

    model_config = ConfigDict(extra="forbid", defer_build=True)
    type: FieldType
    required: bool = False
    default: Any = None
    description: str = ""


class Declaration(BaseModel):
    """A declaration file: what the kind is, which field is its heading, its fields."""

    model_config = ConfigDict(extra="forbid", defer_build=True)
    description: str = ""
    heading: str | None = None
    fields: dict[str, Annotated[FieldSpec, BeforeValidator(_short_form)]] = Field(min_length=1)


class DeclaredBlock(Block):
    """The base of every declared kind."""

    declaration: ClassVar[Declaration]
    #: Field name -> declared type ('str', 'markdown', 'url', ...), in declaration order.
    field_types: ClassVar[dict[str, str]] = {}
    source: ClassVar[Path]

    def link_lists(self) -> Iterator[Any]:
        return iter(())


class _HeadedBlock(DeclaredBlock):
    """A declared kind whose heading is another field (or none)."""

    heading_field: ClassVar[str | None] = None

    @property
    def heading(self) -> str:
        return str(getattr(self, self.heading_field) or "") if self.heading_field else ""


def _fail(message: str, path: Path, data: Any, loc: tuple[Any, ...]) -> InputError:
    return InputError(message, path=path, line=line_of(data, loc) or 1)


def _field(name: str, spec: FieldSpec, path: Path, data: Any) -> tuple[Any, Any]:
    """(annotation, FieldInfo) for one declared field, its default checked against its type."""
    annotation = TYPES[spec.type]
    if spec.required:
        if spec.default is not None:
            raise _fail(f"fields.{name}: a required field takes no default", path, data,
                        ("fields", name, "default"))
        if spec.type in {"str", "markdown", "url", "list"}:
            return annotation, Field(min_length=1, description=spec.description)
        return annotation, Field(description=spec.description)
    if spec.default is None:
        if spec.type in EMPTY:
            return annotation, Field(default=EMPTY[spec.type], description=spec.description)
        return annotation | None, Field(default=None, description=spec.description)
    try:
        TypeAdapter(annotation).validate_python(spec.default)
    except ValidationError as exc:
        reason = exc.errors()[0]["msg"].removeprefix("Value error, ")
        reason = reason[:1].lower() + reason[1:]
        raise _fail(f"fields.{name}.default: not a {spec.type}: {reason}", path, data,
                    ("fields", name, "default")) from None
    return annotation, Field(default=spec.default, validate_default=True,
                             description=spec.description)


def _heading_field(declaration: Declaration, path: Path, data: Any) -> str | None:
    if declaration.heading is None:
        return next((n for n in ("heading", "title") if n in declaration.fields), None)
    spec = declaration.fields.get(declaration.heading)
    if spec is None or spec.type != "str":
        raise _fail(f"heading: {declaration.heading!r} is not one of this kind's str fields",
                    path, data, ("heading",))
    return declaration.heading


def load_declaration(path: Path) -> type[DeclaredBlock]:
    """Read ``blocks/<kind>.yaml`` and build the kind's model; InputError at file:line."""
    kind = path.stem
    if not KIND_NAME.match(kind):
        raise InputError("a block kind's name is lower-case letters, digits and hyphens "
                         f"(got {kind!r})", path=path)
    if kind in BUILTIN_KINDS:
        raise InputError(f"{kind!r} is a built-in block kind; give this file another name",
                         path=path)
    if not path.with_name(f"{kind}.mjml.j2").is_file():
        raise InputError(f"no partial {kind}.mjml.j2 beside this file to show the block",
                         path=path)
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise InputError("a block declaration is 'fields:' and, optionally, 'description:' "
                         "and 'heading:'", path=path, line=1)
    declaration = validate(Declaration, data, path)
    fields: dict[str, Any] = {"kind": (Literal[kind], ...)}  # type: ignore[valid-type]
    for name, spec in declaration.fields.items():
        if not FIELD_NAME.match(name) or keyword.iskeyword(name):
            raise _fail(f"fields.{name}: a field name is lower-case letters, digits and _",
                        path, data, ("fields", name))
        if name in RESERVED:
            raise _fail(f"fields.{name}: {name!r} is reserved; choose another name",
                        path, data, ("fields", name))
        fields[name] = _field(name, spec, path, data)
    heading = _heading_field(declaration, path, data)
    base: type[DeclaredBlock] = DeclaredBlock if "heading" in declaration.fields else _HeadedBlock
    namespace = {
        "declaration": declaration,
        "field_types": {name: spec.type for name, spec in declaration.fields.items()},
        "source": path,
        "markdown_fields": tuple(n for n, s in declaration.fields.items() if s.type == "markdown"),
        "url_fields": tuple(n for n, s in declaration.fields.items() if s.type == "url"),
    }
    if base is _HeadedBlock:
        namespace["heading_field"] = heading
    class_name = "".join(part.capitalize() for part in kind.split("-")) + "Block"
    kind_base = type(f"{class_name}Base", (base,), {"__module__": __name__, **namespace})
    model = create_model(class_name, __base__=kind_base, __module__=__name__, **fields)
    model.__doc__ = declaration.description or f"The {kind!r} block kind ({path.name})."
    return model


def declaration_files(template_folder: Path) -> list[Path]:
    """The declaration files in a template's blocks/ folder, by name."""
    folder = template_folder / "blocks"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix == ".yaml" and p.is_file())

