"""The window's link to the library: the open lecture, its highlights, and every edit
as an undoable command, written the moment it is made."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QUndoCommand, QUndoStack

from player.core.library import Highlight, Lecture, Library, LibraryError
from player.core.theme_colors import COLOR_NUMBERS
from player.core.transcript import Transcript
from player.ui.jobs import ShortJob
from player.ui.themes import colors_of, qcolor


class _ThemeHighlightColors(Mapping[int, QColor]):
    """The five colours as the application's theme draws them (a dark theme's are deeper,
    so its light text stays readable on their tints): looked up when painted."""

    def __getitem__(self, number: int) -> QColor:
        return qcolor(colors_of().highlights[number])

    def __iter__(self) -> Iterator[int]:
        return iter(COLOR_NUMBERS)

    def __len__(self) -> int:
        return len(COLOR_NUMBERS)


# A learner's five colours (keys 1-5); their meaning is the learner's own.
HIGHLIGHT_COLORS: Mapping[int, QColor] = _ThemeHighlightColors()
COLOR_NAMES = {1: "yellow", 2: "green", 3: "blue", 4: "pink", 5: "orange"}


def _import(library_path: Path, media_path: str, transcript: Transcript | None) -> int:
    # Its own connection: SQLite connections stay on the thread that made them, and
    # WAL lets this writer and the window's reader work side by side.
    # The window's own connection checked the file when it opened it.
    with Library.open(library_path, check_integrity=False) as library:
        return library.import_lecture(media_path, transcript).id


class LibraryCommand(QUndoCommand):
    """One undoable edit of the library: `apply` is redo, `revert` is undo.

    Its target may be gone when it is undone or redone (the lecture removed in
    Library ▸ Lectures, a tag deleted elsewhere). Then it says so in the status bar and
    makes itself obsolete, so the stack drops it: nothing raises inside Qt's undo
    machinery, and the stack never claims a state the library is not in.
    """

    def __init__(self, annotations: "LectureAnnotations", text: str, applied: bool = False) -> None:
        """`applied`: the edit was made already (the first redo, on push, only shows it)."""
        super().__init__(text)
        self._annotations = annotations
        self._ran = applied
        self._skip_redo = applied

    def apply(self, library: Library) -> None:
        raise NotImplementedError

    def revert(self, library: Library) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            self._annotations.reload_highlights()
            return
        self._guarded("redo" if self._ran else "do", self.apply)
        self._ran = True

    def undo(self) -> None:
        self._guarded("undo", self.revert)

    def _guarded(self, verb: str, work) -> None:
        annotations = self._annotations
        try:
            if annotations.library is None:
                raise LookupError("no library is open")
            work(annotations.library)
        except (LibraryError, LookupError, ValueError) as error:
            self.setObsolete(True)
            annotations.report_failed_step(verb, self.text(), error)
        annotations.reload_highlights()


class OneStep(QUndoCommand):
    """Several edits as one undo step (a highlight made, then noted). Unlike a stack
    macro, the whole step is dropped when any part of it finds its target gone."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.parts: list[LibraryCommand] = []
        self._first = True  # the parts ran as they were made

    def redo(self) -> None:
        if self._first:
            self._first = False
        else:
            for part in self.parts:
                part.redo()
        self._drop_if_broken()

    def undo(self) -> None:
        for part in reversed(self.parts):
            part.undo()
        self._drop_if_broken()

    def _drop_if_broken(self) -> None:
        if any(part.isObsolete() for part in self.parts):
            self.setObsolete(True)


class AddHighlight(LibraryCommand):
    def __init__(self, annotations: "LectureAnnotations", start_ms: int, end_ms: int, color: int) -> None:
        super().__init__(annotations, f"Highlight in {COLOR_NAMES.get(color, color)}")
        self._lecture_id = annotations.lecture.id
        self._range, self._color = (start_ms, end_ms), color
        self._made: Highlight | None = None

    def apply(self, library: Library) -> None:
        if self._made is None:
            self._made = library.add_highlight(self._lecture_id, *self._range, color=self._color)
        else:
            library.restore_highlight(self._made)  # the same id, so later commands still match

    def revert(self, library: Library) -> None:
        library.remove_highlight(self._made.id)


class RemoveHighlight(LibraryCommand):
    def __init__(self, annotations: "LectureAnnotations", highlight_id: int) -> None:
        super().__init__(annotations, "Remove highlight")
        self._id = highlight_id
        self._removed: Highlight | None = None

    def apply(self, library: Library) -> None:
        self._removed = library.remove_highlight(self._id)

    def revert(self, library: Library) -> None:
        library.restore_highlight(self._removed)


class EditHighlight(LibraryCommand):
    """Any one edit of a highlight (colour, note, a tag): the library returns the
    highlight before and after, and restoring either is undo and redo."""

    def __init__(self, annotations: "LectureAnnotations", text: str, edit) -> None:
        super().__init__(annotations, text)
        self._edit_now, self._edit = edit, None

    def apply(self, library: Library) -> None:
        if self._edit is None:
            self._edit = self._edit_now(library)
        else:
            library.restore_highlight(self._edit.after)

    def revert(self, library: Library) -> None:
        library.restore_highlight(self._edit.before)


class LectureAnnotations(QObject):
    """Opens the library, imports each lecture as it opens, and keeps its highlights."""

    lecture_ready = Signal(object)        # Lecture
    highlights_changed = Signal(list)     # list[Highlight]
    problem = Signal(str)                 # a sentence for the status bar
    transcript_edited = Signal(object)    # TranscriptEdit: a correction made, undone or redone

    def __init__(self, library_path: Path | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.library: Library | None = None
        self.lecture: Lecture | None = None
        self.highlights: list[Highlight] = []
        self._library_path = library_path
        self._open_step: OneStep | None = None
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
    def library_path(self) -> Path | None:
        """The library file in use, or the one that could not be opened."""
        return self._library_path

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

    # ----- edits: each one undoable command -------------------------------------------

    def _push(self, command: LibraryCommand) -> None:
        if self._open_step is None:
            self.undo_stack.push(command)
        else:
            self._open_step.parts.append(command)
            command.redo()

    @contextmanager
    def one_step(self, text: str) -> Iterator[None]:
        """The edits made inside are one undo step."""
        step = self._open_step = OneStep(text)
        try:
            yield
        finally:
            self._open_step = None
            if step.parts:
                self.undo_stack.push(step)  # a step already broken is dropped, not kept

    def report_failed_step(self, verb: str, text: str, error: Exception) -> None:
        """Say why an edit, its undo or its redo could not be made."""
        what = text[:1].lower() + text[1:]
        self.problem.emit(f"Could not {what if verb == 'do' else f'{verb} {what}'}: {self._why(error)}")

    def _why(self, error: Exception) -> str:
        if self.library is not None and self.lecture is not None:
            try:
                self.library.lecture(self.lecture.id)
            except KeyError:
                return "the lecture was removed from the library"
            except LibraryError as unreadable:
                return str(unreadable)
        if isinstance(error, KeyError) and error.args:
            return str(error.args[0])  # str() of a KeyError adds quotes
        return str(error)

    def add_highlight(self, start_ms: int, end_ms: int, color: int) -> None:
        if self.lecture is not None and end_ms > start_ms:
            self._push(AddHighlight(self, start_ms, end_ms, color))

    def highlight_over(self, start_ms: int, end_ms: int) -> Highlight | None:
        """The highlight that overlaps a span of time, the one starting first."""
        for highlight in self.highlights:
            if highlight.start_ms < end_ms and highlight.end_ms > start_ms:
                return highlight
        return None

    def ensure_highlight(self, start_ms: int, end_ms: int, color: int) -> Highlight | None:
        """The highlight over a span, made now if there is none (inside the caller's `one_step`)."""
        existing = self.highlight_over(start_ms, end_ms)
        if existing is None:
            self.add_highlight(start_ms, end_ms, color)
            existing = self.highlight_over(start_ms, end_ms)
        return existing

    def set_note(self, highlight_id: int, note: str) -> None:
        self._push(EditHighlight(self, "Edit note", lambda lib: lib.set_note(highlight_id, note or None)))

    def add_tag(self, highlight_id: int, name: str) -> None:
        self._push(EditHighlight(self, f"Tag “{name}”", lambda lib: lib.add_tag(highlight_id, name)))

    def remove_tag(self, highlight_id: int, name: str) -> None:
        self._push(EditHighlight(self, f"Untag “{name}”", lambda lib: lib.remove_tag(highlight_id, name)))

    def set_color(self, highlight_id: int, color: int) -> None:
        self._push(EditHighlight(self, "Change colour", lambda lib: lib.set_color(highlight_id, color)))

    def tag_names(self) -> list[str]:
        return [tag.name for tag in self.library.tags()] if self.library is not None else []

    def remove_highlight(self, highlight_id: int) -> None:
        if self.lecture is not None:
            self._push(RemoveHighlight(self, highlight_id))

    def name_lecture(self, title: str) -> None:
        """The open lecture is called `title` (its transcript's or its media's own): the
        library, and so the Lectures window and search, call it so too."""
        if self.library is None or self.lecture is None or not title.strip() or title == self.lecture.title:
            return
        try:
            self.lecture = self.library.set_title(self.lecture.id, title)
        except (LibraryError, KeyError) as error:
            self.problem.emit(f"Library: {error}")

    def titles_by_path(self) -> dict[str, str]:
        """Each lecture's title by the path of its media (for lists of files)."""
        if self.library is None:
            return {}
        try:
            return {lecture.path: lecture.title for lecture in self.library.lectures()}
        except LibraryError:
            return {}

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
