"""Readable paragraphs from fragmentary transcripts.

Whisper and auto-captions cut speech into short fragments ("Today we'll be
talking about pre-training,"). For reading, fragments are grouped into
paragraphs at sentence ends where the speaker pauses or the paragraph grows
long; every fragment keeps its own time, so highlighting and seeking still work
line by line inside a paragraph.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from player.core.transcript import Transcript

SENTENCE_END = (".", "?", "!", "…", '."', '?"', '!"', ".'", "?'")
PAUSE_MS = 1500           # a pause this long after a sentence closes a paragraph
SOFT_LIMIT_CHARS = 450    # past this, any sentence end closes a paragraph
HARD_LIMIT_CHARS = 900    # unpunctuated captions: close at the next fragment anyway


@dataclass(frozen=True, slots=True)
class Paragraph:
    first: int            # index of its first segment
    last: int             # index of its last segment (inclusive)
    text: str             # the fragments joined by spaces
    offsets: tuple[int, ...]  # where each fragment starts in text

    def segment_at_offset(self, offset: int) -> int:
        """The segment index a character position of the text belongs to."""
        return self.first + max(0, bisect.bisect_right(self.offsets, offset) - 1)

    def span_of(self, segment: int) -> tuple[int, int]:
        """(start, length) of a segment's text inside the paragraph."""
        position = segment - self.first
        start = self.offsets[position]
        end = self.offsets[position + 1] - 1 if position + 1 < len(self.offsets) else len(self.text)
        return start, end - start


def group_paragraphs(transcript: Transcript) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    segments = transcript.segments
    start = 0
    length = 0
    for index, segment in enumerate(segments):
        length += len(segment.text) + 1
        following = segments[index + 1] if index + 1 < len(segments) else None
        if following is None or _closes_paragraph(segment, following, length):
            paragraphs.append(_paragraph(transcript, start, index))
            start, length = index + 1, 0
    return paragraphs


def _closes_paragraph(segment, following, length: int) -> bool:
    if segment.is_non_speech or following.is_non_speech:
        return True  # markers such as [Music] stand on their own
    if segment.speaker != following.speaker:
        return True
    if length >= HARD_LIMIT_CHARS:
        return True
    if not segment.text.rstrip().endswith(SENTENCE_END):
        return False
    pause = following.start_ms - segment.end_ms
    return pause >= PAUSE_MS or length >= SOFT_LIMIT_CHARS


def _paragraph(transcript: Transcript, first: int, last: int) -> Paragraph:
    offsets, parts, position = [], [], 0
    for segment in transcript.segments[first:last + 1]:
        text = segment.text.strip()
        offsets.append(position)
        parts.append(text)
        position += len(text) + 1
    return Paragraph(first, last, " ".join(parts), tuple(offsets))
