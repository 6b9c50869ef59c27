"""Search all lectures, on a real library file: hits grouped by lecture (title first,
then the file name), in time order, the matched words bold and every text plain."""

from __future__ import annotations

from pathlib import Path

import pytest

from player.core.library import Library, SearchHit
from player.core.transcript import Segment, Transcript
from player.ui.library_search import HEADING_ROLE, HIT_ROLE, LINE_ROLE, LibrarySearchDialog, group_hits


def media(path: Path, seed: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes([seed]) * 16 + bytes(range(256)) * 150)
    return path


def hit(lecture_id, start_ms, path="/m/a.mp4", kind="transcript"):
    return SearchHit(kind=kind, lecture_id=lecture_id, media_path=path, start_ms=start_ms, end_ms=start_ms + 1,
                     text="t", snippet="t")


def test_hits_are_grouped_by_lecture_best_first_each_in_time_order():
    ranked = [hit(2, 50_000, "/m/b.mp4"), hit(1, 9_000), hit(2, 1_000, "/m/b.mp4"), hit(1, 3_000, kind="note")]
    groups = group_hits(ranked, {1: "Calculus 1"})
    assert [(g.lecture_id, g.title, g.file_name) for g in groups] == [(2, "b", "b.mp4"), (1, "Calculus 1", "a.mp4")]
    assert [[h.start_ms for h in g.hits] for g in groups] == [[1_000, 50_000], [3_000, 9_000]]


@pytest.fixture
def library_path(tmp_path):
    path = tmp_path / "library.sqlite"
    with Library.open(path) as library:
        words = Transcript([Segment(0, 2000, "[AUDIO OUT] language models"),
                            Segment(60_000, 62_000, "natural <b>language</b> & processing"),
                            Segment(30_000, 32_000, "language, language everywhere")],
                           title="CS224N · Lecture 9: Pretraining")
        library.import_lecture(media(tmp_path / "lecture.mp4", 1), words)
        library.import_lecture(media(tmp_path / "other.mp4", 2),
                               Transcript([Segment(5_000, 6_000, "No such word here")]))
    return path


def searched(qtbot, library_path, query):
    dialog = LibrarySearchDialog(library_path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.field, query)
    qtbot.waitUntil(lambda: dialog.status.text().endswith("places") or dialog.status.text() == "Nothing found",
                    timeout=5000)
    return dialog


def test_hits_show_the_title_then_the_file_with_matches_bold_and_no_brackets(qtbot, library_path):
    dialog = searched(qtbot, library_path, "language")
    items = [dialog.results.item(row) for row in range(dialog.results.count())]
    assert [item.data(HIT_ROLE)[1] for item in items] == [0, 30_000, 60_000]   # in time order
    assert items[0].data(HEADING_ROLE) == ("CS224N · Lecture 9: Pretraining", "lecture.mp4")
    assert items[1].data(HEADING_ROLE) is None and items[2].data(HEADING_ROLE) is None
    text, styles = items[0].data(LINE_ROLE)
    assert text == "0:00  said  [AUDIO OUT] language models"   # the transcript's own brackets, no others
    bold = [text[start:start + length] for start, length, kind in styles if kind == "bold"]
    assert bold == ["language"]
    text, styles = items[1].data(LINE_ROLE)
    assert [text[start:start + length] for start, length, kind in styles if kind == "bold"] == ["language"] * 2
    text, _ = items[2].data(LINE_ROLE)
    assert "natural <b>language</b> & processing" in text   # markup is just text
    assert all("\ue000" not in item.text() and "\ue001" not in item.text() for item in items)


def test_the_dialog_closes_with_its_button_or_escape_and_opens_a_hit(qtbot, library_path):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    dialog = searched(qtbot, library_path, "everywhere")
    opened = []
    dialog.open_requested.connect(lambda path, ms: opened.append((Path(path).name, ms)))
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert opened == [("lecture.mp4", 30_000)]
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Close), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    dialog.show()
    dialog.field.setFocus()
    qtbot.keyClick(dialog.field, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
