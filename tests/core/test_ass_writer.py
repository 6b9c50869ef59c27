"""The ASS the reel burns in: every character of the transcript as itself, nothing else.
(How libass draws it is tested in test_reel.py.)"""

from __future__ import annotations

import re

from player.core.formats.writers import WORD_JOINER, escape_ass_text, to_ass
from player.core.transcript import Segment, Transcript


def unescaped(text: str) -> str:
    """What libass draws for escaped text: "\\{" and "\\}" are braces, a word joiner nothing."""
    return re.sub(r"\\([{}])", r"\1", text).replace(WORD_JOINER, "")


def test_no_override_block_or_sequence_survives():
    for text in [r"{ \fs60\c&H0000FF&}", r"{x\an8}TEXT", r"a\Nb\nc\hd", "{USD}", r"\{already\}", "}{", "\\"]:
        escaped = escape_ass_text(text)
        assert unescaped(escaped) == text
        # No "{" that libass would open a block with, no backslash followed by N, n or h.
        assert not re.search(r"(?<!\\){", escaped.replace("\\" + WORD_JOINER, ""))
        assert not re.search(r"\\[Nnh]", escaped)


def test_entities_and_markup_are_left_as_characters():
    for text in ["<b>bold</b>", "a < b & c > d", "&lt; &amp;amp; &#123;"]:
        assert escape_ass_text(text) == text


def test_one_line_per_event_without_control_characters():
    assert escape_ass_text("two\nlines\r\nand\ttab\x00\x07") == "two lines and tab"
    assert escape_ass_text("line\u2028separator") == "line separator"


def test_the_file_has_one_dialogue_per_spoken_line_in_centiseconds():
    ass = to_ass(Transcript([Segment(1234, 5678, "Price < {USD}"), Segment(3_600_000, 3_601_005, r"x\N"),
                             Segment(7000, 8000, "   ")]), 640, 360)
    assert "PlayResX: 640\nPlayResY: 360\n" in ass
    dialogues = [line for line in ass.splitlines() if line.startswith("Dialogue:")]
    assert dialogues == [
        "Dialogue: 0,0:00:01.23,0:00:05.67,Default,,0,0,0,,Price < \\{USD\\}",
        f"Dialogue: 0,1:00:00.00,1:00:01.00,Default,,0,0,0,,x\\{WORD_JOINER}N",
    ]
    assert "&lt;" not in ass and "&#123;" not in ass
