"""Schema, connection settings and migrations from every earlier version."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from player.core.library import Library, LibraryError, NotALibrary, migrate, schema
from player.core.library.connection import connect
from player.core.library.library import Library as _Library
from player.core.notes import read_notes
from tests.conftest import SEEDS
from tests.core.library.conftest import make_media, sample_transcript

TABLES = {"media", "transcripts", "segments", "highlights", "tags", "highlight_tags", "notes",
          "second_transcripts", "second_segments", "dictation_attempts",
          "segments_fts", "notes_fts", "tags_fts", "lecture_notes", "lecture_note_items",
          "lecture_note_items_fts", "media_paths", "original_segments"}


def test_fresh_library_is_at_latest_version_with_every_table(library):
    assert library.conn.execute("PRAGMA user_version").fetchone()[0] == schema.LATEST
    assert TABLES <= set(library.db.table_names())


def test_connection_settings(library):
    pragma = lambda name: library.conn.execute(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    assert pragma("journal_mode") == "wal"
    assert pragma("foreign_keys") == 1
    assert pragma("synchronous") == 1  # NORMAL
    assert pragma("busy_timeout") >= 5000
    assert library.conn.isolation_level is None


def test_every_table_is_in_the_schema_document(library):
    doc = (Path(__file__).resolve().parents[3] / "docs" / "library-schema.md").read_text()
    for table in TABLES:
        assert f"`{table}`" in doc, table
    for table in ("highlights", "lecture_notes", "lecture_note_items", "media_paths", "transcripts", "segments",
                  "original_segments"):
        for row in library.conn.execute(f"SELECT name FROM pragma_table_info('{table}')"):
            assert f"`{row[0]}`" in doc, (table, row[0])
    for migration in schema.STEPS:
        assert f"| {migration.version} | {migration.name}" in doc, migration.name


def _library_at(path, version, steps=None):
    """A library file stopped at `version`, with the data a user of that version has,
    written as that version wrote it (plain SQL over the v1 tables: today's Library
    writes columns an old file does not have yet)."""
    steps = schema.STEPS if steps is None else steps
    conn = connect(path)
    migrate(conn, path, steps[:version])
    if version >= 1:
        media = make_media(path.parent / "old.mp4", seed=7)
        _write_v1_data(conn, media)
        if version >= 4:  # v4 records each path a lecture was seen at as it imports it
            with conn:
                conn.execute("INSERT INTO media_paths SELECT id, path, added_at FROM media")
    conn.close()


def _write_v1_data(conn, media):
    from player.core.library import fingerprint

    now = "2026-01-01T00:00:00+00:00"
    with conn:
        conn.execute("BEGIN")
        media_id = conn.execute(
            "INSERT INTO media (fingerprint, path, title, size_bytes, added_at, last_position_ms) "
            "VALUES (?, ?, ?, ?, ?, 0)", (fingerprint(media), str(media), "Old lecture", media.stat().st_size,
                                          now)).lastrowid
        transcript_id = conn.execute("INSERT INTO transcripts (media_id, source, title, imported_at) "
                                     "VALUES (?, NULL, 'Old lecture', ?)", (media_id, now)).lastrowid
        for position, segment in enumerate(sample_transcript().segments):
            conn.execute("INSERT INTO segments (transcript_id, position, start_ms, end_ms, text, speaker) "
                         "VALUES (?, ?, ?, ?, ?, ?)", (transcript_id, position, segment.start_ms, segment.end_ms,
                                                       segment.text, segment.speaker))
        highlight_id = conn.execute("INSERT INTO highlights (media_id, start_ms, end_ms, color, created_at, "
                                    "updated_at) VALUES (?, 1000, 3000, 3, ?, ?)", (media_id, now, now)).lastrowid
        tag_id = conn.execute("INSERT INTO tags (name, name_key) VALUES ('Exam', 'exam')").lastrowid
        conn.execute("INSERT INTO highlight_tags VALUES (?, ?)", (highlight_id, tag_id))
        conn.execute("INSERT INTO notes VALUES (?, ?, ?)", (highlight_id, "keep me\nline two", now))


def _assert_v1_data_kept(lib):
    if not lib.lectures():
        return
    (highlight,) = lib.highlights()
    assert (highlight.color, highlight.tags, highlight.note) == (3, ("Exam",), "keep me\nline two")
    assert lib.search("attention")
    (lecture,) = lib.lectures()
    # v4: the one path known before is where the lecture was seen, and it is still there.
    assert lib.media_paths(lecture.id) == [Path(lecture.path)] == [lib.preferred_path(lecture.id)]
    assert lib.notes(lecture.id) is None  # v3: no notes kept yet
    # v5: the transcript was read from a file and is complete; its lines keep their ids.
    state = lib.transcription_state(lecture.id)
    assert (state.origin, state.status, state.corrected, state.segment_count) == ("file", "complete", False, 4)
    assert [line.id for line in lib.transcript_lines(lecture.id)] == [1, 2, 3, 4]


@pytest.mark.parametrize("version", range(0, schema.LATEST + 1))
def test_a_library_at_each_version_opens_at_latest_with_its_data(tmp_path, version):
    path = tmp_path / "library.sqlite"
    _library_at(path, version)
    with Library.open(path) as lib:
        assert schema.version(lib.conn) == schema.LATEST
        _assert_v1_data_kept(lib)


def test_a_next_version_is_one_more_step_and_keeps_data(tmp_path):
    """The shape v2 will take: a step appended to STEPS runs once, on every older file."""
    def add_pinned(db):
        db.execute("ALTER TABLE highlights ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0")

    steps = [*schema.STEPS, schema.Step(schema.LATEST + 1, "highlights can be pinned", add_pinned)]
    for version in range(0, len(steps)):
        path = tmp_path / f"v{version}" / "library.sqlite"
        path.parent.mkdir()
        _library_at(path, version, steps)
        conn = connect(path)
        assert migrate(conn, path, steps) == [s.name for s in steps[version:]]
        assert migrate(conn, path, steps) == []  # idempotent
        assert schema.version(conn) == len(steps)
        lib = _Library(path, conn)
        _assert_v1_data_kept(lib)
        assert {r[1] for r in conn.execute("PRAGMA table_info(highlights)")} >= {"pinned"}
        conn.close()


def test_a_failing_step_leaves_the_previous_version(tmp_path):
    def broken(db):
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("step failed")

    path = tmp_path / "library.sqlite"
    _library_at(path, schema.LATEST)
    conn = connect(path)
    with pytest.raises(RuntimeError):
        migrate(conn, path, [*schema.STEPS, schema.Step(schema.LATEST + 1, "broken", broken)])
    assert schema.version(conn) == schema.LATEST
    assert "half_done" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()


def test_a_library_from_a_newer_version_is_refused(library_path):
    Library.open(library_path).close()
    conn = sqlite3.connect(library_path)
    conn.execute(f"PRAGMA user_version = {schema.LATEST + 1}")
    conn.close()
    with pytest.raises(LibraryError, match="newer"):
        Library.open(library_path)


def test_another_programs_database_is_not_taken_over(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(NotALibrary, match="another program"):
        Library.open(path)
    conn = sqlite3.connect(path)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["accounts"]
    conn.close()


def test_removing_a_lecture_cascades_to_everything(library, lecture):
    h = library.add_highlight(lecture.id, 0, 1000, 1, ["a"], "n")
    library.set_notes(lecture.id, read_notes(SEEDS / "002_a429e181e0dd89a0.txt"))
    assert library.search("corruption")
    removal = library.remove_lecture(lecture.id)
    assert removal.highlight_count == 1
    for table in ("media", "transcripts", "segments", "highlights", "highlight_tags", "notes",
                  "lecture_notes", "lecture_note_items", "media_paths"):
        assert library.db[table].count == 0, table
    assert library.search("attention") == [] and library.search("n") == []
    assert library.search("corruption") == []
    assert library.tags()[0].usage == 0 and h.id


def test_v2_keeps_the_online_source_of_a_transcript(tmp_path):
    from player.core.library import Library
    from player.core.transcript import Segment, Transcript

    media = tmp_path / "talk.mp4"
    media.write_bytes(b"some lecture bytes")
    with Library.open(tmp_path / "lib.sqlite") as library:
        lecture = library.import_lecture(media, Transcript([Segment(0, 1000, "hi")], title="Talk",
                                                           source_url="https://www.youtube.com/watch?v=abc"))
        assert library.transcript(lecture.id).source_url == "https://www.youtube.com/watch?v=abc"


def test_v5_rebuilds_segments_keeping_ids_search_and_never_reusing_an_id(tmp_path):
    path = tmp_path / "library.sqlite"
    _library_at(path, 4)
    with Library.open(path) as lib:
        (lecture,) = lib.lectures()
        assert [hit.start_ms for hit in lib.search("attention")] == [2000, 5000]   # the index was rebuilt
        ids = [line.id for line in lib.transcript_lines(lecture.id)]
        merged = lib.merge_with_next(ids[2])   # deletes the line with the highest id
        split = lib.split_line(ids[0], len("Welcome to"))
        assert split.after[1].id > ids[3]
        lib.apply_transcript_edit(split.inverse())
        lib.apply_transcript_edit(merged.inverse())
        assert [line.id for line in lib.transcript_lines(lecture.id)] == ids
        assert "AUTOINCREMENT" in lib.conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'segments'").fetchone()[0]
        # Renumbering lines leaves the index alone; a new text replaces the old in it.
        triggers = dict(lib.conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                         "AND tbl_name = 'segments'"))
        assert set(triggers) == {"segments_ai", "segments_ad", "segments_au"}
        assert "UPDATE OF text" in triggers["segments_au"]
