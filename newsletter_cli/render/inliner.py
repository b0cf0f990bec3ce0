"""The template's CSS inlined with premailer; its CSS work kept between runs.

premailer parses the CSS and every style attribute MJML wrote with cssutils, which is
slow to import and slow to run. Both results depend only on the text parsed, so they are
kept in the user's cache folder (newsletter/css/), one file per CSS text: a build whose
CSS and styles were seen before never imports cssutils, and writes the same bytes.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import os
import sys
import threading
import types
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import platformdirs

IGNORE = 'data-premailer="ignore"'
#: What premailer and cssutils import only to fetch stylesheets over the network, which is
#: switched off: ``requests``, and ``urllib.request`` (with ``http.client`` and ``ssl``).
_IMPORTED_UNUSED = ("requests", "urllib.request")
#: Changed when the cache files' contents change meaning: older files are then not read.
CACHE_FORMAT = 1
#: The most style attributes one cache file keeps (beyond it, only those last used).
MAX_STYLES = 5000
_LOCK = threading.Lock()


def cache_folder(name: str) -> str | None:
    """``name`` in the user's cache folder (platformdirs: $XDG_CACHE_HOME or ~/.cache on
    Linux, %LOCALAPPDATA% on Windows, ~/Library/Caches on macOS) plus newsletter/, created
    if needed; None when it cannot be written."""
    folder = os.path.join(platformdirs.user_cache_dir("newsletter", appauthor=False), name)
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


class _OnFirstUse(types.ModuleType):
    """Stands in for a module a library imports but may never use; imports it when used."""

    def __getattr__(self, name: str) -> Any:
        return getattr(_import_quietly(self.__name__), name)


@contextmanager
def _stand_ins(names: tuple[str, ...]) -> Iterator[None]:
    """Stand-ins for ``names`` while a library is imported; they leave ``sys.modules`` at
    once, so anyone else importing those modules gets the real ones."""
    stand_ins = [n for n in names if n not in sys.modules]
    for name in stand_ins:
        sys.modules[name] = _OnFirstUse(name)
        parent, _, child = name.rpartition(".")
        if parent:  # ``urllib.request.x`` reaches it until the real one is imported
            setattr(importlib.import_module(parent), child, sys.modules[name])
    try:
        yield
    finally:
        for name in stand_ins:
            del sys.modules[name]


def _import_quietly(name: str) -> types.ModuleType:
    """Import ``name`` without loading ``requests`` or ``urllib.request`` for it."""
    if name not in sys.modules:
        with _stand_ins(tuple(n for n in _IMPORTED_UNUSED if n != name)):
            importlib.import_module(name)
    return sys.modules[name]


def premailer_module() -> types.ModuleType:
    """premailer, with cssutils imported only when premailer first uses it (a cache miss).

    Neither loads ``requests`` nor ``urllib.request``: they only fetch external
    stylesheets, which is switched off (about a fifth of ``newsletter build``).
    """
    if "premailer" not in sys.modules:
        with _stand_ins((*_IMPORTED_UNUSED, "cssutils")):
            import premailer  # noqa: F401
    import premailer

    return premailer


def premailer_and_cssutils() -> types.ModuleType:
    """premailer with its cssutils imported (neither loading the network modules)."""
    premailer = premailer_module()
    _quiet_cssutils()
    return premailer


@lru_cache(maxsize=1)
def _quiet_cssutils() -> types.ModuleType:
    """cssutils, imported as above, its warnings about CSS it does not know kept quiet
    (what premailer's ``cssutils_logging_*`` options do, without importing it up front)."""
    cssutils = _import_quietly("cssutils")
    cssutils.log.addHandler(logging.NullHandler())
    cssutils.log.setLevel(logging.CRITICAL)
    return cssutils


class CssCache:
    """What premailer worked out for one CSS text: its rules, and each style's pairs."""

    def __init__(self, path: str | None, data: dict[str, Any]) -> None:
        self.path = path
        self.sheets: dict[str, Any] = data.get("sheets", {})
        self.pairs: dict[str, list[tuple[str, str]]] = data.get("pairs", {})
        self.used: set[str] = set()
        self.changed = False

    @classmethod
    def load(cls, css: str, version: str) -> CssCache:
        """The cache for ``css`` (empty when there is none, or it cannot be read)."""
        key = json.dumps([CACHE_FORMAT, version, css])
        folder = cache_folder("css")
        path = None if folder is None else os.path.join(
            folder, hashlib.sha256(key.encode("utf-8")).hexdigest() + ".json")  # fmt: skip
        try:
            with open(path or "", encoding="utf-8") as file:
                return cls(path, _checked(json.load(file)))
        except (OSError, ValueError, TypeError, AttributeError):
            return cls(path, {})

    def save(self) -> None:
        """Write what was added, if anything (never half a file)."""
        if not self.changed or self.path is None:
            return
        if len(self.pairs) > MAX_STYLES:
            self.pairs = {k: v for k, v in self.pairs.items() if k in self.used}
        temporary = f"{self.path}.{os.getpid()}.tmp"
        try:
            with open(temporary, "w", encoding="utf-8") as file:
                json.dump({"sheets": self.sheets, "pairs": self.pairs}, file)
            os.replace(temporary, self.path)
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower

    def style_pairs(self, original: Any) -> Any:
        """premailer's ``csstext_to_pairs``, answered from the cache when it can be."""

        def pairs(csstext: str, validate: bool = True) -> list[tuple[str, str]]:
            key = f"{int(bool(validate))}{csstext}"
            found = self.pairs.get(key)
            if found is None:
                _quiet_cssutils()
                found = self.pairs[key] = [tuple(p) for p in original(csstext, validate)]
                self.changed = True
            self.used.add(key)
            return list(found)

        pairs._lock = original._lock  # type: ignore[attr-defined] - premailer's own reads it
        return pairs


def _checked(data: Any) -> dict[str, Any]:
    """A cache file's contents as Python values (tuples where premailer had tuples)."""
    sheets = {
        str(key): {
            "rules": [(tuple(int(n) for n in s), str(sel), str(b)) for s, sel, b in v["rules"]],
            "leftover": None if v["leftover"] is None else str(v["leftover"]),
        }
        for key, v in data["sheets"].items()
    }
    pairs = {str(k): [(str(a), str(b)) for a, b in v] for k, v in data["pairs"].items()}
    return {"sheets": sheets, "pairs": pairs}


@lru_cache(maxsize=1)
def _premailer_class() -> type:
    """premailer's Premailer, taking each stylesheet's rules from a :class:`CssCache`."""
    premailer = premailer_module()

    class CachedPremailer(premailer.Premailer):
        css_cache: CssCache

        def _process_css_text(self, css_text, index, rules, head):  # noqa: ANN001
            """premailer's own, with the parsed rules (and the CSS it could not inline)
            kept in the cache."""
            key = f"{index}:{hashlib.sha256(css_text.encode('utf-8')).hexdigest()}"
            sheet = self.css_cache.sheets.get(key)
            if sheet is None:
                _quiet_cssutils()
                found, leftover = self._parse_style_rules(css_text, index)
                text = self._css_rules_to_string(leftover) if leftover else None
                sheet = self.css_cache.sheets[key] = {"rules": found, "leftover": text}
                self.css_cache.changed = True
            rules.extend(sheet["rules"])
            if head is not None and (sheet["leftover"] is not None or self.keep_style_tags):
                style = premailer.premailer.etree.Element("style")
                style.attrib["type"] = "text/css"
                style.text = css_text if self.keep_style_tags else sheet["leftover"]
                head.append(style)

    return CachedPremailer


@contextmanager
def _cached_pairs(cache: CssCache) -> Iterator[None]:
    """premailer's style parsing answered from ``cache`` (one build at a time)."""
    premailer = premailer_module()
    modules = (premailer.premailer, premailer.merge_style)
    original = premailer.merge_style.csstext_to_pairs
    with _LOCK:
        for module in modules:
            module.csstext_to_pairs = cache.style_pairs(original)
        try:
            yield
        finally:
            for module in modules:
                module.csstext_to_pairs = original


def inline_css(html: str, css: str) -> str:
    """Inline ``css`` into style attributes with premailer, as MJML's own inliner does.

    The <style> blocks MJML wrote (resets, columns, @media, dark mode) stay in <head>
    untouched: inlining them too would repeat the same declarations on every table cell.
    """
    html = html.replace("<style", f"<style {IGNORE}")
    cache = CssCache.load(css, premailer_module().__version__)
    with _cached_pairs(cache):
        inliner = _premailer_class()(
            css_text=[css],
            keep_style_tags=False,
            strip_important=False,
            remove_classes=False,
            disable_validation=True,
            align_floating_images=False,
            disable_basic_attributes=["width", "height"],  # no width= on a <span>
            allow_network=False,
        )
        inliner.css_cache = cache
        inlined = inliner.transform(html, pretty_print=False)
    cache.save()
    inlined = inlined.replace(f" {IGNORE}", "")  # left on styles inside Outlook's comments
    if not inlined.lstrip().lower().startswith("<!doctype"):
        inlined = "<!doctype html>\n" + inlined
    return inlined
