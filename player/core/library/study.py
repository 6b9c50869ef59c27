"""Study records of a lecture: dictation attempts and their scores, the speed last played.
Mixed into Library (library.py); tables in schema v7."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from player.core.library.connection import now
from player.core.library.models import MAX_TIME_MS


@dataclass(frozen=True)
class DictationAttempt:
    """One line the learner typed in dictation, and how many of its words were right."""

    id: int
    lecture_id: int
    start_ms: int
    end_ms: int
    expected: str
    typed: str
    words_right: int
    words_total: int
    attempted_at: str


class DictationScore(NamedTuple):
    """A lecture's dictation so far: words right of words dictated, over how many lines typed."""

    right: int
    total: int
    attempts: int


def _check_attempt(start_ms: int, end_ms: int, expected: str, typed: str, words_right: int,
                   words_total: int) -> None:
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in (start_ms, end_ms, words_right, words_total)):
        raise ValueError("a dictation attempt's times and word counts are whole numbers")
    if not 0 <= start_ms < end_ms <= MAX_TIME_MS:
        raise ValueError(f"a dictated line must end after it starts, within {MAX_TIME_MS // 3_600_000} hours "
                         f"(got {start_ms}..{end_ms} ms)")
    if not 0 <= words_right <= words_total:
        raise ValueError(f"words right must be from 0 to the words in the line (got {words_right} of {words_total})")
    if not isinstance(expected, str) or not isinstance(typed, str):
        raise ValueError("a dictation attempt's line and typed words are text")


def _storable(lecture_id: int) -> bool:
    """An id SQLite can bind: one past its 64 bits is no lecture's."""
    return not isinstance(lecture_id, int) or -2**63 <= lecture_id < 2**63


class StudyMethods:
    """Dictation attempts and the lecture's speed (see docs/library-schema.md, v7)."""

    # ----- dictation -----------------------------------------------------------------------

    def add_dictation_attempt(self, lecture_id: int, start_ms: int, end_ms: int, expected: str, typed: str,
                              words_right: int, words_total: int) -> DictationAttempt:
        """Keep one line the learner typed: the line (`expected`) as it read then, what they
        typed, and the words right of the words in it. KeyError if there is no such lecture."""
        _check_attempt(start_ms, end_ms, expected, typed, words_right, words_total)
        with self._write():
            self._require_lecture(lecture_id)
            attempt_id = self.conn.execute(
                "INSERT INTO dictation_attempts (media_id, start_ms, end_ms, expected, typed, words_right, "
                "words_total, attempted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (lecture_id, start_ms, end_ms, expected, typed, words_right, words_total, now())).lastrowid
        return self.dictation_attempts(lecture_id, attempt_id=attempt_id)[0]

    def dictation_attempts(self, lecture_id: int, *, attempt_id: int | None = None) -> list[DictationAttempt]:
        """The lecture's dictation attempts, oldest first (or the one with `attempt_id`)."""
        if not _storable(lecture_id):
            return []
        where, params = "media_id = ?", [lecture_id]
        if attempt_id is not None:
            where, params = where + " AND id = ?", params + [attempt_id]
        return [DictationAttempt(*row) for row in self._read(
            "SELECT id, media_id, start_ms, end_ms, expected, typed, words_right, words_total, attempted_at "
            f"FROM dictation_attempts WHERE {where} ORDER BY id", params)]

    def dictation_score(self, lecture_id: int) -> DictationScore:
        """Words right, words dictated and lines typed in all the lecture's dictation (every
        attempt counts, a line typed twice twice); (0, 0, 0) before any."""
        if not _storable(lecture_id):
            return DictationScore(0, 0, 0)
        right, total, attempts = self._read(
            "SELECT coalesce(sum(words_right), 0), coalesce(sum(words_total), 0), count(*) "
            "FROM dictation_attempts WHERE media_id = ?", (lecture_id,))[0]
        return DictationScore(right, total, attempts)

    # --- the speed the learner plays the lecture at (the loops helper) ---------------
    def set_last_rate(self, lecture_id: int, rate: float) -> None:
        """Keep the speed the lecture is played at, for when it reopens (0 < rate <= 4)."""
        rate = float(rate)
        if not 0 < rate <= 4:   # NaN fails this too
            raise ValueError(f"a speed must be above 0 and at most 4 (got {rate})")
        with self._write("the speed was not kept"):
            self._require_lecture(lecture_id)
            self.conn.execute("UPDATE media SET last_rate = ? WHERE id = ?", (rate, lecture_id))

    def last_rate(self, lecture_id: int) -> float:
        """The speed the lecture was last played at (1.0 until one is kept)."""
        rows = self._read("SELECT last_rate FROM media WHERE id = ?", (lecture_id,))
        if not rows:
            raise KeyError(f"no lecture {lecture_id} in the library")
        return float(rows[0][0])
