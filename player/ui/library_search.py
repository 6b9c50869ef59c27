"""Search every lecture in the library (transcripts, notes, tags, lecture notes) and jump
to a hit. Hits are grouped by lecture (its title, then its file name), the lecture with
the best match first, and each lecture's hits in time order; the matched words are bold.
Every text is drawn as plain text: a snippet is the learner's or a transcript's words."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPointF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette, QTextCharFormat, QTextLayout, QTextOption
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QVBoxLayout,
                               QWidget)

from player.core.library import Library, SearchHit
from player.core.library.search import split_marks
from player.core.timecode import format_clock
from player.ui.jobs import ShortJob
from player.ui.plain_dialogs import plain_to_rich

SEARCH_DELAY_MS = 200
KIND_LABELS = {"transcript": "said", "note": "note", "tag": "tag", "summary": "lecture notes"}
HIT_ROLE = Qt.ItemDataRole.UserRole            # (media path, ms) of a hit
LINE_ROLE = Qt.ItemDataRole.UserRole + 1       # (text, [(start, length, "bold" | "dim")]) as drawn
HEADING_ROLE = Qt.ItemDataRole.UserRole + 2    # (title, file name) over a lecture's first hit


@dataclass(frozen=True)
class LectureHits:
    lecture_id: int
    title: str
    file_name: str
    hits: list[SearchHit]


def group_hits(hits: list[SearchHit], titles: dict[int, str]) -> list[LectureHits]:
    """Hits (best first, as the library ranks them) by lecture: the lecture of the best
    hit first, and each lecture's hits in time order."""
    groups: dict[int, list[SearchHit]] = {}
    for hit in hits:
        groups.setdefault(hit.lecture_id, []).append(hit)
    return [LectureHits(lecture_id, titles.get(lecture_id) or Path(found[0].media_path).stem,
                        Path(found[0].media_path).name,
                        sorted(found, key=lambda hit: (hit.start_ms, hit.end_ms, hit.kind)))
            for lecture_id, found in groups.items()]


def _search(library_path: Path, query: str) -> tuple[str, list[SearchHit], dict[int, str]]:
    # Its own connection, in the worker thread: a common word can take a moment to rank.
    with Library.open(library_path, check_integrity=False) as library:
        hits = library.search(query)
        titles = library.lecture_titles({hit.lecture_id for hit in hits})
    return query, hits, titles


class _HitDelegate(QStyledItemDelegate):
    """A hit as one line of plain text with dimmed and bold stretches (LINE_ROLE); the
    first hit of a lecture has the lecture's heading above it (HEADING_ROLE). Drawn with
    QTextLayout: nothing in a title or snippet is read as markup."""

    PAD = 4

    def _has_heading(self, index: QModelIndex) -> bool:
        return index.data(HEADING_ROLE) is not None

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        line = QFontMetrics(option.font).height() + 2 * self.PAD
        return QSize(100, line * 2 + self.PAD if self._has_heading(index) else line)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        palette = option.palette
        line_height = QFontMetrics(option.font).height() + 2 * self.PAD
        rect = option.rect
        heading = index.data(HEADING_ROLE)
        if heading is not None:
            title, file_name = heading
            heading_rect = rect.adjusted(0, 0, 0, -(rect.height() - line_height - self.PAD))
            painter.fillRect(heading_rect, palette.color(QPalette.ColorRole.AlternateBase))
            self._draw_line(painter, option, f"{title}  —  {file_name}",
                            [(0, len(title), "bold"), (len(title), len(file_name) + 5, "dim")],
                            heading_rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD), selected=False)
            rect = rect.adjusted(0, line_height + self.PAD, 0, 0)
        item_option = QStyleOptionViewItem(option)
        self.initStyleOption(item_option, index)
        item_option.text = ""
        item_option.rect = rect
        style = item_option.widget.style() if item_option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item_option, painter, item_option.widget)
        text, styles = index.data(LINE_ROLE) or ("", [])
        self._draw_line(painter, option, text, styles, rect.adjusted(self.PAD + 12, self.PAD, -self.PAD, -self.PAD),
                        selected=bool(option.state & QStyle.StateFlag.State_Selected))

    @staticmethod
    def _draw_line(painter: QPainter, option: QStyleOptionViewItem, text: str, styles, rect,
                   selected: bool) -> None:
        palette = option.palette
        dim = QTextCharFormat()
        dim.setForeground(palette.color(QPalette.ColorRole.HighlightedText) if selected
                          else palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
        bold = QTextCharFormat()
        bold.setFontWeight(QFont.Weight.Bold)
        formats = []
        for start, length, kind in styles:
            mark = QTextLayout.FormatRange()
            mark.start, mark.length, mark.format = start, length, bold if kind == "bold" else dim
            formats.append(mark)
        layout = QTextLayout(text, option.font)
        layout.setTextOption(QTextOption(Qt.AlignmentFlag.AlignLeft))
        layout.setFormats(formats)
        layout.beginLayout()
        line = layout.createLine()
        if line.isValid():
            line.setLineWidth(1_000_000)   # one line, clipped at the row's end
        layout.endLayout()
        painter.save()
        painter.setClipRect(rect)
        painter.setPen(palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text))
        layout.draw(painter, QPointF(rect.topLeft()))
        painter.restore()


class LibrarySearchDialog(QDialog):
    open_requested = Signal(str, int)   # media path, ms

    def __init__(self, library_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Search the library")
        self.setObjectName("librarySearch")
        self._library_path = library_path
        self.field = QLineEdit()
        self.field.setObjectName("librarySearchField")
        self.field.setAccessibleName("Search all lectures")
        self.field.setPlaceholderText("Words from any lecture, note or tag")
        self.field.setClearButtonEnabled(True)
        self.status = QLabel("")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.results = QListWidget()
        self.results.setObjectName("librarySearchResults")
        self.results.setAccessibleName("Search results")
        self.results.setItemDelegate(_HitDelegate(self.results))
        self.results.setUniformItemSizes(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)   # Esc closes too, as in any dialog
        layout = QVBoxLayout(self)
        layout.addWidget(self.field)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.buttons)
        self.resize(640, 480)
        self._job = ShortJob(self)
        self._job.finished.connect(self._show)
        self._job.failed.connect(lambda error: self.status.setText(str(error)))
        self._delay = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._delay.timeout.connect(self._start)
        self.field.textChanged.connect(lambda _text: self._delay.start())
        self.field.returnPressed.connect(self._open_first)
        self.results.itemActivated.connect(self._open)
        self.results.itemClicked.connect(self._open)

    def _start(self) -> None:
        query = self.field.text().strip()
        if not query:
            self.results.clear()
            self.status.setText("")
            return
        self.status.setText("Searching…")
        path = self._library_path
        self._job.start(lambda: _search(path, query))

    def _show(self, result) -> None:
        query, hits, titles = result
        if query != self.field.text().strip():
            return  # the learner typed on meanwhile
        self.results.clear()
        for group in group_hits(hits, titles):
            for number, hit in enumerate(group.hits):
                self.results.addItem(self._hit_item(hit, group, heading=number == 0))
        self.status.setText(f"{len(hits)} places" if hits else "Nothing found")

    @staticmethod
    def _hit_item(hit: SearchHit, group: LectureHits, heading: bool) -> QListWidgetItem:
        snippet, matches = split_marks(hit.snippet)
        prefix = f"{format_clock(hit.start_ms)}  {KIND_LABELS.get(hit.kind, hit.kind)}  "
        # The item's own text says it all in one line (read aloud, copied); the delegate
        # draws the parts.
        item = QListWidgetItem(f"{group.title} · {prefix}{snippet}")
        item.setData(LINE_ROLE, (prefix + snippet, [(0, len(prefix), "dim")]
                                 + [(len(prefix) + start, length, "bold") for start, length in matches]))
        if heading:
            item.setData(HEADING_ROLE, (group.title, group.file_name))
        item.setData(HIT_ROLE, (hit.media_path, hit.start_ms))
        item.setToolTip(plain_to_rich(hit.text))
        return item

    def _open(self, item: QListWidgetItem) -> None:
        media_path, start_ms = item.data(HIT_ROLE)
        self.open_requested.emit(media_path, start_ms)

    def _open_first(self) -> None:
        if self.results.count():
            self._open(self.results.item(0))
