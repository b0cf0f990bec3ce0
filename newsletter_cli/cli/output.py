"""Consoles for the commands: results to stdout, messages to stderr.

Emoji codes are off: a file name or text with ``:x:`` or ``:thumbs_up:`` in it is
printed as written, never turned into a picture.
"""

from __future__ import annotations

from rich.console import Console

console = Console(highlight=False, soft_wrap=True, emoji=False)
err_console = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
