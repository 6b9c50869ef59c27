"""Correcting the transcript in the window: each correction is one library edit, made at
once and one undo step (its TranscriptEdit's inverse undoes it), and the view changes
only the rows it touched."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog, QWidget

from player.core.library import Library, LibraryError, TranscriptEdit
from player.core.timecode import format_clock
from player.core.transcript import Transcript
from player.ui.annotations import LectureAnnotations, LibraryCommand
from player.ui.focus import focus_returns
from player.ui.plain_dialogs import ask_item, ask_line, ask_yes_no
from player.ui.transcript_view import TranscriptView

# Alt+Left/Right move a line's start, Alt+Shift+Left/Right its end, by this much.
NUDGE_MS = 100
# The edits a view follows row by row; the others (every line may change) show the transcript again.
ROW_EDITS = {"text", "split", "merge", "times", "speaker"}


class TranscriptCommand(LibraryCommand):
    """One correction: `make(library)` makes it the first time (returning its
    TranscriptEdit); redo applies that edit again, undo its inverse. An edit whose lines
    were changed meanwhile (StaleEdit, from another window) is dropped with a message."""

    def __init__(self, annotations: LectureAnnotations, text: str,
                 make: Callable[[Library], TranscriptEdit]) -> None:
        super().__init__(annotations, text)
        self._make, self._edit = make, None

    def apply(self, library: Library) -> None:
        if self._edit is None:
            self._edit = self._make(library)
            shown = self._edit
        else:
            shown = library.apply_transcript_edit(self._edit)
        self._annotations.transcript_edited.emit(shown)

    def revert(self, library: Library) -> None:
        self._annotations.transcript_edited.emit(library.apply_transcript_edit(self._edit.inverse()))


class Corrections(QObject):
    """The window's corrections of the open lecture's transcript (once it is the library's)."""

    def __init__(self, annotations: LectureAnnotations, view: TranscriptView,
                 shown: Callable[[Transcript], None], status: Callable[[str, int], None],
                 dialog_parent: QWidget) -> None:
        super().__init__(dialog_parent)
        self._annotations, self._view, self._shown, self._status = annotations, view, shown, status
        self._parent = dialog_parent
        self._ids: list[int] | None = None   # the library's id of each line shown, loaded when first needed
        annotations.transcript_edited.connect(self.show_edit)

    # ----- which line is which ---------------------------------------------------------

    def forget_lines(self) -> None:
        """The view shows another transcript: line ids are read again when next needed."""
        self._ids = None

    def lines_appended(self, ids: list[int]) -> None:
        if self._ids is not None:
            self._ids.extend(ids)

    def _line_id(self, segment: int | None) -> int | None:
        annotations = self._annotations
        if segment is None or annotations.library is None or annotations.lecture is None:
            return None
        if self._ids is None:
            self._ids = [line.id for line in annotations.library.transcript_lines(annotations.lecture.id)]
        transcript = self._view.segment_model.transcript
        if transcript is None or len(self._ids) != len(transcript) or not 0 <= segment < len(self._ids):
            # Lines saved but not shown yet (a transcription's next ones): read again next time.
            self._ids = None
            self._status("The transcript shown is not the library's yet: try again in a moment", 6000)
            return None
        return self._ids[segment]

    def _push(self, text: str, make: Callable[[Library], TranscriptEdit]) -> None:
        self._annotations.undo_stack.push(TranscriptCommand(self._annotations, text, make))

    # ----- the edits -------------------------------------------------------------------

    def edit_text(self, segment: int, text: str) -> None:
        line = self._line_id(segment)
        if line is not None:
            self._push("Edit line", lambda library: library.edit_line_text(line, text))

    def split(self, segment: int | None, offset: int, text: str | None = None) -> None:
        """Split at `offset` of the line's words; `text`: the editor's words, saved first
        (the edit and the split are one undo step)."""
        line = self._line_id(segment)
        if line is None:
            return
        with self._annotations.one_step("Split line"):
            if text is not None and text != self._view.segment_model.transcript[segment].text:
                self._push("Edit line", lambda library: library.edit_line_text(line, text))
            self._push("Split line", lambda library: library.split_line(line, offset))

    def merge_with_next(self, segment: int | None) -> None:
        line = self._line_id(segment)
        if line is not None:
            self._push("Merge with the next line", lambda library: library.merge_with_next(line))

    def nudge(self, segment: int | None, which: str, delta_ms: int) -> None:
        """Move a line's start or end by delta_ms (the library keeps it between its neighbours)."""
        line = self._line_id(segment)
        if line is None:
            return
        current = self._view.segment_model.transcript[segment]
        start, end = current.start_ms, current.end_ms
        if which == "start":
            start = max(0, start + delta_ms)
        else:
            end = max(0, end + delta_ms)
        if end <= start:
            self._status("The line would have no time left", 4000)
            return
        self._push(f"Move the line's {which} to {format_clock(start if which == 'start' else end)}",
                   lambda library: library.set_line_times(line, start, end))

    def shift_all(self) -> None:
        lecture = self._annotations.lecture
        if lecture is None or self._view.segment_model.transcript is None:
            return
        with focus_returns():
            seconds, ok = QInputDialog.getDouble(
                self._parent, "Shift the transcript", "Move every line by (seconds; negative: earlier, "
                "for subtitles that come late):", 0.0, -36_000.0, 36_000.0, 2)
        offset = round(seconds * 1000)
        if ok and offset:
            self._push(f"Shift the transcript by {seconds:+g} s",
                       lambda library: library.shift_transcript(lecture.id, offset))

    def name_speaker(self, segment: int | None) -> None:
        line = self._line_id(segment)
        if line is None:
            return
        current = self._view.segment_model.transcript[segment].speaker or ""
        with focus_returns():
            name = ask_line(self._parent, "Speaker", "Who says this line? (empty: nobody named)", current)
        if name is not None and name.strip() != current:
            self._push("Name the speaker", lambda library: library.set_speaker(line, name))

    def rename_speaker(self) -> None:
        annotations = self._annotations
        if annotations.library is None or annotations.lecture is None:
            return
        lecture_id = annotations.lecture.id
        try:
            speakers = annotations.library.speakers(lecture_id)
        except LibraryError as error:
            self._status(str(error), 6000)
            return
        if not speakers:
            self._status("No line has a speaker yet: name one with Transcript ▸ Name the speaker", 6000)
            return
        with focus_returns():
            picked = ask_item(self._parent, "Rename a speaker", "Rename whom, on every line?", speakers)
            if picked is None:
                return
            name = speakers[picked]
            new_name = ask_line(self._parent, "Rename a speaker", f"New name for {name}:", name)
        if new_name is not None and new_name.strip() != name:
            self._push(f"Rename {name}", lambda library: library.rename_speaker(lecture_id, name, new_name))

    def restore_original(self) -> None:
        annotations = self._annotations
        if annotations.library is None or annotations.lecture is None:
            return
        lecture_id = annotations.lecture.id
        state = annotations.library.transcription_state(lecture_id)
        if state is None or not state.corrected:
            self._status("The transcript has no corrections", 4000)
            return
        with focus_returns():
            sure = ask_yes_no(self._parent, "Restore the original transcript",
                              "Put the transcript back as it was read or heard, dropping every correction? "
                              "(Undo brings them back.)")
        if sure:
            self._push("Restore the original transcript", lambda library: library.restore_original(lecture_id))

    # ----- the view follows ---------------------------------------------------------------

    def show_edit(self, edit: TranscriptEdit) -> None:
        """Replace the rows the edit touched (len(before) rows at before[0].position by
        len(after) rows), or show the whole transcript again for one that moved every line."""
        annotations = self._annotations
        if annotations.lecture is None or edit.lecture_id != annotations.lecture.id:
            return
        if edit.kind in ROW_EDITS and edit.before and edit.after and self._ids is not None:
            position = edit.before[0].position
            transcript = self._view.replace_segments(position, len(edit.before),
                                                     [line.to_segment() for line in edit.after])
            self._ids[position:position + len(edit.before)] = [line.id for line in edit.after]
        else:
            transcript = annotations.library.transcript(edit.lecture_id)
            self._ids = None
            bar = self._view.verticalScrollBar()
            where, following = bar.value(), self._view.following
            self._view.set_transcript(transcript)
            if not following:   # the learner stays where they were reading
                self._view.pause_following()
                self._view.doItemsLayout()
                bar.setValue(where)
        self._shown(transcript)
