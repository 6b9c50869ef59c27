"""The library's tables and their versioned migrations (documented in docs/library-schema.md).

The schema version is SQLite's `PRAGMA user_version`. Each step is a named function that
takes the library from version N-1 to N inside one transaction, together with the new
version number, so a crash mid-migration leaves the file at N-1. A next version is one more
`@step` function appended to STEPS.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:   # imported by migrate() only when a step runs: it pulls in numpy
    from sqlite_utils import Database


@dataclass(frozen=True)
class Step:
    version: int   # the version this step brings the library to
    name: str
    apply: Callable[[Database], None]


STEPS: list[Step] = []


def step(name: str) -> Callable[[Callable[[Database], None]], Callable[[Database], None]]:
    """Register the next migration step, numbered in the order they are defined."""
    def register(apply: Callable[[Database], None]) -> Callable[[Database], None]:
        STEPS.append(Step(len(STEPS) + 1, name, apply))
        return apply
    return register


@step("create media, transcripts, highlights, tags, notes and search")
def _v1(db: Database) -> None:
    # Written as SQL rather than db.create_table so the foreign keys can cascade, the
    # colour is checked, and a user reading this file sees exactly what is there. One
    # statement at a time: executescript() would COMMIT the migration half-way.
    for statement in _V1_TABLES:
        db.execute(statement)
    # FTS5 over what a learner searches, kept in step by triggers (external content).
    db["segments"].enable_fts(["text"], create_triggers=True)
    db["notes"].enable_fts(["text"], create_triggers=True)
    db["tags"].enable_fts(["name"], create_triggers=True)


_V1_TABLES = (
    """CREATE TABLE media (
        id INTEGER PRIMARY KEY,
        fingerprint TEXT NOT NULL UNIQUE,     -- see fingerprint.py: survives renames and moves
        path TEXT NOT NULL,                   -- last known location
        title TEXT NOT NULL,
        duration_ms INTEGER,                  -- NULL until known
        size_bytes INTEGER,
        added_at TEXT NOT NULL,
        last_opened_at TEXT,
        last_position_ms INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE transcripts (
        id INTEGER PRIMARY KEY,
        media_id INTEGER NOT NULL UNIQUE REFERENCES media(id) ON DELETE CASCADE,
        source TEXT,                          -- the file it was read from
        title TEXT,
        imported_at TEXT NOT NULL
    )""",
    """CREATE TABLE segments (
        id INTEGER PRIMARY KEY,
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,            -- 0-based order in the transcript
        start_ms INTEGER NOT NULL,
        end_ms INTEGER NOT NULL,
        text TEXT NOT NULL,
        speaker TEXT
    )""",
    "CREATE INDEX segments_by_time ON segments(transcript_id, start_ms)",
    """CREATE TABLE highlights (
        id INTEGER PRIMARY KEY,
        media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
        start_ms INTEGER NOT NULL CHECK (start_ms >= 0),
        end_ms INTEGER NOT NULL CHECK (end_ms > start_ms),
        color INTEGER NOT NULL DEFAULT 1 CHECK (color BETWEEN 1 AND 5),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX highlights_by_media ON highlights(media_id, start_ms)",
    """CREATE TABLE tags (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL UNIQUE,        -- casefold(name): names are unique ignoring case
        color INTEGER CHECK (color IS NULL OR color BETWEEN 1 AND 5)
    )""",
    """CREATE TABLE highlight_tags (
        highlight_id INTEGER NOT NULL REFERENCES highlights(id) ON DELETE CASCADE,
        tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
        PRIMARY KEY (highlight_id, tag_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX highlight_tags_by_tag ON highlight_tags(tag_id)",
    """CREATE TABLE notes (
        highlight_id INTEGER PRIMARY KEY REFERENCES highlights(id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
)

@step("remember where a transcript's lecture lives online")
def _v2(db: Database) -> None:
    # A dataset's watch URL, so study exports can link each moment back to the lecture.
    db.execute("ALTER TABLE transcripts ADD COLUMN source_url TEXT")


@step("keep a lecture's notes and where each point is said")
def _v3(db: Database) -> None:
    # A summary page read into the Notes tab, so it is there again when the lecture reopens.
    db.execute("""CREATE TABLE lecture_notes (
        media_id INTEGER PRIMARY KEY REFERENCES media(id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        tldr TEXT,
        source TEXT,                          -- the notes file it was read from
        saved_at TEXT NOT NULL
    )""")
    db.execute("""CREATE TABLE lecture_note_items (
        id INTEGER PRIMARY KEY,
        media_id INTEGER NOT NULL REFERENCES lecture_notes(media_id) ON DELETE CASCADE,
        position INTEGER NOT NULL,            -- 0-based order on the page
        kind TEXT NOT NULL CHECK (kind IN ('insight', 'answer', 'takeaway')),
        text TEXT NOT NULL,
        question TEXT,                        -- for answers
        start_ms INTEGER CHECK (start_ms IS NULL OR start_ms >= 0),  -- NULL: said nowhere clearly
        score REAL NOT NULL DEFAULT 0,        -- the linker's similarity for the best moment
        UNIQUE (media_id, position)
    )""")
    db["lecture_note_items"].enable_fts(["text", "question"], create_triggers=True)


@step("remember every path where a lecture's media was seen")
def _v4(db: Database) -> None:
    # A copy under another name is the same lecture: knowing every place it was seen lets
    # the library prefer the one with the transcript beside it instead of the latest.
    db.execute("""CREATE TABLE media_paths (
        media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        PRIMARY KEY (media_id, path)
    ) WITHOUT ROWID""")
    db.execute("INSERT INTO media_paths (media_id, path, last_seen) "
               "SELECT id, path, coalesce(last_opened_at, added_at) FROM media")



@step("transcribe on this machine, keep word times, corrections beside the original")
def _v5(db: Database) -> None:
    # A transcript made here says how (model, language, options) and how far it got, so a
    # killed transcription continues from done_until_ms.
    for column in ("origin TEXT NOT NULL DEFAULT 'file' CHECK (origin IN ('file', 'transcribed'))",
                   "model TEXT", "language TEXT", "options TEXT",
                   "status TEXT NOT NULL DEFAULT 'complete' CHECK (status IN ('in_progress', 'complete'))",
                   "done_until_ms INTEGER NOT NULL DEFAULT 0", "corrected_at TEXT"):
        db.execute(f"ALTER TABLE transcripts ADD COLUMN {column}")
    # segments is rebuilt: AUTOINCREMENT, so the id of a line an edit removed is never
    # given to another line (undo puts it back under that id), and three columns more.
    db.execute(_SEGMENTS_V5)
    db.execute("INSERT INTO segments_v5 (id, transcript_id, position, start_ms, end_ms, text, speaker) "
               "SELECT id, transcript_id, position, start_ms, end_ms, text, speaker FROM segments")
    db.execute("DROP TABLE segments_fts")
    db.execute("DROP TABLE segments")   # its triggers and index go with it
    db.execute("ALTER TABLE segments_v5 RENAME TO segments")
    db.execute("CREATE INDEX segments_by_time ON segments(transcript_id, start_ms)")
    db.execute("CREATE INDEX segments_in_order ON segments(transcript_id, position)")
    db.execute('CREATE VIRTUAL TABLE segments_fts USING FTS5 (text, content="segments")')
    for trigger in _SEGMENTS_FTS_TRIGGERS:
        db.execute(trigger)
    db.execute("INSERT INTO segments_fts (segments_fts) VALUES ('rebuild')")
    # The lines as they were before the learner's first correction (not searched): the
    # original, kept whole so it can be restored. Same ids as the lines they were.
    db.execute("""CREATE TABLE original_segments (
        id INTEGER PRIMARY KEY,               -- the segments.id the line had
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        start_ms INTEGER NOT NULL,
        end_ms INTEGER NOT NULL,
        text TEXT NOT NULL,
        speaker TEXT,
        words TEXT,
        avg_logprob REAL,
        no_speech_prob REAL
    )""")
    db.execute("CREATE INDEX original_segments_in_order ON original_segments(transcript_id, position)")


_SEGMENTS_V5 = """CREATE TABLE segments_v5 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,            -- 0-based order in the transcript (= time order)
        start_ms INTEGER NOT NULL,
        end_ms INTEGER NOT NULL,
        text TEXT NOT NULL,
        speaker TEXT,
        words TEXT,                           -- JSON [{start_ms, end_ms, text, probability?}] or NULL
        avg_logprob REAL,                     -- the model's confidence, for transcribed lines
        no_speech_prob REAL
    )"""

# The search index follows the text only: renumbering positions or moving a line's times
# (every split and merge does) leaves it alone.
_SEGMENTS_FTS_TRIGGERS = (
    """CREATE TRIGGER segments_ai AFTER INSERT ON segments BEGIN
        INSERT INTO segments_fts (rowid, text) VALUES (new.id, new.text);
    END""",
    """CREATE TRIGGER segments_ad AFTER DELETE ON segments BEGIN
        INSERT INTO segments_fts (segments_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END""",
    """CREATE TRIGGER segments_au AFTER UPDATE OF text ON segments BEGIN
        INSERT INTO segments_fts (segments_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO segments_fts (rowid, text) VALUES (new.id, new.text);
    END""",
)


@step("search the word being typed as a prefix: index word beginnings")
def _v6(db: Database) -> None:
    # Only the last word typed is a prefix now, from three characters (search.MIN_PREFIX):
    # an index of every word's first 3 and 4 characters makes "the"* one list to read
    # instead of a merge of the lists of the, then, there, theory... Only the transcripts'
    # index needs it: notes, tags and lecture notes are a few thousand rows at most, where
    # a prefix is quickly expanded. Rebuilt from segments; its triggers stay (they are
    # segments').
    db.execute("DROP TABLE segments_fts")
    db.execute("""CREATE VIRTUAL TABLE segments_fts USING FTS5 (text, content="segments", prefix='3 4')""")
    db.execute("INSERT INTO segments_fts (segments_fts) VALUES ('rebuild')")



@step("study a lecture: a second transcript beside the main one, dictation scores, speed")
def _v7(db: Database) -> None:
    # A second transcript (a translation, human captions beside automatic ones) belongs to
    # the lecture, one per lecture; its lines are kept as read and aligned when shown.
    # Not searched: the main transcript is what the learner searches.
    db.execute("""CREATE TABLE second_transcripts (
        id INTEGER PRIMARY KEY,
        media_id INTEGER NOT NULL UNIQUE REFERENCES media(id) ON DELETE CASCADE,
        source TEXT,                          -- the file it was read from
        title TEXT,
        imported_at TEXT NOT NULL
    )""")
    db.execute("""CREATE TABLE second_segments (
        id INTEGER PRIMARY KEY,
        second_transcript_id INTEGER NOT NULL REFERENCES second_transcripts(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,            -- 0-based order (= time order)
        start_ms INTEGER NOT NULL,
        end_ms INTEGER NOT NULL,
        text TEXT NOT NULL
    )""")
    db.execute("CREATE INDEX second_segments_in_order ON second_segments(second_transcript_id, position)")
    # One row per line the learner typed in dictation: the lecture's score is their sum.
    db.execute("""CREATE TABLE dictation_attempts (
        id INTEGER PRIMARY KEY,
        media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
        start_ms INTEGER NOT NULL,            -- the line dictated
        end_ms INTEGER NOT NULL,
        expected TEXT NOT NULL,
        typed TEXT NOT NULL,
        words_right INTEGER NOT NULL CHECK (words_right >= 0),
        words_total INTEGER NOT NULL CHECK (words_total >= words_right),
        attempted_at TEXT NOT NULL
    )""")
    db.execute("CREATE INDEX dictation_attempts_by_media ON dictation_attempts(media_id, start_ms)")
    # The speed the learner last played the lecture at (position is last_position_ms).
    db.execute("ALTER TABLE media ADD COLUMN last_rate REAL NOT NULL DEFAULT 1.0 "
               "CHECK (last_rate > 0 AND last_rate <= 4)")


LATEST = len(STEPS)


def version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def pending(conn: sqlite3.Connection, steps: list[Step] | None = None) -> list[Step]:
    current = version(conn)
    return [s for s in (STEPS if steps is None else steps) if s.version > current]
