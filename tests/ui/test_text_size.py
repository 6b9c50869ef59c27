"""The transcript's text size in the window: actions, Ctrl+wheel, remembered in the settings."""

from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from player.core.transcript import Segment, Transcript
from player.ui.text_size import SETTING, STEPS

LECTURE = Transcript([Segment(i * 2000, i * 2000 + 2000, f"Line {i} of the lecture, said slowly and clearly.")
                      for i in range(40)])


def show_lecture(qtbot, window):
    view = window.transcript_view
    view.set_transcript(LECTURE)
    qtbot.waitUntil(lambda: view.visualRect(view.model().index(len(LECTURE) - 1)).isValid())
    return view


def row_height(view, row=3):
    return view.visualRect(view.model().index(row)).height()


def trigger(qtbot, window, keys):
    window.transcript_view.setFocus()
    qtbot.keyClick(window.transcript_view, *keys)


def test_larger_smaller_and_normal_text_resize_the_rows(qtbot, window):
    view = show_lecture(qtbot, window)
    normal = row_height(view)
    assert view.text_scale == 1.0
    for name in ("text_larger", "text_smaller", "text_normal"):
        action = window.actions_by_name[name]
        assert action.property("group") == "View" and action in window.view_menu.actions()

    trigger(qtbot, window, (Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier))
    trigger(qtbot, window, (Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier))
    assert view.text_scale == STEPS[STEPS.index(1.0) + 2]
    qtbot.waitUntil(lambda: row_height(view) > normal)
    larger = row_height(view)
    trigger(qtbot, window, (Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier))
    assert view.text_scale == STEPS[STEPS.index(1.0) + 1]
    qtbot.waitUntil(lambda: normal < row_height(view) < larger)
    trigger(qtbot, window, (Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier))
    assert view.text_scale == 1.0
    qtbot.waitUntil(lambda: row_height(view) == normal)

    # Steps stop at the ends.
    for _ in range(len(STEPS) + 2):
        window.text_size.step(-1)
    assert view.text_scale == STEPS[0]
    for _ in range(len(STEPS) + 2):
        window.text_size.step(1)
    assert view.text_scale == STEPS[-1]


def ctrl_wheel(view, notches):
    centre = QPointF(view.viewport().rect().center())
    for _ in range(abs(notches)):
        event = QWheelEvent(centre, QPointF(view.viewport().mapToGlobal(centre.toPoint())), QPoint(0, 0),
                            QPoint(0, 120 if notches > 0 else -120), Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(view.viewport(), event)


def test_ctrl_wheel_sizes_the_text_and_does_not_scroll(qtbot, window):
    view = show_lecture(qtbot, window)
    bar = view.verticalScrollBar()
    value = bar.value()
    ctrl_wheel(view, 2)
    assert view.text_scale == STEPS[STEPS.index(1.0) + 2]
    ctrl_wheel(view, -1)
    assert view.text_scale == STEPS[STEPS.index(1.0) + 1]
    assert bar.value() == value and view.following


def test_the_size_is_remembered_for_the_next_window(qtbot, window, settings, library_path):
    from player.playback.vlc import VlcPlayback
    from player.ui.main_window import MainWindow

    show_lecture(qtbot, window)
    window.text_size.step(1)
    window.text_size.step(1)
    chosen = window.transcript_view.text_scale
    settings.sync()
    again = MainWindow(VlcPlayback(), QSettings(settings.fileName(), QSettings.Format.IniFormat),
                       library_path=library_path.with_name("other.sqlite"))
    qtbot.addWidget(again)
    assert chosen > 1.0 and again.transcript_view.text_scale == chosen
    assert float(settings.value(SETTING)) == chosen


def test_a_size_edited_by_hand_in_the_settings_is_not_an_error(qtbot, settings, library_path):
    from player.playback.vlc import VlcPlayback
    from player.ui.main_window import MainWindow

    settings.setValue(SETTING, "huge")
    window = MainWindow(VlcPlayback(), settings, library_path=library_path)
    qtbot.addWidget(window)
    assert window.transcript_view.text_scale == 1.0
    settings.setValue(SETTING, 40)
    window = MainWindow(VlcPlayback(), settings, library_path=library_path.with_name("b.sqlite"))
    qtbot.addWidget(window)
    assert window.transcript_view.text_scale == STEPS[-1]


def test_typing_in_a_text_field_never_sizes_the_text(qtbot, window):
    show_lecture(qtbot, window)
    window.open_find_bar()
    field = window.focusWidget()
    from PySide6.QtWidgets import QLineEdit

    assert isinstance(field, QLineEdit)
    qtbot.keyClicks(field, "=+-0")
    assert field.text() == "=+-0" and window.transcript_view.text_scale == 1.0
