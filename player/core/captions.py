"""Captions for the player to draw over the video: the transcript's lines (and the second
transcript's under them) as SubRip text for libVLC's subtitle renderer."""

from __future__ import annotations

import re

from player.core.formats.writers import one_line
from player.core.timecode import format_timecode

# Invisible, and breaks what libVLC's SubRip decoder would take for markup: "<i>", "</b>",
# "<font color=...>", "{\an8}" and other "{\...}" blocks, MicroDVD "{y:i}", "\N" and "\h";
# and "-->" in the text, which a SubRip reader may take for a timing line.
_WORD_JOINER = "\u2060"
_MARKUP_START = re.compile(r"([<{\\])")


def caption_text(text: str) -> str:
    """A line as plain text that libVLC shows as written, on one line."""
    text = _MARKUP_START.sub(lambda m: m.group(1) + _WORD_JOINER, one_line(text))
    return text.replace(">", _WORD_JOINER + ">")


def captions_srt(cues: list[tuple[int, int, list[str]]]) -> str:
    """SubRip text, one cue per (start_ms, end_ms, lines): each non-blank line on a row of its
    own, top first. Cues with nothing to show are left out."""
    blocks = []
    for start_ms, end_ms, texts in cues:
        rows = [caption_text(text) for text in texts if text and text.strip()]
        if not rows or end_ms <= start_ms:
            continue
        blocks.append(f"{len(blocks) + 1}\n{format_timecode(start_ms, ',')} --> "
                      f"{format_timecode(end_ms, ',')}\n" + "\n".join(rows) + "\n")
    return "\n".join(blocks)
