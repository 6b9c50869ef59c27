"""The window's library actions with real libVLC and a real library file: undo after the
lecture was removed, save dialogs that never write onto the learner's files, and the
learner's text shown as text wherever Qt would read markup."""

from __future__ import annotations

import shutil

from PySide6.QtCore import Qt
from PySide6 import QtGui
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QInputDialog, QLabel, QMessageBox

from player.core.library import Library
from player.ui.plain_dialogs import shown_menu_text
from tests.conftest import ModalAnswer, SEEDS, TONE_CUES, open_playing_lecture, write_srt


def tone_lecture(tmp_path, tone_mp3):
    media = tmp_path / "tone lecture.mp3"
    shutil.copy(tone_mp3, media)
    write_srt(tmp_path / "tone lecture.srt", TONE_CUES)
    return media


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
    open_playing_lecture(qtbot, window, media)
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
    open_playing_lecture(qtbot, window, media)
    highlight_lines(qtbot, window, [4])
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    with Library.open(library_path) as library:
        assert library.highlights() == []
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    with Library.open(library_path) as library:
        assert [(h.start_ms, h.end_ms) for h in library.highlights()] == [(8_000, 10_000)]


# ----- the learner's text is text ---------------------------------------------------------

def shown(text: str, text_format=Qt.TextFormat.AutoText) -> str:
    """What Qt shows for a label or tooltip string: rendered as rich text when it is
    (or, for AutoText, when Qt.mightBeRichText guesses it is), else as it is."""
    if text_format == Qt.TextFormat.PlainText or (text_format == Qt.TextFormat.AutoText
                                                  and not QtGui.Qt.mightBeRichText(text)):
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


HOSTILE_NOTE = "<b>bold</b><img src=x>\n\tand  a second line & &amp;"


def test_a_note_shows_literally_in_the_highlights_tooltip(qtbot, window, tmp_path, tone_mp3):
    open_playing_lecture(qtbot, window, tone_lecture(tmp_path, tone_mp3))
    window.annotations.add_highlight(2_000, 4_000, 1)
    window.annotations.set_note(window.annotations.highlights[0].id, HOSTILE_NOTE)
    item = window.highlights_panel.tree.topLevelItem(0)
    assert shown(item.toolTip(3)) == HOSTILE_NOTE


def test_a_recent_file_shows_its_name_and_path_literally(qtbot, window, tmp_path):
    folder = tmp_path / "<i>x<"
    folder.mkdir()
    odd = folder / "i> R&D <br>.mp4"     # the path reads ".../<i>x</i> R&D <br>.mp4"
    odd.write_bytes(b"not really a video")
    window.settings.setValue("recent_media", [str(odd)])
    window._fill_recent_menu()
    (act,) = window.recent_menu.actions()
    assert shown(act.toolTip()) == str(odd) and "<i>x</i> R&D <br>.mp4" in str(odd)
    assert shown_menu_text(act.text()) == odd.name


def test_the_dataset_chooser_shows_the_file_name_literally(qtbot, window, tmp_path):
    hostile = tmp_path / "<img src=x> & <b>two videos<br>.txt"
    shutil.copy(SEEDS / "000_149b69cec48c81ff.txt", hostile)
    labels = []

    def answer(dialog):
        labels.extend(shown(label.text(), label.textFormat()) for label in dialog.findChildren(QLabel)
                      if label.text())
        dialog.setTextValue(dialog.comboBoxItems()[1])
        dialog.accept()

    picker = ModalAnswer(QInputDialog, answer)
    window.open_transcript(str(hostile))
    qtbot.waitUntil(lambda: window.transcript is not None, timeout=10_000)
    assert picker.dialogs and labels == [f"{hostile.name} holds 2 videos. Open which one?"]


# ----- saving never lands on the learner's files ------------------------------------------

def take_message(qtbot) -> str:
    """The text of the message box the window opened, which is then closed."""
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox), timeout=5000)
    box = QApplication.activeModalWidget()
    text = box.text()
    box.close()
    return text


def test_an_export_onto_the_lectures_own_files_is_refused(qtbot, window, tmp_path, tone_mp3, library_path):
    media = tone_lecture(tmp_path, tone_mp3)
    transcript = media.with_suffix(".srt")
    open_playing_lecture(qtbot, window, media)
    window.annotations.add_highlight(2_000, 4_000, 1)
    before = {path: path.read_bytes() for path in (media, transcript, library_path)}

    assert not window.start_highlight_export(str(media), "md")
    assert take_message(qtbot) == f"{media}: this is the lecture's media; it is never overwritten: choose another name"
    assert not window.save_transcript(str(transcript), "srt")
    assert take_message(qtbot).startswith(f"{transcript}: this is the lecture's transcript")
    assert not window.save_transcript(str(library_path), "txt")
    assert take_message(qtbot).startswith(f"{library_path}: this is your library")
    assert not window.start_highlight_export(str(tmp_path / "tone lecture"), "srt")   # completed to the transcript
    assert take_message(qtbot).startswith(f"{transcript}: this is the lecture's transcript")

    assert {path: path.read_bytes() for path in before} == before
    assert [p.name for p in tmp_path.iterdir() if ".part" in p.name] == []


def test_an_existing_file_is_replaced_only_when_the_learner_said_so(qtbot, window, tmp_path, tone_mp3):
    open_playing_lecture(qtbot, window, tone_lecture(tmp_path, tone_mp3))
    window.annotations.add_highlight(2_000, 4_000, 1)
    asked = []
    window.library_actions.confirm = lambda title, text: asked.append(text) or False
    old = tmp_path / "old notes.md"
    old.write_text("my own notes\n", encoding="utf-8")

    # A name completed with the format's extension was not confirmed by the save dialog: asked, and kept.
    assert not window.start_highlight_export(str(tmp_path / "old notes"), "md")
    assert asked == [f"{old} exists already. Replace it?"] and old.read_text(encoding="utf-8") == "my own notes\n"

    # The name the save dialog returned (it asked "replace?" itself) is replaced, atomically.
    assert window.start_highlight_export(str(old), "md")
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == f"Saved {old}", timeout=10_000)
    assert "Line 1 of the tone lecture." in old.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir() if ".part" in p.name] == []


def make_reel(qtbot, dialog, output, sidecar: bool):
    dialog.output.setText(str(output))
    dialog.sidecar.setCurrentIndex(1 if sidecar else 0)   # SubRip beside the reel
    dialog.result_path = None
    dialog.export_button.click()


def test_a_reel_never_replaces_the_lectures_files_and_asks_about_its_subtitles(qtbot, window, tmp_path, tone_mp3):
    media = tone_lecture(tmp_path, tone_mp3)
    transcript = media.with_suffix(".srt")
    open_playing_lecture(qtbot, window, media)
    window.annotations.add_highlight(2_000, 4_000, 1)
    before = {path: path.read_bytes() for path in (media, transcript)}
    window.actions_by_name["export_reel"].trigger()
    dialog = window.reel_dialog
    asked, answers = [], []
    dialog.confirm = lambda title, text: asked.append(text) or answers.pop(0)

    make_reel(qtbot, dialog, media, sidecar=False)            # the lecture itself
    assert dialog.error_box.text().startswith(f"{media}: this is the lecture's media")
    make_reel(qtbot, dialog, media.with_suffix(".m4a"), sidecar=True)   # its subtitles would be the transcript
    assert dialog.error_box.text().startswith(f"{transcript}: this is the lecture's transcript")
    assert not media.with_suffix(".m4a").exists() and dialog._job is None

    reel, subtitles = tmp_path / "reel.m4a", tmp_path / "reel.srt"
    subtitles.write_text("my own subtitles\n", encoding="utf-8")
    answers.append(False)
    make_reel(qtbot, dialog, reel, sidecar=True)
    assert asked == [f"{subtitles} exists already. Replace it?"] and dialog._job is None
    assert not reel.exists() and subtitles.read_text(encoding="utf-8") == "my own subtitles\n"

    answers.append(True)
    make_reel(qtbot, dialog, reel, sidecar=True)
    qtbot.waitUntil(lambda: dialog.result_path is not None, timeout=30_000)
    assert reel.exists() and "-->" in subtitles.read_text(encoding="utf-8")
    assert {path: path.read_bytes() for path in before} == before
    dialog.close()


def test_a_pipe_dropped_on_the_window_is_refused_without_blocking_it(qtbot, window, tmp_path):
    import os

    pipe = tmp_path / "talk.srt"
    os.mkfifo(pipe)
    window.open_dropped([str(pipe)])    # nothing ever writes to it: opening it would block for good
    message = take_message(qtbot)
    assert message.startswith(f"{pipe}") and "not a regular file" in message
    assert window.transcript is None
