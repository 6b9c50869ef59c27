"""The window as a new learner meets it (issue 12, "Finding things" and "Seeing the words"):
menus on lines and highlights, keys that type into text fields, the library's search and
titles, and the status bar, with real libVLC and a real library file."""

from __future__ import annotations

import shutil

from PySide6.QtCore import Qt

from tests.conftest import TONE_CUES, open_playing_lecture, wait_playing, write_srt


def tone_lecture(tmp_path, tone_mp3, name="tone lecture"):
    media = tmp_path / f"{name}.mp3"
    shutil.copy(tone_mp3, media)
    write_srt(tmp_path / f"{name}.srt", TONE_CUES)
    return media


def test_the_highlights_tab_exports_what_it_shows(qtbot, window, tmp_path, tone_mp3):
    open_playing_lecture(qtbot, window, tone_lecture(tmp_path, tone_mp3))
    annotations = window.annotations
    annotations.add_highlight(2_000, 4_000, 1)
    annotations.add_highlight(8_000, 10_000, 2)
    panel = window.highlights_panel
    window.side_tabs.setCurrentWidget(panel)
    panel.text_filter.setText("Line 4")
    out = tmp_path / "shown.md"
    window.library_actions.ask_save_path = lambda title, suggestion, filters: (str(out), "md")
    qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Saved" in window.statusBar().currentMessage(), timeout=10_000)
    page = out.read_text(encoding="utf-8")
    assert "Line 4 of the tone lecture." in page and "Line 1 of the tone lecture." not in page

    qtbot.mouseClick(panel.reel_button, Qt.MouseButton.LeftButton)
    dialog = window.reel_dialog
    assert dialog.which.currentText() == "Shown in the Highlights tab, in its order (1)"
    dialog.close()


# ----- the menu on a line, and the hint for H, N and T ---------------------------------------

def test_a_right_click_on_a_line_opens_its_menu(qtbot, window, tmp_path, tone_mp3):
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication

    open_playing_lecture(qtbot, window, tone_lecture(tmp_path, tone_mp3))
    view = window.transcript_view
    centre = view.visualRect(view.model().index(3)).center()
    qtbot.mousePress(view.viewport(), Qt.MouseButton.RightButton, pos=centre)   # selects the line
    shown = []

    def close_the_menu():
        menu = QApplication.activePopupWidget()
        if menu is None:
            return
        timer.stop()
        shown.append(menu.objectName())
        menu.close()

    timer = QTimer(interval=10)
    timer.timeout.connect(close_the_menu)
    timer.start()
    QApplication.sendEvent(view.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, centre,
                                                              view.viewport().mapToGlobal(centre)))
    assert shown == ["lineMenu"]
    assert [index.row() for index in view.selectedIndexes()] == [3]


def test_the_line_menu_highlights_notes_copies_and_plays(qtbot, window, tmp_path, tone_mp3):
    from PySide6.QtWidgets import QApplication, QInputDialog

    from tests.conftest import ModalAnswer

    open_playing_lecture(qtbot, window, tone_lecture(tmp_path, tone_mp3))
    view = window.transcript_view
    view.setFocus()
    view.selectionModel().select(view.model().index(3), view.selectionModel().SelectionFlag.ClearAndSelect)
    window.annotating.set_color_meaning(2, "exam")
    menu = window.annotating.line_menu(3, window.actions_by_name)
    actions = {action.text(): action for action in menu.actions() if action.text()}
    # Each colour with its meaning and its key, then note and tag with theirs.
    assert actions["Highlight: exam"].shortcut().toString() == "2"
    assert actions["Note on the highlight…"].shortcut().toString() == "N"
    assert actions["Tag the highlight…"].shortcut().toString() == "T"
    assert "Remove the highlight" not in actions
    actions["Highlight: exam"].trigger()
    assert [(h.start_ms, h.end_ms, h.color) for h in window.annotations.highlights] == [(6_000, 8_000, 2)]

    noted = ModalAnswer(QInputDialog, lambda dialog: (dialog.setTextValue("why it matters"), dialog.accept()))
    actions["Note on the highlight…"].trigger()
    assert noted.dialogs and window.annotations.highlights[0].note == "why it matters"

    menu = window.annotating.line_menu(3, window.actions_by_name)
    actions = {action.text(): action for action in menu.actions() if action.text()}
    actions["Copy the text"].trigger()
    assert QApplication.clipboard().text() == "Line 3 of the tone lecture."
    actions["Play from here (0:06)"].trigger()
    wait_playing(qtbot, window.playback)
    assert window.playback.time_ms() >= 6_000
    actions["Remove the highlight"].trigger()
    assert window.annotations.highlights == []


def test_the_hint_for_h_n_t_shows_until_it_is_closed(qtbot, window, settings, library_path, tmp_path, tone_mp3):
    from player.playback.vlc import VlcPlayback
    from player.ui.main_window import MainWindow

    hint = window.annotate_hint
    assert not hint.isVisible()   # no transcript yet: nothing to annotate
    open_playing_lecture(qtbot, window, tone_lecture(tmp_path, tone_mp3))
    assert hint.isVisible()
    view = window.transcript_view
    view.selectionModel().select(view.model().index(1), view.selectionModel().SelectionFlag.ClearAndSelect)
    qtbot.mouseClick(hint.buttons["highlight"], Qt.MouseButton.LeftButton)   # the button is H
    assert [(h.start_ms, h.end_ms) for h in window.annotations.highlights] == [(2_000, 4_000)]
    qtbot.mouseClick(hint.close_button, Qt.MouseButton.LeftButton)
    assert not hint.isVisible()
    window.close()

    again = MainWindow(VlcPlayback(), settings, library_path=library_path)   # the same settings
    qtbot.addWidget(again)
    again.show()
    open_playing_lecture(qtbot, again, tmp_path / "tone lecture.mp3")
    assert not again.annotate_hint.isVisible()


# ----- keys typed into a text field stay there ----------------------------------------------

def type_into_focus(qtbot, text):
    """Keys as the learner types them: to whatever has the keyboard."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    for char in text:
        QTest.keyClick(QApplication.focusWidget() or QApplication.activeWindow(), char)


def no_dialog_opens():
    """Any dialog a stray shortcut would open is recorded and cancelled (a modal dialog
    would otherwise hold the test)."""
    from PySide6.QtWidgets import QDialog

    from tests.conftest import ModalAnswer

    return ModalAnswer(QDialog, lambda dialog: dialog.reject())


def test_typing_in_text_fields_never_fires_single_key_shortcuts(qtbot, window, tmp_path, tone_mp3):
    from PySide6.QtWidgets import QApplication

    open_playing_lecture(qtbot, window, tone_lecture(tmp_path, tone_mp3))
    view = window.transcript_view
    view.selectionModel().select(view.model().index(2), view.selectionModel().SelectionFlag.ClearAndSelect)
    stray = no_dialog_opens()

    window.actions_by_name["find"].trigger()
    assert QApplication.focusWidget() is window.find_bar.field
    type_into_focus(qtbot, "tn h1[]<>=+-m")
    assert window.find_bar.field.text() == "tn h1[]<>=+-m"

    window.side_tabs.setCurrentWidget(window.highlights_panel)
    window.highlights_panel.text_filter.setFocus()
    type_into_focus(qtbot, "tn")
    assert window.highlights_panel.text_filter.text() == "tn"

    # The search window takes the keyboard as it opens: the letters go into its field.
    window.actions_by_name["search_library"].trigger()
    dialog = window.library_search_dialog
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.field)
    type_into_focus(qtbot, "tn")
    assert dialog.field.text() == "tn"

    assert stray.dialogs == [] and window.annotations.highlights == []
    assert not window.playback.muted and window.playback.rate == 1.0
    dialog.close()


def test_the_typing_guard_knows_text_fields(qtbot):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QPushButton, QSpinBox

    from player.ui.focus import is_text_input, is_typing_key

    read_only = QLineEdit()
    read_only.setReadOnly(True)
    editable = QComboBox()
    editable.setEditable(True)
    assert all(is_text_input(widget) for widget in (QLineEdit(), QPlainTextEdit(), QSpinBox(), editable))
    assert not any(is_text_input(widget) for widget in (read_only, QComboBox(), QPushButton(), None))

    def key(code, text, modifiers=Qt.KeyboardModifier.NoModifier):
        return QKeyEvent(QEvent.Type.ShortcutOverride, code, modifiers, text)

    assert is_typing_key(key(Qt.Key.Key_T, "t")) and is_typing_key(key(Qt.Key.Key_Less, "<",
                                                                         Qt.KeyboardModifier.ShiftModifier))
    assert is_typing_key(key(Qt.Key.Key_Space, " ")) and is_typing_key(key(Qt.Key.Key_Left, ""))
    assert not is_typing_key(key(Qt.Key.Key_Z, "\x1a", Qt.KeyboardModifier.ControlModifier))
    assert not is_typing_key(key(Qt.Key.Key_F1, "")) and not is_typing_key(key(Qt.Key.Key_Escape, "\x1b"))


def test_a_dialog_gives_the_keyboard_back_where_it_was(qtbot, window, tmp_path, tone_mp3):
    from PySide6.QtWidgets import QApplication, QInputDialog

    from tests.conftest import ModalAnswer

    open_playing_lecture(qtbot, window, tone_lecture(tmp_path, tone_mp3))
    view = window.transcript_view
    view.setFocus()
    view.selectionModel().select(view.model().index(2), view.selectionModel().SelectionFlag.ClearAndSelect)
    asked = ModalAnswer(QInputDialog, lambda dialog: dialog.reject())
    qtbot.keyClick(view, Qt.Key.Key_T)
    assert asked.dialogs
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window and QApplication.focusWidget() is view)
    # Non-modal windows too: the keyboard comes back when the search closes.
    window.actions_by_name["search_library"].trigger()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.library_search_dialog.field)
    qtbot.keyClick(window.library_search_dialog.field, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view)


# ----- titles -------------------------------------------------------------------------------

TITLE = "CS224N · Lecture 9: Pretraining"


def titled_lecture(tmp_path, tone_mp3):
    """The tone lecture with a title tag in its file, as the demo lecture has."""
    from tests.conftest import ffmpeg

    media = tmp_path / "lecture.mp3"
    ffmpeg("-i", str(tone_mp3), "-c", "copy", "-metadata", f"title={TITLE}", str(media))
    write_srt(tmp_path / "lecture.srt", TONE_CUES)
    return media


def test_the_library_names_a_lecture_by_its_title_everywhere(qtbot, window, tmp_path, tone_mp3, library_path):
    from PySide6.QtWidgets import QApplication

    from player.core.library import Library
    from player.ui.library_search import HEADING_ROLE
    from player.ui.library_window import FILE, TITLE as TITLE_COLUMN
    from player.ui.plain_dialogs import shown_menu_text

    media = titled_lecture(tmp_path, tone_mp3)
    open_playing_lecture(qtbot, window, media)
    qtbot.waitUntil(lambda: window.title_label.text() == TITLE)
    qtbot.waitUntil(lambda: window.annotations.lecture.title == TITLE)
    with Library.open(library_path) as library:
        assert [lecture.title for lecture in library.lectures()] == [TITLE]

    window.actions_by_name["show_library"].trigger()
    lectures = window.library_window
    assert (lectures.table.item(0, TITLE_COLUMN).text(), lectures.table.item(0, FILE).text()) == (TITLE, "lecture.mp3")
    lectures.close()

    window.actions_by_name["search_library"].trigger()
    search = window.library_search_dialog
    qtbot.waitUntil(lambda: QApplication.focusWidget() is search.field)
    qtbot.keyClicks(search.field, "Line 7")
    qtbot.waitUntil(lambda: search.results.count() > 0, timeout=5000)
    assert search.results.item(0).data(HEADING_ROLE) == (TITLE, "lecture.mp3")
    search.close()

    window._fill_recent_menu()
    assert [shown_menu_text(a.text()) for a in window.recent_menu.actions()] == [f"{TITLE}  —  lecture.mp3"]


def test_a_transcript_opened_alone_names_the_window(qtbot, window, tmp_path):
    path = write_srt(tmp_path / "week 5 talk.srt", TONE_CUES)
    window.open_transcript(str(path))
    qtbot.waitUntil(lambda: window.transcript is not None, timeout=5000)
    assert window.windowTitle() == "week 5 talk — Transcript Player"
    assert window.title_label.text() == "week 5 talk"


# ----- the window's own parts ---------------------------------------------------------------

def test_the_paragraphs_button_keeps_one_label_and_shows_its_state(qtbot, window, tmp_path, tone_mp3):
    from PySide6.QtWidgets import QToolButton

    open_playing_lecture(qtbot, window, tone_lecture(tmp_path, tone_mp3))
    button = window.findChild(QToolButton, "paragraphsButton")
    assert button.text() == "¶ Paragraphs" and button.isCheckable() and not button.isChecked()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.transcript_view.paragraph_mode
    assert button.text() == "¶ Paragraphs" and button.isChecked()
    window.actions_by_name["paragraphs"].trigger()
    assert button.text() == "¶ Paragraphs" and not button.isChecked()
    assert window.actions_by_name["paragraphs"].text() == "Read as paragraphs"   # the menu says what it does


def test_the_status_bar_is_there_from_the_start(qtbot, window):
    central = window.centralWidget().geometry()
    assert window.statusBar().isVisible()
    window.statusBar().showMessage("A first message")
    qtbot.wait(50)   # a layout change would be applied by now
    assert window.centralWidget().geometry() == central


def test_undo_and_redo_say_what_they_did(qtbot, window, tmp_path, tone_mp3):
    open_playing_lecture(qtbot, window, tone_lecture(tmp_path, tone_mp3))
    view = window.transcript_view
    view.setFocus()
    view.selectionModel().select(view.model().index(2), view.selectionModel().SelectionFlag.ClearAndSelect)
    qtbot.keyClick(view, Qt.Key.Key_1)
    assert window.annotations.highlights
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.annotations.highlights == []
    assert window.statusBar().currentMessage() == "Undid: highlight in yellow"
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.annotations.highlights
    assert window.statusBar().currentMessage() == "Redid: highlight in yellow"


def test_library_and_search_windows_close_once_they_open_a_lecture(qtbot, window, tmp_path, tone_mp3, video_mp4):
    media = tone_lecture(tmp_path, tone_mp3)
    open_playing_lecture(qtbot, window, media)
    window.open_media(str(video_mp4))   # another lecture (other content) is open now
    qtbot.waitUntil(lambda: window.annotations.lecture is not None, timeout=10_000)

    window.actions_by_name["show_library"].trigger()
    lectures = window.library_window
    assert lectures.isVisible()
    from pathlib import Path

    first = next(lecture for lecture in lectures.lectures if Path(lecture.path).name == media.name)
    assert lectures.select_lecture(first.id)
    qtbot.mouseClick(lectures.open_button, Qt.MouseButton.LeftButton)
    assert not lectures.isVisible() and Path(window.media_path).name == media.name

    window.actions_by_name["search_library"].trigger()
    search = window.library_search_dialog
    qtbot.keyClicks(search.field, "Line 4")
    qtbot.waitUntil(lambda: search.results.count() > 0, timeout=5000)
    qtbot.keyClick(search.field, Qt.Key.Key_Return)
    assert not search.isVisible()


def test_the_reel_window_closes_once_the_reel_is_saved(qtbot, window, tmp_path, video_mp4):
    window.open_media(str(video_mp4))
    qtbot.waitUntil(lambda: window.annotations.lecture is not None, timeout=10_000)
    window.playback.pause()
    window.annotations.add_highlight(1_000, 2_000, 1)
    window.actions_by_name["export_reel"].trigger()
    dialog = window.reel_dialog
    assert dialog.isVisible()
    out = tmp_path / "reel.mp4"
    dialog.output.setText(str(out))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.result_path is not None, timeout=60_000)
    assert out.exists() and not dialog.isVisible()
    assert window.statusBar().currentMessage() == f"Saved the reel: {out}"


def test_a_title_learnt_while_the_next_lecture_opens_never_renames_the_one_before(
        qtbot, window, tmp_path, tone_mp3, video_mp4, library_path):
    from player.core.library import Library

    open_playing_lecture(qtbot, window, titled_lecture(tmp_path, tone_mp3))
    qtbot.waitUntil(lambda: window.annotations.lecture.title == TITLE)
    before = window.annotations.lecture.id
    following = tmp_path / "next.mp4"
    shutil.copy(video_mp4, following)
    write_srt(tmp_path / "next.srt", TONE_CUES)   # its lecture is found once the transcript is read
    window.open_media(str(following))
    window.playback._set_title("The next lecture's own title")   # as libVLC may report it at once
    qtbot.waitUntil(lambda: window.annotations.lecture is not None and window.annotations.lecture.id != before,
                    timeout=10_000)
    with Library.open(library_path) as library:
        titles = sorted(lecture.title for lecture in library.lectures())
    assert titles == sorted([TITLE, "The next lecture's own title"])
