"""Charts as inline SVG, drawn in Python: no JavaScript, no fonts or files fetched.

Each chart is one ``<svg>`` with a ``<title>`` (read out by screen readers) and the
figures also in a table beside it in the page, so nothing is only a picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

FONT = 'font-family="system-ui, -apple-system, Segoe UI, Arial, sans-serif"'
#: Colours with at least 3:1 contrast on white (WCAG for graphics), told apart by shade too.
OPENS, CLICKS = "#1d70b8", "#d4351c"
STATES = {  # a person's one state, for stacked bars
    "clicked": ("Clicked", "#00703c"),
    "opened": ("Opened, no click", "#1d70b8"),
    "delivered": ("Delivered, not opened", "#85b4de"),
    "sent": ("Sent (opens unknown)", "#85b4de"),
    "failed": ("Bounced or blocked", "#d4351c"),
    "unknown": ("Not in Email Activity", "#b1b4b6"),
}


def _nice_top(value: int) -> int:
    """A round number at or above ``value`` for an axis (1, 2, 5, 10, 20, 50...)."""
    top = 1
    while True:
        for step in (1, 2, 5):
            if step * top >= value:
                return max(1, step * top)
        top *= 10


def day_bars(days: Sequence[tuple[str, int, int]], title: str) -> str:
    """Opens and clicks per day: two bars a day, a scale, a legend."""
    width, height, left, bottom, top = 640, 240, 40, 40, 30
    plot_w, plot_h = width - left - 10, height - top - bottom
    peak = _nice_top(max([1, *(max(o, c) for _, o, c in days)]))
    slot = plot_w / max(1, len(days))
    bar_w = max(2.0, min(22.0, slot * 0.35))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="{escape(title)}" {FONT} font-size="11">',
             f"<title>{escape(title)}</title>"]  # fmt: skip
    for i in range(5):
        value = peak * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#e0e0e0"/><text x="{left - 6}" y="{y + 4:.1f}" '
                     f'text-anchor="end" fill="#505a5f">{value:g}</text>')  # fmt: skip
    every = max(1, len(days) // 10)
    for i, (label, opens, clicks) in enumerate(days):
        x = left + i * slot + slot / 2
        for offset, value, colour in ((-bar_w, opens, OPENS), (0, clicks, CLICKS)):
            h = plot_h * value / peak
            parts.append(f'<rect x="{x + offset:.1f}" y="{top + plot_h - h:.1f}" '
                         f'width="{bar_w:.1f}" height="{h:.1f}" fill="{colour}">'
                         f"<title>{escape(label)}: {value}</title></rect>")  # fmt: skip
        if i % every == 0:
            parts.append(f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                         f'fill="#0b0c0c">{escape(label)}</text>')  # fmt: skip
    parts.append(_legend([("Opens", OPENS), ("Clicks", CLICKS)], left, 14))
    parts.append("</svg>")
    return "".join(parts)


def stacked_bars(rows: Sequence[tuple[str, dict[str, int]]], order: Sequence[str],
                 title: str) -> str:  # fmt: skip
    """One horizontal bar per group, split by state (shares of the group's people)."""
    label_w, bar_w, row_h, top = 240, 400, 26, 34
    width = label_w + bar_w + 50
    height = top + row_h * max(1, len(rows)) + 8
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="{escape(title)}" {FONT} font-size="12">',
             f"<title>{escape(title)}</title>"]  # fmt: skip
    used = [s for s in order if any(counts.get(s) for _, counts in rows)]
    parts.append(_legend([STATES[s] for s in used], 0, 14))
    for i, (name, counts) in enumerate(rows):
        y = top + i * row_h
        total = sum(counts.get(s, 0) for s in order)
        shown = name if len(name) <= 30 else name[:29] + "…"
        parts.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" '
                     f'fill="#0b0c0c">{escape(shown)}</text>')  # fmt: skip
        x = float(label_w)
        for state in order:
            value = counts.get(state, 0)
            if not value or not total:
                continue
            w = bar_w * value / total
            label, colour = STATES[state]
            parts.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" '
                         f'fill="{colour}"><title>{escape(name)}: {escape(label)} {value} of '
                         f"{total}</title></rect>")  # fmt: skip
            x += w
        parts.append(f'<text x="{label_w + bar_w + 6}" y="{y + 15}" fill="#505a5f">'
                     f"{total}</text>")  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)


def _legend(items: Sequence[tuple[str, str]], x: float, y: float) -> str:
    parts = []
    for label, colour in items:
        parts.append(
            f'<rect x="{x:.0f}" y="{y - 9}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14:.0f}" y="{y}" fill="#0b0c0c">{escape(label)}</text>'
        )
        x += 24 + 6.5 * len(label)
    return "".join(parts)
