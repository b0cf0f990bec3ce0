"""Terminal widths are counted in cells: a Chinese character or an emoji takes two."""

from __future__ import annotations

import textwrap

from rich.cells import cell_len

from newsletter_cli.cli.tabular import Column, natural_width, wrapped

WIDE = "東京都庁の広報課 🎉 さいたま市役所 ✅ 大阪府庁 北海道庁の担当者 名古屋市役所"


def test_a_table_of_wide_characters_is_measured_in_cells():
    columns = (Column("name", "Name"), Column("org", "Org"))
    cells = [["东京", "大阪府庁"]]  # 2 and 4 characters, 4 and 8 cells
    assert natural_width(cells, columns) == 4 + 3 + 8


def test_wrapped_lines_fit_the_width_in_cells():
    for width in (20, 27, 40):
        lines = wrapped(WIDE, width, indent="  ")
        assert all(cell_len(line) <= width for line in lines), (width, lines)
        assert " ".join(line.strip() for line in lines) == WIDE
    # textwrap counts characters, so its lines of the same text overflow:
    assert max(cell_len(line) for line in textwrap.wrap(WIDE, 20)) > 20


def test_wrapped_breaks_between_words_only_and_keeps_inner_spaces():
    text = "2025-09-regional-update--dcs-3f9a1c  (live, sendgrid, complete)"
    assert wrapped(text, 200) == [text]
    lines = wrapped(text, 29, following="    ")
    assert lines == ["2025-09-regional-update--dcs-3f9a1c", "    (live, sendgrid,", "    complete)"]
    assert wrapped("", 40, indent="  ") == ["  "]
