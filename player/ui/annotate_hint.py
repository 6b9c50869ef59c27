"""A one-line bar over the transcript for a learner who has not annotated yet: select
lines, then H, N or T (each a button too), or right-click a line. Closed with its ✕, it
stays closed (remembered in the settings)."""

from __future__ import annotations

from typing import Mapping

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

DISMISSED = "hints/annotate_dismissed"


class AnnotateHint(QFrame):
    def __init__(self, actions: Mapping[str, QAction], settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("annotateHint")
        self._settings = settings
        self.setStyleSheet("#annotateHint { background: palette(alternate-base); border-top: 1px solid palette(mid);"
                           " border-bottom: 1px solid palette(mid); }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 2, 4, 2)
        layout.setSpacing(4)
        layout.addWidget(self._label("Select lines:"))
        self.buttons: dict[str, QToolButton] = {}
        for name, text in (("highlight", "Highlight  H"), ("note", "Note  N"), ("tag", "Tag  T")):
            button = QToolButton()
            button.setObjectName(f"hint_{name}")
            button.setText(text)
            button.setToolTip(actions[name].toolTip())
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)   # the lines keep their selection and focus
            button.clicked.connect(actions[name].trigger)
            layout.addWidget(button)
            self.buttons[name] = button
        more = self._label("· right-click for more")
        more.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)   # cut, never widen the panel
        layout.addWidget(more, 1)
        self.close_button = QToolButton()
        self.close_button.setObjectName("dismissAnnotateHint")
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Hide this hint for good")
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.close_button.clicked.connect(self.dismiss)
        layout.addWidget(self.close_button)
        self.hide()

    @staticmethod
    def _label(text: str) -> QLabel:
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setStyleSheet("color: palette(window-text);")
        return label

    @property
    def dismissed(self) -> bool:
        return self._settings.value(DISMISSED, False, type=bool)

    def offer(self, transcript_shown: bool) -> None:
        """Shown while a transcript is, until the learner closes it once."""
        self.setVisible(transcript_shown and not self.dismissed)

    def dismiss(self) -> None:
        self._settings.setValue(DISMISSED, True)
        self.hide()
