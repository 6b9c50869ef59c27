"""The learner's text shown as text: plain-text questions, read-only tables, and rich
text that shows a string exactly where Qt offers no plain-text switch (tooltips).

Tag names, titles, notes, file names and transcript lines are untrusted: a QMessageBox,
QInputDialog label or tooltip would otherwise guess rich text and render markup in them."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QInputDialog, QLabel, QMessageBox, QTableWidget,
                               QWidget)

WRAP_TOOLTIP_AFTER = 80  # characters in a line


def plain_to_rich(text: str) -> str:
    """Rich text that shows exactly `text`, for a tooltip (Qt renders a tooltip that looks
    like markup as markup): escaped, in a paragraph that keeps spaces, tabs and line
    breaks (Qt.convertFromPlainText loses tabs and blank lines). Short lines keep their
    shape; a text with a long line wraps, as Qt wraps a plain tooltip too wide to show."""
    if not text:
        return ""
    wrap = "pre-wrap" if max(len(line) for line in text.split("\n")) > WRAP_TOOLTIP_AFTER else "pre"
    return f'<p style="white-space:{wrap}">{html.escape(text, quote=False)}</p>'


def menu_text(text: str) -> str:
    """`text` for a menu or action label, where "&" would mark a keyboard mnemonic."""
    return text.replace("&", "&&")


def shown_menu_text(label: str) -> str:
    """What a menu label shows: mnemonic marks gone, "&&" back to "&"."""
    return re.sub(r"&(&?)", r"\1", label)


def setup_read_only_table(table: QTableWidget, headers: list[str]) -> None:
    """One row per record, selected whole, not editable, sortable, one line a row."""
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setWordWrap(False)
    table.setSortingEnabled(True)


def _plain_labels(dialog: QWidget) -> None:
    for label in dialog.findChildren(QLabel):
        label.setTextFormat(Qt.TextFormat.PlainText)


def ask_yes_no(parent: QWidget | None, title: str, text: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def tell(parent: QWidget | None, title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


def ask_line(parent: QWidget | None, title: str, label: str, initial: str) -> str | None:
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setInputMode(QInputDialog.InputMode.TextInput)
    dialog.setLabelText(label)
    dialog.setTextValue(initial)
    _plain_labels(dialog)
    return dialog.textValue() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_item(parent: QWidget | None, title: str, label: str, items: list[str], current: int = 0) -> int | None:
    """The index of the chosen item, or None if cancelled."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setComboBoxItems(items)  # combo box entries are plain text
    dialog.setComboBoxEditable(False)
    if items:
        dialog.setTextValue(items[max(0, min(current, len(items) - 1))])
    _plain_labels(dialog)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    chosen = dialog.textValue()
    return items.index(chosen) if chosen in items else None
