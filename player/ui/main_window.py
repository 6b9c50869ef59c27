"""The main window: a list of parts (video, transport, transcript) and the wires
between them. Parsing, playback and timing live in the parts, not here."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (QApplication, QFileDialog, QHBoxLayout, QLabel, QMainWindow, QMessageBox,
                               QSplitter, QStyle, QTabWidget, QToolButton, QVBoxLayout, QWidget)

from player.core.formats import ChoiceNeeded, LoadOptions, TranscriptError, encoding_note, load
from player.core.formats.encoding import GUESSED_ENCODINGS
from player.core.library import LibraryError
from player.core.media import find_sibling_transcript, is_media_file, looks_audio_only
from player.core.media_fit import transcript_overrun
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
from player.ui.corrections import NUDGE_MS, Corrections
from player.ui.dialogs import ShortcutsDialog
from player.ui.find_bar import FindBar
from player.ui.focus import focus_returns, guard_typing
from player.ui.highlights_panel import HighlightsPanel
from player.ui.jobs import ShortJob, cancel_long_jobs, wait_for_long_jobs
from player.ui.library_actions import LibraryActions, OpenFiles
from player.ui.notes_panel import NotesPanel
from player.ui.plain_dialogs import ask_item, menu_text, plain_to_rich
from player.ui.sync import PlaybackSync
from player.ui.transcribing import TranscribeDialog, Transcriber, TranscriptionBar, options_of
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
AUTO_ENCODING = "Detect automatically"
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


def _same_lines(one: Transcript, other: Transcript) -> bool:
    """Whether two transcripts say the same when: compared a line at a time, stopping at the
    first difference (on the GUI thread, and a transcript may have millions of lines)."""
    def lines(transcript: Transcript):
        return ((s.start_ms, s.end_ms, s.text.strip(), s.speaker) for s in transcript.segments)
    return len(one) == len(other) and all(a == b for a, b in zip(lines(one), lines(other)))


def highlight_label(highlight) -> str:
    """What a highlighted line shows of it: a mark for a note, then its tags."""
    parts = (["✎"] if highlight.note else []) + [f"#{tag}" for tag in highlight.tags]
    return " ".join(parts)


NOTICE_WIDTH_PX = 380   # a playback notice's room at the right of the status bar


class _AfterFirstPaint(QObject):
    """Calls `then` on the event turn after `widget` is first painted, once."""

    def __init__(self, widget: QWidget, then) -> None:
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, watched, self._then)   # not at all if the widget is gone by then
        return False


def after_first_paint(widget: QWidget, then) -> None:
    _AfterFirstPaint(widget, then)


class MainWindow(QMainWindow):
    def __init__(self, playback: Playback, settings: QSettings, notice: str | None = None,
                 library_path: Path | None = None) -> None:
        super().__init__()
        guard_typing(QApplication.instance())   # typing in a text field never fires H, N, T...
        self.playback = playback
        self.settings = settings
        self.annotations = LectureAnnotations(library_path, self)
        self._pending_seek_ms: int | None = None  # where a library search asked to go
        self._lecture_media: str | None = None     # the media the library's open lecture is for
        self.transcript: Transcript | None = None
        self.media_path: str | None = None
        self.transcript_path: str | None = None
        self.notes_path: str | None = None
        self.sync = PlaybackSync(playback, self)
        self.notes: LectureNotes | None = None
        self._note_links: list | None = None   # each point's moment, once linked
        self._srt_request: tuple[Path, bool] | None = None   # (path, replace) to write when transcribed
        self.transcript_job = ShortJob(self)
        self.notes_job = ShortJob(self)
        self.linking_job = ShortJob(self)
        self.transcriber = Transcriber(self)
        self._said_overrun: set[int] = set()   # lectures whose overrun sentence was shown
        self._load_options = LoadOptions()      # for transcripts opened from here on (--encoding)
        self._init_actions()
        self._init_ui()
        self.annotating = AnnotatingActions(
            self.annotations, self.transcript_view, self.highlights_panel, self.playback, self.settings,
            status=lambda message, ms: self.statusBar().showMessage(message, ms),
            seek=self.seek, seek_and_play=self.seek_and_play, dialog_parent=self)
        self.corrections = Corrections(
            self.annotations, self.transcript_view, shown=self._show_edited_transcript,
            status=lambda message, ms: self.statusBar().showMessage(message, ms), dialog_parent=self)
        self.library_actions = LibraryActions(
            self.annotations, self.highlights_panel, self.playback,
            open_files=lambda: OpenFiles(self.media_path, self.transcript_path, self.transcript, self.notes_path),
            status=lambda message, ms: self.statusBar().showMessage(message, ms), show_error=self._show_error,
            open_media=self.open_media, seek_and_play=self.seek_and_play, dialog_parent=self)
        self._init_menus()
        self._connect_signals()
        self._init_study_tools()
        self.setAcceptDrops(True)
        self.setWindowTitle(APP_NAME)
        self.resize(1280, 760)
        self._restore_settings()
        self.annotating.show_color_meanings()
        if notice or self.annotations.open_error:
            self.statusBar().showMessage(" ".join(filter(None, (notice, self.annotations.open_error))))

    # --- construction ---------------------------------------------------------------
    def add_action(self, name: str, text: str, shortcuts: list[str], slot, pixmap=None, checkable: bool = False,
                   group: str = "Playback") -> QAction:
        """An action of the window: its shortcuts work with the menu bar hidden (full screen),
        it is listed under `group` in the shortcuts sheet and found by name in actions_by_name."""
        act = QAction(text, self)
        act.setObjectName(name)
        if pixmap is not None:
            act.setIcon(self.style().standardIcon(pixmap))
        act.setShortcuts([QKeySequence(s) for s in shortcuts])
        act.setCheckable(checkable)
        act.setProperty("group", group)
        if shortcuts:
            act.setToolTip(f"{text}  ({' / '.join(shortcuts)})")
        act.triggered.connect(slot)
        self.addAction(act)
        self.actions_by_name[name] = act
        return act

    def _init_actions(self) -> None:
        SP = QStyle.StandardPixmap
        self.actions_by_name: dict[str, QAction] = {}

        action = self.add_action

        action("open_media", "Open &media…", ["Ctrl+O"], self.choose_media, SP.SP_DialogOpenButton, group="File")
        action("open_transcript", "Open &transcript…", ["Ctrl+Shift+O"], self.choose_transcript, group="File")
        action("open_notes", "Open lecture &notes…", [], self.choose_notes, group="File")
        action("reopen_encoding", "Reopen transcript &with encoding…", [], lambda: self.reopen_with_encoding(),
               group="File")
        action("transcribe", "Trans&cribe…", ["Ctrl+Shift+T"], self.choose_transcription, group="File")
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
        view, corrections = lambda: self.transcript_view, lambda: self.corrections
        action("edit_line", "&Edit the line's words", ["F2"], self.edit_line, group="Transcript")
        action("split_line", "&Split the line at the cursor", ["Ctrl+Return", "Ctrl+Enter"], self.split_line,
               group="Transcript")
        action("merge_line", "&Merge with the next line", ["Ctrl+M"],
               lambda: corrections().merge_with_next(view().selected_segment()), group="Transcript")
        for name, text, keys, which, delta in (
                ("start_earlier", "Start the line earlier", "Alt+Left", "start", -NUDGE_MS),
                ("start_later", "Start the line later", "Alt+Right", "start", NUDGE_MS),
                ("end_earlier", "End the line earlier", "Alt+Shift+Left", "end", -NUDGE_MS),
                ("end_later", "End the line later", "Alt+Shift+Right", "end", NUDGE_MS)):
            action(name, f"{text} ({NUDGE_MS} ms)", [keys],
                   lambda _checked=False, w=which, d=delta: corrections().nudge(view().selected_segment(), w, d),
                   group="Transcript")
        action("name_speaker", "Name the &speaker…", [],
               lambda: corrections().name_speaker(view().selected_segment()), group="Transcript")
        action("rename_speaker", "&Rename a speaker everywhere…", [], lambda: corrections().rename_speaker(),
               group="Transcript")
        action("shift_all", "Shift &all lines…", [], lambda: corrections().shift_all(), group="Transcript")
        action("restore_original", "Restore the &original transcript…", [],
               lambda: corrections().restore_original(), group="Transcript")
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
        self.transcription_bar = TranscriptionBar()
        transcript_layout.addWidget(self.transcription_bar)
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
        # What holds for the whole session ("No sound: ...") stays at the right of the status
        # bar, where it never replaces what the learner was just told.
        self.playback_notice = QLabel("")
        self.playback_notice.setObjectName("playbackNotice")
        self.playback_notice.setTextFormat(Qt.TextFormat.PlainText)
        self.playback_notice.setAccessibleName("Playback notice")
        self.playback_notice.hide()
        self.statusBar().addPermanentWidget(self.playback_notice)

    def _init_menus(self) -> None:
        acts = self.actions_by_name
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(acts["open_media"])
        file_menu.addAction(acts["open_transcript"])
        file_menu.addAction(acts["open_notes"])
        file_menu.addAction(acts["reopen_encoding"])
        file_menu.addAction(acts["transcribe"])
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
        self.view_menu = view_menu = self.menuBar().addMenu("&View")
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
        transcript_menu = self.menuBar().addMenu("&Transcript")
        for name in ("edit_line", "split_line", "merge_line", None, "start_earlier", "start_later", "end_earlier",
                     "end_later", None, "name_speaker", "rename_speaker", None, "shift_all", "restore_original"):
            transcript_menu.addSeparator() if name is None else transcript_menu.addAction(acts[name])
        # Filled by the study tools (_init_study_tools): loops, shadowing, dictation...
        self.study_menu = self.menuBar().addMenu("&Study")
        self.library_menu = self.menuBar().addMenu("&Library")
        self.library_menu.addAction(acts["show_library"])
        self.library_menu.addAction(acts["search_library"])
        self.library_menu.addAction(acts["manage_tags"])
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(acts["shortcuts"])
        help_menu.addAction(acts["open_log_folder"])
        help_menu.addAction(acts["about"])

    def _init_study_tools(self) -> None:
        """The study tools: each adds its own actions (add_action, group "Study") to the
        Study menu (self.study_menu) or the View menu (self.view_menu).

        Text size and theme shape the first paint, so they come now. Dictation, loops and
        the second transcript come just after the first paint, or at first use (the
        properties below) if that is sooner: a tenth of the launch less before the
        transcript shows."""
        from player.ui.text_size import TextSize
        from player.ui.themes import Themes

        self.text_size = TextSize(self)   # View ▸ Larger / Smaller / Normal text, Ctrl+wheel
        self.themes = Themes(self)   # View ▸ Theme, applied before the window first shows
        self._study_tools: tuple | None = None
        after_first_paint(self.transcript_view.viewport(), self._build_study_tools)

    def _build_study_tools(self) -> tuple:
        if self._study_tools is None:
            from player.ui.dictation import Dictation
            from player.ui.repeating import Repeating
            from player.ui.second_transcript import SecondTranscript

            self._study_tools = (Dictation(self),   # type what you heard, checked word by word
                                 Repeating(self),   # loops, replay, shadowing
                                 SecondTranscript(self))   # a second transcript under the lines, captions (C)
        return self._study_tools

    @property
    def dictation(self):
        return self._build_study_tools()[0]

    @property
    def repeating(self):
        return self._build_study_tools()[1]

    @property
    def second_transcript(self):
        return self._build_study_tools()[2]

    def _connect_signals(self) -> None:
        playback = self.playback
        playback.state_changed.connect(self._on_state_changed)
        playback.duration_changed.connect(self.transport.set_duration)
        playback.has_video_changed.connect(self._show_picture)
        playback.error.connect(self._on_playback_error)
        playback.title_changed.connect(lambda _title: self._update_title())
        playback.rate_changed.connect(self.transport.show_rate)
        playback.volume_changed.connect(self._on_volume_changed)
        playback.notice.connect(self._on_playback_notice)
        playback.duration_changed.connect(lambda _ms: self._say_overrun())
        self.sync.time_changed.connect(self.transport.show_time)
        self.sync.time_changed.connect(self.annotating.follow_playback)
        self.sync.current_segment_changed.connect(self.transcript_view.set_current_row)
        self.sync.time_changed.connect(self.transcript_view.set_time_ms)   # the spoken word inside its line
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
        self.transcript_view.line_edited.connect(lambda row, text: self.corrections.edit_text(row, text))
        transcriber = self.transcriber
        transcriber.lines_added.connect(self._on_lines_transcribed)
        transcriber.progress_changed.connect(self.transcription_bar.show_progress)
        transcriber.finished.connect(self._on_transcription_finished)
        transcriber.failed.connect(self._on_transcription_failed)
        transcriber.cancelled.connect(self._on_transcription_stopped)
        self.transcription_bar.action_requested.connect(self._on_transcription_offer)
        self.transcription_bar.cancel_requested.connect(self.pause_transcription)
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
                   start_ms: int | None = None, early_read=None) -> None:
        """Open a lecture; its transcript is the one given, or the one beside it. It plays
        from `start_ms` (a search hit) if given, else from where the learner left it."""
        self._save_position()  # of the lecture before
        self._pending_seek_ms = start_ms
        self.media_path = os.path.abspath(path)
        self._lecture_media = None   # until the library has found this one
        self._remember_recent(self.media_path)
        self.playback.load(self.media_path)
        self._show_picture()
        if transcript_path is None:
            sibling = find_sibling_transcript(path)
            transcript_path = str(sibling) if sibling else None
        self._clear_lecture_text()
        if transcript_path:
            self.open_transcript(transcript_path, early_read=early_read)  # the library import follows
        else:
            self.annotations.open_lecture(self.media_path, None)
        if autoplay:
            self.playback.play()

    def _clear_lecture_text(self) -> None:
        """A new lecture starts with no transcript or notes of the one before."""
        if self.transcriber.running:
            # Its lines so far are saved: reopening that lecture offers to continue. What it
            # still reports belongs to the lecture before: not shown.
            self.transcriber.cancel()
            self.transcriber.lecture_id = None
        self.transcription_bar.hide()
        self.corrections.forget_lines()
        self.transcript = None
        self.transcript_path = None
        self.notes = None
        self._note_links = None
        self.notes_path = None
        for job in (self.transcript_job, self.notes_job, self.linking_job):
            job.cancel()  # a read still under way belonged to the lecture before
        self.transcript_view.set_transcript(None)
        self.sync.set_transcript(None)
        self.notes_panel.show_empty()
        self.transcript_status.setText(NO_TRANSCRIPT)
        self.annotate_hint.offer(False)
        self._update_title()

    def set_transcript_encoding(self, encoding: str | None) -> None:
        """Read the transcripts opened from now on in this encoding (--encoding)."""
        self._load_options = LoadOptions(encoding=encoding)

    def open_transcript(self, path: str, options: LoadOptions | None = None, early_read=None) -> None:
        """Read `path` off the GUI thread and show it; `early_read` (app.EarlyRead): the
        same file already being read since launch, with these options."""
        if self.transcriber.running and self._transcribing_this():
            self.statusBar().showMessage("The lecture is being transcribed: cancel that first to open a "
                                         "transcript file for it", 8000)
            return
        options = self._load_options if options is None else options
        self.transcript_path = path = os.path.abspath(path)
        self.transcript_status.setText(f"Reading {Path(path).name}…")
        if early_read is not None and early_read.path == path:
            self.transcript_job.start(early_read.result)
        else:
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

    def reopen_with_encoding(self, encoding: str | None = None) -> None:
        """File ▸ Reopen transcript with encoding…: when the guess read a file wrong
        (mojibake), read it again in the encoding the learner names."""
        if not self.transcript_path or not Path(self.transcript_path).is_file():
            self.statusBar().showMessage("No transcript file is open to read again", 5000)
            return
        if encoding is None:
            choices = [AUTO_ENCODING, "utf-8", "utf-16", *GUESSED_ENCODINGS]
            current = self.transcript.encoding if self.transcript is not None else None
            index = ask_item(self, "Reopen with encoding", f"Read {Path(self.transcript_path).name} as:",
                             choices, choices.index(current) if current in choices else 0)
            if index is None:
                return
            encoding = choices[index]
        self.open_transcript(self.transcript_path,
                             LoadOptions(encoding=None if encoding == AUTO_ENCODING else encoding))

    def _last_folder(self) -> str:
        return str(Path(self.media_path).parent) if self.media_path else str(Path.home())

    def _on_transcript_loaded(self, transcript: Transcript) -> None:
        # The file's lines show at once; once the lecture is imported, the library's
        # (corrected, or transcribed here) take their place if they differ.
        self._show_transcript(transcript)
        if self.media_path:
            self.annotations.open_lecture(self.media_path, transcript)
        note = encoding_note(transcript)
        if note:
            self.statusBar().showMessage(f"{Path(self.transcript_path or '').name}: {note}", 10000)

    def _show_transcript(self, transcript: Transcript, status: str | None = None) -> None:
        self.transcript = transcript
        self.corrections.forget_lines()
        self._link_notes()
        self.transcript_view.set_transcript(transcript)
        self.sync.set_transcript(transcript)
        if self.annotations.highlights:
            self._on_highlights_changed(self.annotations.highlights)   # onto these lines
        self.transcript_status.setText(status or self._transcript_summary(transcript))
        self.annotate_hint.offer(True)
        self._update_title()

    def _transcript_summary(self, transcript: Transcript) -> str:
        name = Path(transcript.source or self.transcript_path or "").name or "Transcript"
        status = f"{name} · {len(transcript):,} lines · {format_clock(transcript.end_ms)}"
        if transcript.warnings:
            line, problem = transcript.warnings[0]
            status += f" · {len(transcript.warnings)} unreadable cue(s) skipped, first at line {line}: {problem}"
        note = encoding_note(transcript)
        return f"{status} · {note}" if note else status

    def _show_edited_transcript(self, transcript: Transcript) -> None:
        """A correction changed the lines shown (the view has them already)."""
        self.transcript = transcript
        self.sync.set_transcript(transcript)
        self.transcript_status.setText(self._transcript_summary(transcript) + " · corrected")

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
        self.open_transcript(path, dataclasses.replace(self._load_options, **{choice.kind: chosen_id}))

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
            self._note_links = links
            self._keep_notes()

    def _keep_notes(self) -> None:
        """The lecture's notes and their links go into the library: they come back with it."""
        library, lecture = self.annotations.library, self.annotations.lecture
        if library is None or lecture is None or self.notes is None or self._note_links is None:
            return
        try:
            library.set_notes(lecture.id, self.notes, self._note_links)
        except (LibraryError, ValueError, KeyError) as error:
            self.statusBar().showMessage(f"The notes could not be kept in the library: {error}", 8000)

    def _restore_notes(self, lecture) -> None:
        if self.notes is not None:
            self._keep_notes()   # opened before the lecture was imported
            return
        try:
            kept = self.annotations.library.notes(lecture.id)
        except LibraryError:
            kept = None
        if kept is not None:
            self.notes, self._note_links = kept
            self.notes_panel.show_notes(*kept)

    def _update_title(self) -> None:
        """The transcript's own title, the media's title tag, or a file's name: the
        media's, or the transcript's when it was opened alone."""
        own_title = (self.transcript.title if self.transcript else None) or self.playback.media_title
        title = own_title or (Path(self.media_path).stem if self.media_path else "") \
            or (Path(self.transcript_path).stem if self.transcript and self.transcript_path else "")
        self.title_label.setText(title)
        self.setWindowTitle(f"{title} — {APP_NAME}" if title else APP_NAME)
        if own_title and self._lecture_media == self.media_path:   # never the lecture before's
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
        library, lecture = self.annotations.library, self.annotations.lecture
        if library is not None and lecture is not None:   # the lecture reopens at this speed
            try:
                library.set_last_rate(lecture.id, self.playback.rate)
            except (LibraryError, KeyError) as error:
                self.statusBar().showMessage(f"Library: {error}", 8000)

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
        self._lecture_media = self.media_path
        self._update_title()   # the library learns the title the window shows
        self._adopt_library_transcript(lecture)
        self.second_transcript.lecture_ready(lecture)
        self._restore_notes(lecture)
        self._say_overrun()
        try:
            self.playback.set_rate(self.annotations.library.last_rate(lecture.id))   # the speed it was played at
        except (LibraryError, KeyError):
            pass   # the lecture plays at the speed there is
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

    # --- the library's transcript, and transcribing ---------------------------------------
    def _adopt_library_transcript(self, lecture) -> None:
        """Once the lecture is imported the library's transcript is the one shown (with the
        learner's corrections, or transcribed here); offer to transcribe or to continue."""
        library = self.annotations.library
        if self.transcriber.running and self.transcriber.lecture_id == lecture.id:
            return   # its lines arrive as they are heard
        try:
            state = library.transcription_state(lecture.id)
            # A file's transcript just imported, never corrected, is the one shown: not read again.
            same_as_shown = (state is not None and state.origin == "file" and not state.corrected
                             and self.transcript is not None and state.segment_count == len(self.transcript))
            stored = library.transcript(lecture.id) if state is not None and not same_as_shown else None
        except LibraryError as error:
            self.statusBar().showMessage(f"Library: {error}", 8000)
            return
        if stored is not None and (self.transcript is None or not _same_lines(stored, self.transcript)):
            if self.transcript is not None and not stored.title:
                stored.title = self.transcript.title
            what = ("with your corrections" if state.corrected else
                    "transcribed on this computer" if state.origin == "transcribed" else "from the library")
            self._show_transcript(stored, f"{len(stored):,} lines · {format_clock(stored.end_ms)} · {what}")
        self.transcription_bar.hide()
        if state is not None and state.in_progress:
            where = format_clock(state.done_until_ms)
            if not self._transcription_paused(lecture.id) and self.media_path is not None:
                # Stopped by a crash, a kill or closing the window, not by the learner: go on.
                self.continue_transcription()
                self.statusBar().showMessage(f"Continuing the transcription that stopped at {where}: the "
                                             f"{state.segment_count:,} lines heard so far are here", 8000)
                return
            self.transcription_bar.offer(f"Transcription paused at {where}: the {state.segment_count:,} lines "
                                         "heard so far are here.", f"Continue transcribing from {where}")
        elif state is None and self.transcript is None:
            self.transcription_bar.offer("No transcript yet: this computer can make one (nothing leaves it). "
                                         "You can watch meanwhile.", "Transcribe…")

    def _paused_key(self, lecture_id: int) -> str:
        return f"transcription_paused/{self.annotations.library_path}/{lecture_id}"

    def _transcription_paused(self, lecture_id: int) -> bool:
        return self.settings.value(self._paused_key(lecture_id), False, type=bool)

    def pause_transcription(self) -> None:
        """The learner's Cancel: the lines so far are kept, and reopening the lecture offers
        to continue rather than going on by itself (as it does after a crash or a close)."""
        lecture = self.annotations.lecture
        if lecture is not None:
            self.settings.setValue(self._paused_key(lecture.id), True)
        self.transcriber.cancel()

    def _on_transcription_offer(self) -> None:
        lecture = self.annotations.lecture
        state = self.annotations.library.transcription_state(lecture.id) if lecture is not None else None
        if state is not None and state.in_progress:
            self.continue_transcription()
        else:
            self.choose_transcription()

    def choose_transcription(self) -> None:
        """File ▸ Transcribe…: the dialog, then the run."""
        library, lecture = self.annotations.library, self.annotations.lecture
        if self.media_path is None:
            self.statusBar().showMessage("Open a lecture first: its sound is what is transcribed", 5000)
            return
        if library is None or lecture is None:
            self.statusBar().showMessage("Transcribing needs the library, which keeps each line as it is heard: "
                                         + (self.annotations.open_error or "the lecture is still being opened"), 8000)
            return
        if self.transcriber.running:
            self.statusBar().showMessage("The lecture is being transcribed already", 5000)
            return
        state = library.transcription_state(lecture.id)
        if state is not None and state.in_progress:
            self.continue_transcription()
            return
        replaces = None
        if state is not None:
            replaces = ("with your corrections" if state.corrected else f"transcribed with {state.model}"
                        if state.origin == "transcribed" else "read from a file")
        protected = {Path(self.media_path): "the lecture's media", **library.owned_paths()}
        dialog = TranscribeDialog(Path(self.media_path), protected, replaces, self)
        with focus_returns():
            accepted = dialog.exec() == dialog.DialogCode.Accepted
        if accepted and dialog.request is not None:
            self.start_transcription(dialog.request, replace=state is not None)

    def start_transcription(self, request, replace: bool = False) -> None:
        """Transcribe the open lecture as `request` (a TranscribeRequest) asks."""
        lecture = self.annotations.lecture
        self.settings.remove(self._paused_key(lecture.id))
        self._srt_request = (request.srt_path, request.srt_replace) if request.srt_path else None
        self.transcription_bar.hide()
        self._show_transcript(Transcript([], title=self.transcript.title if self.transcript else None),
                              f"Transcribing on this computer with {Path(request.model).name}: "
                              "lines appear as they are heard")
        self.transcriber.start(self.annotations.library_path, lecture.id, Path(self.media_path), request.model,
                               request.options, replace=replace, download=request.download)

    def continue_transcription(self) -> None:
        """Go on with an unfinished transcription from where it stopped, with the model,
        language and options it began with."""
        library, lecture = self.annotations.library, self.annotations.lecture
        state = library.transcription_state(lecture.id) if lecture is not None else None
        if state is None or not state.in_progress or self.transcriber.running:
            return
        self._srt_request = None
        self.settings.remove(self._paused_key(lecture.id))
        self.transcription_bar.hide()
        self.statusBar().showMessage(f"Continuing from {format_clock(state.done_until_ms)}", 5000)
        self.transcriber.start(self.annotations.library_path, lecture.id, Path(self.media_path),
                               state.model or "tiny.en", options_of(state), start_ms=state.done_until_ms,
                               lines_kept=state.segment_count)

    def _transcribing_this(self) -> bool:
        lecture = self.annotations.lecture   # None once the window has closed its library
        return self.annotations.library is not None and lecture is not None \
            and lecture.id == self.transcriber.lecture_id

    def _on_lines_transcribed(self, lines: list) -> None:
        if not self._transcribing_this():
            return
        transcript = self.transcript_view.append_segments([line.to_segment() for line in lines])
        self.transcript = transcript
        self.sync.set_transcript(transcript)
        self.corrections.lines_appended([line.id for line in lines])
        self.annotate_hint.offer(True)
        if self.annotations.highlights:
            self._on_highlights_changed(self.annotations.highlights)   # a highlight on lines just heard

    def _on_transcription_finished(self, state) -> None:
        if not self._transcribing_this():
            return
        self.transcription_bar.hide()
        lecture = self.annotations.lecture
        self._adopt_library_transcript(lecture)
        if self.transcript is not None:
            self.transcript_status.setText(f"{len(self.transcript):,} lines · {format_clock(self.transcript.end_ms)}"
                                           f" · transcribed on this computer ({state.model})")
        said = f"Transcribed: {state.segment_count:,} lines, language {state.language or 'unknown'}"
        written = self._write_srt(lecture.id)
        self.statusBar().showMessage(said + (f"; saved {written.name}" if written else ""), 10000)

    def _write_srt(self, lecture_id: int) -> Path | None:
        from player.core.formats.writers import to_srt
        from player.core.safe_files import OutputRefused, check_output, write_atomic

        if not self._srt_request:
            return None
        path, replace = self._srt_request
        self._srt_request = None
        library = self.annotations.library
        protected = {Path(self.media_path): "the lecture's media", **library.owned_paths()}
        try:
            # Checked again: the file may have appeared while the lecture was transcribed.
            target = check_output(path, protected=protected, force=replace)
            return write_atomic(target, to_srt(library.transcript(lecture_id)))
        except (OutputRefused, OSError) as error:
            self._show_error("The SRT was not saved", str(error))
            return None

    def _on_transcription_failed(self, message: str) -> None:
        if not self._transcribing_this():
            return
        self.transcription_bar.hide()
        self._show_error("Cannot transcribe", message)
        self._reload_after_transcription()

    def _on_transcription_stopped(self) -> None:
        if not self._transcribing_this():
            return
        self.transcription_bar.hide()
        state = self.annotations.library.transcription_state(self.annotations.lecture.id)
        kept = (f" at {format_clock(state.done_until_ms)}: {state.segment_count:,} lines kept"
                if state is not None and state.in_progress else ": nothing was saved")
        self.statusBar().showMessage(f"Transcription cancelled{kept}", 8000)
        self._reload_after_transcription()

    def _reload_after_transcription(self) -> None:
        """What the library holds now: the lines saved, or the transcript there was before."""
        if self.transcript is not None and len(self.transcript) == 0:
            self.transcript = None
            self.transcript_view.set_transcript(None)
            self.sync.set_transcript(None)
            self.transcript_status.setText(NO_TRANSCRIPT)
        self._adopt_library_transcript(self.annotations.lecture)

    def _say_overrun(self) -> None:
        """Once per lecture: a transcript that runs well past the media's end is perhaps another's."""
        lecture, duration = self.annotations.lecture, self.playback.duration_ms
        if lecture is None or self.transcript is None or not duration or lecture.id in self._said_overrun:
            return
        sentence = transcript_overrun(self.transcript, duration)
        if sentence:
            self._said_overrun.add(lecture.id)
            self.statusBar().showMessage(sentence)

    def _on_playback_notice(self, message: str) -> None:
        # The first sentence ("No sound: the audio device could not be opened (...)") elided
        # to fit beside the messages; the whole of it in the tooltip.
        first = message.split(". ")[0]
        shown = self.playback_notice.fontMetrics().elidedText(first, Qt.TextElideMode.ElideRight, NOTICE_WIDTH_PX)
        self.playback_notice.setText(shown)
        self.playback_notice.setToolTip(message)
        self.playback_notice.show()

    def edit_line(self) -> None:
        """F2: the selected (or spoken) line's words in an editor in its row."""
        view = self.transcript_view
        if view.paragraph_mode:
            self.statusBar().showMessage("Lines are edited one by one: read as lines first (Ctrl+P)", 5000)
        elif self.transcript is not None:
            view.edit_line(view.selected_segment())

    def split_line(self) -> None:
        """Ctrl+Return: split the line being edited at the cursor; with no editor open,
        open it (then place the cursor and press Ctrl+Return again)."""
        view = self.transcript_view
        editor = view.line_editor()
        if editor is None:
            if view.edit_line(view.selected_segment()):
                self.statusBar().showMessage("Put the cursor where the line splits, then Ctrl+Return", 5000)
            return
        row, text, offset = view.currentIndex().row(), editor.text(), editor.cursorPosition()
        view.close_line_editor()
        self.corrections.split(row, offset, text)

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
