"""The send screen names the versions of an issue in words: who gets which blocks."""

from __future__ import annotations

from dataclasses import dataclass, field

from newsletter_cli.model.blocks import Article, Callout
from newsletter_cli.render.audiences import shown_blocks, versions_in_words


@dataclass
class Version:
    key: str
    contacts: list[str] = field(default_factory=list)


BLOCKS = [
    Article(kind="article", heading="News", body="B"),
    Article(kind="article", heading="Safeguarding update", body="B", only_for=["dcs"]),
    Callout(kind="callout", body="B", only_for=["send-leads", "dcs"]),
]


def test_one_version_says_everyone_gets_the_same():
    assert versions_in_words(BLOCKS[:1], [Version("blocks 1", ["a"])]) == (
        "1 (everyone gets the same blocks)"
    )


def test_two_versions_name_the_block_its_audience_and_the_people():
    said = versions_in_words(BLOCKS[:2], [Version("blocks 1,2", ["a", "b", "c"]),
                                          Version("blocks 1", ["d"])])  # fmt: skip
    assert said == ('2 versions: 3 people get every block, including block 2 "Safeguarding '
                    'update" (only for dcs); 1 person gets all but block 2')


def test_three_versions_say_what_each_gets_and_misses():
    said = versions_in_words(BLOCKS, [Version("blocks 1,2,3", ["a"]),
                                      Version("blocks 1,3", ["b", "c"]),
                                      Version("blocks 1", ["d", "e"])])  # fmt: skip
    assert said.startswith("3 versions: 1 person gets every block, including ")
    assert 'block 2 "Safeguarding update" (only for dcs)' in said
    assert 'block 3 "callout" (only for send-leads, dcs)' in said
    assert "2 people get block 3 but not block 2" in said
    assert "2 people get all but block 2 and block 3" in said
    assert "blocks 1," not in said  # no bare key lists


def test_a_key_in_another_form_keeps_the_counts():
    said = versions_in_words(BLOCKS, [Version("x", ["a"]), Version("y", ["b", "c"])])
    assert said == "2 by audience (x: 1; y: 2)"


def test_shown_blocks_reads_the_key_of_a_version():
    assert shown_blocks("blocks 1,2,5") == {0, 1, 4}
    assert shown_blocks("test") is None
