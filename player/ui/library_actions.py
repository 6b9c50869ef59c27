"""The window's library and export actions: another library (or a new one where a
damaged one was), search all lectures, the Lectures and Tags windows, and every file the
window writes (the transcript, the highlights, a reel).

Every write goes through player.core.safe_files: never onto the learner's own files
(the library and what it knows, the open lecture's media, transcript and notes), an
existing file only when the learner confirmed replacing it, and always atomically.

The window owns the widgets and the open lecture; this owns what these menu items do."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from player.core.library import Library, LibraryError
from player.core.media import looks_audio_only
from player.core.safe_files import OutputRefused, check_output, write_atomic
from player.core.transcript import Transcript
from player.playback import Playback
from player.ui.annotations import LectureAnnotations
from player.ui.focus import open_window
from player.ui.highlights_panel import HighlightsPanel
from player.ui.jobs import JobControl, LongJob
from player.ui.plain_dialogs import ask_yes_no

if TYPE_CHECKING:
    # The windows and exports are imported when first asked for: the reel and export code
    # (ffmpeg plumbing, writers) is ~50 ms the window's start-up does without.
    from player.ui.library_search import LibrarySearchDialog
    from player.ui.library_window import LibraryWindow
    from player.ui.reel_dialog import ReelDialog
    from player.ui.tag_manager import TagManagerDialog

TRANSCRIPT_FILTERS = {"SubRip (*.srt)": "srt", "WebVTT (*.vtt)": "vtt", "Plain text (*.txt)": "txt",
                      "Markdown with timestamps (*.md)": "md"}
HIGHLIGHT_FILTERS = {"Study notes, Markdown (*.md)": "md", "Anki deck (*.apkg)": "apkg",
                     "CSV table (*.csv)": "csv", "JSON (*.json)": "json",
                     "SubRip of the highlighted lines (*.srt)": "srt",
                     "WebVTT of the highlighted lines (*.vtt)": "vtt"}
NO_LIBRARY = "No library is open."


@dataclass(frozen=True)
class OpenFiles:
    """The lecture open in the window: what exports read, and files never written."""

    media_path: str | None = None
    transcript_path: str | None = None
    transcript: Transcript | None = None
    notes_path: str | None = None


class LibraryActions(QObject):
    """Questions go through `ask_save_path` and `confirm`, which tests replace with plain
    functions; the dialogs it opens are kept as attributes (`library_window`, ...)."""

    def __init__(self, annotations: LectureAnnotations, panel: HighlightsPanel, playback: Playback, *,
                 open_files: Callable[[], OpenFiles], status: Callable[[str, int], None],
                 show_error: Callable[[str, str], None], open_media: Callable[..., None],
                 seek_and_play: Callable[[int], None], dialog_parent: QWidget) -> None:
        super().__init__(dialog_parent)
        self._annotations, self._panel, self._playback = annotations, panel, playback
        self._open_files, self._status, self._show_error = open_files, status, show_error
        self._open_media, self._seek_and_play = open_media, seek_and_play
        self._dialog_parent = dialog_parent
        self.ask_save_path: Callable[[str, str, dict], tuple[str, str] | None] = self._ask_save_path
        self.confirm: Callable[[str, str], bool] = lambda title, text: ask_yes_no(dialog_parent, title, text)
        self.export_job = LongJob(self)
        self._exports_under_way = 0
        self.export_job.finished.connect(self._on_export_saved)
        self.export_job.failed.connect(lambda error: self._on_export_ended("The export failed", str(error)))
        self.export_job.cancelled.connect(lambda: self._on_export_ended("", "Export cancelled: nothing was written."))
        self.library_window: LibraryWindow | None = None
        self.tag_manager: TagManagerDialog | None = None
        self.library_search_dialog: LibrarySearchDialog | None = None
        self.reel_dialog: ReelDialog | None = None
        panel.export_requested.connect(self.export_highlights)
        panel.reel_requested.connect(lambda: self.export_reel(from_tab=True))

    # ----- which library ---------------------------------------------------------------

    def offer_another_library(self) -> None:
        """The library could not be opened: say why, and let the learner pick another file
        (the damaged one is never overwritten)."""
        box = QMessageBox(QMessageBox.Icon.Warning, "The library could not be opened",
                          f"{self._annotations.open_error}\n\nYou can choose another library file, or go on "
                          "without one (highlights are then not saved).", QMessageBox.StandardButton.NoButton,
                          self._dialog_parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        choose = box.addButton("Choose another library…", QMessageBox.ButtonRole.AcceptRole)
        fresh = box.addButton("Keep it aside, start a new one", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Go on without", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is fresh:
            self.start_new_library_in_place()
        elif box.clickedButton() is choose:
            path, _ = QFileDialog.getSaveFileName(self._dialog_parent, "Library file",
                                                  str(Path.home() / "lectures.sqlite"),
                                                  "Library (*.sqlite *.db);;All files (*)",
                                                  options=QFileDialog.Option.DontConfirmOverwrite)
            if path:
                self.switch_library(Path(path))

    def start_new_library_in_place(self) -> bool:
        """Rename the file that could not be opened and start a new library where it was."""
        path = self._annotations.library_path
        if path is None or not self._annotations.open_library(path, move_damaged_aside=True):
            self._status(self._annotations.open_error or NO_LIBRARY, 8000)
            return False
        moved = self._annotations.library.moved_aside
        self._show_error("A new library was started",
                         f"The old file was kept, renamed to {moved}." if moved else f"Library: {path}")
        self._reopen_lecture()
        return True

    def switch_library(self, path: Path) -> bool:
        opened = self._annotations.open_library(path)
        self._status(f"Library: {path}" if opened else self._annotations.open_error, 8000)
        if opened:
            self._reopen_lecture()
        return opened

    def _reopen_lecture(self) -> None:
        files = self._open_files()
        if files.media_path:
            self._annotations.open_lecture(files.media_path, files.transcript)

    # ----- the library's windows -------------------------------------------------------

    def _library_or_say(self) -> bool:
        if not self._annotations.available:
            self._status(NO_LIBRARY, 4000)
        return self._annotations.available

    # Each window opens with the keyboard in it; once it has opened a lecture it closes,
    # so the lecture is not left behind it.

    def show_library(self) -> None:
        if self._library_or_say():
            from player.ui.library_window import LibraryWindow

            window = LibraryWindow(self._annotations.library, self._dialog_parent)
            window.open_requested.connect(lambda path: (window.close(), self._open_media(path)))
            open_window(window, window.filter)
            self.library_window = window

    def manage_tags(self) -> None:
        if self._library_or_say():
            from player.ui.tag_manager import TagManagerDialog

            dialog = TagManagerDialog(self._annotations, self._dialog_parent)
            open_window(dialog)
            self.tag_manager = dialog

    def search_library(self) -> None:
        if self._library_or_say():
            from player.ui.library_search import LibrarySearchDialog

            dialog = LibrarySearchDialog(self._annotations.library.path, self._dialog_parent)
            dialog.open_requested.connect(lambda path, ms: (dialog.close(), self.open_at(path, ms)))
            open_window(dialog, dialog.field)
            self.library_search_dialog = dialog

    def open_at(self, media_path: str, ms: int) -> None:
        """Play a lecture from a moment: seek now if it is open, else once it is."""
        open_now = self._open_files().media_path
        if open_now and os.path.abspath(media_path) == open_now:
            self._seek_and_play(ms)
        elif os.path.exists(media_path):
            self._open_media(media_path, start_ms=ms)
        else:
            self._show_error("The lecture has moved", f"{media_path}: the file is not there any more. "
                                                      "Library ▸ Lectures can relink it.")

    # ----- writing files ---------------------------------------------------------------

    def protected_paths(self) -> dict[Path, str]:
        """The learner's files no export may write onto, each with what it is."""
        owned: dict[Path, str] = {}
        library = self._annotations.library
        if library is not None:
            try:
                owned.update(library.owned_paths())
            except LibraryError:
                owned[library.path] = "your library"  # unreadable now, but still theirs
        files = self._open_files()
        for path, what in ((files.media_path, "the lecture's media"),
                           (files.transcript_path, "the lecture's transcript"),
                           (files.notes_path, "the lecture's notes")):
            if path:
                owned[Path(path)] = what
        return owned

    def checked_output(self, path: str, extension: str) -> Path | None:
        """The file to write for a name the save dialog returned, or None (and a message
        naming the file and why) when it is one of the learner's own files. The dialog
        confirmed replacing the name it returned; a name we completed with `extension`
        was not confirmed, so replacing it is asked here."""
        confirmed = bool(Path(path).suffix)
        if not confirmed:
            path += extension
        try:
            target = check_output(path, protected=self.protected_paths(), force=True)
        except OutputRefused as refusal:
            self._show_error("Not saved", str(refusal))
            return None
        if not confirmed and target.exists() and not self.confirm(
                "Replace the file?", f"{target} exists already. Replace it?"):
            return None
        return target

    def _ask_save_path(self, title: str, suggestion: str, filters: dict[str, str]) -> tuple[str, str] | None:
        path, chosen = QFileDialog.getSaveFileName(self._dialog_parent, title, suggestion, ";;".join(filters))
        return (path, filters.get(chosen, next(iter(filters.values())))) if path else None

    def _last_folder(self) -> str:
        media = self._open_files().media_path
        return str(Path(media).parent) if media else str(Path.home())

    def export_transcript(self) -> None:
        """Save the transcript as SubRip, WebVTT, plain text or Markdown."""
        files = self._open_files()
        if files.transcript is None:
            self._status("No transcript to export yet.", 4000)
            return
        stem = Path(files.media_path or files.transcript_path or "transcript").stem
        chosen = self.ask_save_path("Export the transcript", str(Path(self._last_folder()) / f"{stem}.srt"),
                                    TRANSCRIPT_FILTERS)
        if chosen:
            self.save_transcript(*chosen)

    def save_transcript(self, path: str, kind: str) -> bool:
        from player.core.formats.writers import WRITERS

        write, extension = WRITERS[kind]
        target = self.checked_output(path, extension)
        if target is None:
            return False
        try:
            write_atomic(target, write(self._open_files().transcript))
        except OSError as error:
            self._show_error("Cannot save the transcript", f"{target}: {error.strerror or error}")
            return False
        self._status(f"Saved {target}", 5000)
        return True

    def export_highlights(self) -> None:
        """Study notes, tables, subtitles or an Anki deck of the highlights the Highlights
        tab shows (its filters apply)."""
        if self._annotations.lecture is None or not self._annotations.highlights:
            self._status("No highlights to export in this lecture yet.", 4000)
            return
        if not self._panel.shown_highlights():
            self._status("The Highlights tab's filters show no highlight: nothing to export.", 5000)
            return
        stem = Path(self._open_files().media_path or "lecture").stem
        chosen = self.ask_save_path("Export the highlights", str(Path(self._last_folder()) / f"{stem} highlights.md"),
                                    HIGHLIGHT_FILTERS)
        if chosen:
            self.start_highlight_export(*chosen)

    def start_highlight_export(self, path: str, kind: str) -> bool:
        """Write the export off the GUI thread; False if the path was refused."""
        target = self.checked_output(path, f".{kind}")
        if target is None:
            return False
        panel = self._panel
        tag, color = panel.tag_filter.currentData(), panel.color_filter.currentData()
        words = panel.text_filter.text().strip()
        shown = {highlight.id for highlight in panel.shown_highlights()}
        library_path, lecture_id = self._annotations.library.path, self._annotations.lecture.id

        from player.core.exports import NothingToExport, collect, export

        def work(control: JobControl) -> Path:
            # Its own connection in the worker: an Anki deck cuts an audio clip per card.
            with Library.open(library_path, check_integrity=False) as library:
                study = collect(library, lecture_id, tags=[tag] if tag else [], color=color)
                # What the tab shows: its words filter too (as of the moment Export was asked).
                study = replace(study, highlights=[h for h in study.highlights if h.id in shown],
                                filters=study.filters + ((f"words {words!r}",) if words else ()))
                if not study.highlights:
                    raise NothingToExport("nothing to export: the highlights shown were removed meanwhile")
                data = export(study, kind)
            control.raise_if_cancelled()  # the window is closing: write nothing
            return write_atomic(target, data)

        self._status(f"Exporting {target.name}…", 0)
        self._exports_under_way += 1
        self.export_job.start(work)
        return True

    def _on_export_saved(self, path: Path) -> None:
        self._exports_under_way -= 1
        if self._exports_under_way:   # "Saved" is for the last one: the status bar still says what runs
            self._status(f"{path.name} is ready; still exporting…", 0)
        else:
            self._status(f"Saved {path}", 8000)

    def _on_export_ended(self, title: str, message: str) -> None:
        self._exports_under_way -= 1
        if title:
            self._show_error(title, message)
        else:
            self._status(message, 8000)

    def export_reel(self, from_tab: bool = False) -> None:
        """One video (or audio) of the highlighted moments, with chapters. From the
        Highlights tab's Reel… button, what the tab shows comes first."""
        highlights, files = self._annotations.highlights, self._open_files()
        if self._annotations.lecture is None or not highlights or not files.media_path:
            self._status("No highlights to put in a reel yet.", 4000)
            return
        everything = ("All, in time order", list(highlights))
        shown = ("Shown in the Highlights tab, in its order", self._panel.shown_highlights())
        choices = dict([shown, everything] if from_tab else [everything, shown])
        selected = self._panel.selected_highlights()
        if selected:
            choices["Selected in the Highlights tab"] = selected
        from player.ui.reel_dialog import ReelDialog

        audio_only = not self._playback.has_video and looks_audio_only(files.media_path)
        dialog = ReelDialog(files.media_path, audio_only, choices, files.transcript, self._playback.duration_ms,
                            self._dialog_parent, protected=self.protected_paths())
        dialog.reel_saved.connect(lambda path: (dialog.close(), self._status(f"Saved the reel: {path}", 10_000)))
        open_window(dialog)
        self.reel_dialog = dialog
