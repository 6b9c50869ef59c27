"""The window's library actions with real libVLC and a real library file: undo after the
lecture was removed, save dialogs that never write onto the learner's files, and the
learner's text shown as text wherever Qt would read markup."""

from __future__ import annotations

import shutil

from PySide6.QtCore import Qt

from player.core.library import Library
from tests.conftest import TONE_CUES, wait_playing, write_srt


def tone_lecture(tmp_path, tone_mp3):
    media = tmp_path / "tone lecture.mp3"
    shutil.copy(tone_mp3, media)
    write_srt(tmp_path / "tone lecture.srt", TONE_CUES)
    return media


def open_lecture(qtbot, window, media):
    window.open_media(str(media))
    qtbot.waitUntil(lambda: window.transcript is not None and window.annotations.lecture is not None,
                    timeout=10_000)
    wait_playing(qtbot, window.playback)
    window.playback.pause()


def highlight_lines(qtbot, window, rows):
    view = window.transcript_view
    view.setFocus()
    selection = view.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(view.model().index(row), selection.SelectionFlag.Select)
    qtbot.keyClick(view, Qt.Key.Key_H)


def test_undo_after_the_lecture_was_removed_says_so_and_the_stack_goes_on(qtbot, window, tmp_path, tone_mp3,
                                                                          library_path):
    media = tone_lecture(tmp_path, tone_mp3)
    open_lecture(qtbot, window, media)
    highlight_lines(qtbot, window, [2, 3])
    assert len(window.annotations.highlights) == 1

    window.actions_by_name["show_library"].trigger()
    lectures = window.library_window
    lectures.confirm = lambda title, text: True
    assert lectures.select_lecture(window.annotations.lecture.id)
    assert lectures.remove(lectures.selected_lecture()) and lectures.lectures == []
    lectures.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)

    view, stack = window.transcript_view, window.annotations.undo_stack
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage() == (
        "Could not undo highlight in yellow: the lecture was removed from the library")
    assert (stack.count(), stack.index()) == (0, 0)
    assert not window.actions_by_name["undo"].isEnabled() and not window.actions_by_name["redo"].isEnabled()

    # The lecture opened again is a new lecture; undo and redo work on it as ever.
    open_lecture(qtbot, window, media)
    highlight_lines(qtbot, window, [4])
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    with Library.open(library_path) as library:
        assert library.highlights() == []
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    with Library.open(library_path) as library:
        assert [(h.start_ms, h.end_ms) for h in library.highlights()] == [(8_000, 10_000)]
