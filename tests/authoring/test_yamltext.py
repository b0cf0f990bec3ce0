"""The YAML `newsletter new` writes: double-quoted text, | blocks, and the same data back."""

from __future__ import annotations

import io
import random

import pytest
from ruamel.yaml import YAML

from newsletter_cli.authoring.yamltext import commented, dump

AWKWARD = [
    "children's", "a: b", "ends with a colon:", "# not a comment", "*star", "&anchor", "!tag",
    "[list]", "{map}", "@at", "`tick`", "%percent", "? question", "- dash", "| pipe", "> fold",
    '"quoted"', "'single'", "back\\slash", "yes", "no", "on", "null", "~", "2025", "1e3",
    "0x1F", "2025-10-14", "10:00", "", " leading space", "trailing space ", "tab\there",
    "é £ – “curly” 🙂", "line\nbreak", "para one\n\npara two\n", "  indented first\nline",
    "ends in two\n\n", "\nstarts with a break", "cr\r\nlf", "nul-free \x07 bell", "\u2028sep",
]


def load(text: str):
    return YAML(typ="safe").load(io.StringIO(text))


@pytest.mark.parametrize("text", AWKWARD)
def test_awkward_text_loads_back_the_same(text):
    data = {"heading": text, "blocks": [{"kind": "article", "body": text, "tags": [text]}]}
    written = dump(data)
    assert load(written) == data
    first = written.splitlines()[0]
    assert first.startswith('heading: "') or first == "heading: |" or first == "heading: |-"


def test_multi_line_text_is_a_readable_block():
    written = dump({"body": "First paragraph: with a colon.\n\nSecond, children's.\n"})
    assert written == "body: |\n  First paragraph: with a colon.\n\n  Second, children's.\n"


def test_random_data_loads_back_the_same():
    chars = "ab :#'\"\\\n\t-*[]{}&!|>%@`?,é£🙂"
    rng = random.Random(20251017)
    for _ in range(300):
        def text():
            return "".join(rng.choice(chars) for _ in range(rng.randint(0, 12)))
        data = {"title": text(), "n": rng.randint(-5, 5), "on": rng.random() < 0.5,
                "items": [{"text": text(), "url": text()} for _ in range(rng.randint(0, 3))],
                "names": [text() for _ in range(rng.randint(0, 3))]}  # fmt: skip
        assert load(dump(data)) == data, dump(data)


def test_commented_text_comes_back_when_the_marks_are_removed():
    text = dump({"blocks": [{"kind": "quote", "text": "Words: here."}]})
    hidden = commented(text)
    assert load(hidden) is None  # all comment
    assert load("".join(line[2:] + "\n" for line in hidden.splitlines())) == load(text)
