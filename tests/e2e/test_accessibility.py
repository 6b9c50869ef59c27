"""Every control has a name a screen reader can say, in the main window and its windows
(issue 14, "Readable, for hours"): read through Qt's accessibility interface, which is what
Orca or NVDA are given, not from our own attributes."""

from __future__ import annotations

import shutil

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSlider, QAbstractSpinBox, QComboBox,
                               QLineEdit, QPlainTextEdit, QTabBar, QTextEdit, QWidget)

from tests.conftest import TONE_CUES, open_playing_lecture, write_srt

# What a learner operates: each must be named.
CONTROLS = (QAbstractButton, QAbstractItemView, QAbstractSlider, QAbstractSpinBox, QComboBox, QLineEdit,
            QPlainTextEdit, QTextEdit, QTabBar)


def spoken_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def is_combo_part(widget: QWidget) -> bool:
    parent = widget.parent()
    while parent is not None:
        if isinstance(parent, QComboBox):
            return True
        parent = parent.parent()
    return False


def unnamed_controls(root: QWidget) -> list[str]:
    found = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or not widget.isVisibleTo(root):
            continue
        # Qt's own parts of a composite are named by it: a combo box's list, a line edit's
        # clear button, a spin box's field, a tree's header (its columns are), a scroll bar.
        if isinstance(widget.parent(), (QLineEdit, QAbstractItemView, QAbstractSpinBox)) or is_combo_part(widget) \
                or type(widget).__name__ == "QScrollBar":
            continue
        if not spoken_name(widget):
            found.append(f"{type(widget).__name__} {widget.objectName()!r} in {type(widget.parent()).__name__}")
    return found


def tone_lecture(tmp_path, tone_mp3):
    media = tmp_path / "tone lecture.mp3"
    shutil.copy(tone_mp3, media)
    write_srt(tmp_path / "tone lecture.srt", TONE_CUES)
    return media


def test_every_control_of_the_window_has_a_spoken_name(qtbot, window, tmp_path, tone_mp3):
    open_playing_lecture(qtbot, window, tone_lecture(tmp_path, tone_mp3))
    window.open_find_bar()
    unnamed = unnamed_controls(window)
    assert unnamed == [], "\n".join(unnamed)


def test_every_control_of_the_library_windows_has_a_spoken_name(qtbot, window, tmp_path, tone_mp3):
    open_playing_lecture(qtbot, window, tone_lecture(tmp_path, tone_mp3))
    actions = window.library_actions
    opened = []
    for show, attribute in ((actions.show_library, "library_window"), (actions.manage_tags, "tag_manager"),
                            (actions.search_library, "library_search_dialog")):
        show()
        shown = getattr(actions, attribute)
        qtbot.waitExposed(shown)
        opened.append(shown)
    unnamed = [f"{type(shown).__name__}: {name}" for shown in opened for name in unnamed_controls(shown)]
    assert unnamed == [], "\n".join(unnamed)


def test_every_control_of_the_dialogs_has_a_spoken_name(qtbot, tmp_path, tone_mp3):
    from player.core.library import Highlight
    from player.ui.reel_dialog import ReelDialog
    from player.ui.transcribing import TranscribeDialog

    media = tone_lecture(tmp_path, tone_mp3)
    highlight = Highlight(id=1, lecture_id=1, start_ms=1000, end_ms=3000, color=1, note=None, tags=(),
                          created_at="", updated_at="")
    dialogs = [TranscribeDialog(media, {media: "the lecture's media"}, None),
               ReelDialog(str(media), True, {"All": [highlight]}, None, 12_000)]
    unnamed = []
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        unnamed += [f"{type(dialog).__name__}: {name}" for name in unnamed_controls(dialog)]
    assert unnamed == [], "\n".join(unnamed)


def menu_actions(menu) -> set[str]:
    names = set()
    for action in menu.actions():
        if action.menu() is not None:
            names |= menu_actions(action.menu())
        elif action.objectName():
            names.add(action.objectName())
    return names


def test_everything_the_window_does_is_in_a_menu_the_keyboard_reaches(window):
    """The menu bar opens with Alt or F10 and every menu has an access key, so an action in a
    menu can be done without the mouse."""
    in_menus = set()
    for top in window.menuBar().actions():
        assert "&" in top.text(), f"menu {top.text()!r} has no access key"
        in_menus |= menu_actions(top.menu())
    # Leaving full screen is Esc itself, shown in the full-screen hint.
    missing = set(window.actions_by_name) - in_menus - {"leave_full_screen"}
    assert missing == set()


def test_a_screen_reader_is_not_told_the_words_a_learner_is_testing_themselves_on(qtbot, window, tmp_path, tone_mp3):
    from PySide6.QtCore import Qt

    open_playing_lecture(qtbot, window, tone_lecture(tmp_path, tone_mp3))
    view = window.transcript_view
    model = view.segment_model
    spoken = lambda row: model.data(model.index(row), Qt.ItemDataRole.AccessibleTextRole)  # noqa: E731
    words = model.text(1)
    assert words in spoken(1)
    view.set_second_lines([f"second {n}" for n in range(len(window.transcript))])
    assert spoken(1).endswith("second 1")
    view.set_masked_segment(1)
    assert words not in spoken(1) and "second 1" not in spoken(1) and "(hidden)" in spoken(1)
    assert model.text(0) in spoken(0)  # only that line is hidden
    view.set_masked_segment(None)
    view.set_sides_shown(True, False)
    assert words in spoken(1) and "second 1" not in spoken(1)
