"""The window as a new learner meets it (issue 12, "Finding things" and "Seeing the words"):
menus on lines and highlights, keys that type into text fields, the library's search and
titles, and the status bar, with real libVLC and a real library file."""

from __future__ import annotations

import shutil

from PySide6.QtCore import Qt

from tests.conftest import TONE_CUES, wait_playing, write_srt


def tone_lecture(tmp_path, tone_mp3, name="tone lecture"):
    media = tmp_path / f"{name}.mp3"
    shutil.copy(tone_mp3, media)
    write_srt(tmp_path / f"{name}.srt", TONE_CUES)
    return media


def open_lecture(qtbot, window, media):
    window.open_media(str(media))
    qtbot.waitUntil(lambda: window.transcript is not None and window.annotations.lecture is not None,
                    timeout=10_000)
    wait_playing(qtbot, window.playback)
    window.playback.pause()


def test_the_highlights_tab_exports_what_it_shows(qtbot, window, tmp_path, tone_mp3):
    open_lecture(qtbot, window, tone_lecture(tmp_path, tone_mp3))
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

    open_lecture(qtbot, window, tone_lecture(tmp_path, tone_mp3))
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

    open_lecture(qtbot, window, tone_lecture(tmp_path, tone_mp3))
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
    open_lecture(qtbot, window, tone_lecture(tmp_path, tone_mp3))
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
    open_lecture(qtbot, again, tmp_path / "tone lecture.mp3")
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

    open_lecture(qtbot, window, tone_lecture(tmp_path, tone_mp3))
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

    open_lecture(qtbot, window, tone_lecture(tmp_path, tone_mp3))
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
