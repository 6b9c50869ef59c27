"""Small dialogs: the keyboard shortcuts list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHeaderView, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from player.ui.plain_dialogs import shown_menu_text

# Keys handled by a widget rather than an action, listed so Help shows everything.
EXTRA_SHORTCUTS = (
    ("Transcript", "Previous / next line (transcript focused)", "Up / Down"),
    ("Transcript", "Play from the chosen line", "Click / Enter"),
    ("Transcript", "Browse without following", "Scroll / Page Up / Page Down"),
)


class ShortcutsDialog(QDialog):
    """Every shortcut, read from the actions themselves so the list cannot drift."""

    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        rows = [(a.property("group") or "", shown_menu_text(a.text()).rstrip("…"),
                 " / ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in a.shortcuts()))
                for a in actions if a.shortcuts()]
        rows += list(EXTRA_SHORTCUTS)
        table = QTableWidget(len(rows), 3, self)
        table.setObjectName("shortcutsTable")
        table.setHorizontalHeaderLabels(["Group", "Action", "Keys"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                table.setItem(row, column, QTableWidgetItem(value))
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.resize(560, 560)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
