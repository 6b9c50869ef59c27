"""The window's link to the library: the open lecture, its highlights, and every edit
as an undoable command, written the moment it is made."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QUndoCommand, QUndoStack

from player.core.library import Highlight, Lecture, Library, LibraryError
from player.core.transcript import Transcript
from player.ui.jobs import ShortJob

# A learner's five colours (keys 1-5); their meaning is the learner's own.
HIGHLIGHT_COLORS = {1: QColor(255, 213, 79), 2: QColor(129, 199, 132), 3: QColor(100, 181, 246),
                    4: QColor(240, 98, 146), 5: QColor(255, 167, 38)}
COLOR_NAMES = {1: "yellow", 2: "green", 3: "blue", 4: "pink", 5: "orange"}


def _import(library_path: Path, media_path: str, transcript: Transcript | None) -> int:
    # Its own connection: SQLite connections stay on the thread that made them, and
    # WAL lets this writer and the window's reader work side by side.
    # The window's own connection checked the file when it opened it.
    with Library.open(library_path, check_integrity=False) as library:
        return library.import_lecture(media_path, transcript).id


class AddHighlight(QUndoCommand):
    def __init__(self, annotations: "LectureAnnotations", start_ms: int, end_ms: int, color: int) -> None:
        super().__init__(f"Highlight in {COLOR_NAMES.get(color, color)}")
        self._annotations, self._range, self._color = annotations, (start_ms, end_ms), color
        self._made: Highlight | None = None

    def redo(self) -> None:
        library, lecture = self._annotations.library, self._annotations.lecture
        if self._made is None:
            self._made = library.add_highlight(lecture.id, *self._range, color=self._color)
        else:
            library.restore_highlight(self._made)  # the same id, so later commands still match
        self._annotations.reload_highlights()

    def undo(self) -> None:
        self._annotations.library.remove_highlight(self._made.id)
        self._annotations.reload_highlights()


class RemoveHighlight(QUndoCommand):
    def __init__(self, annotations: "LectureAnnotations", highlight_id: int) -> None:
        super().__init__("Remove highlight")
        self._annotations, self._id = annotations, highlight_id
        self._removed: Highlight | None = None

    def redo(self) -> None:
        self._removed = self._annotations.library.remove_highlight(self._id)
        self._annotations.reload_highlights()

    def undo(self) -> None:
        self._annotations.library.restore_highlight(self._removed)
        self._annotations.reload_highlights()


class EditHighlight(QUndoCommand):
    """Any one edit of a highlight (colour, note, a tag): the library returns the
    highlight before and after, and restoring either is undo and redo."""

    def __init__(self, annotations: "LectureAnnotations", text: str, apply) -> None:
        super().__init__(text)
        self._annotations, self._apply = annotations, apply
        self._edit = None

    def redo(self) -> None:
        library = self._annotations.library
        if self._edit is None:
            self._edit = self._apply(library)
        else:
            library.restore_highlight(self._edit.after)
        self._annotations.reload_highlights()

    def undo(self) -> None:
        self._annotations.library.restore_highlight(self._edit.before)
        self._annotations.reload_highlights()


class LectureAnnotations(QObject):
    """Opens the library, imports each lecture as it opens, and keeps its highlights."""

    lecture_ready = Signal(object)        # Lecture
    highlights_changed = Signal(list)     # list[Highlight]
    problem = Signal(str)                 # a sentence for the status bar

    def __init__(self, library_path: Path | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.library: Library | None = None
        self.lecture: Lecture | None = None
        self.highlights: list[Highlight] = []
        self._library_path = library_path
        self._import_job = ShortJob(self)
        self._import_job.finished.connect(self._on_imported)
        self._import_job.failed.connect(lambda error: self.problem.emit(f"Library: {error}"))
        self.open_error: str | None = None  # shown by the window: no signal is connected yet
        if library_path is not None:
            self.open_library(library_path)

    def open_library(self, library_path: Path, move_damaged_aside: bool = False) -> bool:
        """Use this library file from now on; False (and open_error says why) if it can't be.
        With move_damaged_aside, a file that is not a sound library is renamed, never
        overwritten, and a new library starts in its place (library.moved_aside says where)."""
        self.close()
        self._library_path = library_path
        self.lecture, self.highlights = None, []
        self.undo_stack.clear()
        try:
            self.library = Library.open(library_path, move_corrupt_aside=move_damaged_aside)
        except LibraryError as error:
            self.open_error = f"The library could not be opened, so nothing is saved: {error}"
            return False
        self.open_error = None
        return True

    @property
    def available(self) -> bool:
        return self.library is not None

    def open_lecture(self, media_path: str, transcript: Transcript | None) -> None:
        """Import (or find) the lecture off the GUI thread; lecture_ready follows."""
        if self.library is None:
            return
        self.lecture = None
        self.highlights = []
        self.undo_stack.clear()
        self.highlights_changed.emit([])
        path = self._library_path
        self._import_job.start(lambda: _import(path, media_path, transcript))

    def _on_imported(self, lecture_id: int) -> None:
        self.lecture = self.library.lecture(lecture_id)
        self.reload_highlights()
        self.lecture_ready.emit(self.lecture)

    def reload_highlights(self) -> None:
        if self.library is None or self.lecture is None:
            return
        self.highlights = self.library.highlights(lecture=self.lecture.id)
        self.highlights_changed.emit(self.highlights)

    def add_highlight(self, start_ms: int, end_ms: int, color: int) -> None:
        if self.lecture is not None and end_ms > start_ms:
            self.undo_stack.push(AddHighlight(self, start_ms, end_ms, color))

    def highlight_over(self, start_ms: int, end_ms: int) -> Highlight | None:
        """The highlight that overlaps a span of time, the one starting first."""
        for highlight in self.highlights:
            if highlight.start_ms < end_ms and highlight.end_ms > start_ms:
                return highlight
        return None

    def ensure_highlight(self, start_ms: int, end_ms: int, color: int) -> Highlight | None:
        """The highlight over a span, made now if there is none (inside the caller's macro)."""
        existing = self.highlight_over(start_ms, end_ms)
        if existing is None:
            self.add_highlight(start_ms, end_ms, color)
            existing = self.highlight_over(start_ms, end_ms)
        return existing

    def set_note(self, highlight_id: int, note: str) -> None:
        self.undo_stack.push(EditHighlight(self, "Edit note", lambda lib: lib.set_note(highlight_id, note or None)))

    def add_tag(self, highlight_id: int, name: str) -> None:
        self.undo_stack.push(EditHighlight(self, f"Tag “{name}”", lambda lib: lib.add_tag(highlight_id, name)))

    def remove_tag(self, highlight_id: int, name: str) -> None:
        self.undo_stack.push(EditHighlight(self, f"Untag “{name}”", lambda lib: lib.remove_tag(highlight_id, name)))

    def set_color(self, highlight_id: int, color: int) -> None:
        self.undo_stack.push(EditHighlight(self, "Change colour", lambda lib: lib.set_color(highlight_id, color)))

    def tag_names(self) -> list[str]:
        return [tag.name for tag in self.library.tags()] if self.library is not None else []

    def remove_highlight(self, highlight_id: int) -> None:
        if self.lecture is not None:
            self.undo_stack.push(RemoveHighlight(self, highlight_id))

    def save_position(self, position_ms: int) -> None:
        if self.library is not None and self.lecture is not None:
            try:
                self.library.set_last_position(self.lecture.id, int(position_ms))
            except LibraryError as error:
                self.problem.emit(f"Library: {error}")

    def close(self) -> None:
        self._import_job.cancel()
        if self.library is not None:
            self.library.close()
            self.library = None
