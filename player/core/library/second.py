"""A lecture's second transcript (a translation, human captions beside automatic ones),
kept with the lecture. Mixed into Library (library.py); tables in schema v7.

Kept as read, lines and times only (no word times, speakers or corrections: it is shown,
not edited or searched); aligned to the main transcript when shown (core/alignment.py).
Which of the two is shown on top is a display choice the window keeps, not a swap here:
the main transcript carries the learner's corrections, word times, transcription state and
search index, which a second transcript has no place for, so swapping them in the library
would lose them.
"""

from __future__ import annotations

from player.core.library.connection import now
from player.core.transcript import Segment, Transcript


class SecondTranscriptMethods:
    """The second transcript of a lecture (see docs/library-schema.md, v7)."""

    def set_second_transcript(self, lecture_id: int, transcript: Transcript) -> None:
        """Keep `transcript` as the lecture's second transcript, in place of any before (one
        transaction). KeyError if there is no such lecture."""
        rows = [(s.start_ms, s.end_ms, s.text) for s in transcript.segments]
        with self._write():
            self._require_lecture(lecture_id)
            # The old one's lines go with it (ON DELETE CASCADE).
            self.conn.execute("DELETE FROM second_transcripts WHERE media_id = ?", (lecture_id,))
            second_id = self.conn.execute(
                "INSERT INTO second_transcripts (media_id, source, title, imported_at) VALUES (?, ?, ?, ?)",
                (lecture_id, transcript.source, transcript.title, now())).lastrowid
            self.conn.executemany(
                "INSERT INTO second_segments (second_transcript_id, position, start_ms, end_ms, text) "
                "VALUES (?, ?, ?, ?, ?)", [(second_id, position, *row) for position, row in enumerate(rows)])

    def second_transcript(self, lecture_id: int) -> Transcript | None:
        """The lecture's second transcript, or None if it has none (or there is no such lecture)."""
        if not isinstance(lecture_id, int) or not -2**63 <= lecture_id < 2**63:
            return None
        head = self._read("SELECT id, source, title FROM second_transcripts WHERE media_id = ?", (lecture_id,))
        if not head:
            return None
        second_id, source, title = head[0]
        segments = [Segment(start_ms, end_ms, text) for start_ms, end_ms, text in self._read(
            "SELECT start_ms, end_ms, text FROM second_segments WHERE second_transcript_id = ? "
            "ORDER BY position, id", (second_id,))]
        return Transcript(segments, title=title, source=source)

    def remove_second_transcript(self, lecture_id: int) -> bool:
        """Forget the lecture's second transcript (not its file); False if it had none."""
        if not isinstance(lecture_id, int) or not -2**63 <= lecture_id < 2**63:
            return False
        with self._write():
            return self.conn.execute("DELETE FROM second_transcripts WHERE media_id = ?",
                                     (lecture_id,)).rowcount > 0
