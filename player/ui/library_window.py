"""The library window: every lecture with its length, highlights, when it was last
opened and whether its file is still where it was; open, remove, and relink a moved file
by looking for the same content in a folder (off the GUI thread, cancellable)."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QProgressBar, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from player.core.library import Lecture, Library, LibraryError, fingerprint
from player.core.media import MEDIA_EXTENSIONS
from player.core.timecode import format_clock
from player.ui.jobs import JobControl, LongJob
from player.ui.plain_dialogs import ask_yes_no, setup_read_only_table, tell
from player.ui.themes import colors_of, qcolor

ID_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1

# A lecture goes by its title (its transcript's or its media's own), its file name second.
TITLE, FILE, DURATION, HIGHLIGHTS, LAST_OPENED, LOCATION = range(6)
HEADERS = ["Title", "File", "Duration", "Highlights", "Last opened", "Location"]
MISSING = " — missing"


# ----- looking for a moved file (no Qt: runs in a worker thread) ------------------------

@dataclass(frozen=True)
class ScanResult:
    found: Path | None
    checked: int          # media files looked at
    fingerprinted: int    # of those, how many had the right size and were read
    cancelled: bool = False


def find_same_media(folder: str | Path, wanted: str, size: int | None,
                    cancelled: threading.Event | None = None,
                    progress: Callable[[int, str], None] | None = None) -> ScanResult:
    """The first media file under `folder` (subfolders too) whose fingerprint is `wanted`.

    A file of another size cannot match (the size is part of the fingerprint), so
    only files of the recorded `size` are read; with no size known, every one is.
    """
    checked = fingerprinted = 0
    last_report = 0.0
    for directory, subdirectories, files in os.walk(folder):
        subdirectories.sort(key=str.casefold)
        for name in sorted(files, key=str.casefold):
            if cancelled is not None and cancelled.is_set():
                return ScanResult(None, checked, fingerprinted, cancelled=True)
            if Path(name).suffix.lower() not in MEDIA_EXTENSIONS:
                continue
            path = Path(directory) / name
            checked += 1
            now = time.monotonic()
            if progress is not None and now - last_report > 0.1:
                last_report = now
                progress(checked, directory)
            try:
                if size is not None and path.stat().st_size != size:
                    continue
                fingerprinted += 1
                if fingerprint(path) == wanted:
                    return ScanResult(path, checked, fingerprinted)
            except OSError:
                continue  # unreadable or vanished meanwhile: not the one
    return ScanResult(None, checked, fingerprinted)


def _recorded_size(library: Library, lecture_id: int) -> int | None:
    # Lecture does not carry the size the library stored at import; read it from the
    # media row (None if the row or column is missing: the scan then reads every file).
    try:
        size = library.db["media"].get(lecture_id)["size_bytes"]
    except Exception:
        return None
    return int(size) if size is not None else None


# ----- the window ----------------------------------------------------------------------

class _SortItem(QTableWidgetItem):
    """Sorts by SORT_ROLE (numbers, times, case-folded text), not by its text."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(SORT_ROLE), other.data(SORT_ROLE)
        if mine is None or theirs is None or type(mine) is not type(theirs):
            return super().__lt__(other)
        return mine < theirs


def _when(iso: str | None) -> str:
    if not iso:
        return "never"
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def _highlights_text(count: int) -> str:
    if count == 0:
        return "It has no highlights."
    if count == 1:
        return "Its 1 highlight goes with it."
    return f"Its {count} highlights go with it."


class LibraryWindow(QDialog):
    """Every lecture in the library. Questions go through `confirm`, `inform` and
    `choose_folder`, which tests replace with plain functions."""

    open_requested = Signal(str)   # the media path of the lecture to open

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.lectures: list[Lecture] = []
        self.confirm: Callable[[str, str], bool] = lambda title, text: ask_yes_no(self, title, text)
        self.inform: Callable[[str, str], None] = lambda title, text: tell(self, title, text)
        self.choose_folder: Callable[[Lecture], str | None] = self._ask_folder
        self._scan = LongJob(self)
        self._scan_lecture: Lecture | None = None   # set while a scan runs
        self._scan_folder = ""
        self._init_ui()
        self._init_layout()
        self._connect_signals()
        self.refresh()

    def _init_ui(self) -> None:
        self.setObjectName("libraryWindow")
        self.setWindowTitle("Library")
        self.filter = QLineEdit()
        self.filter.setObjectName("libraryFilter")
        self.filter.setAccessibleName("Filter lectures")
        self.filter.setPlaceholderText("Filter by title or location")
        self.filter.setClearButtonEnabled(True)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("lectureTable")
        self.table.setAccessibleName("Lectures")
        setup_read_only_table(self.table, HEADERS)
        self.table.setAlternatingRowColors(True)
        self.table.sortByColumn(LAST_OPENED, Qt.SortOrder.DescendingOrder)
        header = self.table.horizontalHeader()
        # Fixed widths: resize-to-contents measures every row, slow on a long library.
        for column, width in ((TITLE, 240), (FILE, 150), (DURATION, 70), (HIGHLIGHTS, 76), (LAST_OPENED, 120)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.open_button = QPushButton("Open")
        self.open_button.setObjectName("openLecture")
        self.open_button.setDefault(True)
        self.remove_button = QPushButton("Remove…")
        self.remove_button.setObjectName("removeLecture")
        self.relink_button = QPushButton("Relink…")
        self.relink_button.setObjectName("relinkLecture")
        self.relink_button.setToolTip("Find a moved media file by its content in a folder")
        self.status = QLabel()
        self.status.setObjectName("libraryStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.hide()
        # The scan strip: shown while a folder is searched.
        self.scan_bar = QWidget()
        self.scan_bar.setObjectName("relinkScan")
        self.scan_progress = QProgressBar()
        self.scan_progress.setRange(0, 0)  # busy: the number of files is not known up front
        self.scan_progress.setMaximumWidth(160)
        self.scan_label = QLabel()
        self.scan_label.setTextFormat(Qt.TextFormat.PlainText)
        self.scan_cancel = QPushButton("Cancel")
        self.scan_cancel.setObjectName("cancelRelink")
        self.scan_bar.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.resize(900, 480)

    def _init_layout(self) -> None:
        scan = QHBoxLayout(self.scan_bar)
        scan.setContentsMargins(0, 0, 0, 0)
        scan.addWidget(self.scan_progress)
        scan.addWidget(self.scan_label, 1)
        scan.addWidget(self.scan_cancel)
        actions = QHBoxLayout()
        actions.addWidget(self.open_button)
        actions.addWidget(self.remove_button)
        actions.addWidget(self.relink_button)
        actions.addStretch(1)
        actions.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.scan_bar)
        layout.addWidget(self.status)
        layout.addLayout(actions)

    def _connect_signals(self) -> None:
        self.filter.textChanged.connect(self._apply_filter)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.open_selected())
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.relink_button.clicked.connect(self.relink_selected)
        self.scan_cancel.clicked.connect(self.cancel_scan)
        self._scan.progress.connect(lambda progress: self._on_scan_progress(*progress))
        self._scan.finished.connect(self._on_scan_finished)
        self._scan.cancelled.connect(lambda: self._on_scan_finished(ScanResult(None, 0, 0, cancelled=True)))
        self._scan.failed.connect(self._on_scan_failed)
        self.buttons.rejected.connect(self.reject)

    # ----- contents --------------------------------------------------------------------

    def refresh(self) -> None:
        """Read every lecture from the library again."""
        chosen = self.selected_lecture()
        try:
            self.lectures = self.library.lectures()
        except LibraryError as error:
            self.lectures = []
            self._say(f"The library could not be read: {error}")
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(self.lectures))
        for row, lecture in enumerate(self.lectures):
            for column, item in enumerate(self._row_items(lecture)):
                item.setData(ID_ROLE, lecture.id)
                self.table.setItem(row, column, item)
        self.table.setSortingEnabled(True)
        self._apply_filter()
        if chosen is not None:
            self.select_lecture(chosen.id)
        self._update_buttons()

    @staticmethod
    def _row_items(lecture: Lecture) -> list[QTableWidgetItem]:
        # Every text here is plain QTableWidgetItem text: titles and paths are never interpreted.
        title = _SortItem(lecture.title or Path(lecture.path).name)
        title.setData(SORT_ROLE, title.text().casefold())
        duration = _SortItem(format_clock(lecture.duration_ms) if lecture.duration_ms is not None else "—")
        duration.setData(SORT_ROLE, lecture.duration_ms if lecture.duration_ms is not None else -1)
        count = _SortItem(str(lecture.highlight_count))
        count.setData(SORT_ROLE, lecture.highlight_count)
        opened = _SortItem(_when(lecture.last_opened_at))
        opened.setData(SORT_ROLE, lecture.last_opened_at or "")
        present = Path(lecture.path).is_file()
        file = _SortItem(Path(lecture.path).name + ("" if present else MISSING))
        file.setData(SORT_ROLE, file.text().casefold())
        if not present:
            file.setForeground(qcolor(colors_of().error_text))   # readable in every theme
            file.setToolTip("The file is no longer where it was: Relink… finds it by its content")
        location = _SortItem(lecture.path)
        location.setData(SORT_ROLE, lecture.path.casefold())
        for item in (duration, count):
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return [title, file, duration, count, opened, location]

    def _apply_filter(self) -> None:
        words = self.filter.text().casefold().strip()
        for row in range(self.table.rowCount()):
            haystack = " ".join(self.table.item(row, column).text() for column in (TITLE, LOCATION)).casefold()
            self.table.setRowHidden(row, bool(words) and words not in haystack)

    @property
    def shown_count(self) -> int:
        return sum(not self.table.isRowHidden(row) for row in range(self.table.rowCount()))

    def shown_titles(self) -> list[str]:
        return [self.table.item(row, TITLE).text() for row in range(self.table.rowCount())
                if not self.table.isRowHidden(row)]

    def row_of(self, lecture_id: int) -> int:
        for row in range(self.table.rowCount()):
            if self.table.item(row, TITLE).data(ID_ROLE) == lecture_id:
                return row
        return -1

    def select_lecture(self, lecture_id: int) -> bool:
        row = self.row_of(lecture_id)
        if row >= 0 and not self.table.isRowHidden(row):
            self.table.selectRow(row)
            return True
        return False

    def selected_lecture(self) -> Lecture | None:
        model = self.table.selectionModel()
        rows = [index.row() for index in model.selectedRows()] if model is not None else []
        rows = [row for row in rows if not self.table.isRowHidden(row)]
        if not rows:
            return None
        lecture_id = self.table.item(rows[0], TITLE).data(ID_ROLE)
        return next((lecture for lecture in self.lectures if lecture.id == lecture_id), None)

    def _update_buttons(self) -> None:
        chosen = self.selected_lecture() is not None
        scanning = self.scanning
        self.open_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen and not scanning)
        self.relink_button.setEnabled(chosen and not scanning)

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    # ----- actions ---------------------------------------------------------------------

    def open_selected(self) -> None:
        lecture = self.selected_lecture()
        if lecture is None:
            return
        # Where it still is: another copy the library has seen when the stored path is gone.
        path = Path(lecture.path) if Path(lecture.path).is_file() else self.library.preferred_path(lecture.id)
        if path is None:
            if not self.scanning and self.confirm(
                    "Open lecture", f"“{lecture.title}” is no longer at its last known place:\n"
                                    f"{lecture.path}\n\nLook for it in a folder?"):
                self.relink(lecture)
            return
        self.open_requested.emit(str(path))

    def remove_selected(self) -> None:
        lecture = self.selected_lecture()
        if lecture is not None:
            self.remove(lecture)

    def remove(self, lecture: Lecture) -> bool:
        question = (f"Remove “{lecture.title}” from the library? {_highlights_text(lecture.highlight_count)}"
                    f"\n\nThe media file itself is not deleted.")
        if not self.confirm("Remove lecture", question):
            return False
        try:
            removal = self.library.remove_lecture(lecture.id)
        except (LibraryError, KeyError) as error:
            self.inform("Remove lecture", f"“{lecture.title}” could not be removed: {error}")
            self.refresh()
            return False
        gone = removal.highlight_count
        self._say(f"Removed “{lecture.title}”"
                            + (f" and its {gone} highlight{'s' if gone != 1 else ''}." if gone else "."))
        self.refresh()
        return True

    def relink_selected(self) -> None:
        lecture = self.selected_lecture()
        if lecture is not None:
            self.relink(lecture)

    def _ask_folder(self, lecture: Lecture) -> str | None:
        start = Path(lecture.path).parent
        while not start.is_dir() and start != start.parent:
            start = start.parent
        folder = QFileDialog.getExistingDirectory(self, "Where is the lecture's file now?", str(start))
        return folder or None

    def relink(self, lecture: Lecture) -> bool:
        """Ask for a folder and start looking in it; False if nothing was started."""
        if self.scanning:
            return False
        folder = self.choose_folder(lecture)
        if not folder:
            return False
        if not Path(folder).is_dir():
            self.inform("Relink", f"{folder} is not a folder.")
            return False
        self.start_scan(lecture, folder)
        return True

    def start_scan(self, lecture: Lecture, folder: str) -> None:
        wanted, size = lecture.fingerprint, _recorded_size(self.library, lecture.id)

        def work(control: JobControl) -> ScanResult:
            return find_same_media(folder, wanted, size, control.cancel_event,
                                   lambda checked, directory: control.report((checked, directory)))

        self._scan_lecture, self._scan_folder = lecture, folder
        self.scan_label.setText(f"Looking for “{lecture.title}” in {folder}…")
        self.scan_cancel.setEnabled(True)
        self.scan_bar.show()
        self._say("")
        self._update_buttons()
        self._scan.start(work)

    @property
    def scanning(self) -> bool:
        return self._scan_lecture is not None

    def cancel_scan(self) -> None:
        if self.scanning:
            self._scan.cancel()
            self.scan_cancel.setEnabled(False)
            self.scan_label.setText("Cancelling…")

    def _on_scan_progress(self, checked: int, directory: str) -> None:
        self.scan_label.setText(f"{checked} media file{'s' if checked != 1 else ''} checked, in {directory}")

    def _end_scan(self) -> tuple[Lecture | None, str]:
        lecture, folder = self._scan_lecture, self._scan_folder
        self._scan_lecture = None
        self.scan_bar.hide()
        self._update_buttons()
        return lecture, folder

    def _on_scan_failed(self, error: Exception) -> None:
        lecture, _folder = self._end_scan()
        if lecture is not None:
            self._say(f"Looking for “{lecture.title}” stopped: {error}")

    def _on_scan_finished(self, result: ScanResult) -> None:
        lecture, folder = self._end_scan()
        if lecture is None:
            return
        if result.cancelled:
            self._say(f"Stopped looking for “{lecture.title}”.")
            return
        if result.found is None:
            files = f"{result.checked} media file{'s' if result.checked != 1 else ''}"
            message = (f"No file in {folder} has the same content as “{lecture.title}” "
                       f"({files} looked at, subfolders included).")
            self._say(message)
            self.inform("Relink", message)
            return
        try:
            relinked = self.library.relink(lecture.id, result.found)
        except (LibraryError, KeyError) as error:
            self._say(f"“{lecture.title}” could not be relinked: {error}")
            self.inform("Relink", self.status.text())
            return
        self.refresh()
        self.select_lecture(relinked.id)
        self._say(f"Found “{lecture.title}” at {relinked.path}.")

    def done(self, result: int) -> None:
        self.cancel_scan()  # the worker stops at its next file
        super().done(result)
