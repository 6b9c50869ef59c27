"""The learner's text shown exactly: as a tooltip (which Qt renders as rich text when it
looks like markup) and in menus (where "&" marks a mnemonic)."""

from __future__ import annotations

import pytest
from PySide6 import QtGui
from PySide6.QtGui import QAction, QTextDocument
from PySide6.QtWidgets import QTableWidget

from player.ui.dialogs import ShortcutsDialog
from player.ui.plain_dialogs import menu_text, plain_to_rich, shown_menu_text

HOSTILE = ["<b>bold</b><img src=x>", "a  b   c", "\ttab first", "  leading", "one\n\nthree",
           "a&amp;b & <", "😀 שלום ‮", "<i>x</i>.mp4", "plain", "%{localtime} {\\an8}",
           "a long <b>note</b> that wraps " * 10]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_tooltip_shows_every_character_as_itself(qtbot, text):
    tip = plain_to_rich(text)
    assert QtGui.Qt.mightBeRichText(tip)   # so Qt renders it, and what it renders is:
    document = QTextDocument()
    document.setHtml(tip)
    assert document.toPlainText() == text


def test_no_text_no_tooltip():
    assert plain_to_rich("") == ""


@pytest.mark.parametrize("text", ["R&D", "&&", "a & b", "plain"])
def test_menu_text_round_trips(text):
    assert shown_menu_text(menu_text(text)) == text


def test_the_shortcuts_list_shows_a_colour_meaning_with_an_ampersand(qtbot):
    action = QAction(f"Highlight: {menu_text('R&D')}")
    action.setShortcut("1")
    dialog = ShortcutsDialog([action])
    qtbot.addWidget(dialog)
    table = dialog.findChild(QTableWidget, "shortcutsTable")
    assert "Highlight: R&D" in [table.item(row, 1).text() for row in range(table.rowCount())]
