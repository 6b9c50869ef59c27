"""Search every lecture in the library (transcripts, notes, tags) and jump to a hit."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from player.core.library import Library, SearchHit
from player.core.timecode import format_clock
from player.ui.jobs import ShortJob

SEARCH_DELAY_MS = 200
KIND_LABELS = {"transcript": "said", "note": "note", "tag": "tag"}


def _search(library_path: Path, query: str) -> tuple[str, list[SearchHit], dict[int, str]]:
    # Its own connection, in the worker thread: a common word can take a moment to rank.
    with Library.open(library_path, check_integrity=False) as library:
        hits = library.search(query)
        titles = {lecture.id: lecture.title for lecture in library.lectures()}
    return query, hits, titles


class LibrarySearchDialog(QDialog):
    open_requested = Signal(str, int)   # media path, ms

    def __init__(self, library_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Search the library")
        self.setObjectName("librarySearch")
        self._library_path = library_path
        self.field = QLineEdit()
        self.field.setObjectName("librarySearchField")
        self.field.setPlaceholderText("Words from any lecture, note or tag")
        self.field.setClearButtonEnabled(True)
        self.status = QLabel("")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.results = QListWidget()
        self.results.setObjectName("librarySearchResults")
        self.results.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.field)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
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
        for hit in hits:
            title = titles.get(hit.lecture_id) or Path(hit.media_path).stem
            # QListWidgetItem text is plain text: snippets of notes and tags stay text.
            item = QListWidgetItem(f"{title} · {format_clock(hit.start_ms)} · {KIND_LABELS.get(hit.kind, hit.kind)}\n"
                                   f"{hit.snippet}")
            item.setData(Qt.ItemDataRole.UserRole, (hit.media_path, hit.start_ms))
            self.results.addItem(item)
        self.status.setText(f"{len(hits)} places" if hits else "Nothing found")

    def _open(self, item: QListWidgetItem) -> None:
        media_path, start_ms = item.data(Qt.ItemDataRole.UserRole)
        self.open_requested.emit(media_path, start_ms)

    def _open_first(self) -> None:
        if self.results.count():
            self._open(self.results.item(0))
