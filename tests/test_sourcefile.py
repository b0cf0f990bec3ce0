"""YAML that would cost far more than its size: aliases of aliases, nesting thousands deep.

Each is refused while it is read, with the line where it goes too far and a plain message.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from newsletter_cli.errors import InputError
from newsletter_cli.sourcefile import MAX_ALIASED_VALUES, MAX_NESTING, load_yaml


def laughs() -> str:
    """'Billion laughs': nine aliases of nine aliases..., 9**9 values from 700 bytes."""
    lines = ["title: Laughs", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol",'
             ' "lol"]']  # fmt: skip
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    return "\n".join([*lines, "blocks: *a8"]) + "\n"


def refused(tmp_path: Path, text: str) -> InputError:
    path = tmp_path / "issue.yaml"
    path.write_text(text, encoding="utf-8")
    began = time.perf_counter()
    with pytest.raises(InputError) as caught:
        load_yaml(path)
    assert time.perf_counter() - began < 5
    assert caught.value.path == str(path)
    return caught.value


def test_aliases_of_aliases_are_refused_at_the_alias_that_goes_too_far(tmp_path):
    error = refused(tmp_path, laughs())
    # a0..a3 hold 10 + 91 + 820 + 7,381 values: the ninth *a3 in a4's line passes 10,000
    assert error.line == 6
    assert error.message.startswith("the alias *a3 repeats 7,381 values")
    assert f"more than {MAX_ALIASED_VALUES:,}" in error.message


def test_a_few_aliases_are_fine(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text("base: &base {kind: article, heading: Hi}\nblocks: [*base, *base]\n",
                    encoding="utf-8")  # fmt: skip
    data = load_yaml(path)
    assert data["blocks"] == [{"kind": "article", "heading": "Hi"}] * 2
    assert data.lc.key("blocks")[0] == 1  # line numbers are still kept


def test_nesting_by_indentation_names_its_line_and_no_brackets(tmp_path):
    text = "title: Deep\nblocks:\n" + "".join("  " * (i + 1) + "-\n" for i in range(300))
    error = refused(tmp_path, text.rstrip("\n") + " 1\n")
    assert error.line == 2 + MAX_NESTING  # the line of the list one level too deep
    assert "nested too deeply" in error.message and "indented" in error.message
    assert "[" not in error.message and "{" not in error.message


def test_nesting_by_fields_names_its_line(tmp_path):
    text = "title: Deep\n" + "".join(" " * i + f"k{i}:\n" for i in range(300)) + " " * 3000 + "1\n"
    error = refused(tmp_path, text)
    assert error.line == 1 + MAX_NESTING and "indented" in error.message


def test_nesting_by_brackets_says_brackets_and_names_the_line(tmp_path):
    error = refused(tmp_path, "title: Deep\nbody: x\nblocks: " + "[" * 5000 + "]" * 5000 + "\n")
    assert error.line == 3 and "'[' or '{'" in error.message


def test_a_hundred_levels_are_read(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text("a: " + "[" * (MAX_NESTING - 1) + "]" * (MAX_NESTING - 1) + "\n",
                    encoding="utf-8")  # fmt: skip
    assert load_yaml(path)["a"] is not None
