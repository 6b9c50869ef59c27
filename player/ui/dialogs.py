"""Small dialogs: the keyboard shortcuts sheet."""

from __future__ import annotations

from itertools import groupby

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QTableView,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from player.ui.plain_dialogs import shown_menu_text

# Keys handled by a widget rather than an action, listed so Help shows everything.
EXTRA_SHORTCUTS = (
    ("Transcript", "Previous / next line (transcript focused)", "Up / Down"),
    ("Transcript", "Play from the chosen line", "Click / Enter"),
    ("Transcript", "Browse without following", "Scroll / Page Up / Page Down"),
    ("Transcript", "Copy the selected lines", "Ctrl+C"),
    ("Transcript", "Highlight, note, tag, copy, play a line", "Right-click"),
    ("Study", "Clear the loop", "Esc"),
    ("Study", "Dictation: check, then the next line / replay / skip / leave", "Enter / Up / Down / Esc"),
)
# What a learner reaches for first comes first; a group not named here goes last.
GROUP_ORDER = ("Playback", "Transcript", "Annotate", "Study", "View", "Library", "File", "Help")
COLUMNS = 2


def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str, str]]:
    """(group, action, keys) of every shortcut, groups in GROUP_ORDER, each group in the
    order its actions were made."""
    rows = [(a.property("group") or "", shown_menu_text(a.text()).rstrip("…"),
             " / ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in a.shortcuts()))
            for a in actions if a.shortcuts()]
    rows += list(EXTRA_SHORTCUTS)
    rank = {group: number for number, group in enumerate(GROUP_ORDER)}
    return sorted(rows, key=lambda row: rank.get(row[0], len(GROUP_ORDER)))   # stable within a group


def split_into_columns(rows: list[tuple[str, str, str]], columns: int = COLUMNS) -> list[list[int]]:
    """The row numbers each column shows: whole groups, in order, the longest column as
    short as it can be."""
    groups = [[number for number, _row in members]
              for _group, members in groupby(enumerate(rows), key=lambda pair: pair[1][0])]
    best: list[list[int]] | None = None

    def place(start: int, left: int, made: list[list[int]]) -> None:
        nonlocal best
        if left == 1:
            split = made + [[n for group in groups[start:] for n in group]]
            if best is None or max(map(len, split)) < max(map(len, best)):
                best = split
            return
        for end in range(start, len(groups) + 1):
            place(end, left - 1, made + [[n for group in groups[start:end] for n in group]])

    place(0, columns, [])
    return [column for column in best if column] if best else []


class ShortcutsDialog(QDialog):
    """Every shortcut, read from the actions themselves so the list cannot drift; groups
    side by side in columns, the sheet as large as its contents so nothing scrolls."""

    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows(actions)
        table = QTableWidget(len(rows), 3, self)
        table.setObjectName("shortcutsTable")
        table.setHorizontalHeaderLabels(["Group", "Action", "Keys"])
        heading = QFont(table.font())
        heading.setBold(True)
        previous_group = None
        for row, (group, text, keys) in enumerate(rows):
            # Items are plain text: a colour's meaning is the learner's own words.
            group_item = QTableWidgetItem(group if group != previous_group else "")
            group_item.setFont(heading)
            table.setItem(row, 0, group_item)
            table.setItem(row, 1, QTableWidgetItem(text))
            table.setItem(row, 2, QTableWidgetItem(keys))
            previous_group = group
        # One model, a view per column: each shows its groups and hides the others'.
        self.columns = [table] + [QTableView(self) for _ in range(COLUMNS - 1)]
        shown = split_into_columns(rows)
        columns = QHBoxLayout()
        for number, view in enumerate(self.columns):
            if view is not table:
                view.setModel(table.model())
            visible = set(shown[number]) if number < len(shown) else set()
            for row in range(len(rows)):
                view.setRowHidden(row, row not in visible)
            self._fit(view)
            if visible:
                columns.addWidget(view, 0, Qt.AlignmentFlag.AlignTop)
            else:
                view.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(buttons)
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetFixedSize)   # as large as what it shows
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    @staticmethod
    def _fit(view: QTableView) -> None:
        """A read-only view exactly as large as its visible rows and columns."""
        view.verticalHeader().hide()
        view.horizontalHeader().hide()
        view.setShowGrid(False)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        view.setWordWrap(False)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
        model = view.model()
        rows = [row for row in range(model.rowCount()) if not view.isRowHidden(row)]
        # Measured here, every visible row: Qt's own fit looks only at the rows on screen.
        for column in range(3):
            widths = [QFontMetrics(model.index(row, column).data(Qt.ItemDataRole.FontRole) or view.font())
                      .horizontalAdvance(model.index(row, column).data() or "") for row in rows]
            view.setColumnWidth(column, max(widths, default=0) + 24)
        frame = 2 * view.frameWidth()
        view.setFixedSize(sum(view.columnWidth(column) for column in range(3)) + frame,
                          sum(view.rowHeight(row) for row in rows) + frame)
