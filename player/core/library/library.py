"""The Library: a learner's lectures, highlights, tags and notes in one SQLite file.

Every mutator is one user action, committed in its own BEGIN IMMEDIATE transaction before
it returns, and returns what changed (models.py) so a GUI can refresh just that and undo it.
"""

from __future__ import annotations

import json
import math
import sqlite3
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from player.core.library import schema
from player.core.library.connection import (APPLICATION_ID, LibraryError, NotALibrary, check_pages,
                                            connect, left_open, move_aside, write)
from player.core.library.connection import now as _now
from player.core.library.fingerprint import fingerprint
from player.core.library.models import (MAX_TIME_MS, Highlight, HighlightEdit, Lecture, LectureRemoval,
                                        SearchHit, Tag, TagDeletion, TagEdit, TagMerge)
from player.core.library.search import DEFAULT_LIMIT, search
from player.core.library.second import SecondTranscriptMethods
from player.core.library.study import StudyMethods
from player.core.library.transcripts import TranscriptMethods
from player.core.media import find_sibling_transcript
from player.core.notes import LectureNotes, NoteItem, NoteLink
from player.core.transcript import Transcript

if TYPE_CHECKING:
    from sqlite_utils import Database

COLORS = range(1, 6)


class NotTheSameMedia(LibraryError):
    """relink() was given a file whose content differs from the lecture's."""


def _tag_key(name: str) -> str:
    return name.casefold()


def _clean_tag_name(name: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ValueError("a tag needs a name")
    return name.strip()


def _check_range(start_ms: int, end_ms: int) -> None:
    if not 0 <= start_ms < end_ms:  # also refuses NaN
        raise ValueError(f"a highlight must end after it starts (got {start_ms}..{end_ms} ms)")
    if not end_ms <= MAX_TIME_MS:
        raise ValueError(f"a highlight must end within {MAX_TIME_MS // 3_600_000} hours "
                         f"(got an end of {end_ms} ms)")


def _storable(value: object) -> bool:
    """Whether SQLite can take this as an id: an int beyond its signed 64 bits is in no
    library (and would raise OverflowError when bound)."""
    return not isinstance(value, int) or -2**63 <= value < 2**63


def _seconds(ms: int) -> str:
    """A time for a message: "3600 s", "12.5 s"."""
    return f"{ms / 1000:.3f}".rstrip("0").rstrip(".") + " s"


def _known_duration(duration_ms: int | None) -> int | None:
    return int(duration_ms) if duration_ms is not None and 0 < duration_ms <= MAX_TIME_MS else None


def _check_color(color: int) -> None:
    if color not in COLORS:
        raise ValueError(f"colour must be 1 to 5 (got {color})")


class Library(TranscriptMethods, StudyMethods, SecondTranscriptMethods):
    """One open library file. Use from one thread; open another Library for a worker.
    Transcripts, transcription and corrections: transcripts.py; dictation and speed:
    study.py; the second transcript: second.py."""

    def __init__(self, path: Path, conn: sqlite3.Connection, moved_aside: Path | None = None) -> None:
        self.path = path
        self.conn = conn
        # Where a damaged file was moved to when open(..., move_corrupt_aside=True) did so.
        self.moved_aside = moved_aside
        # Whether open() read every page (PRAGMA quick_check) because the file was left open.
        self.integrity_checked = False

    @cached_property
    def db(self) -> "Database":
        """sqlite-utils over our own, configured connection. Made on first use: importing
        sqlite-utils pulls in numpy when it is installed, a fifth of a second at start-up."""
        from sqlite_utils import Database

        return Database(self.conn)

    # ----- opening -------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, move_corrupt_aside: bool = False, check_integrity: bool = True) -> "Library":
        """Open (creating or migrating) the library at `path`.

        A file that is not a library raises NotALibrary and is left as it is, unless
        `move_corrupt_aside` is set: then it is renamed `<name>.corrupt-<timestamp>`,
        a fresh library is created, and `library.moved_aside` says where the old one went.

        `check_integrity`: read every page first if the library was left open (a crash, a
        kill, or another process using it); after a clean close the header checks suffice,
        which keeps a large library from slowing the window's start (~35 ms for 18 MB).
        A second connection of a process that checked already passes False.
        """
        path = Path(path)
        moved = None
        try:
            conn, checked = cls._open_checked(path, check_integrity)
        except NotALibrary:
            if not move_corrupt_aside:
                raise
            moved = move_aside(path)
            conn, checked = cls._open_checked(path, check_integrity)
        library = cls(path, conn, moved)
        library.integrity_checked = checked
        return library

    @classmethod
    def _open_checked(cls, path: Path, check_integrity: bool = True) -> tuple[sqlite3.Connection, bool]:
        check = check_integrity and left_open(path)   # asked before connect makes a -wal
        if check:
            check_pages(path)
        conn = connect(path)  # refuses another program's database or a newer library
        try:
            migrate(conn, path)
        except BaseException:
            conn.close()
            raise
        return conn, check

    def owned_paths(self) -> dict[Path, str]:
        """The learner's files this library knows, each with what it is: the library file
        and its -wal/-shm, every lecture's media (wherever it was seen), every transcript
        and lecture notes file read into it. A writer never writes onto any of them
        (player.core.safe_files.check_output)."""
        owned: dict[Path, str] = {}
        for path, in self._read("SELECT path FROM media UNION SELECT path FROM media_paths"):
            owned[Path(path)] = "a lecture in your library"
        for source, in self._read("SELECT source FROM transcripts WHERE source IS NOT NULL"):
            owned[Path(source)] = "a transcript in your library"
        for source, in self._read("SELECT source FROM second_transcripts WHERE source IS NOT NULL"):
            owned[Path(source)] = "a second transcript in your library"
        for source, in self._read("SELECT source FROM lecture_notes WHERE source IS NOT NULL"):
            owned[Path(source)] = "lecture notes in your library"
        for suffix in ("", "-wal", "-shm", "-journal"):
            owned[self.path.with_name(self.path.name + suffix)] = "your library"
        return owned

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Library":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _write(self, undone: str = "nothing was saved"):
        return write(self.conn, self.path, undone)

    def _read(self, sql: str, params: Iterable | dict = ()) -> list[tuple]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as error:
            raise LibraryError(self.path, str(error)) from None

    # ----- lectures ------------------------------------------------------------------

    def import_lecture(self, media_path: str | Path, transcript: Transcript | None = None, *,
                       title: str | None = None, duration_ms: int | None = None,
                       replace_transcript: bool = False) -> Lecture:
        """Add a media file (and its transcript) or, if its content is already known, note
        this path as one where it was seen and, if a transcript is given, replace the stored
        one; with none given the stored transcript stays, whatever the file is called.
        The same transcript again (the lecture reopened with its file) keeps its line ids
        and the learner's corrections; a stored transcript that holds work the file does not
        (made by transcription here, or corrected) is kept unless `replace_transcript`.
        Highlights and notes are always kept. The lecture's `path` becomes preferred_path's
        choice, so a renamed copy with no transcript beside it does not take over."""
        media_path = Path(media_path).resolve()
        try:
            fp = fingerprint(media_path)
            size = media_path.stat().st_size
        except OSError as error:
            raise LibraryError(media_path, f"cannot read the media file: {error.strerror}") from None
        title = title or (transcript.title if transcript and transcript.title else None) or media_path.stem
        with self._write("nothing was imported"):
            lecture_id = self._upsert_media(fp, media_path, title, size, _known_duration(duration_ms))
            if transcript is not None:
                self._store_transcript(lecture_id, transcript, replace_transcript)
            self._seen_at(lecture_id, media_path)
            best = self._preferred(lecture_id)
            self.conn.execute("UPDATE media SET path = ? WHERE id = ?", (str(best or media_path), lecture_id))
        return self.lecture(lecture_id)

    def _upsert_media(self, fp: str, path: Path, title: str, size: int,
                      duration_ms: int | None) -> int:
        row = self.conn.execute("SELECT id FROM media WHERE fingerprint = ?", (fp,)).fetchone()
        if row:
            self.conn.execute("UPDATE media SET duration_ms = coalesce(?, duration_ms) WHERE id = ?",
                              (duration_ms, row[0]))
            return row[0]
        return self.db["media"].insert({
            "fingerprint": fp, "path": str(path), "title": title, "duration_ms": duration_ms,
            "size_bytes": size, "added_at": _now(), "last_position_ms": 0}).last_pk

    def _seen_at(self, lecture_id: int, path: Path) -> None:
        self.conn.execute("INSERT INTO media_paths (media_id, path, last_seen) VALUES (?, ?, ?) "
                          "ON CONFLICT (media_id, path) DO UPDATE SET last_seen = excluded.last_seen",
                          (lecture_id, str(path), _now()))

    def media_paths(self, lecture_id: int) -> list[Path]:
        """Every path where the lecture's media was seen, most recently seen first (they
        may no longer exist, or hold other content since)."""
        if not _storable(lecture_id):
            return []
        return [Path(path) for path, in self._read(
            "SELECT path FROM media_paths WHERE media_id = ? ORDER BY last_seen DESC, path", (lecture_id,))]

    def preferred_path(self, lecture_id: int) -> Path | None:
        """Where to open the lecture: a known path that still holds its media and has the
        lecture's transcript beside it, else any known path that still holds its media
        (most recently seen first), else None (the file is gone: relink it)."""
        return self._preferred(lecture_id)

    def _preferred(self, lecture_id: int) -> Path | None:
        head = self._read("SELECT m.fingerprint, m.size_bytes, t.source FROM media m "
                          "LEFT JOIN transcripts t ON t.media_id = m.id WHERE m.id = ?", (lecture_id,))
        if not head:
            return None
        fp, size, source = head[0]
        source_path = Path(source).resolve() if source else None

        def holds_the_media(path: Path) -> bool:
            # The size first: a file replaced since by another is then rarely read at all.
            try:
                return (path.is_file() and (size is None or path.stat().st_size == size)
                        and fingerprint(path) == fp)
            except OSError:
                return False

        def transcript_beside(path: Path) -> bool:
            sibling = find_sibling_transcript(path)
            # With the stored transcript's file known, only that file counts as its transcript.
            return sibling is not None and (source_path is None or sibling.resolve() == source_path)

        existing = [path for path in self.media_paths(lecture_id) if holds_the_media(path)]
        return next((path for path in existing if transcript_beside(path)), existing[0] if existing else None)

    _LECTURE_SQL = """
        SELECT m.id, m.fingerprint, m.path, m.title,
               coalesce(m.duration_ms, (SELECT max(s.end_ms) FROM segments s
                                        JOIN transcripts t ON t.id = s.transcript_id
                                        WHERE t.media_id = m.id)),
               (SELECT count(*) FROM highlights h WHERE h.media_id = m.id),
               m.last_opened_at, m.last_position_ms,
               EXISTS (SELECT 1 FROM transcripts t WHERE t.media_id = m.id)
        FROM media m
    """

    def _lectures_where(self, where: str, params: tuple) -> list[Lecture]:
        rows = self._read(self._LECTURE_SQL + where, params)
        return [Lecture(*row[:8], has_transcript=bool(row[8])) for row in rows]

    def lecture(self, lecture_id: int) -> Lecture:
        found = self._lectures_where("WHERE m.id = ?", (lecture_id,)) if _storable(lecture_id) else []
        if not found:
            raise KeyError(f"no lecture {lecture_id} in the library")
        return found[0]

    def lectures(self) -> list[Lecture]:
        """All lectures, most recently opened first, then by title."""
        return self._lectures_where(
            "ORDER BY m.last_opened_at IS NULL, m.last_opened_at DESC, m.title COLLATE NOCASE", ())

    def lecture_titles(self, lecture_ids: Iterable[int] | None = None) -> dict[int, str]:
        """Each lecture's title by id: what a list of search hits needs, without the
        per-lecture lengths and counts `lectures()` works out (117 ms on 1,000 lectures)."""
        ids = [i for i in lecture_ids if _storable(i)] if lecture_ids is not None else None
        if ids is not None and not ids:
            return {}
        where = f" WHERE id IN ({','.join('?' * len(ids))})" if ids is not None else ""
        return dict(self._read(f"SELECT id, title FROM media{where}", ids or ()))

    def find_by_fingerprint(self, fp: str) -> Lecture | None:
        found = self._lectures_where("WHERE m.fingerprint = ?", (fp,))
        return found[0] if found else None

    def find_media(self, media_path: str | Path) -> Lecture | None:
        """The lecture for a file: by its content if it exists, else by its last known path."""
        path = Path(media_path)
        if path.is_file():
            try:
                return self.find_by_fingerprint(fingerprint(path))
            except OSError as error:
                raise LibraryError(path, f"cannot read the media file: {error.strerror}") from None
        found = self._lectures_where(
            "WHERE m.id IN (SELECT media_id FROM media_paths WHERE path = :path) OR m.path = :path "
            "ORDER BY m.path = :path DESC", {"path": str(path.resolve())})
        return found[0] if found else None

    def relink(self, lecture_id: int, new_path: str | Path) -> Lecture:
        """Point a lecture at its moved file, after checking it is the same content."""
        new_path = Path(new_path).resolve()
        lecture = self.lecture(lecture_id)
        try:
            fp = fingerprint(new_path)
        except OSError as error:
            raise LibraryError(new_path, f"cannot read the media file: {error.strerror}") from None
        if fp != lecture.fingerprint:
            raise NotTheSameMedia(new_path, f"this is not the same media as {lecture.title!r} "
                                            f"(its content differs)")
        with self._write():
            self.conn.execute("UPDATE media SET path = ? WHERE id = ?", (str(new_path), lecture_id))
            self._seen_at(lecture_id, new_path)
        return self.lecture(lecture_id)

    def remove_lecture(self, lecture_id: int) -> LectureRemoval:
        """Forget a lecture with its transcript, highlights and notes (not the media file)."""
        lecture = self.lecture(lecture_id)
        with self._write():
            self.conn.execute("DELETE FROM media WHERE id = ?", (lecture_id,))
        return LectureRemoval(lecture, lecture.highlight_count)

    def set_last_position(self, lecture_id: int, position_ms: int) -> None:
        """Remember where the learner was, and that the lecture was opened now."""
        if not _storable(lecture_id):
            return  # no such lecture: nothing to remember
        with self._write():
            self.conn.execute("UPDATE media SET last_position_ms = ?, last_opened_at = ? WHERE id = ?",
                              (min(max(0, int(position_ms)), MAX_TIME_MS), _now(), lecture_id))

    def last_position(self, lecture_id: int) -> int:
        return self.lecture(lecture_id).last_position_ms

    def set_duration(self, lecture_id: int, duration_ms: int) -> None:
        """Record the media's length once a player knows it; a length that cannot be
        one (0, -1 for "unknown", past MAX_TIME_MS) is not recorded."""
        if not _storable(lecture_id) or _known_duration(duration_ms) is None:
            return
        with self._write():
            self.conn.execute("UPDATE media SET duration_ms = ? WHERE id = ?", (int(duration_ms), lecture_id))

    def set_title(self, lecture_id: int, title: str) -> Lecture:
        """Name the lecture as the player shows it (its transcript's title or the media's
        title tag, learnt after import); a blank title leaves the name as it was."""
        lecture = self.lecture(lecture_id)   # KeyError for a lecture the library does not hold
        title = " ".join(title.split())
        if not title or title == lecture.title:
            return lecture
        with self._write():
            self.conn.execute("UPDATE media SET title = ? WHERE id = ?", (title, lecture_id))
        return self.lecture(lecture_id)

    # ----- lecture notes -------------------------------------------------------------

    def set_notes(self, lecture_id: int, notes: LectureNotes,
                  links: list[NoteLink] | None = None) -> tuple[LectureNotes, list[NoteLink]] | None:
        """Keep a lecture's notes (a summary page) with each point's link, replacing the
        notes it had; `links` are link_notes' answer, one per item in order (None: none
        linked yet). Returns the notes before, for undo (None: it had none)."""
        links = [NoteLink(item, None, 0.0) for item in notes.items] if links is None else list(links)
        if len(links) != len(notes.items):
            raise ValueError(f"{len(links)} links for {len(notes.items)} points of the notes")
        for link in links:
            if link.start_ms is not None and not 0 <= link.start_ms <= MAX_TIME_MS:
                raise ValueError(f"a point's moment must be within the lecture (got {link.start_ms} ms)")
            if not math.isfinite(link.score):
                raise ValueError(f"a link's score must be a number (got {link.score})")
        with self._write():
            self._require_lecture(lecture_id)
            before = self.notes(lecture_id)
            # Deleting the old page cascades to its points; triggers update the index.
            self.conn.execute("DELETE FROM lecture_notes WHERE media_id = ?", (lecture_id,))
            self.conn.execute("INSERT INTO lecture_notes (media_id, title, tldr, source, saved_at) "
                              "VALUES (?, ?, ?, ?, ?)", (lecture_id, notes.title, notes.tldr,
                                                         notes.source, _now()))
            self.conn.executemany(
                "INSERT INTO lecture_note_items (media_id, position, kind, text, question, start_ms, score) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(lecture_id, position, item.kind, item.text, item.question,
                  None if link.start_ms is None else int(link.start_ms), float(link.score))
                 for position, (item, link) in enumerate(zip(notes.items, links))])
        return before

    def remove_notes(self, lecture_id: int) -> tuple[LectureNotes, list[NoteLink]] | None:
        """Forget a lecture's notes; returns them (None: it had none), for undo."""
        with self._write():
            before = self.notes(lecture_id)
            self.conn.execute("DELETE FROM lecture_notes WHERE media_id = ?", (lecture_id,))
        return before

    def notes(self, lecture_id: int) -> tuple[LectureNotes, list[NoteLink]] | None:
        """A lecture's kept notes and each point's link, in page order; None if it has none."""
        if not _storable(lecture_id):
            return None
        head = self._read("SELECT title, tldr, source FROM lecture_notes WHERE media_id = ?", (lecture_id,))
        if not head:
            return None
        title, tldr, source = head[0]
        notes = LectureNotes(title=title, tldr=tldr, source=source)
        links = []
        for kind, text, question, start_ms, score in self._read(
                "SELECT kind, text, question, start_ms, score FROM lecture_note_items "
                "WHERE media_id = ? ORDER BY position", (lecture_id,)):
            item = NoteItem(kind, text, question)
            notes.items.append(item)
            links.append(NoteLink(item, start_ms, score))
        return notes, links

    # ----- highlights ----------------------------------------------------------------

    def add_highlight(self, lecture_id: int, start_ms: int, end_ms: int, color: int = 1,
                      tags: Iterable[str] = (), note: str | None = None) -> Highlight:
        _check_range(start_ms, end_ms)
        _check_color(color)
        tags = [_clean_tag_name(name) for name in tags]
        now = _now()
        with self._write():
            end_ms = self._fit_to_lecture(lecture_id, start_ms, end_ms)
            highlight_id = self.conn.execute(
                "INSERT INTO highlights (media_id, start_ms, end_ms, color, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)", (lecture_id, start_ms, end_ms, color, now, now)).lastrowid
            for name in tags:
                self._link_tag(highlight_id, self._tag_id(name, create=True))
            if note:
                self._write_note(highlight_id, note, now)
        return self.highlight(highlight_id)

    def _require_lecture(self, lecture_id: int) -> int | None:
        """The lecture's duration in ms, None if not known yet; KeyError if there is no such lecture."""
        row = (self.conn.execute("SELECT duration_ms FROM media WHERE id = ?", (lecture_id,)).fetchone()
               if _storable(lecture_id) else None)
        if row is None:
            raise KeyError(f"no lecture {lecture_id} in the library")
        return row[0]

    def _fit_to_lecture(self, lecture_id: int, start_ms: int, end_ms: int) -> int:
        """The end of a highlight, clipped to the end of its lecture when its length is
        known; ValueError for a highlight that would start at or after that end."""
        duration_ms = self._require_lecture(lecture_id)
        if not duration_ms or duration_ms <= 0:
            return end_ms
        if start_ms >= duration_ms:
            raise ValueError(f"a highlight cannot start at {_seconds(start_ms)}: the lecture is "
                             f"{_seconds(duration_ms)} long")
        return min(end_ms, duration_ms)

    def highlight(self, highlight_id: int) -> Highlight:
        found = self._highlights_where("h.id = ?", [highlight_id]) if _storable(highlight_id) else []
        if not found:
            raise KeyError(f"no highlight {highlight_id} in the library")
        return found[0]

    def _edit(self, highlight_id: int, change: Callable[[Highlight], None]) -> HighlightEdit:
        """Run one highlight edit, change(highlight before it), in its own transaction and
        report before/after."""
        with self._write():
            before = self.highlight(highlight_id)
            change(before)
            self.conn.execute("UPDATE highlights SET updated_at = ? WHERE id = ?", (_now(), highlight_id))
        return HighlightEdit(before, self.highlight(highlight_id))

    def set_color(self, highlight_id: int, color: int) -> HighlightEdit:
        _check_color(color)
        return self._edit(highlight_id, lambda _before: self.conn.execute(
            "UPDATE highlights SET color = ? WHERE id = ?", (color, highlight_id)))

    def set_range(self, highlight_id: int, start_ms: int, end_ms: int) -> HighlightEdit:
        """Move a highlight; its end is clipped to the lecture's end when that is known."""
        _check_range(start_ms, end_ms)
        return self._edit(highlight_id, lambda before: self.conn.execute(
            "UPDATE highlights SET start_ms = ?, end_ms = ? WHERE id = ?",
            (start_ms, self._fit_to_lecture(before.lecture_id, start_ms, end_ms), highlight_id)))

    def set_note(self, highlight_id: int, note: str | None) -> HighlightEdit:
        """Set (or with None / "" remove) the one note of a highlight, stored exactly."""
        now = _now()
        with self._write():
            before = self.highlight(highlight_id)
            self._write_note(highlight_id, note, now)
            self.conn.execute("UPDATE highlights SET updated_at = ? WHERE id = ?", (now, highlight_id))
        return HighlightEdit(before, self.highlight(highlight_id))

    def _write_note(self, highlight_id: int, note: str | None, now: str) -> None:
        if not note:
            self.conn.execute("DELETE FROM notes WHERE highlight_id = ?", (highlight_id,))
            return
        # An upsert that fires the UPDATE trigger keeps the search index right.
        self.conn.execute("INSERT INTO notes (highlight_id, text, updated_at) VALUES (?, ?, ?) "
                          "ON CONFLICT (highlight_id) DO UPDATE SET text = excluded.text, "
                          "updated_at = excluded.updated_at", (highlight_id, note, now))

    def add_tag(self, highlight_id: int, name: str) -> HighlightEdit:
        """Tag a highlight, creating the tag on first use (names match ignoring case)."""
        name = _clean_tag_name(name)
        with self._write():
            before = self.highlight(highlight_id)
            self._link_tag(highlight_id, self._tag_id(name, create=True))
            self.conn.execute("UPDATE highlights SET updated_at = ? WHERE id = ?", (_now(), highlight_id))
        return HighlightEdit(before, self.highlight(highlight_id))

    def remove_tag(self, highlight_id: int, name: str) -> HighlightEdit:
        """Untag a highlight; the tag itself stays (delete_tag removes it everywhere)."""
        with self._write():
            before = self.highlight(highlight_id)
            tag_id = self._tag_id(name, create=False)
            if tag_id is not None:
                self.conn.execute("DELETE FROM highlight_tags WHERE highlight_id = ? AND tag_id = ?",
                                  (highlight_id, tag_id))
                self.conn.execute("UPDATE highlights SET updated_at = ? WHERE id = ?", (_now(), highlight_id))
        return HighlightEdit(before, self.highlight(highlight_id))

    def remove_highlight(self, highlight_id: int) -> Highlight:
        """Delete a highlight (its note and tag links go with it); returns it complete,
        so restore_highlight(returned) brings it back exactly."""
        with self._write():
            removed = self.highlight(highlight_id)
            self.conn.execute("DELETE FROM highlights WHERE id = ?", (highlight_id,))
        return removed

    def restore_highlight(self, highlight: Highlight) -> Highlight:
        """Put a highlight back exactly as given: same id, range, colour, tags, note and
        timestamps. Undoes remove_highlight, and any edit (restore its `before`)."""
        with self._write():
            self._require_lecture(highlight.lecture_id)
            self.conn.execute(
                "INSERT INTO highlights (id, media_id, start_ms, end_ms, color, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET media_id = excluded.media_id, "
                "start_ms = excluded.start_ms, end_ms = excluded.end_ms, color = excluded.color, "
                "created_at = excluded.created_at, updated_at = excluded.updated_at",
                (highlight.id, highlight.lecture_id, highlight.start_ms, highlight.end_ms,
                 highlight.color, highlight.created_at, highlight.updated_at))
            self.conn.execute("DELETE FROM highlight_tags WHERE highlight_id = ?", (highlight.id,))
            for name in highlight.tags:
                self._link_tag(highlight.id, self._tag_id(name, create=True))
            self._write_note(highlight.id, highlight.note, highlight.updated_at)
        return self.highlight(highlight.id)

    def highlights(self, lecture: int | None = None, tag: str | None = None,
                   color: int | None = None, text: str | None = None) -> list[Highlight]:
        """Highlights in lecture and time order, filtered by any of: lecture id, tag name
        (ignoring case), colour, and words in the note or in the transcript it covers."""
        if not _storable(lecture) or (color is not None and color not in COLORS):
            return []  # no lecture has that id, no highlight that colour
        clauses, params = [], []
        if lecture is not None:
            clauses.append("h.media_id = ?")
            params.append(lecture)
        if tag is not None:
            clauses.append("h.id IN (SELECT ht.highlight_id FROM highlight_tags ht "
                           "JOIN tags t ON t.id = ht.tag_id WHERE t.name_key = ?)")
            params.append(_tag_key(tag.strip()))
        if color is not None:
            clauses.append("h.color = ?")
            params.append(color)
        if text:
            # instr() on lower-cased text: a plain substring test, no LIKE wildcards to escape.
            clauses.append("(instr(lower(coalesce(n.text, '')), lower(?)) > 0 OR "
                           "instr(lower(" + self._COVERED_TEXT + "), lower(?)) > 0)")
            params.extend([text, text])
        return self._highlights_where(" AND ".join(clauses) or "1", params)

    # The transcript words a highlight covers: segments overlapping its range.
    _COVERED_TEXT = """coalesce((SELECT group_concat(s.text, ' ') FROM (
            SELECT s.text FROM segments s JOIN transcripts t ON t.id = s.transcript_id
            WHERE t.media_id = h.media_id AND s.start_ms < h.end_ms AND s.end_ms > h.start_ms
            ORDER BY s.position) s), '')"""

    def _highlights_where(self, where: str, params: list) -> list[Highlight]:
        rows = self._read(f"""
            SELECT h.id, h.media_id, h.start_ms, h.end_ms, h.color, n.text, h.created_at,
                   h.updated_at, m.path, {self._COVERED_TEXT}
            FROM highlights h JOIN media m ON m.id = h.media_id
            LEFT JOIN notes n ON n.highlight_id = h.id
            WHERE {where}
            ORDER BY m.title COLLATE NOCASE, h.media_id, h.start_ms, h.id""", params)
        tags = self._tags_by_highlight([row[0] for row in rows])
        return [Highlight(id=row[0], lecture_id=row[1], start_ms=row[2], end_ms=row[3], color=row[4],
                          tags=tags.get(row[0], ()), note=row[5], created_at=row[6], updated_at=row[7],
                          media_path=row[8], text=row[9])
                for row in rows]

    def _tags_by_highlight(self, highlight_ids: list[int]) -> dict[int, tuple[str, ...]]:
        found: dict[int, list[str]] = {}
        # json_each takes the whole id list as one bound parameter, whatever its length.
        for highlight_id, name in self._read(
                "SELECT ht.highlight_id, t.name FROM highlight_tags ht JOIN tags t ON t.id = ht.tag_id "
                "WHERE ht.highlight_id IN (SELECT value FROM json_each(?)) ORDER BY t.name_key",
                (json.dumps(highlight_ids),)):
            found.setdefault(highlight_id, []).append(name)
        return {key: tuple(names) for key, names in found.items()}

    # ----- tags ----------------------------------------------------------------------

    def _tag_id(self, name: str, *, create: bool) -> int | None:
        name = _clean_tag_name(name)
        row = self.conn.execute("SELECT id FROM tags WHERE name_key = ?", (_tag_key(name),)).fetchone()
        if row:
            return row[0]
        if not create:
            return None
        return self.conn.execute("INSERT INTO tags (name, name_key) VALUES (?, ?)",
                                 (name, _tag_key(name))).lastrowid

    def _link_tag(self, highlight_id: int, tag_id: int) -> None:
        self.conn.execute("INSERT OR IGNORE INTO highlight_tags (highlight_id, tag_id) VALUES (?, ?)",
                          (highlight_id, tag_id))

    def _tag_highlights(self, tag_id: int) -> tuple[int, ...]:
        return tuple(row[0] for row in self.conn.execute(
            "SELECT highlight_id FROM highlight_tags WHERE tag_id = ? ORDER BY highlight_id", (tag_id,)))

    def tags(self) -> list[Tag]:
        """Every tag with how many highlights use it, by name ignoring case."""
        rows = self._read("SELECT t.id, t.name, t.color, count(ht.highlight_id) FROM tags t "
                          "LEFT JOIN highlight_tags ht ON ht.tag_id = t.id GROUP BY t.id ORDER BY t.name_key")
        return [Tag(*row) for row in rows]

    def tag(self, name: str) -> Tag:
        rows = self._read("SELECT t.id, t.name, t.color, (SELECT count(*) FROM highlight_tags ht "
                          "WHERE ht.tag_id = t.id) FROM tags t WHERE t.name_key = ?",
                          (_tag_key(_clean_tag_name(name)),))
        if not rows:
            raise KeyError(f"no tag named {name!r}")
        return Tag(*rows[0])

    def rename_tag(self, name: str, new_name: str) -> TagEdit:
        """Rename a tag everywhere; a new name already taken by another tag is refused
        (merge_tags is the way to join two tags)."""
        before = self.tag(name)
        new_name = _clean_tag_name(new_name)
        with self._write():
            clash = self.conn.execute("SELECT id FROM tags WHERE name_key = ? AND id != ?",
                                      (_tag_key(new_name), before.id)).fetchone()
            if clash:
                raise ValueError(f"a tag named {new_name!r} already exists: merge the tags instead")
            self.conn.execute("UPDATE tags SET name = ?, name_key = ? WHERE id = ?",
                              (new_name, _tag_key(new_name), before.id))
            ids = self._tag_highlights(before.id)
        return TagEdit(before, self.tag(new_name), ids)

    def recolor_tag(self, name: str, color: int | None) -> TagEdit:
        if color is not None:
            _check_color(color)
        before = self.tag(name)
        with self._write():
            self.conn.execute("UPDATE tags SET color = ? WHERE id = ?", (color, before.id))
            ids = self._tag_highlights(before.id)
        return TagEdit(before, self.tag(name), ids)

    def delete_tag(self, name: str) -> TagDeletion:
        """Delete a tag from every highlight; `.count` says how many carried it."""
        tag = self.tag(name)
        with self._write():
            ids = self._tag_highlights(tag.id)
            self.conn.execute("DELETE FROM tags WHERE id = ?", (tag.id,))
        return TagDeletion(tag, ids)

    def restore_tag(self, deletion: TagDeletion) -> Tag:
        """Undo delete_tag: the same tag (id, name, colour) on the same highlights."""
        with self._write():
            self._insert_tag_back(deletion)
        return self.tag(deletion.tag.name)

    def _insert_tag_back(self, deletion: TagDeletion) -> None:
        tag = deletion.tag
        self.conn.execute("INSERT INTO tags (id, name, name_key, color) VALUES (?, ?, ?, ?)",
                          (tag.id, tag.name, _tag_key(tag.name), tag.color))
        for highlight_id in deletion.highlight_ids:
            self._link_tag(highlight_id, tag.id)

    def merge_tags(self, source: str, target: str) -> TagMerge:
        """Fold tag `source` into `target`: its highlights get `target`, `source` goes."""
        source_tag, target_tag = self.tag(source), self.tag(target)
        if source_tag.id == target_tag.id:
            raise ValueError("cannot merge a tag into itself")
        with self._write():
            source_ids = self._tag_highlights(source_tag.id)
            had_target = set(self._tag_highlights(target_tag.id))
            moved = tuple(h for h in source_ids if h not in had_target)
            for highlight_id in moved:
                self._link_tag(highlight_id, target_tag.id)
            self.conn.execute("DELETE FROM tags WHERE id = ?", (source_tag.id,))
        return TagMerge(source_tag, self.tag(target_tag.name), source_ids, moved)

    def unmerge_tags(self, merge: TagMerge) -> None:
        """Undo merge_tags: the source tag back on its highlights, `target` off those
        that only had it through the merge."""
        with self._write():
            for highlight_id in merge.moved:
                self.conn.execute("DELETE FROM highlight_tags WHERE highlight_id = ? AND tag_id = ?",
                                  (highlight_id, merge.target.id))
            self._insert_tag_back(TagDeletion(merge.source, merge.source_highlight_ids))

    # ----- search --------------------------------------------------------------------

    def search(self, text: str, *, lecture: int | None = None, limit: int = DEFAULT_LIMIT) -> list[SearchHit]:
        """Words (the last one typed a prefix; see search.py) in transcripts, notes, tag names and
        lecture notes; best first."""
        if not _storable(lecture):
            return []
        try:
            return search(self.conn, text, lecture_id=lecture, limit=limit)
        except sqlite3.DatabaseError as error:
            raise LibraryError(self.path, str(error)) from None


def migrate(conn: sqlite3.Connection, path: Path, steps: list[schema.Step] | None = None) -> list[str]:
    """Bring the library to the latest version, one transaction per step; returns the
    names of the steps applied."""
    pending = schema.pending(conn, steps)
    if not pending:
        return []   # the usual open: sqlite-utils (and numpy behind it) stays unimported
    from sqlite_utils import Database

    db = Database(conn)
    applied = []
    for migration in pending:
        with write(conn, path):
            if schema.version(conn) >= migration.version:
                continue  # another process migrated it while we waited for the lock
            migration.apply(db)
            # Both pragmas are part of the transaction: the step and its number commit together.
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {int(migration.version)}")
        applied.append(migration.name)
    return applied
