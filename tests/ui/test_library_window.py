"""The library window on a real library file: lectures listed with their counts,
filtering, open, remove, and relinking a moved file found by its content."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from player.core.library import Library, fingerprint
from player.ui.library_window import (DURATION, FILE, HIGHLIGHTS, LAST_OPENED, LOCATION, TITLE, LibraryWindow,
                                      find_same_media)


def media(path, seed, size=40_000):
    """Distinct bytes per seed: a fingerprint needs nothing more."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes([seed % 256]) * 16 + bytes(range(256)) * (size // 256))
    return path


@pytest.fixture
def library(tmp_path):
    lib = Library.open(tmp_path / "library.sqlite")
    yield lib
    lib.close()


@pytest.fixture
def lectures(library, tmp_path):
    """Three lectures: one long with highlights and opened, one short, one hostile title."""
    calculus = library.import_lecture(media(tmp_path / "media" / "calculus.mp4", 1),
                                      title="Calculus 1", duration_ms=3_723_000)
    for second in (1, 2, 3):
        library.add_highlight(calculus.id, second * 1000, second * 1000 + 500)
    library.set_last_position(calculus.id, 5000)
    history = library.import_lecture(media(tmp_path / "media" / "history.mp3", 2),
                                     title="History of Rome", duration_ms=245_000)
    library.add_highlight(history.id, 0, 1000)
    hostile = library.import_lecture(media(tmp_path / "media" / "odd.mkv", 3),
                                     title="<b>Bold</b> & “quotes” 😀 שלום")
    return {"calculus": library.lecture(calculus.id), "history": library.lecture(history.id),
            "hostile": library.lecture(hostile.id)}


class Answers:
    def __init__(self, window, confirm=True, folder=None):
        self.asked, self.told = [], []
        self.confirm_reply, self.folder = confirm, folder
        window.confirm = self.confirm
        window.inform = lambda title, text: self.told.append(text)
        window.choose_folder = self.choose_folder

    def confirm(self, title, text):
        self.asked.append(text)
        return self.confirm_reply

    def choose_folder(self, lecture):
        self.asked.append(("folder for", lecture.title))
        return None if self.folder is None else str(self.folder)


def make_window(qtbot, library, **answers):
    window = LibraryWindow(library)
    qtbot.addWidget(window)
    return window, Answers(window, **answers)


def row(window, title):
    table = window.table
    found = [r for r in range(table.rowCount()) if table.item(r, TITLE).text() == title]
    assert len(found) == 1, title
    return [table.item(found[0], column).text() for column in range(table.columnCount())]


def select(window, lecture):
    assert window.select_lecture(lecture.id)


def wait_scan(qtbot, window):
    qtbot.waitUntil(lambda: not window.scanning, timeout=10_000)


def test_lists_every_lecture_with_duration_counts_and_file_state(qtbot, library, lectures, tmp_path):
    window, _ = make_window(qtbot, library)
    assert window.table.rowCount() == 3
    calculus = row(window, "Calculus 1")
    assert calculus[DURATION] == "1:02:03" and calculus[HIGHLIGHTS] == "3" and calculus[FILE] == "calculus.mp4"
    assert calculus[LOCATION] == str((tmp_path / "media" / "calculus.mp4").resolve())
    assert calculus[LAST_OPENED] != "never"
    history = row(window, "History of Rome")
    assert history[DURATION] == "4:05" and history[HIGHLIGHTS] == "1" and history[LAST_OPENED] == "never"
    hostile = row(window, "<b>Bold</b> & “quotes” 😀 שלום")   # shown exactly, as plain text
    assert hostile[DURATION] == "—" and hostile[HIGHLIGHTS] == "0"
    # Most recently opened first.
    assert window.table.item(0, TITLE).text() == "Calculus 1"

    (tmp_path / "media" / "history.mp3").unlink()
    window.refresh()
    assert row(window, "History of Rome")[FILE] == "history.mp3 — missing"


def test_columns_sort_by_value(qtbot, library, lectures):
    window, _ = make_window(qtbot, library)
    window.table.sortByColumn(DURATION, Qt.SortOrder.AscendingOrder)
    assert window.shown_titles() == ["<b>Bold</b> & “quotes” 😀 שלום", "History of Rome", "Calculus 1"]
    window.table.sortByColumn(HIGHLIGHTS, Qt.SortOrder.DescendingOrder)
    assert window.shown_titles()[0] == "Calculus 1"


def test_filter_by_title_or_location(qtbot, library, lectures):
    window, _ = make_window(qtbot, library)
    qtbot.keyClicks(window.filter, "rome")
    assert window.shown_titles() == ["History of Rome"]
    window.filter.setText("ODD.MKV")
    assert window.shown_titles() == ["<b>Bold</b> & “quotes” 😀 שלום"]
    window.filter.setText("<b>")
    assert window.shown_count == 1
    window.filter.setText("nothing like this")
    assert window.shown_count == 0 and window.selected_lecture() is None
    window.filter.clear()
    assert window.shown_count == 3


def test_open_emits_the_media_path_by_button_and_double_click(qtbot, library, lectures):
    window, _ = make_window(qtbot, library)
    window.show()
    qtbot.waitExposed(window)
    assert not window.open_button.isEnabled()
    select(window, lectures["history"])
    with qtbot.waitSignal(window.open_requested) as opened:
        qtbot.mouseClick(window.open_button, Qt.MouseButton.LeftButton)
    assert opened.args == [lectures["history"].path]

    r = window.row_of(lectures["calculus"].id)
    rect = window.table.visualItemRect(window.table.item(r, TITLE))
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(window.open_requested) as opened:
        qtbot.mouseDClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [lectures["calculus"].path]


def test_opening_a_missing_file_offers_to_look_for_it(qtbot, library, lectures, tmp_path):
    gone = tmp_path / "media" / "history.mp3"
    moved = tmp_path / "elsewhere" / "History.MP3"
    moved.parent.mkdir()
    shutil.move(gone, moved)
    window, answers = make_window(qtbot, library, confirm=True, folder=tmp_path / "elsewhere")
    emitted = []
    window.open_requested.connect(emitted.append)
    select(window, lectures["history"])
    window.open_selected()
    assert "“History of Rome” is no longer at its last known place" in answers.asked[0]
    wait_scan(qtbot, window)
    assert emitted == [] and library.lecture(lectures["history"].id).path == str(moved.resolve())


def test_remove_asks_with_the_highlight_count_and_removes(qtbot, library, lectures):
    window, answers = make_window(qtbot, library, confirm=False)
    select(window, lectures["calculus"])
    window.remove_selected()
    assert answers.asked == ["Remove “Calculus 1” from the library? Its 3 highlights go with it.\n\n"
                             "The media file itself is not deleted."]
    assert window.table.rowCount() == 3 and len(library.lectures()) == 3

    answers.confirm_reply = True
    window.remove_selected()
    assert [lecture.title for lecture in library.lectures()].count("Calculus 1") == 0
    assert library.highlights(lecture=lectures["calculus"].id) == []
    assert window.table.rowCount() == 2 and window.status.text() == "Removed “Calculus 1” and its 3 highlights."
    assert Path(lectures["calculus"].path).is_file()   # the media file stays

    select(window, lectures["hostile"])
    window.remove_selected()
    assert answers.asked[-1].startswith("Remove “<b>Bold</b> & “quotes” 😀 שלום” from the library? "
                                        "It has no highlights.")


def test_relink_finds_the_moved_file_in_a_subfolder(qtbot, library, lectures, tmp_path):
    old = tmp_path / "media" / "calculus.mp4"
    new_home = tmp_path / "new home"
    target = new_home / "term 1" / "week 2" / "renamed calculus.mkv"
    target.parent.mkdir(parents=True)
    shutil.move(old, target)
    # Decoys: the same size but other bytes, another size, the same bytes under a non-media name.
    media(new_home / "aaa same size.mp4", 9)
    media(new_home / "term 1" / "bigger.mp4", 1, size=80_000)
    shutil.copy(target, new_home / "copy.txt")
    window, answers = make_window(qtbot, library, folder=new_home)
    assert row(window, "Calculus 1")[FILE] == "calculus.mp4 — missing"
    select(window, lectures["calculus"])
    window.relink_selected()
    assert window.scanning and not window.scan_bar.isHidden()
    assert not window.relink_button.isEnabled() and not window.remove_button.isEnabled()
    wait_scan(qtbot, window)

    assert answers.asked == [("folder for", "Calculus 1")] and answers.told == []
    relinked = library.lecture(lectures["calculus"].id)
    assert relinked.path == str(target.resolve())
    assert row(window, "Calculus 1")[FILE] == "renamed calculus.mkv"
    assert row(window, "Calculus 1")[LOCATION] == relinked.path
    assert window.status.text() == f"Found “Calculus 1” at {relinked.path}."
    assert window.scan_bar.isHidden() and window.selected_lecture().id == relinked.id
    assert relinked.highlight_count == 3


def test_relink_says_so_when_nothing_matches(qtbot, library, lectures, tmp_path):
    (tmp_path / "media" / "history.mp3").unlink()
    folder = tmp_path / "wrong folder"
    media(folder / "other.mp3", 7)
    media(folder / "sub" / "another.mp3", 8)
    window, answers = make_window(qtbot, library, folder=folder)
    select(window, lectures["history"])
    window.relink_selected()
    wait_scan(qtbot, window)
    message = (f"No file in {folder} has the same content as “History of Rome” "
               f"(2 media files looked at, subfolders included).")
    assert answers.told == [message] and window.status.text() == message
    assert library.lecture(lectures["history"].id).path == lectures["history"].path


def test_relink_cancelled_when_no_folder_is_chosen(qtbot, library, lectures):
    window, answers = make_window(qtbot, library, folder=None)
    select(window, lectures["history"])
    assert not window.relink(lectures["history"])
    assert not window.scanning and answers.told == []


def test_find_same_media_checks_size_before_reading(tmp_path):
    wanted = media(tmp_path / "a" / "b" / "lecture.webm", 4)
    size = wanted.stat().st_size
    for n in range(5):
        media(tmp_path / f"other{n}.mp4", 10 + n, size=80_000)
    result = find_same_media(tmp_path, fingerprint(wanted), size)
    assert result.found == wanted and result.checked == 6 and result.fingerprinted == 1
    unknown_size = find_same_media(tmp_path, fingerprint(wanted), None)
    assert unknown_size.found == wanted and unknown_size.fingerprinted == 6


def test_find_same_media_stops_when_cancelled(tmp_path):
    for n in range(3):
        media(tmp_path / f"f{n}.mp4", n)
    stop = threading.Event()
    stop.set()
    result = find_same_media(tmp_path, "v1:nothing", None, stop)
    assert result.cancelled and result.found is None and result.checked == 0


def test_cancel_during_a_scan_ends_it_quietly(qtbot, library, lectures, tmp_path):
    folder = tmp_path / "many"
    for n in range(300):
        media(folder / f"{n:03d}.mp4", n % 250 + 5, size=4096)
    window, answers = make_window(qtbot, library, folder=folder)
    select(window, lectures["history"])
    window.relink_selected()
    window.cancel_scan()
    wait_scan(qtbot, window)
    assert answers.told in ([], [f"No file in {folder} has the same content as “History of Rome” "
                                 f"(300 media files looked at, subfolders included)."])
    if not answers.told:
        assert window.status.text() == "Stopped looking for “History of Rome”."
    assert window.scan_bar.isHidden() and window.relink_button.isEnabled()
