"""The Notes tab: a lecture's summary (TL;DR, insights, answers, takeaways), each
point with the moment of the lecture where it is said, as a button that plays it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QScrollArea, QToolButton, QVBoxLayout, QWidget)

from player.core.notes import LectureNotes, NoteLink
from player.core.timecode import format_clock

SECTION_TITLES = {"insight": "Key insights", "answer": "Questions & answers", "takeaway": "Takeaways"}


def _plain_label(text: str, style: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # notes come from the web: never markup
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if style:
        label.setStyleSheet(style)
    return label


class NotesPanel(QScrollArea):
    seek_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notesPanel")
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.show_empty()

    def show_empty(self, message: str = "No notes yet: File ▸ Open lecture notes… "
                                         "(a summary page with Key Insights, Q&A, takeaways).") -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(_plain_label(message, "color: palette(mid); padding: 12px;"))
        layout.addStretch(1)
        self.setWidget(page)

    def show_notes(self, notes: LectureNotes, links: list[NoteLink] | None) -> None:
        """Links are None while they are being worked out; then each point shows its time."""
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(6)
        layout.addWidget(_plain_label(notes.title, "font-weight: 600; font-size: 12pt;"))
        if notes.tldr:
            layout.addWidget(_plain_label("TL;DR", "font-weight: 600; margin-top: 6px;"))
            layout.addWidget(_plain_label(notes.tldr))
        start_of = {id(link.item): link.start_ms for link in links or []}
        section = None
        for item in notes.items:
            if item.kind != section:
                section = item.kind
                layout.addWidget(_plain_label(SECTION_TITLES[section], "font-weight: 600; margin-top: 10px;"))
            if item.question:
                layout.addWidget(_plain_label(f"Q: {item.question}", "font-style: italic;"))
            layout.addWidget(self._point(item.text, start_of.get(id(item)), linking=links is None))
        layout.addStretch(1)
        self.setWidget(page)

    def _point(self, text: str, start_ms: int | None, linking: bool) -> QWidget:
        row = QWidget()
        row.setObjectName("notePoint")
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        time_button = QToolButton()
        time_button.setObjectName("noteTime")
        time_button.setFixedWidth(72)
        time_button.setAutoRaise(True)
        if start_ms is not None:
            time_button.setText(f"▶ {format_clock(start_ms)}")
            time_button.setToolTip("Play the lecture from where this is said")
            time_button.setCursor(Qt.CursorShape.PointingHandCursor)
            time_button.clicked.connect(lambda: self.seek_requested.emit(start_ms))
        else:
            time_button.setText("…" if linking else "–")
            time_button.setToolTip("Finding the moment…" if linking
                                   else "No moment of the transcript says this clearly enough to link it")
            time_button.setEnabled(False)
        layout.addWidget(time_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(_plain_label(text), 1)
        return row
