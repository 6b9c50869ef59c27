"""The main window: a list of parts (video, transport, transcript) and the wires
between them. Parsing, playback and timing live in the parts, not here."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (QApplication, QFileDialog, QHBoxLayout, QLabel, QMainWindow, QMessageBox,
                               QSplitter, QStyle, QTabWidget, QToolButton, QVBoxLayout, QWidget)

from player.core.formats import ChoiceNeeded, LoadOptions, TranscriptError, load
from player.core.media import find_sibling_transcript, is_media_file, looks_audio_only
from player.core.notes import LectureNotes, link_notes, looks_like_notes, read_notes
from player.core.safe_files import InputRefused, check_input
from player.core.timecode import format_clock
from player.core.transcript import Transcript
from player.logs import log_dir
from player.playback import Playback, PlaybackState
from player.ui.about import AboutDialog, open_log_folder
from player.ui.annotate_hint import AnnotateHint
from player.ui.annotating import AnnotatingActions
from player.ui.annotations import COLOR_NAMES, LectureAnnotations
from player.ui.dialogs import ShortcutsDialog
from player.ui.find_bar import FindBar
from player.ui.focus import focus_returns, guard_typing
from player.ui.highlights_panel import HighlightsPanel
from player.ui.jobs import ShortJob, cancel_long_jobs, wait_for_long_jobs
from player.ui.library_actions import LibraryActions, OpenFiles
from player.ui.notes_panel import NotesPanel
from player.ui.plain_dialogs import ask_item, menu_text, plain_to_rich
from player.ui.sync import PlaybackSync
from player.ui.transcript_view import TranscriptView
from player.ui.transport import SPEEDS, TransportBar
from player.ui.video_pane import VideoPane

APP_NAME = "Transcript Player"
STEP_MS = 5000
MAX_RECENT = 10
# How long closing waits for cancelled reels and exports to remove their temporary files.
CLOSE_WAIT_MS = 10_000
MEDIA_FILTER = ("Lectures (*.mp4 *.m4v *.mkv *.webm *.mov *.avi *.mp3 *.m4a *.wav *.ogg *.flac *.opus);;"
                "All files (*)")
NO_TRANSCRIPT = "No transcript: File ▸ Open transcript (Ctrl+Shift+O), or drop one here"
TRANSCRIPT_FILTER = ("Transcripts (*.srt *.vtt *.txt *.json *.jsonl *.csv *.tsv *.sbv *.ass *.ssa *.ttml *.dfxp *.xml "
                     "*.eaf *.TextGrid);;All files (*)")


def looks_like_notes_file(path: str) -> bool:
    """A quick look at the head of a small text file: is it a summary page? (Only a
    regular file is opened: a pipe dropped on the window would block it.)"""
    try:
        check_input(path)
        with open(path, "rb") as file:
            head = file.read(64 * 1024)
    except (OSError, InputRefused):
        return False
    return looks_like_notes(head.decode("utf-8", errors="replace"))


def describe_failure(error: Exception, path: str) -> str:
    """A transcript that could not be read, in one line naming the file."""
    if isinstance(error, TranscriptError):
        return str(error)
    return f"{path}: could not be read ({type(error).__name__}: {error})"


def highlight_label(highlight) -> str:
    """What a highlighted line shows of it: a mark for a note, then its tags."""
    parts = (["✎"] if highlight.note else []) + [f"#{tag}" for tag in highlight.tags]
    return " ".join(parts)


class MainWindow(QMainWindow):
    def __init__(self, playback: Playback, settings: QSettings, notice: str | None = None,
                 library_path: Path | None = None) -> None:
        super().__init__()
        guard_typing(QApplication.instance())   # typing in a text field never fires H, N, T...
        self.playback = playback
        self.settings = settings
        self.annotations = LectureAnnotations(library_path, self)
        self._pending_seek_ms: int | None = None  # where a library search asked to go
        self.transcript: Transcript | None = None
        self.media_path: str | None = None
        self.transcript_path: str | None = None
        self.notes_path: str | None = None
        self.sync = PlaybackSync(playback, self)
        self.notes: LectureNotes | None = None
        self.transcript_job = ShortJob(self)
        self.notes_job = ShortJob(self)
        self.linking_job = ShortJob(self)
        self._init_actions()
        self._init_ui()
        self.annotating = AnnotatingActions(
            self.annotations, self.transcript_view, self.highlights_panel, self.playback, self.settings,
            status=lambda message, ms: self.statusBar().showMessage(message, ms),
            seek=self.seek, seek_and_play=self.seek_and_play, dialog_parent=self)
        self.library_actions = LibraryActions(
            self.annotations, self.highlights_panel, self.playback,
            open_files=lambda: OpenFiles(self.media_path, self.transcript_path, self.transcript, self.notes_path),
            status=lambda message, ms: self.statusBar().showMessage(message, ms), show_error=self._show_error,
            open_media=self.open_media, seek_and_play=self.seek_and_play, dialog_parent=self)
        self._init_menus()
        self._connect_signals()
        self.setAcceptDrops(True)
        self.setWindowTitle(APP_NAME)
        self.resize(1280, 760)
        self._restore_settings()
        self.annotating.show_color_meanings()
        if notice or self.annotations.open_error:
            self.statusBar().showMessage(" ".join(filter(None, (notice, self.annotations.open_error))))

    # --- construction ---------------------------------------------------------------
    def _init_actions(self) -> None:
        style = self.style()
        icon = lambda pixmap: style.standardIcon(pixmap)  # noqa: E731
        SP = QStyle.StandardPixmap
        self.actions_by_name: dict[str, QAction] = {}

        def action(name, text, shortcuts, slot, pixmap=None, checkable=False, group="Playback"):
            act = QAction(text, self)
            act.setObjectName(name)
            if pixmap is not None:
                act.setIcon(icon(pixmap))
            act.setShortcuts([QKeySequence(s) for s in shortcuts])
            act.setCheckable(checkable)
            act.setProperty("group", group)
            if shortcuts:
                act.setToolTip(f"{text}  ({' / '.join(shortcuts)})")
            act.triggered.connect(slot)
            self.addAction(act)  # shortcuts work with the menu bar hidden (full screen)
            self.actions_by_name[name] = act
            return act

        action("open_media", "Open &media…", ["Ctrl+O"], self.choose_media, SP.SP_DialogOpenButton, group="File")
        action("open_transcript", "Open &transcript…", ["Ctrl+Shift+O"], self.choose_transcript, group="File")
        action("open_notes", "Open lecture &notes…", [], self.choose_notes, group="File")
        action("export_transcript", "&Export transcript…", ["Ctrl+E"],
               lambda: self.library_actions.export_transcript(), group="File")
        action("export_highlights", "Export &highlights…", ["Ctrl+Shift+E"],
               lambda: self.library_actions.export_highlights(), group="File")
        action("export_reel", "Highlight &reel…", ["Ctrl+R"],
               lambda: self.library_actions.export_reel(), group="File")
        action("quit", "&Quit", ["Ctrl+Q"], self.close, group="File")
        action("play", "Play", ["Space", "K"], self.playback.toggle_play, SP.SP_MediaPlay)
        action("back", "Back 5 s", ["Left"], lambda: self.step(-STEP_MS), SP.SP_MediaSeekBackward)
        action("forward", "Forward 5 s", ["Right"], lambda: self.step(STEP_MS), SP.SP_MediaSeekForward)
        action("previous_line", "Previous line", ["Ctrl+Up"], lambda: self.step_line(-1), SP.SP_MediaSkipBackward)
        action("next_line", "Next line", ["Ctrl+Down"], lambda: self.step_line(1), SP.SP_MediaSkipForward)
        action("slower", "Slower", ["<"], lambda: self.change_speed(-1))
        action("faster", "Faster", [">"], lambda: self.change_speed(1))
        action("normal_speed", "Normal speed", ["="], lambda: self.set_rate(1.0))
        action("volume_up", "Volume up", ["+"], lambda: self.playback.set_volume(self.playback.volume + 5))
        action("volume_down", "Volume down", ["-"], lambda: self.playback.set_volume(self.playback.volume - 5))
        action("mute", "Mute", ["M"], lambda on: self.playback.set_muted(on), SP.SP_MediaVolume, checkable=True)
        action("full_screen", "Full screen", ["F", "F11"], self.toggle_full_screen, SP.SP_TitleBarMaxButton,
               group="View")
        action("leave_full_screen", "Leave full screen", ["Esc"], lambda: self.set_full_screen(False), group="View")
        self.actions_by_name["leave_full_screen"].setEnabled(False)
        action("follow", "Back to current line", ["Ctrl+L"], lambda: self.transcript_view.resume_following(),
               group="Transcript")
        # One label on the button, checked or not; the menu says what it does.
        action("paragraphs", "Read as paragraphs", ["Ctrl+P"], lambda on: self.set_paragraph_mode(on),
               checkable=True, group="Transcript").setIconText("¶ Paragraphs")
        action("find", "Find in transcript", ["Ctrl+F"], self.open_find_bar, group="Transcript")
        action("highlight", "Highlight the selected lines", ["H"], lambda: self.annotating.highlight_selection(None),
               group="Annotate")
        for color, name in COLOR_NAMES.items():
            action(f"color_{color}", f"Highlight in {name}", [str(color)],
                   lambda _checked=False, c=color: self.annotating.highlight_selection(c), group="Annotate")
        action("name_colors", "Name the colours…", [], lambda: self.annotating.name_colors(), group="Annotate")
        action("play_highlights", "Play highlights", ["Ctrl+H"], lambda on: self.annotating.play_highlights(on),
               checkable=True, group="Playback")
        action("note", "Note on the highlight…", ["N"], lambda: self.annotating.edit_note(), group="Annotate")
        action("tag", "Tag the highlight…", ["T"], lambda: self.annotating.add_tag(), group="Annotate")
        action("previous_highlight", "Previous highlight", ["Alt+Up"], lambda: self.annotating.step_highlight(-1),
               group="Annotate")
        action("next_highlight", "Next highlight", ["Alt+Down"], lambda: self.annotating.step_highlight(1),
               group="Annotate")
        action("mark_in", "Mark in at the playhead", ["["], lambda: self.annotating.mark_in(), group="Annotate")
        action("mark_out", "Mark out and highlight", ["]"], lambda: self.annotating.mark_out(),
               group="Annotate")
        action("search_library", "&Search all lectures…", ["Ctrl+Shift+F"],
               lambda: self.library_actions.search_library(), group="Library")
        action("show_library", "&Lectures…", ["Ctrl+Shift+L"],
               lambda: self.library_actions.show_library(), group="Library")
        action("manage_tags", "&Tags…", [],
               lambda: self.library_actions.manage_tags(), group="Library")
        action("undo", "&Undo", ["Ctrl+Z"], self.undo, group="Annotate")
        action("redo", "&Redo", ["Ctrl+Shift+Z", "Ctrl+Y"], self.redo, group="Annotate")
        action("find_next", "Next match", ["F3"], lambda: self.visit_match(1), group="Transcript")
        action("find_previous", "Previous match", ["Shift+F3"], lambda: self.visit_match(-1), group="Transcript")
        action("shortcuts", "&Keyboard shortcuts", ["F1"], self.show_shortcuts, group="Help")
        action("open_log_folder", "Open &log folder", [], self.open_log_folder, group="Help")
        action("about", "&About", [], self.show_about, group="Help")

    def _init_ui(self) -> None:
        self.video_pane = VideoPane(self.playback)
        self.transport = TransportBar(self.actions_by_name)
        self.transcript_view = TranscriptView()
        self.title_label = QLabel("")
        self.title_label.setObjectName("lectureTitle")
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.title_label.setStyleSheet("font-weight: 600; font-size: 13pt; padding: 8px 10px 2px 10px;")
        # Dataset titles run long: wrap them rather than let them widen the window.
        self.title_label.setWordWrap(True)
        self.title_label.setMinimumWidth(50)
        self.transcript_status = QLabel(NO_TRANSCRIPT)
        self.transcript_status.setObjectName("transcriptStatus")
        self.transcript_status.setTextFormat(Qt.TextFormat.PlainText)
        self.transcript_status.setStyleSheet("color: palette(mid); padding: 0 10px 6px 10px;")
        self.transcript_status.setWordWrap(True)
        self.transcript_status.setMinimumWidth(50)

        media_column = QWidget()
        media_layout = QVBoxLayout(media_column)
        media_layout.setContentsMargins(0, 0, 0, 0)
        media_layout.setSpacing(0)
        media_layout.addWidget(self.video_pane, 1)
        media_layout.addWidget(self.transport)

        self.transcript_panel = QWidget()
        self.transcript_panel.setObjectName("transcriptPanel")
        transcript_layout = QVBoxLayout(self.transcript_panel)
        transcript_layout.setContentsMargins(0, 0, 0, 0)
        transcript_layout.setSpacing(0)
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 8, 0)
        header.addWidget(self.title_label, 1)
        paragraphs_button = QToolButton()
        paragraphs_button.setObjectName("paragraphsButton")
        paragraphs_button.setDefaultAction(self.actions_by_name["paragraphs"])
        paragraphs_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        paragraphs_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header.addWidget(paragraphs_button, 0, Qt.AlignmentFlag.AlignBottom)
        transcript_layout.addLayout(header)
        transcript_layout.addWidget(self.transcript_status)
        self.annotate_hint = AnnotateHint(self.actions_by_name, self.settings)
        transcript_layout.addWidget(self.annotate_hint)
        self.find_bar = FindBar()
        self.find_bar.hide()
        transcript_layout.addWidget(self.find_bar)
        transcript_layout.addWidget(self.transcript_view, 1)

        self.notes_panel = NotesPanel()
        self.side_tabs = QTabWidget()
        self.side_tabs.setObjectName("sideTabs")
        self.side_tabs.setDocumentMode(True)
        self.side_tabs.addTab(self.transcript_panel, "Transcript")
        self.side_tabs.addTab(self.notes_panel, "Notes")
        self.highlights_panel = HighlightsPanel()
        self.side_tabs.addTab(self.highlights_panel, "Highlights")

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(media_column)
        self.splitter.addWidget(self.side_tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        # There from the start: a first message must not push the window's contents up.
        self.statusBar().setObjectName("statusBar")

    def _init_menus(self) -> None:
        acts = self.actions_by_name
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(acts["open_media"])
        file_menu.addAction(acts["open_transcript"])
        file_menu.addAction(acts["open_notes"])
        file_menu.addAction(acts["export_transcript"])
        file_menu.addAction(acts["export_highlights"])
        file_menu.addAction(acts["export_reel"])
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(acts["quit"])
        play_menu = self.menuBar().addMenu("&Playback")
        for name in ("play", "play_highlights", "back", "forward", "previous_line", "next_line", None,
                     "slower", "faster", "normal_speed", None, "volume_up", "volume_down", "mute"):
            play_menu.addSeparator() if name is None else play_menu.addAction(acts[name])
        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(acts["full_screen"])
        view_menu.addAction(acts["follow"])
        view_menu.addAction(acts["paragraphs"])
        view_menu.addSeparator()
        for name in ("find", "find_next", "find_previous"):
            view_menu.addAction(acts[name])
        annotate_menu = self.menuBar().addMenu("&Annotate")
        for name in ("undo", "redo", None, "highlight", "color_1", "color_2", "color_3", "color_4", "color_5", None,
                     "mark_in", "mark_out", None, "note", "tag", None, "previous_highlight", "next_highlight", None,
                     "name_colors"):
            annotate_menu.addSeparator() if name is None else annotate_menu.addAction(acts[name])
        self.library_menu = self.menuBar().addMenu("&Library")
        self.library_menu.addAction(acts["show_library"])
        self.library_menu.addAction(acts["search_library"])
        self.library_menu.addAction(acts["manage_tags"])
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(acts["shortcuts"])
        help_menu.addAction(acts["open_log_folder"])
        help_menu.addAction(acts["about"])

    def _connect_signals(self) -> None:
        playback = self.playback
        playback.state_changed.connect(self._on_state_changed)
        playback.duration_changed.connect(self.transport.set_duration)
        playback.has_video_changed.connect(self._show_picture)
        playback.error.connect(self._on_playback_error)
        playback.title_changed.connect(lambda _title: self._update_title())
        playback.rate_changed.connect(self.transport.show_rate)
        playback.volume_changed.connect(self._on_volume_changed)
        self.sync.time_changed.connect(self.transport.show_time)
        self.sync.time_changed.connect(self.annotating.follow_playback)
        self.sync.current_segment_changed.connect(self.transcript_view.set_current_row)
        self.transport.seek_requested.connect(self.seek)
        self.transport.rate_requested.connect(self.set_rate)
        self.transport.volume_requested.connect(playback.set_volume)
        self.transcript_view.seek_requested.connect(self.seek_and_play)
        self.transcript_view.step_requested.connect(self.step_line)
        self.transcript_view.line_menu_requested.connect(
            lambda position, segment: self.annotating.show_line_menu(position, segment, self.actions_by_name))
        self.transcript_job.finished.connect(self._on_transcript_loaded)
        self.transcript_job.failed.connect(self._on_transcript_failed)
        self.notes_job.finished.connect(self._on_notes_loaded)
        self.notes_job.failed.connect(lambda error: self._show_error("Cannot read the notes", str(error)))
        self.linking_job.finished.connect(self._on_notes_linked)
        self.notes_panel.seek_requested.connect(self.seek_and_play)
        self.find_bar.query_changed.connect(self.find_in_transcript)
        self.find_bar.step_requested.connect(self.visit_match)
        self.find_bar.closed.connect(self.close_find_bar)
        annotations = self.annotations
        annotations.lecture_ready.connect(self._on_lecture_ready)
        annotations.highlights_changed.connect(self._on_highlights_changed)
        self.highlights_panel.seek_requested.connect(self.seek_and_play)
        self.highlights_panel.remove_requested.connect(annotations.remove_highlight)
        self.highlights_panel.edit_note_requested.connect(self.annotating.edit_note)
        self.highlights_panel.tag_requested.connect(self.annotating.add_tag)
        self.annotating.color_meanings_changed.connect(self._show_color_meanings)
        self.annotating.playing_highlights_changed.connect(self.actions_by_name["play_highlights"].setChecked)
        self.highlights_panel.color_requested.connect(annotations.set_color)
        annotations.problem.connect(lambda message: self.statusBar().showMessage(message, 8000))
        undo_stack = annotations.undo_stack
        for name, can_signal, can in (("undo", undo_stack.canUndoChanged, undo_stack.canUndo),
                                      ("redo", undo_stack.canRedoChanged, undo_stack.canRedo)):
            self.actions_by_name[name].setEnabled(can())
            can_signal.connect(self.actions_by_name[name].setEnabled)
        # A step's text can hold a tag name: its "&" is not a mnemonic.
        undo_stack.undoTextChanged.connect(lambda text: self.actions_by_name["undo"].setText(
            f"&Undo {menu_text(text)}" if text else "&Undo"))
        undo_stack.redoTextChanged.connect(lambda text: self.actions_by_name["redo"].setText(
            f"&Redo {menu_text(text)}" if text else "&Redo"))
        # Where the learner is, saved every few seconds while playing and at each pause.
        self._position_timer = QTimer(self, interval=5000)
        self._position_timer.timeout.connect(self._save_position)

    # --- opening ------------------------------------------------------------------
    def open_media(self, path: str, transcript_path: str | None = None, autoplay: bool = True,
                   start_ms: int | None = None) -> None:
        """Open a lecture; its transcript is the one given, or the one beside it. It plays
        from `start_ms` (a search hit) if given, else from where the learner left it."""
        self._save_position()  # of the lecture before
        self._pending_seek_ms = start_ms
        self.media_path = os.path.abspath(path)
        self._remember_recent(self.media_path)
        self.playback.load(self.media_path)
        self._show_picture()
        if transcript_path is None:
            sibling = find_sibling_transcript(path)
            transcript_path = str(sibling) if sibling else None
        self._clear_lecture_text()
        if transcript_path:
            self.open_transcript(transcript_path)  # the library import follows its loading
        else:
            self.annotations.open_lecture(self.media_path, None)
        if autoplay:
            self.playback.play()

    def _clear_lecture_text(self) -> None:
        """A new lecture starts with no transcript or notes of the one before."""
        self.transcript = None
        self.transcript_path = None
        self.notes = None
        self.notes_path = None
        for job in (self.transcript_job, self.notes_job, self.linking_job):
            job.cancel()  # a read still under way belonged to the lecture before
        self.transcript_view.set_transcript(None)
        self.sync.set_transcript(None)
        self.notes_panel.show_empty()
        self.transcript_status.setText(NO_TRANSCRIPT)
        self.annotate_hint.offer(False)
        self._update_title()

    def open_transcript(self, path: str, options: LoadOptions = LoadOptions()) -> None:
        self.transcript_path = path = os.path.abspath(path)
        self.transcript_status.setText(f"Reading {Path(path).name}…")
        self.transcript_job.start(lambda: load(path, options=options))

    def open_notes(self, path: str) -> None:
        self.notes_path = os.path.abspath(path)
        self.notes_job.start(lambda: read_notes(path))

    def choose_notes(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open lecture notes", self._last_folder(),
                                              "Summary pages (*.txt *.md);;All files (*)")
        if path:
            self.open_notes(path)

    def choose_media(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a lecture", self._last_folder(), MEDIA_FILTER)
        if path:
            self.open_media(path)

    def choose_transcript(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a transcript", self._last_folder(), TRANSCRIPT_FILTER)
        if path:
            self.open_transcript(path)

    def _last_folder(self) -> str:
        return str(Path(self.media_path).parent) if self.media_path else str(Path.home())

    def _on_transcript_loaded(self, transcript: Transcript) -> None:
        self.transcript = transcript
        self._link_notes()
        if self.media_path:
            self.annotations.open_lecture(self.media_path, transcript)
        self.transcript_view.set_transcript(transcript)
        self.sync.set_transcript(transcript)
        name = Path(self.transcript_path or "").name
        status = f"{name} · {len(transcript):,} lines · {format_clock(transcript.end_ms)}"
        if transcript.warnings:
            line, problem = transcript.warnings[0]
            status += f" · {len(transcript.warnings)} unreadable cue(s) skipped, first at line {line}: {problem}"
        self.transcript_status.setText(status)
        self.annotate_hint.offer(True)
        self._update_title()

    def _on_transcript_failed(self, error: Exception) -> None:
        path = self.transcript_path or ""
        if isinstance(error, ChoiceNeeded):
            self._ask_choice(path, error)
            return
        if looks_like_notes_file(path):
            self.transcript_status.setText("That file is a lecture summary: it opens in the Notes tab.")
            self.open_notes(path)
            return
        self.transcript_status.setText("The transcript could not be read.")
        self._show_error("Cannot read the transcript", describe_failure(error, path))

    def _ask_choice(self, path: str, choice: ChoiceNeeded) -> None:
        """A dataset with several videos, or an ELAN file with several tiers: ask which."""
        labels = [f"{label} ({choice_id})" if label and label != choice_id else choice_id
                  for choice_id, label in choice.choices]
        what = "video" if choice.kind == "video_id" else choice.kind
        with focus_returns():
            picked = ask_item(self, f"Choose a {what}",
                              f"{Path(path).name} holds {len(labels)} {what}s. Open which one?", labels)
        if picked is None:
            self.transcript_status.setText("No transcript chosen.")
            return
        chosen_id = choice.choices[picked][0]
        self.open_transcript(path, LoadOptions(**{choice.kind: chosen_id}))

    def _show_error(self, title: str, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # file names and contents are untrusted
        box.open()  # not exec(): playback and the window carry on
        self._error_box = box

    def _on_notes_loaded(self, notes: LectureNotes) -> None:
        self.notes = notes
        self.side_tabs.setCurrentWidget(self.notes_panel)
        self._link_notes()

    def _link_notes(self) -> None:
        notes, transcript = self.notes, self.transcript
        if notes is None:
            return
        self.notes_panel.show_notes(notes, None if transcript else [])
        if transcript is not None:
            self.linking_job.start(lambda: (notes, link_notes(notes, transcript)))

    def _on_notes_linked(self, result) -> None:
        notes, links = result
        if notes is self.notes:
            self.notes_panel.show_notes(notes, links)

    def _update_title(self) -> None:
        """The transcript's own title, the media's title tag, or a file's name: the
        media's, or the transcript's when it was opened alone."""
        own_title = (self.transcript.title if self.transcript else None) or self.playback.media_title
        title = own_title or (Path(self.media_path).stem if self.media_path else "") \
            or (Path(self.transcript_path).stem if self.transcript and self.transcript_path else "")
        self.title_label.setText(title)
        self.setWindowTitle(f"{title} — {APP_NAME}" if title else APP_NAME)
        if own_title:
            self.annotations.name_lecture(own_title)   # the Lectures window and search call it so too

    # --- recent files -----------------------------------------------------------------
    def recent_files(self) -> list[str]:
        value = self.settings.value("recent_media", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in value or []]

    def _remember_recent(self, path: str) -> None:
        recent = [path] + [p for p in self.recent_files() if p != path]
        self.settings.setValue("recent_media", recent[:MAX_RECENT])

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.recent_files()
        if not recent:
            self.recent_menu.addAction("No recent lectures").setEnabled(False)
        titles = self.annotations.titles_by_path()
        for path in recent:
            name, title = Path(path).name, titles.get(path)
            shown = f"{title}  —  {name}" if title and title != Path(path).stem else name
            act = self.recent_menu.addAction(menu_text(shown))
            act.setToolTip(plain_to_rich(path))
            act.setEnabled(os.path.exists(path))
            act.triggered.connect(lambda _checked=False, p=path: self.open_media(p))

    # --- playback ------------------------------------------------------------------------
    def seek(self, ms: int) -> None:
        self.playback.seek(ms)
        self.transcript_view.resume_following()
        self.sync.tick()

    def seek_and_play(self, ms: int) -> None:
        self.seek(ms)
        self.playback.play()

    def step(self, delta_ms: int) -> None:
        self.seek(max(0, self.playback.time_ms() + delta_ms))

    def step_line(self, direction: int) -> None:
        if self.transcript:
            target = self.transcript.neighbour_start(self.playback.time_ms(), direction)
            if target is not None:
                self.seek(target)

    def undo(self) -> None:
        self._step_history(self.annotations.undo_stack.undoText(), "Undid", self.annotations.undo_stack.undo)

    def redo(self) -> None:
        self._step_history(self.annotations.undo_stack.redoText(), "Redid", self.annotations.undo_stack.redo)

    def _step_history(self, text: str, done: str, step) -> None:
        """Undo or redo, saying what: a step that fails says why instead (its message follows).
        (The actions are disabled when there is nothing to undo or redo.)"""
        self.statusBar().showMessage(f"{done}: {text[:1].lower()}{text[1:]}", 5000)
        step()

    def set_rate(self, rate: float) -> None:
        self.playback.set_rate(rate)
        self.statusBar().showMessage(f"Speed {rate:g}×", 1500)

    def change_speed(self, direction: int) -> None:
        current = self.playback.rate
        faster = [s for s in SPEEDS if s > current + 1e-6]
        slower = [s for s in SPEEDS if s < current - 1e-6]
        if direction > 0 and faster:
            self.set_rate(faster[0])
        elif direction < 0 and slower:
            self.set_rate(slower[-1])

    # --- the library ------------------------------------------------------------------------
    def _on_lecture_ready(self, lecture) -> None:
        """Back where the learner left off, unless that was the very start or end."""
        self._update_title()   # the library learns the title the window shows
        if self._pending_seek_ms is not None:
            self.seek_and_play(self._pending_seek_ms)
            self._pending_seek_ms = None
            return
        position = lecture.last_position_ms
        duration = lecture.duration_ms or self.playback.duration_ms
        if position > 5000 and (not duration or position < duration - 5000):
            self.seek(position)
            self.statusBar().showMessage(f"Resumed at {format_clock(position)}", 5000)
        if self.playback.duration_ms:
            self.annotations.library.set_duration(lecture.id, self.playback.duration_ms)

    def _save_position(self) -> None:
        if self.playback.state in (PlaybackState.PLAYING, PlaybackState.PAUSED, PlaybackState.ENDED):
            self.annotations.save_position(self.playback.time_ms())

    def _show_color_meanings(self, meanings: dict) -> None:
        for color, meaning in meanings.items():
            # "&" would mark a keyboard mnemonic in a menu: double it to show it.
            self.actions_by_name[f"color_{color}"].setText(f"Highlight: {menu_text(meaning)}")

    def _on_highlights_changed(self, highlights: list) -> None:
        self.transcript_view.set_highlights([(h.start_ms, h.end_ms, h.color, highlight_label(h)) for h in highlights])
        self.highlights_panel.show_highlights(highlights)
        self.side_tabs.setTabText(self.side_tabs.indexOf(self.highlights_panel),
                                  f"Highlights ({len(highlights)})" if highlights else "Highlights")
        self.transport.show_highlights([(h.start_ms, h.end_ms, h.color) for h in highlights])

    def _on_state_changed(self, state: PlaybackState) -> None:
        play = self.actions_by_name["play"]
        playing = state is PlaybackState.PLAYING
        if playing:
            self._position_timer.start()
        else:
            self._position_timer.stop()
            self._save_position()
        play.setText("Pause" if playing else "Play")
        play.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay))

    def _on_volume_changed(self, volume: int, muted: bool) -> None:
        self.transport.show_volume(volume, muted)
        mute = self.actions_by_name["mute"]
        mute.setChecked(muted)
        mute.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MediaVolumeMuted if muted else QStyle.StandardPixmap.SP_MediaVolume))

    def _on_playback_error(self, message: str) -> None:
        self.video_pane.show_message(message, "The transcript stays usable. Try another file: File ▸ Open media.")
        self.statusBar().showMessage(message)

    def _show_picture(self, has_video: bool | None = None) -> None:
        """Video surface, or the audio placeholder; before the backend knows the
        tracks, the file's extension decides."""
        if self.playback.state is PlaybackState.ERROR:
            return
        if has_video is None:
            has_video = not looks_audio_only(self.media_path or "")
        if has_video:
            self.video_pane.show_video()
        else:
            title = self.title_label.text() or Path(self.media_path or "").stem
            self.video_pane.show_audio(title)
            self.splitter.setSizes([1, 2])  # the transcript takes the space

    # --- view ----------------------------------------------------------------------------
    def toggle_full_screen(self) -> None:
        self.set_full_screen(not self.isFullScreen())

    def set_full_screen(self, full: bool) -> None:
        if full == self.isFullScreen():
            return
        self.side_tabs.setVisible(not full)
        self.menuBar().setVisible(not full)
        self.statusBar().setVisible(not full)
        self.actions_by_name["leave_full_screen"].setEnabled(full)  # Esc is free otherwise
        self.showFullScreen() if full else self.showNormal()

    def open_find_bar(self) -> None:
        self.side_tabs.setCurrentWidget(self.transcript_panel)
        self.find_bar.open()

    def close_find_bar(self) -> None:
        self.find_bar.hide()
        self.transcript_view.search("")
        self.transcript_view.setFocus()

    def find_in_transcript(self, query: str) -> None:
        total = self.transcript_view.search(query)
        self.find_bar.show_count(None, total)

    def visit_match(self, step: int) -> None:
        visited = self.transcript_view.visit_match(step)
        self.find_bar.show_count(visited, self.transcript_view.match_count)

    def set_paragraph_mode(self, on: bool) -> None:
        self.transcript_view.set_paragraph_mode(on)
        if self.find_bar.isVisible():
            self.find_bar.show_count(None, self.transcript_view.match_count)
        self.actions_by_name["paragraphs"].setChecked(on)
        self.settings.setValue("paragraph_mode", on)

    def show_shortcuts(self) -> None:
        ShortcutsDialog(list(self.actions_by_name.values()), self).open()

    def show_about(self) -> None:
        AboutDialog(self.playback, self).open()

    def open_log_folder(self) -> None:
        if not open_log_folder():
            self.statusBar().showMessage(f"No file manager to show the log folder: {log_dir()}")

    # --- drag and drop -----------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        self.open_dropped(paths)
        event.acceptProposedAction()

    def open_dropped(self, paths: list[str]) -> None:
        """Media opens as the lecture (with its sibling transcript); anything else is
        tried as a transcript."""
        media = [p for p in paths if is_media_file(p)]
        notes = [p for p in paths if not is_media_file(p) and looks_like_notes_file(p)]
        transcripts = [p for p in paths if p not in media and p not in notes]
        if media:
            self.open_media(media[0], transcript_path=transcripts[0] if transcripts else None)
        elif transcripts:
            self.open_transcript(transcripts[0])
        if notes:
            self.open_notes(notes[0])

    # --- the library actions, as the window offered them before they moved out ---------
    def switch_library(self, path: Path) -> bool:
        return self.library_actions.switch_library(path)

    def start_new_library_in_place(self) -> bool:
        return self.library_actions.start_new_library_in_place()

    def search_library(self) -> None:
        self.library_actions.search_library()

    def save_transcript(self, path: str, kind: str) -> bool:
        return self.library_actions.save_transcript(path, kind)

    def start_highlight_export(self, path: str, kind: str) -> bool:
        return self.library_actions.start_highlight_export(path, kind)

    library_window = property(lambda self: self.library_actions.library_window)
    tag_manager = property(lambda self: self.library_actions.tag_manager)
    library_search_dialog = property(lambda self: self.library_actions.library_search_dialog)
    reel_dialog = property(lambda self: self.library_actions.reel_dialog)

    # --- closing ---------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        """The window as the learner left it: size, split, reading mode, volume."""
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        split = self.settings.value("window/splitter")
        if split is not None:
            self.splitter.restoreState(split)
        if self.settings.value("paragraph_mode", False, type=bool):
            self.set_paragraph_mode(True)
        self.playback.set_volume(self.settings.value("volume", 100, type=int))

    def _save_settings(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("volume", self.playback.volume)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        # A reel or export under way stops now (ffmpeg is killed, its temporary files
        # removed) rather than running on after the window has gone.
        cancel_long_jobs()
        wait_for_long_jobs(CLOSE_WAIT_MS)
        self._save_settings()
        self._save_position()
        self.annotations.close()
        self.sync.blockSignals(True)
        self.playback.close()  # on the GUI thread, before the window goes away
        super().closeEvent(event)
