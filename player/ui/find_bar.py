"""Find in the transcript (Ctrl+F): incremental, with a match count and next/previous."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

# Typing pauses this long before searching, so a long transcript is scanned once
# per word rather than once per key.
SEARCH_DELAY_MS = 120


class _QueryField(QLineEdit):
    """Enter / Shift+Enter step through matches, Esc closes: these keys belong to the
    field while it has focus, not to the window's shortcuts."""

    step = Signal(int)
    closed = Signal()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and event.key() in (
                Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.step.emit(-1 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1)
        elif event.key() == Qt.Key.Key_Escape:
            self.closed.emit()
        else:
            super().keyPressEvent(event)


class FindBar(QWidget):
    query_changed = Signal(str)
    step_requested = Signal(int)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.field = _QueryField()
        self.field.setObjectName("findField")
        self.field.setAccessibleName("Find in transcript")
        self.field.setPlaceholderText("Find in transcript")
        self.field.setClearButtonEnabled(True)
        self.count_label = QLabel("")
        self.count_label.setObjectName("findCount")
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.count_label.setMinimumWidth(self.count_label.fontMetrics().horizontalAdvance("9999 of 9999"))
        previous_button, next_button, close_button = QToolButton(), QToolButton(), QToolButton()
        for button, text, tip in ((previous_button, "↑", "Previous match (Shift+Enter)"),
                                  (next_button, "↓", "Next match (Enter)"),
                                  (close_button, "✕", "Close (Esc)")):
            button.setText(text)
            button.setToolTip(tip)
            button.setAutoRaise(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 4)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(previous_button)
        layout.addWidget(next_button)
        layout.addWidget(close_button)

        self._delay = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._delay.timeout.connect(lambda: self.query_changed.emit(self.field.text()))
        self.field.textChanged.connect(lambda _text: self._delay.start())
        self.field.step.connect(self._step)
        self.field.closed.connect(self.closed)
        previous_button.clicked.connect(lambda: self._step(-1))
        next_button.clicked.connect(lambda: self._step(1))
        close_button.clicked.connect(self.closed)

    def _step(self, direction: int) -> None:
        if self._delay.isActive():  # Enter right after typing: search first
            self._delay.stop()
            self.query_changed.emit(self.field.text())
        self.step_requested.emit(direction)

    def open(self) -> None:
        self.show()
        self.field.setFocus()
        self.field.selectAll()

    def show_count(self, visited: int | None, total: int) -> None:
        if not self.field.text():
            self.count_label.setText("")
        elif total == 0:
            self.count_label.setText("No matches")
        elif visited is None:
            self.count_label.setText(f"{total} lines" if total != 1 else "1 line")
        else:
            self.count_label.setText(f"{visited + 1} of {total}")
