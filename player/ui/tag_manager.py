"""The tag manager: every tag with its colour and how many highlights carry it; rename,
merge, recolour and delete, each one undoable command on the window's undo stack."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QKeyEvent
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView,
                               QLabel, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from player.core.library import Library, LibraryError, Tag
from player.ui.annotations import COLOR_NAMES, HIGHLIGHT_COLORS, LectureAnnotations, LibraryCommand
# The modal questions are seams tests replace; their defaults show plain text only.
from player.ui.plain_dialogs import ask_item, ask_line, ask_yes_no, setup_read_only_table, tell

NAME_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1

NAME, COLOR, USAGE = range(3)
NO_COLOR = "No colour"


def usage_text(count: int) -> str:
    if count == 0:
        return "It is on no highlights."
    return f"It is on {count} highlight{'s' if count != 1 else ''}."


def color_label(color: int | None) -> str:
    return COLOR_NAMES.get(color, NO_COLOR.lower()) if color is not None else "none"


# ----- commands ------------------------------------------------------------------------

class TagCommand(LibraryCommand):
    """One tag edit. The dialog applies it first (so a refusal is a message, not a
    broken command on the stack) and hands over the library's change description;
    undo feeds that description to the library's inverse operation."""

    def __init__(self, annotations: LectureAnnotations, text: str, done: Any,
                 apply: Callable[[Any], Any], revert: Callable[[Any, Any], Any]) -> None:
        super().__init__(annotations, text, applied=True)
        self._apply, self._revert = apply, revert
        self._change = done

    def apply(self, library: Library) -> None:
        self._change = self._apply(library)

    def revert(self, library: Library) -> None:
        self._revert(library, self._change)


# ----- the dialog ----------------------------------------------------------------------

class _TagTable(QTableWidget):
    def __init__(self, on_delete: Callable[[], None]) -> None:
        super().__init__(0, 3)
        self._on_delete = on_delete

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self._on_delete()
        else:
            super().keyPressEvent(event)


class _SortItem(QTableWidgetItem):
    """Sorts by SORT_ROLE (a number or a case-folded name), not by its text."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(SORT_ROLE), other.data(SORT_ROLE)
        if mine is None or theirs is None:
            return super().__lt__(other)
        return mine < theirs


class TagManagerDialog(QDialog):
    """Tags of the whole library. Questions go through `confirm`, `ask_text`,
    `ask_choice` and `inform`, which tests replace with plain functions."""

    def __init__(self, annotations: LectureAnnotations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.annotations = annotations
        self.tags: list[Tag] = []
        self.confirm: Callable[[str, str], bool] = lambda title, text: ask_yes_no(self, title, text)
        self.inform: Callable[[str, str], None] = lambda title, text: tell(self, title, text)
        self.ask_text: Callable[[str, str, str], str | None] = (
            lambda title, label, initial: ask_line(self, title, label, initial))
        self.ask_choice: Callable[..., int | None] = (
            lambda title, label, items, current=0: ask_item(self, title, label, items, current))
        self._init_ui()
        self._init_layout()
        self._connect_signals()
        self.refresh()

    def _init_ui(self) -> None:
        self.setObjectName("tagManager")
        self.setWindowTitle("Tags")
        self.table = _TagTable(self.delete_selected)
        self.table.setObjectName("tagTable")
        self.table.setAccessibleName("Tags")
        setup_read_only_table(self.table, ["Tag", "Colour", "Highlights"])
        self.table.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COLOR, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(USAGE, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(COLOR, 90)
        self.table.setColumnWidth(USAGE, 80)
        self.rename_button = QPushButton("Rename…")
        self.rename_button.setObjectName("renameTag")
        self.merge_button = QPushButton("Merge into…")
        self.merge_button.setObjectName("mergeTag")
        self.recolor_button = QPushButton("Colour…")
        self.recolor_button.setObjectName("recolorTag")
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setObjectName("deleteTag")
        self.summary = QLabel()
        self.summary.setObjectName("tagSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.resize(460, 420)

    def _init_layout(self) -> None:
        actions = QVBoxLayout()
        for button in (self.rename_button, self.merge_button, self.recolor_button, self.delete_button):
            actions.addWidget(button)
        actions.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.table, 1)
        body.addLayout(actions)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.rename_button.clicked.connect(self.rename_selected)
        self.merge_button.clicked.connect(self.merge_selected)
        self.recolor_button.clicked.connect(self.recolor_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.buttons.rejected.connect(self.reject)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.rename_selected())
        # An undo or redo from the main window changes tags too: keep the list true.
        self.annotations.undo_stack.indexChanged.connect(self._on_stack_changed)

    def _on_stack_changed(self, _index: int) -> None:
        self.refresh()

    # ----- contents --------------------------------------------------------------------

    def refresh(self) -> None:
        library = self.annotations.library
        chosen = self.selected_tag()
        self.tags = library.tags() if library is not None else []
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(self.tags))
        for row, tag in enumerate(self.tags):
            name = _SortItem(tag.name)  # item text is plain text: never interpreted
            name.setData(NAME_ROLE, tag.name)
            name.setData(SORT_ROLE, tag.name.casefold())
            color = _SortItem(color_label(tag.color))
            color.setData(SORT_ROLE, tag.color or 0)
            if tag.color in HIGHLIGHT_COLORS:
                color.setBackground(QBrush(HIGHLIGHT_COLORS[tag.color]))
                color.setForeground(QBrush(Qt.GlobalColor.black))
            usage = _SortItem(str(tag.usage))
            usage.setData(SORT_ROLE, tag.usage)
            usage.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for column, item in ((NAME, name), (COLOR, color), (USAGE, usage)):
                self.table.setItem(row, column, item)
        self.table.setSortingEnabled(True)
        if chosen is not None:
            self.select_tag(chosen.name)
        count = len(self.tags)
        self.summary.setText("No library is open." if library is None else
                             "No tags yet: add one to a highlight." if not count else
                             f"{count} tag{'s' if count != 1 else ''}")
        self._update_buttons()

    def row_of(self, name: str) -> int:
        key = name.casefold()
        for row in range(self.table.rowCount()):
            item = self.table.item(row, NAME)
            if item is not None and item.data(NAME_ROLE).casefold() == key:
                return row
        return -1

    def select_tag(self, name: str) -> bool:
        row = self.row_of(name)
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0

    def selected_tag(self) -> Tag | None:
        model = self.table.selectionModel()
        rows = {index.row() for index in model.selectedRows()} if model is not None else set()
        if not rows:
            return None
        item = self.table.item(min(rows), NAME)
        if item is None:
            return None
        name = item.data(NAME_ROLE)
        return next((tag for tag in self.tags if tag.name == name), None)

    def _update_buttons(self) -> None:
        chosen = self.selected_tag() is not None
        for button in (self.rename_button, self.recolor_button, self.delete_button):
            button.setEnabled(chosen)
        self.merge_button.setEnabled(chosen and len(self.tags) > 1)

    # ----- actions ---------------------------------------------------------------------

    def _push(self, text: str, apply: Callable[[Any], Any], revert: Callable[[Any, Any], Any]) -> bool:
        """Apply an edit now; if the library accepts it, put it on the undo stack."""
        library = self.annotations.library
        if library is None:
            return False
        try:
            done = apply(library)
        except (LibraryError, KeyError, ValueError) as error:
            self.inform("Tags", f"Could not {text[0].lower() + text[1:]}: {error}")
            self.refresh()
            return False
        self.annotations.undo_stack.push(TagCommand(self.annotations, text, done, apply, revert))
        return True

    def rename_selected(self) -> None:
        tag = self.selected_tag()
        if tag is None:
            return
        answer = self.ask_text("Rename tag", f"New name for “{tag.name}”:", tag.name)
        if answer is None:
            return
        self.rename(tag.name, answer)

    def rename(self, name: str, new_name: str) -> bool:
        """Rename a tag; a name another tag has is refused, with a merge offered."""
        new_name = new_name.strip()
        if not new_name:
            self.inform("Rename tag", "A tag needs a name.")
            return False
        if new_name == name:
            return False
        other = next((t for t in self.tags if t.name.casefold() == new_name.casefold()
                      and t.name.casefold() != name.casefold()), None)
        if other is not None:
            if self.confirm("Rename tag", f"A tag named “{other.name}” already exists. "
                                          f"Merge “{name}” into “{other.name}” instead?"):
                return self.merge(name, other.name)
            return False
        renamed = self._push(f"Rename tag “{name}” to “{new_name}”",
                             lambda library: library.rename_tag(name, new_name),
                             lambda library, edit: library.rename_tag(edit.after.name, edit.before.name))
        if renamed:
            self.select_tag(new_name)
        return renamed

    def merge_selected(self) -> None:
        tag = self.selected_tag()
        if tag is None:
            return
        targets = [t.name for t in self.tags if t.id != tag.id]
        if not targets:
            self.inform("Merge tags", "There is no other tag to merge into.")
            return
        index = self.ask_choice("Merge tags", f"Merge “{tag.name}” into:", targets)
        if index is None:
            return
        self.merge(tag.name, targets[index])

    def merge(self, source: str, target: str) -> bool:
        merged = self._push(f"Merge tag “{source}” into “{target}”",
                            lambda library: library.merge_tags(source, target),
                            lambda library, merge: library.unmerge_tags(merge))
        if merged:
            self.select_tag(target)
        return merged

    def recolor_selected(self) -> None:
        tag = self.selected_tag()
        if tag is None:
            return
        colors = list(HIGHLIGHT_COLORS)
        items = [NO_COLOR] + [f"{color} {COLOR_NAMES[color]}" for color in colors]
        current = colors.index(tag.color) + 1 if tag.color in colors else 0
        index = self.ask_choice("Tag colour", f"Colour of “{tag.name}”:", items, current)
        if index is None:
            return
        self.recolor(tag.name, None if index == 0 else colors[index - 1])

    def recolor(self, name: str, color: int | None) -> bool:
        tag = next((t for t in self.tags if t.name == name), None)
        if tag is not None and tag.color == color:
            return False
        return self._push(f"Colour tag “{name}” {color_label(color)}",
                          lambda library: library.recolor_tag(name, color),
                          lambda library, edit: library.recolor_tag(edit.after.name, edit.before.color))

    def delete_selected(self) -> None:
        tag = self.selected_tag()
        if tag is not None:
            self.delete(tag.name)

    def delete(self, name: str) -> bool:
        tag = next((t for t in self.tags if t.name == name), None)
        usage = tag.usage if tag is not None else 0
        if not self.confirm("Delete tag", f"Delete “{name}”? {usage_text(usage)}"):
            return False
        return self._push(f"Delete tag “{name}”",
                          lambda library: library.delete_tag(name),
                          lambda library, deletion: library.restore_tag(deletion))
