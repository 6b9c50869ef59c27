"""A second transcript beside the main one (a translation, human captions beside automatic
ones), its lines under the main lines; and captions on the video (C).

The second transcript is kept in the library with the lecture and comes back when it
reopens. "Swap main and second" swaps the display only, remembered per lecture (QSettings,
keyed by the lecture's fingerprint): the rows stay the main transcript's lines (their
times, highlights and following), with the second's text on top and the main's under it.
The library is not swapped: the main transcript carries corrections, word times, the
transcription's state and the search index, which a second transcript has no place for.
While swapped the lines cannot be edited (the words on top are not the main transcript's).
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QMenu

from player.core.alignment import Alignment, align
from player.core.captions import captions_srt
from player.core.formats import load
from player.core.library import LibraryError
from player.core.safe_files import write_atomic
from player.core.transcript import Segment, Transcript
from player.ui.jobs import ShortJob
from player.ui.main_window import TRANSCRIPT_FILTER, describe_failure

SHOWN_KEY = "second_transcript/shown"
CAPTIONS_KEY = "captions/on"
CAPTIONS_SECOND_KEY = "captions/second"
# libVLC 3 keeps every captions file it is given as a subtitle track until the media closes:
# a change of words (corrections, lines transcribed) is shown once the changes pause this
# long, and at the latest this long after the first, so a burst of edits costs one track.
CAPTIONS_SETTLE_MS = 1500
CAPTIONS_LATEST_MS = 20_000


def _on_top_key(fingerprint: str) -> str:
    return f"second_transcript/on_top/{fingerprint}"


class _CaptionsFiles:
    """Caption files in a folder of our own in the temp folder (never beside the learner's
    media), removed when the window goes. A new name each time: libVLC reads a file when it
    is added and cannot drop one, so each version is a new track."""

    def __init__(self) -> None:
        self._folder: Path | None = None
        self._count = 0

    def write(self, text: str) -> Path:
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="transcript-player-captions-"))
            weakref.finalize(self, shutil.rmtree, self._folder, True)
        self._count += 1
        path = self._folder / f"captions-{self._count}.srt"
        write_atomic(path, text.encode("utf-8"))
        for old in self._folder.glob("captions-*.srt"):
            if old != path:
                old.unlink(missing_ok=True)
        return path


class SecondTranscript(QObject):
    """File ▸ Transcript ▸ Open second transcript…, Study ▸ show / swap / hide either side,
    View ▸ Captions on the video (C)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.view = window.transcript_view
        self.settings = window.settings
        self.second: Transcript | None = None
        self.alignment: Alignment | None = None
        self._media: str | None = None          # the lecture the second transcript belongs to
        self._path: str | None = None           # the file being read
        self._aligned: tuple | None = None      # (main, second) the alignment is for
        self._display: Transcript | None = None  # the rows shown while swapped
        self._hidden = {"main": False, "second": False}
        self._captions = _CaptionsFiles()
        self._captions_key: tuple | None = None  # what the captions shown were made from
        self.captions_path: Path | None = None
        self.job = ShortJob(self)
        self._refresh_soon = QTimer(self, singleShot=True, interval=0)
        self._captions_settle = QTimer(self, singleShot=True, interval=CAPTIONS_SETTLE_MS)
        self._captions_latest = QTimer(self, singleShot=True, interval=CAPTIONS_LATEST_MS)
        self.captions_written = 0   # caption files handed to the player (tracks libVLC keeps)
        self._init_actions()
        self._init_menus()
        self._connect_signals()
        self._update_actions()

    # --- construction -------------------------------------------------------------------
    def _init_actions(self) -> None:
        add = self.window.add_action
        settings = self.settings
        self.actions = {
            "open": add("open_second_transcript", "Open &second transcript…", [], self.choose_file,
                        group="Study"),
            "show": add("show_second_transcript", "Show second transcript", [], self.set_shown,
                        checkable=True, group="Study"),
            "swap": add("swap_transcripts", "Swap main and second", [], self.set_swapped, checkable=True,
                        group="Study"),
            "hide_main": add("hide_main_transcript", "Hide main transcript", [],
                             lambda hidden: self.set_hidden("main", hidden), checkable=True, group="Study"),
            "hide_second": add("hide_second_transcript", "Hide second transcript", [],
                               lambda hidden: self.set_hidden("second", hidden), checkable=True, group="Study"),
            "remove": add("remove_second_transcript", "Remove second transcript", [], self.remove, group="Study"),
            "captions": add("captions", "Captions on the video", ["C"], self.set_captions, checkable=True,
                            group="View"),
            "captions_second": add("captions_second", "Captions include the second transcript", [],
                                   self.set_captions_second, checkable=True, group="View"),
        }
        self.actions["show"].setChecked(settings.value(SHOWN_KEY, True, type=bool))
        self.actions["captions"].setChecked(settings.value(CAPTIONS_KEY, False, type=bool))
        self.actions["captions_second"].setChecked(settings.value(CAPTIONS_SECOND_KEY, True, type=bool))

    def _init_menus(self) -> None:
        window, acts = self.window, self.actions
        transcript_menu = next((a.menu() for a in window.menuBar().actions()
                                if isinstance(a.menu(), QMenu) and a.text() == "&Transcript"), window.study_menu)
        transcript_menu.addSeparator()
        transcript_menu.addAction(acts["open"])
        transcript_menu.addAction(acts["remove"])
        study = window.study_menu
        study.addSeparator()
        for name in ("show", "swap", "hide_main", "hide_second"):
            study.addAction(acts[name])
        view = window.view_menu
        view.addSeparator()
        view.addAction(acts["captions"])
        view.addAction(acts["captions_second"])

    def _connect_signals(self) -> None:
        self.job.finished.connect(self._on_loaded)
        self.job.failed.connect(self._on_failed)
        self._refresh_soon.timeout.connect(self.refresh)
        for timer in (self._captions_settle, self._captions_latest):
            timer.timeout.connect(lambda: self._update_captions(settled=True))
        model = self.view.segment_model
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.dataChanged):
            signal.connect(lambda *_: self._refresh_soon.start())
        # Connected after the window's own: by then the view holds the lines as edited.
        self.window.annotations.transcript_edited.connect(self._on_main_changed)
        self.window.transcriber.lines_added.connect(self._on_main_changed)
        QApplication.instance().focusChanged.connect(self._refuse_editing_while_swapped)

    # --- opening ------------------------------------------------------------------------
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Open a second transcript", self.window._last_folder(),
                                              TRANSCRIPT_FILTER)
        if path:
            self.open(path)

    def open(self, path: str) -> None:
        """Read a second transcript for the lecture open now, off the GUI thread."""
        if self.window.transcript is None:
            self._status("Open the lecture's transcript first: the second one is shown under its lines")
            return
        self._path = path = str(Path(path).absolute())
        self._status(f"Reading {Path(path).name}…", 0)
        self.job.start(lambda: load(path))

    def _on_loaded(self, transcript: Transcript) -> None:
        if not transcript.segments:
            self._on_failed(ValueError(f"{self._path}: no timed lines to show under the transcript"))
            return
        self._attach(transcript)
        lecture = self.window.annotations.lecture
        kept = ""
        if lecture is not None:
            try:
                self.window.annotations.library.set_second_transcript(lecture.id, transcript)
                kept = ", kept with the lecture"
            except (LibraryError, KeyError) as error:
                kept = f", not kept: {error}"
        self.set_shown(True)
        self.refresh()
        self._status(f"Second transcript: {Path(transcript.source or self._path or '').name}, "
                     f"{len(transcript):,} lines{kept}{self._dropped_note()}", 10000)

    def _on_failed(self, error: Exception) -> None:
        self._status("The second transcript could not be read; the transcript shown stays.", 10000)
        self.window._show_error("Cannot read the second transcript", describe_failure(error, self._path or ""))

    def lecture_ready(self, lecture) -> None:
        """The lecture is open from the library: its second transcript comes back with it."""
        library = self.window.annotations.library
        try:
            stored = library.second_transcript(lecture.id) if library is not None else None
        except LibraryError as error:
            self._status(f"Library: {error}", 8000)
            stored = None
        if stored is not None:
            self._attach(stored)
        elif self.second is not None and self._media == self.window.media_path:
            # Read while the lecture was being imported: keep it now.
            try:
                library.set_second_transcript(lecture.id, self.second)
            except (LibraryError, KeyError) as error:
                self._status(f"Library: {error}", 8000)
        else:
            self._forget()
        self.refresh()

    def _attach(self, transcript: Transcript) -> None:
        self.second = transcript
        self._media = self.window.media_path
        self._aligned = None

    def remove(self) -> None:
        """Forget the lecture's second transcript (its file stays)."""
        lecture = self.window.annotations.lecture
        if lecture is not None:
            try:
                self.window.annotations.library.remove_second_transcript(lecture.id)
            except LibraryError as error:
                self._status(f"Library: {error}", 8000)
                return
        self._forget()
        self.refresh()
        self._status("Second transcript removed", 5000)

    def _forget(self) -> None:
        self.second = None
        self.alignment = None
        self._media = None
        self._aligned = None

    # --- what is shown --------------------------------------------------------------------
    def set_shown(self, shown: bool) -> None:
        self.settings.setValue(SHOWN_KEY, bool(shown))
        self.actions["show"].setChecked(bool(shown))
        self.refresh()

    def set_swapped(self, swapped: bool) -> None:
        lecture = self.window.annotations.lecture
        if lecture is None:
            self.actions["swap"].setChecked(False)
            return
        if swapped:
            self.settings.setValue(_on_top_key(lecture.fingerprint), True)
        else:
            self.settings.remove(_on_top_key(lecture.fingerprint))
        self.refresh()

    def set_hidden(self, side: str, hidden: bool) -> None:
        """Hide one side to test oneself: its words give way to a soft bar, rows stay put."""
        self._hidden[side] = bool(hidden)
        self.refresh()

    @property
    def swapped(self) -> bool:
        """The second transcript's text is on top (a display choice kept per lecture)."""
        lecture = self.window.annotations.lecture
        return (self._showing() and lecture is not None
                and self.settings.value(_on_top_key(lecture.fingerprint), False, type=bool))

    def _showing(self) -> bool:
        return (self.second is not None and self.window.transcript is not None
                and self.actions["show"].isChecked())

    def refresh(self) -> None:
        """Bring the view (and the captions) in line with the transcripts and the choices."""
        window, view = self.window, self.view
        if self.second is not None and self._media != window.media_path:
            self._forget()   # another lecture is open
        main = window.transcript
        if self._showing():
            key = (main, self.second)
            if self._aligned != key:
                self.alignment = align(main.segments, self.second.segments)
                self._aligned, self._display = key, None
        swapped = self.swapped
        shown_model = view.segment_model.transcript
        if swapped:
            if self._display is None or len(self._display) != len(main):
                self._display = Transcript(
                    [Segment(s.start_ms, s.end_ms, line, s.speaker) for s, line in zip(main.segments,
                                                                                        self.alignment.lines)],
                    title=main.title, source=main.source, source_url=main.source_url)
            if shown_model is not self._display:
                view.show_other_words(self._display)
            view.set_second_lines([s.text for s in main.segments])
            view.set_sides_shown(not self._hidden["second"], not self._hidden["main"])
        else:
            if shown_model is not None and shown_model is self._display and main is not None:
                view.show_other_words(main)   # back from swapped
            self._display = None
            view.set_second_lines(self.alignment.lines if self._showing() else None)
            view.set_sides_shown(not self._hidden["main"], not (self._hidden["second"] and self._showing()))
        self._update_actions()
        self._update_captions()

    def _on_main_changed(self, *_args) -> None:
        """A correction (made, undone or redone) or lines heard: while swapped the window took
        them from the rows shown, whose words are the second transcript's. The library holds
        the main transcript as it now is: it is shown again from there."""
        if self._display is None:
            return
        window, lecture = self.window, self.window.annotations.lecture
        try:
            main = window.annotations.library.transcript(lecture.id) if lecture is not None else None
        except LibraryError:
            main = None
        if main is None:
            return
        window.transcript = main
        window.sync.set_transcript(main)
        self._display = None
        self.view.show_other_words(main)
        self.refresh()

    def _refuse_editing_while_swapped(self, _old, new) -> None:
        if self._display is None or not isinstance(new, QLineEdit) or not self.view.isAncestorOf(new):
            return
        QTimer.singleShot(0, self.view.close_line_editor)
        self._status("The words on top are the second transcript's: swap back (Study menu) to correct "
                     "the transcript", 6000)

    def _update_actions(self) -> None:
        has_second = self.second is not None
        acts = self.actions
        for name in ("show", "remove", "hide_second", "captions_second"):
            acts[name].setEnabled(has_second)
        acts["swap"].setEnabled(has_second and self.window.annotations.lecture is not None)
        acts["swap"].setChecked(self.swapped)
        acts["hide_main"].setChecked(self._hidden["main"])
        acts["hide_second"].setChecked(self._hidden["second"])
        for name in ("edit_line", "split_line"):
            if name in self.window.actions_by_name:
                self.window.actions_by_name[name].setEnabled(self._display is None)

    # --- captions on the video ------------------------------------------------------------
    def set_captions(self, on: bool) -> None:
        self.settings.setValue(CAPTIONS_KEY, bool(on))
        self.actions["captions"].setChecked(bool(on))
        self._update_captions()
        if on and self.window.transcript is None:
            self._status("Captions: no transcript yet", 5000)

    def set_captions_second(self, on: bool) -> None:
        self.settings.setValue(CAPTIONS_SECOND_KEY, bool(on))
        self.actions["captions_second"].setChecked(bool(on))
        self._update_captions()

    def captions_cues(self) -> list[tuple[int, int, list[str]]]:
        """What the captions show: each line of the main transcript with, when wanted, the
        second transcript's under it (in the order shown in the transcript), hidden sides
        left out (testing oneself)."""
        main = self.window.transcript
        if main is None:
            return []
        second = (self.alignment.lines if self._showing() and self.actions["captions_second"].isChecked()
                  else [""] * len(main))
        cues = []
        for segment, under in zip(main.segments, second):
            sides = {"main": segment.text, "second": under}
            order = ("second", "main") if self.swapped else ("main", "second")
            cues.append((segment.start_ms, segment.end_ms, [sides[side] for side in order if not self._hidden[side]]))
        return cues

    def _update_captions(self, settled: bool = False) -> None:
        """Captions as the transcripts and choices are now: at once for a choice (C, a side
        hidden, swapped, another lecture); for changed words once they settle (`settled`)."""
        playback = self.window.playback
        if not self.actions["captions"].isChecked() or self.window.transcript is None:
            self._stop_captions_timers()
            if self._captions_key is not None:
                playback.show_captions(None)
            self._captions_key = None
            return
        # What the captions are made of, by identity: a new transcript object for each edit.
        key = (playback.media_path, self.window.transcript, self.alignment if self._showing() else None,
               self.swapped, tuple(self._hidden.values()), self.actions["captions_second"].isChecked())
        shown = self._captions_key
        if shown is not None and all(a is b or a == b for a, b in zip(key, shown)):
            self._stop_captions_timers()   # back to what is shown (an edit undone)
            return
        words_only = shown is not None and key[0] == shown[0] and key[3:] == shown[3:]
        if words_only and not settled:
            self._captions_settle.start()   # again from now
            if not self._captions_latest.isActive():
                self._captions_latest.start()
            return
        self._stop_captions_timers()
        cues = self.captions_cues()
        try:
            self.captions_path = self._captions.write(captions_srt(cues))
        except OSError as error:
            self._status(f"Captions could not be written: {error}", 8000)
            return
        if playback.show_captions(str(self.captions_path)):
            self._captions_key = key
            self.captions_written += 1
        else:
            self._status("Captions on the video need libVLC (VLC 3)", 8000)

    def _stop_captions_timers(self) -> None:
        self._captions_settle.stop()
        self._captions_latest.stop()

    def _dropped_note(self) -> str:
        dropped = self.alignment.dropped if self.alignment is not None else 0
        return f" · {dropped} line(s) far from any line of the transcript not shown" if dropped else ""

    def _status(self, message: str, ms: int = 5000) -> None:
        self.window.statusBar().showMessage(message, ms)
