"""Correcting the transcript in the real window: each edit is one library edit and one undo
step, and the view changes only the rows it touched."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from player.core.library import Library
from tests.conftest import ModalAnswer, write_srt

CUES = [(0.0, 2.0, "First line of the talk."), (2.0, 4.0, "Second line here."),
        (4.0, 6.0, "Third line, which is long enough to split."), (6.0, 8.0, "Fourth line.")]


@pytest.fixture
def lecture(qtbot, window, tmp_path, video_mp4):
    """The pattern video with its transcript, imported: the library's transcript is shown."""
    media = tmp_path / "talk.mp4"
    media.write_bytes(video_mp4.read_bytes())
    write_srt(tmp_path / "talk.srt", CUES)
    window.open_media(str(media), autoplay=False)
    qtbot.waitUntil(lambda: window.annotations.lecture is not None, timeout=10_000)
    model = window.transcript_view.segment_model
    resets = []
    model.modelReset.connect(lambda: resets.append(True))
    return window, model, resets


def stored(window) -> list[str]:
    with Library.open(window.annotations.library_path) as library:
        return [line.text for line in library.transcript_lines(window.annotations.lecture.id)]


def shown(model) -> list[str]:
    return [model.text(row) for row in range(model.rowCount())]


def test_a_line_edited_in_place_is_saved_and_undone_and_redone(qtbot, lecture):
    window, model, resets = lecture
    view = window.transcript_view
    view.setFocus()
    assert view.edit_line(1)
    editor = view.line_editor()
    assert editor is not None and editor.text() == "Second line here."
    editor.selectAll()
    qtbot.keyClicks(editor, "Second line, heard right")   # H, N, T... go to the editor, not to shortcuts
    qtbot.keyClick(editor, Qt.Key.Key_Return)

    expected = ["First line of the talk.", "Second line, heard right", CUES[2][2], "Fourth line."]
    qtbot.waitUntil(lambda: shown(model) == expected, timeout=5000)   # the delegate commits on the next turn
    assert stored(window) == expected and view.line_editor() is None
    assert window.annotations.highlights == []   # the typed "h" made no highlight
    window.actions_by_name["undo"].trigger()
    assert shown(model) == [cue[2] for cue in CUES] == stored(window)
    window.actions_by_name["redo"].trigger()
    assert shown(model) == expected == stored(window)
    assert resets == []


def test_escape_cancels_an_edit(qtbot, lecture):
    window, model, _resets = lecture
    view = window.transcript_view
    view.edit_line(0)
    editor = view.line_editor()
    editor.setText("Never saved")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert shown(model) == [cue[2] for cue in CUES] == stored(window)
    assert not window.annotations.undo_stack.canUndo()


def test_split_at_the_cursor_and_merge_each_one_step(qtbot, lecture):
    window, model, resets = lecture
    view = window.transcript_view
    view.edit_line(2)
    editor = view.line_editor()
    editor.setCursorPosition(len("Third line,"))
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)   # Split: Ctrl+Return
    split = ["First line of the talk.", "Second line here.", "Third line,", "which is long enough to split.",
             "Fourth line."]
    assert shown(model) == split == stored(window)
    assert window.transcript[2].end_ms == window.transcript[3].start_ms

    view.setCurrentIndex(model.index(0))
    window.actions_by_name["merge_line"].trigger()   # Ctrl+M
    merged = ["First line of the talk. Second line here.", "Third line,", "which is long enough to split.",
              "Fourth line."]
    assert shown(model) == merged == stored(window)
    assert (window.transcript[0].start_ms, window.transcript[0].end_ms) == (0, 4000)

    window.actions_by_name["undo"].trigger()
    assert shown(model) == split == stored(window)
    window.actions_by_name["undo"].trigger()
    assert shown(model) == [cue[2] for cue in CUES] == stored(window)
    window.actions_by_name["redo"].trigger()
    window.actions_by_name["redo"].trigger()
    assert shown(model) == merged == stored(window)
    assert resets == []   # only the rows each edit touched changed


def test_a_line_start_nudged_stays_between_its_neighbours(qtbot, lecture):
    window, model, _resets = lecture
    view = window.transcript_view
    view.setCurrentIndex(model.index(1))
    window.actions_by_name["start_later"].trigger()      # Alt+Right
    assert window.transcript[1].start_ms == 2100
    window.actions_by_name["start_earlier"].trigger()
    window.actions_by_name["start_earlier"].trigger()    # the line before ends at 2.0 s: clamped
    assert window.transcript[1].start_ms == 2000
    window.actions_by_name["undo"].trigger()
    window.actions_by_name["undo"].trigger()
    window.actions_by_name["undo"].trigger()
    assert window.transcript[1].start_ms == 2000


def test_speakers_named_show_beside_lines_and_are_renamed_everywhere(qtbot, lecture):
    window, model, _resets = lecture
    view = window.transcript_view
    for row in (0, 2):
        view.setCurrentIndex(model.index(row))
        answer = ModalAnswer(QInputDialog, lambda dialog: (dialog.setTextValue("Dr Smith"), dialog.accept()))
        window.actions_by_name["name_speaker"].trigger()
        assert answer.dialogs
    assert [segment.speaker for segment in window.transcript.segments] == ["Dr Smith", None, "Dr Smith", None]
    assert model.data(model.index(0), Qt.ItemDataRole.UserRole + 3) == "Dr Smith"

    answered = []

    def choose_the_speaker(dialog) -> None:   # then the new name, in the dialog that follows
        answered.append(ModalAnswer(QInputDialog, lambda d: (d.setTextValue("Prof. Smith"), d.accept())))
        dialog.accept()

    first = ModalAnswer(QInputDialog, choose_the_speaker)
    window.actions_by_name["rename_speaker"].trigger()
    assert first.dialogs
    assert answered and answered[0].dialogs
    assert [segment.speaker for segment in window.transcript.segments] == ["Prof. Smith", None, "Prof. Smith", None]
    window.actions_by_name["undo"].trigger()
    assert [segment.speaker for segment in window.transcript.segments] == ["Dr Smith", None, "Dr Smith", None]


def test_restore_the_original_after_asking_and_undo_it(qtbot, lecture):
    window, model, _resets = lecture
    window.corrections.edit_text(3, "Fourth line, corrected.")
    answer = ModalAnswer(QMessageBox, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    window.actions_by_name["restore_original"].trigger()
    assert answer.dialogs
    assert shown(model) == [cue[2] for cue in CUES] == stored(window)
    window.actions_by_name["undo"].trigger()
    assert shown(model)[3] == "Fourth line, corrected." == stored(window)[3]


def test_the_corrected_transcript_is_shown_when_the_lecture_is_opened_again(qtbot, lecture, video_mp4):
    window, model, _resets = lecture
    media = window.media_path
    window.corrections.edit_text(0, "First line, corrected.")
    window.open_media(str(video_mp4), autoplay=False)
    qtbot.waitUntil(lambda: window.annotations.lecture is not None, timeout=10_000)
    window.open_media(media, autoplay=False)   # its .srt still says the original
    qtbot.waitUntil(lambda: window.transcript is not None and window.transcript[0].text == "First line, corrected.",
                    timeout=10_000)
    assert "with your corrections" in window.transcript_status.text()


def test_shift_every_line_by_an_offset_and_undo(qtbot, lecture):
    window, _model, _resets = lecture
    answer = ModalAnswer(QInputDialog, lambda dialog: (dialog.setDoubleValue(1.5), dialog.accept()))
    window.actions_by_name["shift_all"].trigger()
    assert answer.dialogs
    assert [segment.start_ms for segment in window.transcript.segments] == [1500, 3500, 5500, 7500]
    with Library.open(window.annotations.library_path) as library:
        assert [line.start_ms for line in library.transcript_lines(window.annotations.lecture.id)] == \
            [1500, 3500, 5500, 7500]
    window.actions_by_name["undo"].trigger()
    assert [segment.start_ms for segment in window.transcript.segments] == [0, 2000, 4000, 6000]
