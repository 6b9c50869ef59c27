"""Dictation (Study ▸ Dictation, Ctrl+D): the line being spoken is hidden in the transcript
and played to its end; the learner types what they heard; Enter checks it word by word
(player/core/dictation.py), shows the line with the differences marked and keeps the
attempt in the library; Enter again plays the next line. ↑ replays the line, ↓ skips it,
Esc leaves. The score of this sitting and of the lecture (every attempt the library kept)
show in the bar; Ctrl+Shift+H highlights the lines got wrong, as one undo step.

The line dictated is a transcript segment in paragraph mode too: the view masks just it."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QToolButton, QWidget

from player.core.dictation import Check, check, has_words
from player.core.library import LibraryError
from player.core.repeat import TURN_BEFORE_END_MS
from player.core.transcript import Segment, Transcript
from player.playback import PlaybackState
from player.ui.boundary import BoundaryTimer

if TYPE_CHECKING:
    from player.ui.main_window import MainWindow

# The tag on the highlights made from the lines got wrong, to find them again.
MISTAKES_TAG = "dictation"
MISTAKES_COLOR = 1
# A line's end reached this long ago when a tick first sees it: the learner went past it
# (a click further on), and the line is not stopped.
PASSED_END_MS = 1500
HIDE_PICTURE_KEY = "dictation/hide_picture"


@dataclass(frozen=True)
class Attempt:
    segment: Segment
    result: Check


def score_text(right: int, total: int) -> str:
    """ "12/15 words, 80 %" """
    words = "word" if total == 1 else "words"
    return f"{right}/{total} {words}, {round(100 * right / total)} %" if total else "no words yet"


class _TypedField(QLineEdit):
    """Enter checks (or goes on), ↑ replays, ↓ skips, Esc leaves: these keys belong to the
    field while it has the keyboard, not to the window's shortcuts."""

    submitted = Signal()
    replay = Signal()
    skip = Signal()
    closed = Signal()

    _KEYS = {Qt.Key.Key_Return: "submitted", Qt.Key.Key_Enter: "submitted", Qt.Key.Key_Up: "replay",
             Qt.Key.Key_Down: "skip", Qt.Key.Key_Escape: "closed"}

    def _plain(self, event: QKeyEvent) -> bool:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        return modifiers == Qt.KeyboardModifier.NoModifier and event.key() in self._KEYS

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and self._plain(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if self._plain(event):
            getattr(self, self._KEYS[event.key()]).emit()
        else:
            super().keyPressEvent(event)


class DictationBar(QWidget):
    """The slim bar under the transcript: the field, the result of the last check and the scores."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dictationBar")
        self.field = _TypedField()
        self.field.setObjectName("dictationField")
        self.field.setAccessibleName("What you heard")
        self.field.setPlaceholderText("Type what you heard, then Enter")
        self.result_label = QLabel("")
        self.result_label.setObjectName("dictationResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.score_label = QLabel("")
        self.score_label.setObjectName("dictationScore")
        self.score_label.setTextFormat(Qt.TextFormat.PlainText)
        self.score_label.setWordWrap(True)
        self.score_label.setStyleSheet("color: palette(mid);")
        self.replay_button, self.mistakes_button, self.close_button = QToolButton(), QToolButton(), QToolButton()
        self.picture_button = QToolButton()
        self.picture_button.setCheckable(True)
        for button, name, text, tip in (
                (self.replay_button, "dictationReplay", "↻ Replay", "Play the line again (↑)"),
                (self.picture_button, "dictationHidePicture", "Hide picture",
                 "Hide the video while dictating: slides and captions often show the words"),
                (self.mistakes_button, "dictationMistakes", "Highlight mistakes",
                 "Highlight the lines you got wrong (Ctrl+Shift+H)"),
                (self.close_button, "dictationClose", "✕", "Leave dictation (Esc)")):
            button.setObjectName(name)
            button.setText(text)
            button.setToolTip(tip)
            button.setAutoRaise(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QGridLayout(self)
        layout.setContentsMargins(8, 4, 8, 6)
        layout.setVerticalSpacing(4)
        # The field with the buttons used while typing, the line checked under it, then the scores.
        layout.addWidget(self.field, 0, 0)
        layout.addWidget(self.replay_button, 0, 1)
        layout.addWidget(self.picture_button, 0, 2)
        layout.addWidget(self.close_button, 0, 3)
        layout.addWidget(self.result_label, 1, 0, 1, 4)
        layout.addWidget(self.score_label, 2, 0)
        layout.addWidget(self.mistakes_button, 2, 1, 1, 3, Qt.AlignmentFlag.AlignRight)
        layout.setColumnStretch(0, 1)

    def show_prompt(self, text: str) -> None:
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)
        self.result_label.setText(text)

    def show_result(self, result: Check, *, previous: bool = False) -> None:
        """The line just checked (Enter goes on), or, while the next plays, the line before."""
        self.result_label.setTextFormat(Qt.TextFormat.RichText)
        self.result_label.setText(result_html(result, self.palette(), previous=previous))


def result_html(result: Check, palette: QPalette, *, previous: bool = False) -> str:
    """The checked line as rich text: every piece of it (the line's words, the learner's)
    is escaped, so a line reading "<b>x</b> &amp;" shows exactly that."""
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    good, near, bad = ("#81c784", "#ffb74d", "#ef9a9a") if dark else ("#2e7d32", "#b85c00", "#c62828")
    styles = {
        "plain": "",
        "right": f"color: {good};",
        "close": f"color: {near}; font-weight: 600;",
        "wrong": f"color: {bad}; font-weight: 600;",
        "missing": f"color: {bad}; text-decoration: underline;",
        "typed": f"color: {bad}; text-decoration: line-through;",
        "extra": f"color: {bad}; text-decoration: line-through;",
    }
    titles = {"close": "almost: one letter off", "wrong": "wrong", "missing": "not typed",
              "typed": "what you typed", "extra": "not in the line"}
    parts = []
    for text, kind in result.pieces():
        escaped = html.escape(text, quote=True)
        if kind == "plain":
            parts.append(escaped)
        else:
            parts.append(f'<span style="{styles[kind]}" title="{titles.get(kind, "")}">{escaped}</span>')
    summary = "all right!" if result.perfect else f"{result.words_right} of {result.words_total} right"
    lead, tail = ("Last checked: ", summary) if previous else ("", f"{summary} · Enter: next line")
    return (f"{lead}{''.join(parts)}&nbsp;&nbsp;<span style=\"font-style: italic;\">"
            f"{html.escape(tail)}</span>")


class Dictation(QObject):
    """Dictation in the main window (see the module's docstring)."""

    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self._window = window
        self._transcript: Transcript | None = None   # the transcript dictated from
        self._segment: int | None = None             # the line being dictated
        self._stop_at_ms: int | None = None          # where playing the line stops
        self._checked: Check | None = None           # the line's result, shown until Enter
        self._line_end = BoundaryTimer(window.playback, self._on_tick, self)   # stops the line within a frame
        self.attempts: list[Attempt] = []            # this sitting's, in order
        self.bar = DictationBar()
        self.bar.hide()
        window.transcript_panel.layout().addWidget(self.bar)
        # Over the picture while dictating, if the learner hides it: a page of the video pane.
        self.cover = QLabel("Dictation: listen, then type what you heard")
        self.cover.setObjectName("dictationCover")
        self.cover.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.cover.setStyleSheet("QLabel#dictationCover { background: #1d2330; color: #d9deea; }")
        window.video_pane.addWidget(self.cover)
        self._uncovered: QWidget | None = None   # the pane's page the cover is over
        self.bar.picture_button.setChecked(window.settings.value(HIDE_PICTURE_KEY, True, type=bool))
        self.action = window.add_action("dictation", "&Dictation", ["Ctrl+D"], self.set_active,
                                        checkable=True, group="Study")
        self.mistakes_action = window.add_action(
            "dictation_mistakes", "&Highlight the lines I got wrong", ["Ctrl+Shift+H"],
            self.highlight_mistakes, group="Study")
        window.study_menu.addAction(self.action)
        window.study_menu.addAction(self.mistakes_action)
        self._connect_signals()

    def _connect_signals(self) -> None:
        bar = self.bar
        bar.field.submitted.connect(self.submit)
        bar.field.replay.connect(self.replay)
        bar.field.skip.connect(self.skip)
        bar.field.closed.connect(lambda: self.set_active(False))
        bar.replay_button.clicked.connect(self.replay)
        bar.picture_button.toggled.connect(self._on_hide_picture)
        bar.mistakes_button.clicked.connect(self.highlight_mistakes)
        bar.close_button.clicked.connect(lambda: self.set_active(False))
        self._window.sync.time_changed.connect(self._on_tick)
        self._window.annotations.lecture_ready.connect(lambda _lecture: self._show_score())

    # --- state ---------------------------------------------------------------------------
    @property
    def active(self) -> bool:
        return self._transcript is not None

    @property
    def playing_line(self) -> bool:
        """The line is being played, to stop at its end."""
        return self._stop_at_ms is not None

    @property
    def segment(self) -> int | None:
        """The line being dictated (its index in the transcript)."""
        return self._segment

    def _status(self, message: str, ms: int = 5000) -> None:
        self._window.statusBar().showMessage(message, ms)

    def set_active(self, on: bool) -> None:
        self.start() if on else self.stop()

    def start(self) -> None:
        window = self._window
        transcript = window.transcript
        first = self._line_from(transcript, window.playback.time_ms()) if transcript else None
        if first is None:
            self.action.setChecked(False)
            self._status("Open a lecture with a transcript first: dictation plays its lines one by one.")
            return
        window.repeating.stand_aside()
        self._transcript = transcript
        self.action.setChecked(True)
        self.attempts = []
        window.side_tabs.setCurrentWidget(window.transcript_panel)
        self.bar.show()
        self._cover_picture(self.bar.picture_button.isChecked())
        self.bar.field.setFocus()
        self._play_line(first)

    def stop(self) -> None:
        """Leave dictation: the line shows again, the bar goes; playback is left as it is."""
        was_active = self.active
        self._transcript, self._segment, self._stop_at_ms, self._checked = None, None, None, None
        self.action.setChecked(False)
        self._window.transcript_view.set_masked_segment(None)
        self._cover_picture(False)
        if was_active:
            self.bar.hide()
            self._window.transcript_view.setFocus()
            if self.attempts:
                self._status(f"Dictation: {score_text(*self._session_score())}", 8000)

    def _on_hide_picture(self, hide: bool) -> None:
        self._window.settings.setValue(HIDE_PICTURE_KEY, hide)
        if self.active:
            self._cover_picture(hide)
        self.bar.field.setFocus()

    def _cover_picture(self, cover: bool) -> None:
        pane = self._window.video_pane
        if cover and self._uncovered is None:
            self._uncovered = pane.currentWidget()
            pane.setCurrentWidget(self.cover)
        elif not cover and self._uncovered is not None:
            if pane.currentWidget() is self.cover:
                pane.setCurrentWidget(self._uncovered)
            self._uncovered = None

    # --- the line ------------------------------------------------------------------------
    @staticmethod
    def _speakable(transcript: Transcript, index: int) -> int | None:
        """The first line from `index` on that has words to type (not "[Music]")."""
        for i in range(max(0, index), len(transcript)):
            segment = transcript[i]
            if not segment.is_non_speech and segment.end_ms > segment.start_ms and has_words(segment.text):
                return i
        return None

    def _line_from(self, transcript: Transcript, now_ms: int) -> int | None:
        """The line to dictate first: the one at the playhead (from its start), or else the next."""
        at = transcript.segment_at(now_ms)
        if at is None:
            near = transcript.segment_near(now_ms)
            at = 0 if near is None else near + 1
        return self._speakable(transcript, at)

    def _play_line(self, index: int) -> None:
        segment = self._transcript[index]
        self._segment, self._checked = index, None
        self._window.transcript_view.set_masked_segment(index)
        self.bar.field.clear()
        self.bar.field.setPlaceholderText(f"Line {index + 1} of {len(self._transcript)}: type what you heard, "
                                          "Enter checks")
        if self.attempts and self.attempts[-1].segment is not segment:
            self.bar.show_result(self.attempts[-1].result, previous=True)
        else:
            self.bar.show_prompt("Listen to the hidden line, then type it. ↑ replays it, ↓ skips it, Esc leaves.")
        self._show_score()
        self._stop_at_ms = segment.end_ms
        self._window.seek_and_play(segment.start_ms)

    def replay(self) -> None:
        if self._segment is None:
            return
        segment = self._transcript[self._segment]
        self._stop_at_ms = segment.end_ms
        self._window.seek_and_play(segment.start_ms)
        self.bar.field.setFocus()

    def skip(self) -> None:
        """On to the next line without checking this one."""
        if self._segment is not None:
            self._next_line()

    def _next_line(self) -> None:
        following = self._speakable(self._transcript, self._segment + 1)
        if following is None:
            self._window.transcript_view.set_masked_segment(None)
            self._segment, self._stop_at_ms, self._checked = None, None, None
            self.bar.show_prompt(f"End of the transcript. This time: {score_text(*self._session_score())}. "
                                 "Esc leaves.")
            return
        self._play_line(following)

    def _on_tick(self, now_ms: int) -> None:
        if not self.active:
            return
        if self._window.transcript is not self._transcript:
            self.stop()   # another lecture, or the transcript was replaced
            return
        if self._stop_at_ms is None or self._window.playback.state is not PlaybackState.PLAYING:
            self._line_end.stop()
            return
        if now_ms < self._stop_at_ms:
            self._line_end.aim(now_ms, self._stop_at_ms)
            return
        end, self._stop_at_ms = self._stop_at_ms, None
        if now_ms < end + PASSED_END_MS:
            self._window.playback.pause()   # the learner's turn
            # Back inside the line: where the next line starts as this one ends, the time
            # read at the end makes it the current one. A frame or so before the end, as
            # libVLC reports the time of the frame it shows.
            self._window.seek(max(self._transcript[self._segment].start_ms, end - TURN_BEFORE_END_MS))

    # --- checking ------------------------------------------------------------------------
    def submit(self) -> None:
        """Enter: check what was typed; once checked, on to the next line."""
        if self._segment is None:
            return
        if self._checked is not None:
            self._next_line()
            return
        typed = self.bar.field.text()
        if not typed.strip():
            self._status("Type the words you heard first (↑ plays the line again, ↓ skips it).")
            return
        segment = self._transcript[self._segment]
        result = self._checked = check(segment.text, typed)
        self.attempts.append(Attempt(segment, result))
        if self._window.playback.state is PlaybackState.PLAYING:
            self._window.playback.pause()
        self._stop_at_ms = None
        self._window.transcript_view.set_masked_segment(None)
        self.bar.show_result(result)
        self._save(segment, typed, result)
        self._show_score()

    def _save(self, segment: Segment, typed: str, result: Check) -> None:
        annotations = self._window.annotations
        if annotations.library is None or annotations.lecture is None:
            return   # the bar says the lecture's score is not kept
        try:
            annotations.library.add_dictation_attempt(annotations.lecture.id, segment.start_ms, segment.end_ms,
                                                      segment.text, typed, result.words_right, result.words_total)
        except (LibraryError, KeyError, ValueError) as error:
            self._status(f"This line's score was not saved: {error}", 8000)

    def _session_score(self) -> tuple[int, int]:
        return (sum(a.result.words_right for a in self.attempts), sum(a.result.words_total for a in self.attempts))

    def lecture_score(self):
        """The lecture's score in the library, None without one."""
        annotations = self._window.annotations
        if annotations.library is None or annotations.lecture is None:
            return None
        try:
            return annotations.library.dictation_score(annotations.lecture.id)
        except LibraryError:
            return None

    def _show_score(self) -> None:
        if not self.active:
            return
        parts = [f"This time: {score_text(*self._session_score())}"]
        lecture = self.lecture_score()
        if lecture is None:
            parts.append("not kept: no library or lecture is open")
        elif lecture.attempts:
            lines = "line" if lecture.attempts == 1 else "lines"
            parts.append(f"Lecture: {score_text(lecture.right, lecture.total)}, {lecture.attempts} {lines}")
        self.bar.score_label.setText(" · ".join(parts))

    # --- review ---------------------------------------------------------------------------
    def mistaken_lines(self) -> list[Segment]:
        """The lines of this sitting whose last attempt had a word wrong, missing or extra, in time order."""
        last: dict[tuple[int, int], Attempt] = {}
        for attempt in self.attempts:
            last[(attempt.segment.start_ms, attempt.segment.end_ms)] = attempt
        return sorted((a.segment for a in last.values() if not a.result.perfect), key=lambda s: s.start_ms)

    def _highlight_over_line(self, segment: Segment):
        """The highlight covering the whole line, made now (inside the caller's one_step)
        unless one covers it already; None if it could not be made (the status bar says why)."""
        annotations = self._window.annotations
        covering = [h for h in annotations.highlights if h.start_ms <= segment.start_ms and h.end_ms >= segment.end_ms]
        if covering:
            return covering[0]
        before = {h.id for h in annotations.highlights}
        annotations.add_highlight(segment.start_ms, segment.end_ms, MISTAKES_COLOR)
        made = [h for h in annotations.highlights if h.id not in before]
        return made[0] if made else None

    def highlight_mistakes(self) -> None:
        """Highlight every line got wrong in this sitting, tagged "dictation": one undo step."""
        annotations = self._window.annotations
        lines = self.mistaken_lines()
        if not lines:
            self._status("No line of this dictation was wrong: nothing to highlight.")
            return
        if annotations.library is None or annotations.lecture is None:
            self._status("No library is open, so highlights cannot be saved.")
            return
        with annotations.one_step("Highlight dictation mistakes"):
            for segment in lines:
                highlight = self._highlight_over_line(segment)
                if highlight is not None and MISTAKES_TAG not in (tag.casefold() for tag in highlight.tags):
                    annotations.add_tag(highlight.id, MISTAKES_TAG)
        count = f"{len(lines)} line{'s' if len(lines) != 1 else ''}"
        self._status(f"Highlighted the {count} you got wrong, tagged “{MISTAKES_TAG}” (Ctrl+Z undoes)")
