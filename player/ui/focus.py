"""Where the keyboard goes: keys typed into a text field stay there, a window that opens
takes the keyboard, and when it closes the keyboard goes back where it was.

The window's single-key shortcuts (H, N, T, K, M, F, 1-5, [, ], <, >, =, +, -, Space)
must never fire while the learner is typing; this is decided here, once, for the whole
application, rather than by each text field."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (QAbstractSpinBox, QApplication, QComboBox, QDialog, QLineEdit, QPlainTextEdit,
                               QTextEdit, QWidget)

# Keys that edit or move in a text field, besides the printable ones.
_EDITING_KEYS = {Qt.Key.Key_Backspace, Qt.Key.Key_Delete, Qt.Key.Key_Left, Qt.Key.Key_Right,
                 Qt.Key.Key_Home, Qt.Key.Key_End}
_PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.KeypadModifier)


_TEXT_WIDGETS = (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox, QComboBox)


def is_text_input(widget: QWidget | None) -> bool:
    """A widget the learner types text into (and can, now)."""
    if widget is None or not widget.isEnabled():
        return False
    if isinstance(widget, QLineEdit):
        return not widget.isReadOnly()
    if isinstance(widget, (QTextEdit, QPlainTextEdit)):
        return not widget.isReadOnly()
    if isinstance(widget, QAbstractSpinBox):
        return not widget.isReadOnly()
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    return False


def is_typing_key(event: QKeyEvent) -> bool:
    """A key that types or edits text: a printable character (with Shift at most), or a
    key that moves in or deletes from a line."""
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if modifiers not in _PLAIN:
        return False
    if event.key() in _EDITING_KEYS:
        return True
    text = event.text()
    return bool(text) and text.isprintable()


class TypingGuard(QObject):
    """A typing key pressed while a text field has the keyboard goes to the field, never to
    a shortcut (Qt asks the focused widget with ShortcutOverride first; accepting it says
    the widget wants the key). It watches only the text field that has the keyboard: an
    application-wide filter would run Python for every event of every widget."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._watched: QWidget | None = None
        app.focusChanged.connect(self._on_focus_changed)
        self._on_focus_changed(None, app.focusWidget())

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if self._watched is not None and shiboken6.isValid(self._watched):
            self._watched.removeEventFilter(self)
        # A field made read-only while focused is checked again for each key.
        self._watched = new if isinstance(new, _TEXT_WIDGETS) else None
        if self._watched is not None:
            self._watched.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ShortcutOverride and is_typing_key(event) and is_text_input(watched):
            event.accept()
        return False


def guard_typing(app: QApplication) -> None:
    """Install the guard on the application, once however many windows are made."""
    if app.property("typingGuard") is None:
        app.setProperty("typingGuard", TypingGuard(app))


def give_focus_back(widget: QWidget | None) -> None:
    """Activate `widget`'s window and focus it again (no window manager may do it for us).
    A widget deleted meanwhile is left alone."""
    if widget is None or not shiboken6.isValid(widget) or not widget.isVisible():
        return
    window = widget.window()
    window.raise_()
    window.activateWindow()
    widget.setFocus(Qt.FocusReason.OtherFocusReason)


@contextmanager
def focus_returns() -> Iterator[None]:
    """Around a modal dialog: the keyboard goes back to where it was when it closes."""
    previous = QApplication.focusWidget()
    try:
        yield
    finally:
        give_focus_back(previous)


def open_window(window: QDialog, focus: QWidget | None = None) -> None:
    """Show a non-modal window with the keyboard in it (in `focus`, if given); when it is
    closed while it still has the keyboard, the keyboard goes back to where it was before."""
    previous = QApplication.focusWidget()

    def closed(_result: int) -> None:
        if QApplication.activeWindow() in (None, window):
            give_focus_back(previous)

    window.finished.connect(closed)
    window.show()
    window.raise_()
    window.activateWindow()
    if focus is not None:
        focus.setFocus(Qt.FocusReason.OtherFocusReason)
