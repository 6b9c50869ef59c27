"""Annotating from the keyboard and menus: highlight the selected lines (H, 1-5), mark
in and out ([ ]), a note (N) or a tag (T) as one undo step, jump between highlights,
play only the highlights, the learner's own meaning for each colour, and the menu a
right click on a line opens.

The window owns the widgets; this owns what a key press does with them."""

from __future__ import annotations

from typing import Callable, Mapping

from PySide6.QtCore import QObject, QPoint, QSettings, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMenu, QWidget

from player.core.spans import merge_spans, playlist_from
from player.core.timecode import format_clock
from player.playback import Playback, PlaybackState
from player.ui.annotations import COLOR_NAMES, LectureAnnotations
from player.ui.boundary import BoundaryTimer
from player.ui.focus import focus_returns
from player.ui.highlights_panel import HighlightsPanel
from player.ui.transcript_view import TranscriptView


class AnnotatingActions(QObject):
    # {colour: the learner's word}; object, not dict: a dict signal turns int keys into strings
    color_meanings_changed = Signal(object)
    playing_highlights_changed = Signal(bool)

    def __init__(self, annotations: LectureAnnotations, view: TranscriptView, panel: HighlightsPanel,
                 playback: Playback, settings: QSettings, *, status: Callable[[str, int], None],
                 seek: Callable[[int], None], seek_and_play: Callable[[int], None], dialog_parent: QWidget) -> None:
        super().__init__(dialog_parent)
        self._annotations, self._view, self._panel = annotations, view, panel
        self._playback, self._settings = playback, settings
        self._status, self._seek, self._seek_and_play = status, seek, seek_and_play
        self._dialog_parent = dialog_parent
        self._color = 1  # the colour H uses: the last one chosen with 1-5
        self._mark_in_ms: int | None = None
        self._highlight_playlist: list[tuple[int, int]] = []  # spans left to play in "Play highlights"
        # Moves on at a highlight's end within a frame, not on the tick after it.
        self._highlight_end = BoundaryTimer(playback, self.follow_playback, self)
        # Set by the loops (repeating.py): a loop is on, and the learner's loop wins over
        # the playlist: it waits, rather than take the playhead off to the next highlight.
        self.loop_holds: Callable[[], bool] = lambda: False

    def show_color_meanings(self) -> None:
        self._show_color_meanings()

    def follow_playback(self, now_ms: int) -> None:
        """Called on every playback tick: moves "Play highlights" on to the next part."""
        self._follow_highlight_playlist(now_ms)

    def highlight_selection(self, color: int | None) -> None:
        """H highlights the selected lines (or the line being spoken) in the last colour;
        1-5 choose the colour."""
        if color is not None:
            self._color = color
        if not self._annotations.available:
            self._status("No library is open, so highlights cannot be saved.", 5000)
            return
        if self._annotations.lecture is None:
            self._status("Open a lecture first.", 4000)
            return
        span = self._view.selected_span_ms()
        if span is None:
            self._status("Select lines in the transcript to highlight them.", 4000)
            return
        self._annotations.add_highlight(*span, self._color)
        self._status(f"Highlighted {format_clock(span[0])}–{format_clock(span[1])} "
                                     f"as {self.color_meanings()[self._color]} (Ctrl+Z undoes)", 4000)

    def color_meanings(self) -> dict[int, str]:
        """What each colour means to this learner ("important", "exam", ...)."""
        return {color: str(self._settings.value(f"colors/{color}", name)) for color, name in COLOR_NAMES.items()}

    def set_color_meaning(self, color: int, meaning: str) -> None:
        self._settings.setValue(f"colors/{color}", meaning.strip() or COLOR_NAMES[color])
        self._show_color_meanings()

    def _show_color_meanings(self) -> None:
        meanings = self.color_meanings()
        self._panel.set_color_meanings(meanings)
        self.color_meanings_changed.emit(meanings)

    def name_colors(self) -> None:
        with focus_returns():
            for color, meaning in self.color_meanings().items():
                text, ok = QInputDialog.getText(self._dialog_parent, "Name the colours",
                                                f"Key {color} ({COLOR_NAMES[color]}) means:", text=meaning)
                if not ok:
                    return
                self.set_color_meaning(color, text)

    def play_highlights(self, on: bool) -> None:
        """Play only the highlighted parts, back to back, in time order."""
        highlights = self._annotations.highlights if on else []
        spans = [(merged.start_ms, merged.end_ms)   # overlapping highlights play as one span
                 for merged in merge_spans(highlights, lambda h: (h.start_ms, h.end_ms))]
        # From the playhead on, round to the ones before it: each once.
        spans = playlist_from(spans, self._playback.time_ms())
        self._highlight_playlist = spans
        self._highlight_end.stop()
        self.playing_highlights_changed.emit(bool(spans))
        if on and not spans:
            self._status("No highlights to play in this lecture.", 4000)
        elif spans:
            self._status(f"Playing {len(spans)} highlighted parts", 4000)
            self._seek_and_play(spans[0][0])

    def _follow_highlight_playlist(self, now_ms: int) -> None:
        if not self._highlight_playlist or self._playback.state is not PlaybackState.PLAYING or self.loop_holds():
            self._highlight_end.stop()
            return
        _start, end = self._highlight_playlist[0]
        if now_ms < end:
            self._highlight_end.aim(now_ms, end)
        else:
            self._highlight_playlist.pop(0)
            if self._highlight_playlist:
                self._seek(self._highlight_playlist[0][0])
            else:
                self._playback.pause()
                self.playing_highlights_changed.emit(False)
                self._status("End of the highlights", 4000)

    def mark_in(self) -> None:
        self._mark_in_ms = self._playback.time_ms()
        self._status(f"In at {format_clock(self._mark_in_ms)}: press ] where the highlight ends",
                                     8000)

    def mark_out(self) -> None:
        """A highlight from the in point to the playhead: it may start or end inside a line."""
        out_ms = self._playback.time_ms()
        if self._mark_in_ms is None:
            self._status("Press [ where the highlight starts first.", 4000)
            return
        start, end = sorted((self._mark_in_ms, out_ms))
        self._mark_in_ms = None
        if end - start < 200 or self._annotations.lecture is None:
            self._status("Too short to highlight.", 4000)
            return
        self._annotations.add_highlight(start, end, self._color)
        self._status(f"Highlighted {format_clock(start)}–{format_clock(end)}", 4000)

    def _edit_target(self, highlight_id: int | None):
        """What an N or T applies to: (the highlight or None, the span to highlight first)."""
        if highlight_id is not None:
            found = next((h for h in self._annotations.highlights if h.id == highlight_id), None)
            return (found, None) if found else None
        if self._annotations.lecture is None:
            self._status("Open a lecture first.", 4000)
            return None
        span = self._view.selected_span_ms()
        if span is None:
            return None
        return self._annotations.highlight_over(*span), span

    def _apply_to_highlight(self, label: str, target, edit) -> None:
        """One undo step: highlight the span if needed, then edit the highlight."""
        highlight, span = target
        with self._annotations.one_step(label):
            if highlight is None:
                highlight = self._annotations.ensure_highlight(*span, self._color)
            if highlight is not None:  # None: it could not be made, and the status bar says why
                edit(highlight.id)

    def edit_note(self, highlight_id: int | None = None) -> None:
        target = self._edit_target(highlight_id)
        if target is None:
            return
        highlight, span = target
        start, end = (highlight.start_ms, highlight.end_ms) if highlight else span
        current = highlight.note or "" if highlight else ""
        with focus_returns():
            text, ok = QInputDialog.getMultiLineText(self._dialog_parent, "Note",
                                                     f"Note on {format_clock(start)}–{format_clock(end)}:", current)
        if ok and text != current:
            self._apply_to_highlight("Note", target, lambda hid: self._annotations.set_note(hid, text))

    def add_tag(self, highlight_id: int | None = None) -> None:
        target = self._edit_target(highlight_id)
        if target is None:
            return
        with focus_returns():
            name, ok = QInputDialog.getItem(self._dialog_parent, "Tag", "Tag (pick one or type a new one):",
                                            self._annotations.tag_names(), -1, True)
        if ok and name.strip():
            self._apply_to_highlight("Tag", target, lambda hid: self._annotations.add_tag(hid, name.strip()))

    def step_highlight(self, direction: int) -> None:
        now = self._playback.time_ms()
        starts = sorted(h.start_ms for h in self._annotations.highlights)
        after = [s for s in starts if s > now + 500] if direction > 0 else [s for s in starts if s < now - 1500]
        if after:
            self._seek(after[0] if direction > 0 else after[-1])

    # ----- the menu on a line -----------------------------------------------------------

    def line_menu(self, segment: int, actions: Mapping[str, QAction]) -> QMenu:
        """What a right click on a line offers: the window's own actions, so each shows its
        key (1-5, N, T), acting on the selection the click made; then copy and play."""
        menu = QMenu(self._view)
        menu.setObjectName("lineMenu")
        menu.addSection("Highlight the selected lines")
        for color in COLOR_NAMES:
            menu.addAction(actions[f"color_{color}"])
        menu.addSeparator()
        menu.addAction(actions["note"])
        menu.addAction(actions["tag"])
        span = self._view.selected_span_ms()
        existing = self._annotations.highlight_over(*span) if span else None
        if existing is not None:
            remove = menu.addAction("Remove the highlight")
            remove.triggered.connect(lambda: self._annotations.remove_highlight(existing.id))
        menu.addSeparator()
        copy = menu.addAction("Copy the text")
        copy.setShortcut(QKeySequence(QKeySequence.StandardKey.Copy))   # shown; the view handles the key
        copy.triggered.connect(self._view.copy_selection)
        menu.addSeparator()
        for name in ("edit_line", "merge_line", "name_speaker"):   # corrections of the line clicked
            if name in actions:
                menu.addAction(actions[name])
        transcript = self._view.segment_model.transcript
        if transcript is not None and 0 <= segment < len(transcript):
            start = transcript[segment].start_ms
            play = menu.addAction(f"Play from here ({format_clock(start)})")
            play.triggered.connect(lambda: self._seek_and_play(start))
        return menu

    def show_line_menu(self, position: QPoint, segment: int, actions: Mapping[str, QAction]) -> None:
        menu = self.line_menu(segment, actions)
        menu.exec(position)
        menu.deleteLater()
