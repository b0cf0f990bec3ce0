"""An unknown field in a YAML file: the known field it most likely meant.

``venue`` -> ``location`` (a word people use for the same thing), ``deadine`` ->
``deadline`` (a typo). The known fields are those of the model at that place in the
file: an event's, a link's, a person's, or a block kind's (built-in or declared by a
template), found by walking the schema along the error's location.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel

#: Words people write for a field that has another name. Only offered where it exists.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "venue": ("location",), "place": ("location",), "where": ("location",),
    "address": ("location",), "room": ("location",),
    "date": ("start", "issue_date"), "time": ("start",), "starts": ("start",),
    "begin": ("start",), "from": ("start",), "finish": ("end",), "ends": ("end",),
    "until": ("end",), "to": ("end",),
    "price": ("cost",), "fee": ("cost",), "fees": ("cost",), "charge": ("cost",),
    "closing": ("deadline",), "closing_date": ("deadline",), "book_by": ("deadline",),
    "booking_deadline": ("deadline",), "deadline_date": ("deadline",), "due": ("deadline",),
    "link": ("links", "url"), "url": ("links",), "href": ("url", "links"),
    "urls": ("links",), "booking_link": ("links",),
    "text": ("body", "description"), "content": ("body", "description"),
    "description": ("body",), "body": ("description", "text"), "summary": ("intro", "preheader"),
    "title": ("heading",), "heading": ("title",), "name": ("title", "heading"),
    "headline": ("heading", "title"), "subtitle": ("preheader",),
    "picture": ("image", "photo"), "photo": ("image",), "image": ("photo",),
    "img": ("image", "photo"), "alt_text": ("alt",), "description_alt": ("alt",),
    "email": ("contact",), "contact_email": ("contact",), "job_title": ("role",),
    "position": ("role",), "organization": ("organisation",), "org": ("organisation",),
    "audience": ("only_for",), "lists": ("only_for",), "only": ("only_for",),
    "for": ("only_for",), "signoff": ("sign_off",), "sign-off": ("sign_off",),
    "type": ("kind",), "block": ("kind",), "date_issued": ("issue_date",),
    "published": ("issue_date",), "label": ("text",), "button": ("text",),
}


def known_fields(model: type[BaseModel], data: Any, loc: tuple[Any, ...]) -> list[str] | None:
    """The field names allowed at ``loc[:-1]`` in ``data`` validated by ``model``."""
    found = _schema_at(model, data, loc[:-1])
    if found is None:
        return None
    target = _model_for(*found)
    if isinstance(target, type) and issubclass(target, BaseModel):
        return list(target.model_fields)
    return None


def other_kinds_with(model: type[BaseModel], data: Any, loc: tuple[Any, ...]) -> list[str]:
    """The ``kind`` of every other choice at ``loc[:-1]`` that has the field ``loc[-1]``.

    ``deadline`` on an article -> ['event']: the field is right, the block kind is not.
    """
    found = _schema_at(model, data, loc[:-1]) if loc else None
    if found is None:
        return []
    kinds = []
    for option in _unwrapped(found[0]):
        if isinstance(option, type) and issubclass(option, BaseModel):
            kind = option.model_fields.get("kind")
            if kind is not None and loc[-1] in option.model_fields:
                kinds += [str(k) for k in typing.get_args(kind.annotation)]
    return kinds


def _schema_at(model: type[BaseModel], data: Any, loc: tuple[Any, ...]) -> tuple[Any, Any] | None:
    """(the annotation, the parsed YAML) at ``loc`` in ``data`` validated by ``model``."""
    target: Any = model
    node = data
    for part in loc:
        target = _model_for(target, node)
        if isinstance(part, int):
            target = _item_type(target)
            try:
                node = node[part]
            except (IndexError, KeyError, TypeError):
                return None
        elif isinstance(target, type) and issubclass(target, BaseModel):
            field = target.model_fields.get(part)
            if field is None or not isinstance(node, dict):
                return None
            target, node = field.annotation, node.get(part)
        else:
            return None
    return target, node


def nearest(name: str, fields: list[str]) -> str | None:
    """The known field ``name`` most likely meant, or None."""
    return synonym(name, fields) or lookalike(name, fields)


def synonym(name: str, fields: list[str]) -> str | None:
    """The known field people mean by ``name`` (venue -> location), or None."""
    for candidate in SYNONYMS.get(_key(name), ()):
        if candidate in fields:
            return candidate
    return None


def lookalike(name: str, fields: list[str]) -> str | None:
    """The known field spelt most like ``name`` (deadine -> deadline), or None."""
    close = difflib.get_close_matches(_key(name), fields, n=1, cutoff=0.6)
    return close[0] if close else None


def _key(name: str) -> str:
    return name.strip().lower().replace(" ", "_")


def _unwrapped(annotation: Any) -> list[Any]:
    """The types an annotation allows: Optional, Union and Annotated opened up."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrapped(typing.get_args(annotation)[0])
    if origin is typing.Union or origin is types.UnionType:
        found = []
        for arg in typing.get_args(annotation):
            found += _unwrapped(arg)
        return found
    return [annotation]


def _item_type(annotation: Any) -> Any:
    for option in _unwrapped(annotation):
        if typing.get_origin(option) is list:
            return typing.get_args(option)[0]
    return None


def _model_for(annotation: Any, node: Any) -> Any:
    """The model among ``annotation``'s options that ``node`` is: by its ``kind`` if need be."""
    models = [
        t for t in _unwrapped(annotation) if isinstance(t, type) and issubclass(t, BaseModel)
    ]
    if len(models) <= 1:
        return models[0] if models else annotation
    kind = node.get("kind") if isinstance(node, dict) else None
    for model in models:
        field = model.model_fields.get("kind")
        if field is not None and kind in typing.get_args(field.annotation):
            return model
    return None
