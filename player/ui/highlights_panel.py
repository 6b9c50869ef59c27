"""The Highlights tab: the lecture's highlights with time, colour, words, tags and note;
filtered by text, tag and colour; a click plays one, Delete removes it, a double click
edits its note, a right click offers the rest; Export… and Reel… act on what it shows."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QKeyEvent
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMenu, QPushButton,
                               QStyledItemDelegate, QStyleOptionViewItem, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from player.core.library import Highlight
from player.core.timecode import format_clock
from player.ui.annotations import COLOR_NAMES, HIGHLIGHT_COLORS
from player.ui.plain_dialogs import menu_text, plain_to_rich

ID_ROLE = Qt.ItemDataRole.UserRole
START_ROLE = Qt.ItemDataRole.UserRole + 1
# The tree's columns (logical order; the words are shown third, after the colour).
TIME, COLOR, TAGS, NOTE, WORDS = range(5)


class _HighlightTree(QTreeWidget):
    delete_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_pressed.emit()
        else:
            super().keyPressEvent(event)


class _WrappedWords(QStyledItemDelegate):
    """Rows as tall as their words need at the column's width, up to MAX_LINES (QTreeView
    measures rows without the column's width, so its own word wrap never wraps)."""

    MAX_LINES = 3

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self._tree = tree

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        size = super().sizeHint(option, index)
        if index.column() != WORDS:
            return size
        metrics = option.fontMetrics
        width = max(40, self._tree.header().sectionSize(WORDS) - 8)
        text = str(index.data() or "")
        height = metrics.boundingRect(QRect(0, 0, width, 10_000), int(Qt.TextFlag.TextWordWrap), text).height()
        lines = min(self.MAX_LINES, max(1, round(height / max(1, metrics.lineSpacing()))))
        return QSize(size.width(), max(size.height(), lines * metrics.lineSpacing() + 4))


class _TimeItem(QTreeWidgetItem):
    """Sorts by the time in ms, not by the text "10:02" < "9:58"."""

    def __lt__(self, other: QTreeWidgetItem) -> bool:
        column = self.treeWidget().sortColumn() if self.treeWidget() else 0
        if column == 0:
            return self.data(0, START_ROLE) < other.data(0, START_ROLE)
        return super().__lt__(other)


class HighlightsPanel(QWidget):
    seek_requested = Signal(int)
    remove_requested = Signal(int)
    edit_note_requested = Signal(int)
    tag_requested = Signal(int)
    color_requested = Signal(int, int)      # highlight id, colour
    export_requested = Signal()             # of the highlights shown
    reel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("highlightsPanel")
        self._highlights: list[Highlight] = []
        self.text_filter = QLineEdit()
        self.text_filter.setObjectName("highlightFilter")
        self.text_filter.setAccessibleName("Filter highlights")
        self.text_filter.setPlaceholderText("Filter by words, note or tag")
        self.text_filter.setClearButtonEnabled(True)
        self.color_filter = QComboBox()
        self.color_filter.setObjectName("colorFilter")
        self.color_filter.addItem("All colours", None)
        for color, name in COLOR_NAMES.items():
            self.color_filter.addItem(f"{color} {name}", color)
        self.tag_filter = QComboBox()
        self.tag_filter.setObjectName("tagFilter")
        self.tree = _HighlightTree()
        self.tree.setObjectName("highlightTree")
        self.tree.setAccessibleName("Highlights")
        self.tree.setHeaderLabels(["Time", "", "Tags", "Note", "Words"])
        self.tree.setRootIsDecorated(False)
        self.tree.setWordWrap(True)   # the words wrap rather than end in "…"
        self.tree.setItemDelegate(_WrappedWords(self.tree))
        self.tree.setAlternatingRowColors(True)
        self.tree.setSortingEnabled(True)
        self.tree.sortByColumn(TIME, Qt.SortOrder.AscendingOrder)
        # The words get the room: time and colour as narrow as they can be, tags and note
        # a fixed share (a lecture has tens of highlights: measuring them is cheap).
        header = self.tree.header()
        header.moveSection(header.visualIndex(WORDS), 2)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(TIME, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLOR, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(WORDS, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(TAGS, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(NOTE, QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(18)
        # A wider or narrower words column wraps differently: measure the rows again.
        header.sectionResized.connect(
            lambda column, _old, _new: column == WORDS and self.tree.scheduleDelayedItemsLayout())
        self.tree.setColumnWidth(COLOR, 18)
        self.tree.setColumnWidth(TAGS, 72)
        self.tree.setColumnWidth(NOTE, 90)
        self.count_label = QLabel("")
        self.count_label.setObjectName("highlightCount")
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.export_button = QPushButton("Export…")
        self.export_button.setObjectName("exportShownHighlights")
        self.export_button.setToolTip("Study notes, an Anki deck, a table or subtitles of the highlights shown here")
        self.reel_button = QPushButton("Reel…")
        self.reel_button.setObjectName("reelOfShownHighlights")
        self.reel_button.setToolTip("One video of the highlights shown here, in this order")
        filters = QHBoxLayout()
        filters.addWidget(self.text_filter, 1)
        filters.addWidget(self.color_filter)
        filters.addWidget(self.tag_filter)
        actions = QHBoxLayout()
        actions.addWidget(self.count_label, 1)
        actions.addWidget(self.export_button)
        actions.addWidget(self.reel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(filters)
        layout.addWidget(self.tree, 1)
        layout.addLayout(actions)
        self.text_filter.textChanged.connect(lambda _text: self._fill())
        self.color_filter.currentIndexChanged.connect(lambda _index: self._fill())
        self.tag_filter.currentIndexChanged.connect(lambda _index: self._fill())
        self.tree.itemClicked.connect(lambda item, _column: self.seek_requested.emit(item.data(0, START_ROLE)))
        self.tree.itemDoubleClicked.connect(lambda item, _column: self.edit_note_requested.emit(item.data(0, ID_ROLE)))
        self.tree.delete_pressed.connect(self._remove_selected)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.export_button.clicked.connect(self.export_requested)
        self.reel_button.clicked.connect(self.reel_requested)
        self.color_meanings: dict[int, str] = dict(COLOR_NAMES)
        self._fill()

    def show_highlights(self, highlights: list[Highlight]) -> None:
        self._highlights = highlights
        chosen = self.tag_filter.currentData()
        tags = sorted({tag for h in highlights for tag in h.tags}, key=str.casefold)
        self.tag_filter.blockSignals(True)
        self.tag_filter.clear()
        self.tag_filter.addItem("All tags", None)
        for tag in tags:
            self.tag_filter.addItem(tag, tag)  # addItem shows plain text: tags are the learner's words
        self.tag_filter.setCurrentIndex(max(0, self.tag_filter.findData(chosen)))
        self.tag_filter.blockSignals(False)
        self._fill()

    def _visible(self, highlight: Highlight) -> bool:
        color, tag = self.color_filter.currentData(), self.tag_filter.currentData()
        words = self.text_filter.text().casefold().strip()
        if color is not None and highlight.color != color:
            return False
        if tag is not None and tag.casefold() not in (t.casefold() for t in highlight.tags):
            return False
        haystack = " ".join((highlight.text, highlight.note or "", *highlight.tags)).casefold()
        return not words or words in haystack

    def _fill(self) -> None:
        self.tree.setSortingEnabled(False)
        self.tree.clear()
        for highlight in filter(self._visible, self._highlights):
            item = _TimeItem([format_clock(highlight.start_ms), "", ", ".join(highlight.tags),
                              (highlight.note or "").replace("\n", " "), highlight.text[:200]])
            item.setData(0, ID_ROLE, highlight.id)
            item.setData(0, START_ROLE, highlight.start_ms)
            item.setBackground(COLOR, QBrush(HIGHLIGHT_COLORS[highlight.color]))
            item.setToolTip(COLOR, plain_to_rich(self.color_meanings.get(highlight.color, "")))
            # Shown, never rendered: notes and words are the learner's text.
            item.setToolTip(NOTE, plain_to_rich(highlight.note or ""))
            item.setToolTip(WORDS, plain_to_rich(highlight.text))
            self.tree.addTopLevelItem(item)
        self.tree.setSortingEnabled(True)
        shown, total = self.tree.topLevelItemCount(), len(self._highlights)
        self.count_label.setText(f"{shown} of {total} shown" if shown != total else
                                 f"{total} highlight{'s' if total != 1 else ''}" if total else "No highlights yet")
        for button in (self.export_button, self.reel_button):
            button.setEnabled(shown > 0)

    def edit_menu(self, highlight_id: int) -> QMenu:
        """Edit it in place (colour, note, tag), play it, remove it."""
        menu = QMenu(self)
        colors = menu.addMenu("Colour")
        for color, meaning in self.color_meanings.items():
            action = colors.addAction(f"{color}  {menu_text(meaning)}")
            action.triggered.connect(lambda _checked=False, c=color: self.color_requested.emit(highlight_id, c))
        menu.addAction("Note…").triggered.connect(lambda: self.edit_note_requested.emit(highlight_id))
        menu.addAction("Add a tag…").triggered.connect(lambda: self.tag_requested.emit(highlight_id))
        menu.addSeparator()
        start = next((h.start_ms for h in self._highlights if h.id == highlight_id), None)
        if start is not None:
            menu.addAction("Play from here").triggered.connect(lambda: self.seek_requested.emit(start))
            menu.addSeparator()
        menu.addAction("Remove").triggered.connect(lambda: self.remove_requested.emit(highlight_id))
        return menu

    def _context_menu(self, position) -> None:
        item = self.tree.itemAt(position)
        if item is not None:
            self.edit_menu(item.data(0, ID_ROLE)).exec(self.tree.viewport().mapToGlobal(position))

    def set_color_meanings(self, meanings: dict[int, str]) -> None:
        self.color_meanings = dict(meanings)
        for index in range(1, self.color_filter.count()):
            color = self.color_filter.itemData(index)
            self.color_filter.setItemText(index, f"{color} {meanings[color]}")
        self._fill()

    def _remove_selected(self) -> None:
        for item in self.tree.selectedItems():
            self.remove_requested.emit(item.data(0, ID_ROLE))

    def shown_highlights(self) -> list[Highlight]:
        """The highlights the tab shows, in its order (sorting and filters applied)."""
        by_id = {h.id: h for h in self._highlights}
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [by_id[item.data(0, ID_ROLE)] for item in items]

    def selected_highlights(self) -> list[Highlight]:
        chosen = {item.data(0, ID_ROLE) for item in self.tree.selectedItems()}
        return [h for h in self.shown_highlights() if h.id in chosen]

    @property
    def shown_count(self) -> int:
        return self.tree.topLevelItemCount()
