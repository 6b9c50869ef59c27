"""A lecture's transcript in the library: reading it, transcribing into it as segments
arrive, and the learner's corrections, kept beside the original.

How corrections are kept: `segments` always holds the transcript as the learner reads it
(the corrected one), so everything that reads it (search and its index, the words under a
highlight, exports, reels, captions) uses the corrected text with nothing to choose. The
first correction copies the lines as they were into `original_segments` (not searched);
restore_original puts them back. When the lines are the original again (every correction
undone) the copy goes, and the transcript counts as uncorrected.

Every mutator here is one transaction (Library._write) and returns what changed, with
what undoes it: TranscriptEdit for corrections, the new lines for a transcription batch.
Library inherits these methods; they stand on its connection and its _write/_read.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
from typing import Iterable

from player.core.library import lines
from player.core.library.connection import now
from player.core.library.models import MAX_TIME_MS, TranscriptEdit, TranscriptionState, TranscriptLine
from player.core.transcript import Transcript

# The columns of a line, in both segments and original_segments. All of them, position
# included, must match for the stored lines to be the original again.
_LINE_COLUMNS = "id, position, start_ms, end_ms, text, speaker, words, avg_logprob, no_speech_prob"


class TranscriptExists(ValueError):
    """begin_transcription would replace a transcript (a file's, a finished transcription,
    or one with corrections): pass replace=True to do that. `state` says what is there."""

    def __init__(self, state: TranscriptionState, title: str) -> None:
        if state.corrected:
            what = "with your corrections"
        elif state.origin == "file":
            what = f"read from {state.source}" if state.source else "read from a file"
        else:
            what = f"transcribed with {state.model}" if state.model else "transcribed"
        super().__init__(f"{title} already has a transcript ({what})")
        self.state = state


class NotTranscribing(ValueError):
    """append_transcribed on a lecture whose transcript is not a transcription in progress
    (never begun, finished, or replaced meanwhile, perhaps by another process)."""


class StaleEdit(LookupError):
    """An edit (or its undo) whose lines are no longer as it left them: changed or removed
    since, by another window or process. Nothing was changed."""


def _clean_speaker(name: str | None) -> str | None:
    return (" ".join(name.split()) or None) if isinstance(name, str) else None


def _check_time(name: str, ms: int) -> int:
    if not isinstance(ms, int) or not 0 <= ms <= MAX_TIME_MS:
        raise ValueError(f"{name} must be a time from 0 to {MAX_TIME_MS // 3_600_000} hours (got {ms!r})")
    return ms


def _options_dict(options) -> dict:
    if options is None:
        return {}
    if dataclasses.is_dataclass(options) and not isinstance(options, type):
        return dataclasses.asdict(options)
    return dict(options)


class TranscriptMethods:
    """The transcript part of Library (see the module's docstring)."""

    # ----- reading -------------------------------------------------------------------------

    def transcript(self, lecture_id: int) -> Transcript | None:
        """The lecture's transcript as the learner reads it: with their corrections, word
        times where known. Its segments are transcript_lines(lecture_id), in that order."""
        return self._transcript_from(lecture_id, "segments")

    def original_transcript(self, lecture_id: int) -> Transcript | None:
        """The transcript as it was read or heard, before any correction (the same as
        transcript() when there is none)."""
        head = self._head(lecture_id)
        if head is None:
            return None
        return self._transcript_from(lecture_id, "original_segments" if head["corrected"] else "segments")

    def _transcript_from(self, lecture_id: int, table: str) -> Transcript | None:
        head = self._head(lecture_id)
        if head is None:
            return None
        segments = [line.to_segment() for line in self._lines(head["id"], lecture_id, table)]
        return Transcript(segments, title=head["title"], source=head["source"], source_url=head["source_url"])

    def transcript_lines(self, lecture_id: int) -> list[TranscriptLine]:
        """The lines of the lecture's transcript, in order, each with its id (what the
        edits below take), word times and confidence; [] when it has none."""
        head = self._head(lecture_id)
        return [] if head is None else self._lines(head["id"], lecture_id)

    def transcript_line(self, segment_id: int) -> TranscriptLine:
        """One line by its id; KeyError if no transcript has it (any more)."""
        return self._line(segment_id)[1]

    def speakers(self, lecture_id: int) -> list[str]:
        """The speakers named in the lecture's transcript, in the order they first speak."""
        head = self._head(lecture_id)
        if head is None:
            return []
        return [name for name, in self._read(
            "SELECT speaker FROM segments WHERE transcript_id = ? AND speaker IS NOT NULL "
            "GROUP BY speaker ORDER BY min(position)", (head["id"],))]

    def transcription_state(self, lecture_id: int) -> TranscriptionState | None:
        """What the lecture's transcript is and how far a transcription got; None if the
        lecture has no transcript (or there is no such lecture)."""
        head = self._head(lecture_id)
        if head is None:
            return None
        (count,), = self._read("SELECT count(*) FROM segments WHERE transcript_id = ?", (head["id"],))
        try:
            options = json.loads(head["options"]) if head["options"] else {}
        except ValueError:
            options = {}
        return TranscriptionState(
            transcript_id=head["id"], lecture_id=lecture_id, origin=head["origin"], status=head["status"],
            model=head["model"], language=head["language"], options=options if isinstance(options, dict) else {},
            done_until_ms=head["done_until_ms"], segment_count=count, corrected=bool(head["corrected"]),
            source=head["source"])

    _HEAD_SQL = ("SELECT id, source, title, source_url, origin, status, model, language, options, done_until_ms, "
                 "corrected_at IS NOT NULL FROM transcripts WHERE media_id = ?")
    _HEAD_KEYS = ("id", "source", "title", "source_url", "origin", "status", "model", "language", "options",
                  "done_until_ms", "corrected")

    def _head(self, lecture_id: int) -> dict | None:
        if not isinstance(lecture_id, int) or not -2**63 <= lecture_id < 2**63:
            return None
        rows = self._read(self._HEAD_SQL, (lecture_id,))
        return dict(zip(self._HEAD_KEYS, rows[0])) if rows else None

    def _lines(self, transcript_id: int, lecture_id: int, table: str = "segments") -> list[TranscriptLine]:
        assert table in ("segments", "original_segments")   # a fixed name, never user text
        return [self._as_line(row, lecture_id) for row in self._read(
            f"SELECT {_LINE_COLUMNS} FROM {table} WHERE transcript_id = ? ORDER BY position, id",
            (transcript_id,))]

    @staticmethod
    def _as_line(row: tuple, lecture_id: int) -> TranscriptLine:
        segment_id, position, start_ms, end_ms, text, speaker, words, avg_logprob, no_speech_prob = row
        return TranscriptLine(segment_id, lecture_id, position, start_ms, end_ms, text, speaker,
                              lines.words_from_json(words), avg_logprob, no_speech_prob)

    def _line(self, segment_id: int) -> tuple[int, TranscriptLine]:
        """(transcript id, line) for a segment id; KeyError if there is none."""
        rows = (self._read(f"SELECT t.id, t.media_id, {', '.join('s.' + c for c in _LINE_COLUMNS.split(', '))} "
                           "FROM segments s JOIN transcripts t ON t.id = s.transcript_id WHERE s.id = ?",
                           (segment_id,))
                if isinstance(segment_id, int) and -2**63 <= segment_id < 2**63 else [])
        if not rows:
            raise KeyError(f"no transcript line {segment_id} in the library")
        transcript_id, lecture_id, *line = rows[0]
        return transcript_id, self._as_line(tuple(line), lecture_id)

    def _neighbour(self, transcript_id: int, line: TranscriptLine, step: int) -> TranscriptLine | None:
        rows = self._read(f"SELECT {_LINE_COLUMNS} FROM segments WHERE transcript_id = ? AND position = ?",
                          (transcript_id, line.position + step))
        return self._as_line(rows[0], line.lecture_id) if rows else None

    # ----- storing a transcript read from a file ------------------------------------------

    def _store_transcript(self, lecture_id: int, transcript: Transcript, replace: bool) -> None:
        """Inside import_lecture's transaction. The same transcript again (a lecture
        reopened with its file) changes nothing but where it was read from: line ids and
        corrections stay. Another one replaces it, unless the stored one holds work the
        file does not (a transcription made here, or the learner's corrections) and
        `replace` is not set: then the stored one stays."""
        head = self._head(lecture_id)

        def incoming():   # a row at a time: a transcript may have millions of lines
            for s in transcript.segments:
                yield s.start_ms, s.end_ms, s.text, s.speaker, lines.words_json(s.words)

        if head is not None:
            if head["origin"] == "file":
                table = "original_segments" if head["corrected"] else "segments"
                stored = self.conn.execute(f"SELECT start_ms, end_ms, text, speaker, words FROM {table} "
                                           "WHERE transcript_id = ? ORDER BY position, id", (head["id"],))
                missing = object()
                if all(old == new for old, new in itertools.zip_longest(stored, incoming(), fillvalue=missing)):
                    self.conn.execute("UPDATE transcripts SET source = ?, title = ?, source_url = ? WHERE id = ?",
                                      (transcript.source, transcript.title, transcript.source_url, head["id"]))
                    return
            if (head["origin"] == "transcribed" or head["corrected"]) and not replace:
                return
        # Deleting the old transcript cascades to its lines; triggers update the index.
        self.conn.execute("DELETE FROM transcripts WHERE media_id = ?", (lecture_id,))
        transcript_id = self.conn.execute(
            "INSERT INTO transcripts (media_id, source, source_url, title, imported_at) VALUES (?, ?, ?, ?, ?)",
            (lecture_id, transcript.source, transcript.source_url, transcript.title, now())).lastrowid
        self.conn.executemany(
            "INSERT INTO segments (transcript_id, position, start_ms, end_ms, text, speaker, words) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            ((transcript_id, position, *row) for position, row in enumerate(incoming())))

    # ----- transcribing ---------------------------------------------------------------------

    def begin_transcription(self, lecture_id: int, model: str, language: str | None = None,
                            options=None, *, replace: bool = False) -> int:
        """Start transcribing a lecture into the library; returns the transcript's id.

        A transcription of it still in progress is kept, to be continued (from
        transcription_state().done_until_ms, with the model, language and options it was
        started with). Any other transcript (a file's, a finished transcription, or one
        with corrections) raises TranscriptExists unless `replace`: then it is deleted
        (highlights stay: they are times, not lines). `options` is a dict or dataclass
        (TranscriptionOptions), kept as JSON."""
        options_json = json.dumps(_options_dict(options), ensure_ascii=False, sort_keys=True)
        with self._write("nothing was changed"):
            self._require_lecture(lecture_id)
            state = self.transcription_state(lecture_id)
            if state is not None:
                if state.origin == "transcribed" and state.in_progress and not replace:
                    return state.transcript_id
                if not replace:
                    title, = self.conn.execute("SELECT title FROM media WHERE id = ?", (lecture_id,)).fetchone()
                    raise TranscriptExists(state, title)
                self.conn.execute("DELETE FROM transcripts WHERE media_id = ?", (lecture_id,))
            return self.conn.execute(
                "INSERT INTO transcripts (media_id, imported_at, origin, model, language, options, status, "
                "done_until_ms) VALUES (?, ?, 'transcribed', ?, ?, ?, 'in_progress', 0)",
                (lecture_id, now(), str(model), language or None, options_json)).lastrowid

    def append_transcribed(self, lecture_id: int, segments: Iterable, done_until_ms: int, *,
                           language: str | None = None) -> tuple[TranscriptLine, ...]:
        """Add a batch of transcribed segments and how far the transcription got, in one
        transaction: a kill leaves the library at a point to continue from. Segments are
        TranscribedSegment (word probabilities and confidence kept) or Segment; those that
        start before the stored done_until_ms are there already (another run of the same
        lecture may have saved them) and those without words say nothing: both are skipped.
        `language`: the language heard, once known (a continuation then uses it). Returns
        the lines added, in order. NotTranscribing if the transcription is not in progress
        (finished or replaced meanwhile)."""
        _check_time("done_until_ms", done_until_ms)
        batch = list(segments)
        for segment in batch:
            _check_time("a segment's start", segment.start_ms)
            _check_time("a segment's end", segment.end_ms)
            if segment.end_ms < segment.start_ms:
                raise ValueError(f"a segment must not end before it starts ({segment.start_ms}..{segment.end_ms} ms)")
        with self._write("nothing was saved"):
            head = self._head(lecture_id)
            if head is None or head["origin"] != "transcribed" or head["status"] != "in_progress":
                raise NotTranscribing(f"lecture {lecture_id} has no transcription in progress")
            transcript_id, done = head["id"], head["done_until_ms"]
            added = []
            for segment in (s for s in batch if s.start_ms >= done and str(s.text).strip()):
                added.append(self._append_line(transcript_id, head["corrected"], segment))
            self.conn.execute("UPDATE transcripts SET done_until_ms = max(done_until_ms, ?), "
                              "language = coalesce(?, language) WHERE id = ?",
                              (done_until_ms, language or None, transcript_id))
            return tuple(self._line(segment_id)[1] for segment_id in added)

    def _append_line(self, transcript_id: int, corrected: bool, segment) -> int:
        (position, last_start), = self.conn.execute(
            "SELECT count(*), max(start_ms) FROM segments WHERE transcript_id = ?", (transcript_id,)).fetchall()
        row = (transcript_id, position, int(segment.start_ms), int(segment.end_ms), str(segment.text).strip(),
               getattr(segment, "speaker", None), lines.words_json(getattr(segment, "words", ())),
               getattr(segment, "avg_logprob", None), getattr(segment, "no_speech_prob", None))
        segment_id = self.conn.execute(
            "INSERT INTO segments (transcript_id, position, start_ms, end_ms, text, speaker, words, avg_logprob, "
            "no_speech_prob) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row).lastrowid
        if corrected:   # the original goes on growing too: it is the whole transcription
            (original_end,), = self.conn.execute(
                "SELECT count(*) FROM original_segments WHERE transcript_id = ?", (transcript_id,)).fetchall()
            self.conn.execute(f"INSERT INTO original_segments (transcript_id, {_LINE_COLUMNS}) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                              (transcript_id, segment_id, original_end, *row[2:]))
        if last_start is not None and segment.start_ms < last_start:
            self._renumber(transcript_id, [])   # a line moved past the end by a correction: keep time order
        return segment_id

    def finish_transcription(self, lecture_id: int, language: str | None = None,
                             done_until_ms: int | None = None) -> TranscriptionState:
        """Mark the lecture's transcription complete (with the language heard)."""
        if done_until_ms is not None:
            _check_time("done_until_ms", done_until_ms)
        with self._write():
            head = self._head(lecture_id)
            if head is None or head["origin"] != "transcribed":
                raise ValueError(f"lecture {lecture_id} has no transcription to finish")
            self.conn.execute("UPDATE transcripts SET status = 'complete', language = coalesce(?, language), "
                              "done_until_ms = max(done_until_ms, coalesce(?, 0)) WHERE id = ?",
                              (language or None, done_until_ms, head["id"]))
        return self.transcription_state(lecture_id)

    # ----- corrections ----------------------------------------------------------------------

    def edit_line_text(self, segment_id: int, text: str) -> TranscriptEdit:
        """Correct a line's words (word times kept where the words are)."""
        with self._write():
            transcript_id, line = self._line(segment_id)
            return self._replace_lines(transcript_id, line.lecture_id, "text", (line,), (lines.with_text(line, text),))

    def split_line(self, segment_id: int, offset: int) -> TranscriptEdit:
        """Cut a line in two at character `offset` of its text; the first part keeps the id.
        ValueError when one side would have no words or the line no time to share."""
        with self._write():
            transcript_id, line = self._line(segment_id)
            return self._replace_lines(transcript_id, line.lecture_id, "split", (line,), lines.split(line, int(offset)))

    def merge_with_next(self, segment_id: int) -> TranscriptEdit:
        """Join a line and the one after it into one line (the first line's id)."""
        with self._write():
            transcript_id, line = self._line(segment_id)
            following = self._neighbour(transcript_id, line, +1)
            if following is None:
                raise ValueError("the last line has no line after it to merge with")
            return self._replace_lines(transcript_id, line.lecture_id, "merge", (line, following),
                                       (lines.merge(line, following),))

    def set_line_times(self, segment_id: int, start_ms: int, end_ms: int) -> TranscriptEdit:
        """Move a line's start and end. Lines keep their order and a line is not pushed into
        its neighbours: the times are clamped (edit.clamped says so) so that it starts no
        earlier than the line before ends and ends no later than the line after starts
        (a line overlapping a neighbour already may keep that overlap, not grow it).
        ValueError if no time is left between them."""
        _check_time("the start", start_ms)
        _check_time("the end", end_ms)
        if end_ms <= start_ms:
            raise ValueError(f"a line must end after it starts (got {start_ms}..{end_ms} ms)")
        with self._write():
            transcript_id, line = self._line(segment_id)
            before, after = (self._neighbour(transcript_id, line, step) for step in (-1, +1))
            start, end = start_ms, end_ms
            if before is not None:
                start = max(start, before.start_ms, min(before.end_ms, line.start_ms))
            if after is not None:
                start = min(start, after.start_ms)
                end = min(end, max(after.start_ms, line.end_ms))
            if end <= start:
                raise ValueError("no room for the line there: it would overlap the lines beside it")
            return self._replace_lines(transcript_id, line.lecture_id, "times", (line,),
                                       (lines.with_times(line, start, end),),
                                       clamped=(start, end) != (start_ms, end_ms))

    def shift_transcript(self, lecture_id: int, offset_ms: int) -> TranscriptEdit:
        """Move every line `offset_ms` later (earlier if negative: for subtitles that come
        late), none before 0. Highlights stay where they are: they mark the media's time.
        Refused while a transcription is in progress (its next lines would not follow)."""
        if not isinstance(offset_ms, int) or offset_ms == 0 or abs(offset_ms) > MAX_TIME_MS:
            raise ValueError(f"an offset must be a whole number of ms, not 0 (got {offset_ms!r})")
        with self._write():
            head = self._require_transcript(lecture_id)
            if head["status"] == "in_progress":
                raise ValueError("the transcript cannot be shifted while it is being transcribed")
            current = tuple(self._lines(head["id"], lecture_id))
            return self._replace_lines(head["id"], lecture_id, "shift", current,
                                       tuple(lines.shifted(line, offset_ms) for line in current))

    def set_speaker(self, segment_id: int, speaker: str | None) -> TranscriptEdit:
        """Name who says a line (None or blank: nobody named)."""
        with self._write():
            transcript_id, line = self._line(segment_id)
            return self._replace_lines(transcript_id, line.lecture_id, "speaker", (line,),
                                       (dataclasses.replace(line, speaker=_clean_speaker(speaker)),))

    def rename_speaker(self, lecture_id: int, name: str, new_name: str | None) -> TranscriptEdit:
        """Rename a speaker on every line they say (None or blank: their lines are left
        unnamed). ValueError if no line is said by `name`."""
        new_name = _clean_speaker(new_name)
        with self._write():
            head = self._require_transcript(lecture_id)
            said = tuple(self._as_line(row, lecture_id) for row in self.conn.execute(
                f"SELECT {_LINE_COLUMNS} FROM segments WHERE transcript_id = ? AND speaker = ? ORDER BY position",
                (head["id"], name)))
            if not said:
                raise ValueError(f"no line of this transcript is said by {name!r}")
            if new_name == name:
                raise ValueError(f"the speaker is called {name!r} already")
            return self._replace_lines(head["id"], lecture_id, "rename_speaker", said,
                                       tuple(dataclasses.replace(line, speaker=new_name) for line in said))

    def restore_original(self, lecture_id: int) -> TranscriptEdit:
        """Put the original transcript back, dropping every correction; the edit returned
        holds them (apply_transcript_edit(edit.inverse()) brings them back). ValueError if
        there are none."""
        with self._write():
            head = self._require_transcript(lecture_id)
            if not head["corrected"]:
                raise ValueError("the transcript has no corrections to undo")
            current = tuple(self._lines(head["id"], lecture_id))
            original = tuple(self._lines(head["id"], lecture_id, "original_segments"))
            return self._replace_lines(head["id"], lecture_id, "restore_original", current, original)

    def apply_transcript_edit(self, edit: TranscriptEdit) -> TranscriptEdit:
        """Redo an edit, or undo it with apply_transcript_edit(edit.inverse()): its `before`
        lines are replaced by its `after` lines, keeping their ids. StaleEdit (nothing
        changed) if the `before` lines are not exactly what is stored now."""
        with self._write():
            head = self._require_transcript(edit.lecture_id)
            return self._replace_lines(head["id"], edit.lecture_id, edit.kind, edit.before, edit.after,
                                       clamped=edit.clamped)

    def _require_transcript(self, lecture_id: int) -> dict:
        head = self._head(lecture_id)
        if head is None:
            self._require_lecture(lecture_id)   # KeyError for no such lecture
            raise KeyError(f"lecture {lecture_id} has no transcript")
        return head

    def _replace_lines(self, transcript_id: int, lecture_id: int, kind: str, before: tuple[TranscriptLine, ...],
              after: tuple[TranscriptLine, ...], clamped: bool = False) -> TranscriptEdit:
        """Replace `before` by `after` (inside the caller's transaction): lines in both are
        updated, lines only in `before` deleted, lines only in `after` inserted (under their
        id, or a new one for NEW_LINE_ID), then positions follow. The original is copied
        first if this is the first correction, and dropped if the lines are the original
        again."""
        stored = {line.id: line for line in self._lines_by_id(transcript_id, [line.id for line in before])}
        for line in before:
            if line.id not in stored or stored[line.id].content() != line.content():
                raise StaleEdit(f"transcript line {line.id} has changed since; nothing was changed")
        self._keep_original(transcript_id)
        keep = {line.id for line in after}
        for line in before:
            if line.id not in keep:
                self.conn.execute("DELETE FROM segments WHERE id = ?", (line.id,))
        placed = []
        for line in after:
            values = (line.start_ms, line.end_ms, line.text, line.speaker, lines.words_json(line.words),
                      line.avg_logprob, line.no_speech_prob)
            if line.id in stored:
                self.conn.execute("UPDATE segments SET start_ms = ?, end_ms = ?, text = ?, speaker = ?, words = ?, "
                                  "avg_logprob = ?, no_speech_prob = ? WHERE id = ?", (*values, line.id))
                segment_id = line.id
            else:
                if line.id != lines.NEW_LINE_ID and self.conn.execute(
                        "SELECT 1 FROM segments WHERE id = ?", (line.id,)).fetchone():
                    raise StaleEdit(f"transcript line {line.id} is back already; nothing was changed")
                segment_id = self.conn.execute(
                    "INSERT INTO segments (id, transcript_id, position, start_ms, end_ms, text, speaker, words, "
                    "avg_logprob, no_speech_prob) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (None if line.id == lines.NEW_LINE_ID else line.id, transcript_id, line.position,
                     *values)).lastrowid
            placed.append((segment_id, line.position))
        self._renumber(transcript_id, placed)
        self._settle_correction(transcript_id)
        done = {line.id: line for line in self._lines_by_id(transcript_id, [segment_id for segment_id, _ in placed])}
        return TranscriptEdit(lecture_id, kind, tuple(before), tuple(done[segment_id] for segment_id, _ in placed),
                              clamped)

    def _lines_by_id(self, transcript_id: int, ids: list[int]) -> list[TranscriptLine]:
        if not ids:
            return []
        lecture_id, = self.conn.execute("SELECT media_id FROM transcripts WHERE id = ?", (transcript_id,)).fetchone()
        return [self._as_line(row, lecture_id) for row in self.conn.execute(
            f"SELECT {_LINE_COLUMNS} FROM segments WHERE transcript_id = ? AND id IN "
            "(SELECT value FROM json_each(?))", (transcript_id, json.dumps(ids)))]

    def _renumber(self, transcript_id: int, placed: list[tuple[int, int]]) -> None:
        """Positions 0..n-1 again: the lines just written go where their records say, the
        others keep their order, and time order wins over both (so the transcript's
        segments and the stored positions always match)."""
        rows = self.conn.execute("SELECT id, position, start_ms FROM segments WHERE transcript_id = ? "
                                 "ORDER BY position, id", (transcript_id,)).fetchall()
        placed_ids = {segment_id for segment_id, _ in placed}
        by_id = {row[0]: row for row in rows}
        order = [row for row in rows if row[0] not in placed_ids]
        for segment_id, position in sorted(placed, key=lambda pair: pair[1]):
            order.insert(min(max(0, position), len(order)), by_id[segment_id])
        order.sort(key=lambda row: row[2])   # stable: ties keep the order above
        self.conn.executemany("UPDATE segments SET position = ? WHERE id = ?",
                              [(index, row[0]) for index, row in enumerate(order) if row[1] != index])

    def _keep_original(self, transcript_id: int) -> None:
        """Before the first correction: copy the lines as they are to original_segments."""
        if self.conn.execute("SELECT corrected_at IS NULL FROM transcripts WHERE id = ?",
                             (transcript_id,)).fetchone()[0]:
            self.conn.execute("DELETE FROM original_segments WHERE transcript_id = ?", (transcript_id,))
            self.conn.execute(f"INSERT INTO original_segments (transcript_id, {_LINE_COLUMNS}) "
                              f"SELECT transcript_id, {_LINE_COLUMNS} FROM segments WHERE transcript_id = ?",
                              (transcript_id,))
        self.conn.execute("UPDATE transcripts SET corrected_at = ? WHERE id = ?", (now(), transcript_id))

    def _settle_correction(self, transcript_id: int) -> None:
        """Lines that are the original again (every correction undone) are no correction."""
        differs = self.conn.execute(
            f"SELECT EXISTS (SELECT {_LINE_COLUMNS} FROM segments WHERE transcript_id = :t "
            f"EXCEPT SELECT {_LINE_COLUMNS} FROM original_segments WHERE transcript_id = :t) "
            f"OR EXISTS (SELECT {_LINE_COLUMNS} FROM original_segments WHERE transcript_id = :t "
            f"EXCEPT SELECT {_LINE_COLUMNS} FROM segments WHERE transcript_id = :t)",
            {"t": transcript_id}).fetchone()[0]
        if not differs:
            self.conn.execute("DELETE FROM original_segments WHERE transcript_id = ?", (transcript_id,))
            self.conn.execute("UPDATE transcripts SET corrected_at = NULL WHERE id = ?", (transcript_id,))
