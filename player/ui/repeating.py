"""Study ▸ loops and shadowing: the line looped (L), the line replayed (R), an A-B loop
(Shift+[ and Shift+], or Shift+drag on the seek bar), a pause after each line for the
learner to say it aloud (S). The decisions are player/core/repeat.py's; this carries
them out on the playback and shows them.

Precision: each tick aims a BoundaryTimer (boundary.py) at the next loop end or shadowing
turn, so the jump back (or the pause) happens within a frame of it, not on the next tick."""

from __future__ import annotations

import dataclasses
import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeyEvent
from PySide6.QtWidgets import QLabel

from player.core.repeat import (MIN_RATE, PAUSE_CHOICES_MS, SHADOW_FACTORS, SLOWDOWN_STEP, Decision, Loop,
                                RepeatOptions, Repeater)
from player.core.timecode import format_clock
from player.playback import PlaybackState
from player.ui.boundary import BoundaryTimer

COUNTDOWN_MS = 100
STATUS_MS = 5000


class Repeating(QObject):
    """The loop and shadowing actions of the window, and what they do while it plays."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self._window = window
        self._playback = window.playback
        self.repeater = Repeater(self._read_options())
        self.waiting: Decision | None = None   # a pause before going on, under way
        self._paused_seen = False              # the playback has paused for it
        self._seek_after_wait: int | None = None   # a wait at the media's end: where to go on from
        self._own_rate: float | None = None    # the rate this set last (a slow-down)
        self._init_timers()
        self._init_actions()
        self._init_status()
        self._connect_signals()

    # --- construction ----------------------------------------------------------------
    def _init_timers(self) -> None:
        self._boundary = BoundaryTimer(self._playback, self._on_time, self)
        self._wait_timer = QTimer(self)
        self._wait_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._wait_timer.setSingleShot(True)
        self._wait_timer.timeout.connect(self._end_wait)
        self._countdown = QTimer(self, interval=COUNTDOWN_MS)
        self._countdown.timeout.connect(self._show_countdown)

    def _init_actions(self) -> None:
        window, add = self._window, self._window.add_action
        self.actions: dict[str, QAction] = {
            "loop_line": add("loop_line", "&Loop the line", ["L"], self.set_line_loop, checkable=True, group="Study"),
            "replay_line": add("replay_line", "&Replay the line", ["R"], self.replay_line, group="Study"),
            # Qt matches Shift+[ to the key that types "{" as well: naming "{" too would be ambiguous.
            "loop_start": add("loop_start", "Loop &start (A)", ["Shift+["], self.mark_start, group="Study"),
            "loop_end": add("loop_end", "Loop &end (B)", ["Shift+]"], self.mark_end, group="Study"),
            "clear_loop": add("clear_loop", "&Clear the loop\tEsc", [], self.clear_loop, group="Study"),
            "shadowing": add("shadowing", "S&hadowing", ["S"], self.set_shadowing, checkable=True, group="Study"),
        }
        menu = window.study_menu
        for name in ("loop_line", "replay_line", None, "loop_start", "loop_end", "clear_loop", None, "shadowing"):
            menu.addSeparator() if name is None else menu.addAction(self.actions[name])
        self.options_menu = menu.addMenu("Repeat &options")
        self.options_menu.setObjectName("repeatOptionsMenu")
        options = self.repeater.options
        self._choices(self.options_menu.addMenu("&Pause between repeats"), "pause_ms",
                      [("Off" if ms == 0 else f"{ms // 1000} s", ms) for ms in PAUSE_CHOICES_MS], options.pause_ms)
        self._choices(self.options_menu.addMenu("&Slow down each repeat"), "slow_down",
                      [("Off", False), (f"{SLOWDOWN_STEP:g}× slower each repeat, down to {MIN_RATE:g}×", True)],
                      options.slow_down)
        self._choices(self.options_menu.addMenu("Shadowing &pause"), "shadow_factor",
                      [(f"{factor:g}× the line's length", factor) for factor in SHADOW_FACTORS],
                      options.shadow_factor)

    def _choices(self, menu, key: str, choices: list, current) -> None:
        group = QActionGroup(menu)
        for text, value in choices:
            act = menu.addAction(text)
            act.setObjectName(f"repeat_{key}_{value}")
            act.setCheckable(True)
            act.setChecked(value == current)
            act.triggered.connect(lambda _checked=False, v=value: self.set_option(key, v))
            group.addAction(act)

    def _init_status(self) -> None:
        self.status_label = QLabel()
        self.status_label.setObjectName("loopStatus")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.hide()
        self._window.statusBar().addPermanentWidget(self.status_label)

    def _connect_signals(self) -> None:
        self._window.sync.time_changed.connect(self._on_time)
        self._playback.state_changed.connect(self._on_state)
        self._playback.rate_changed.connect(self._on_rate)
        self._window.transport.seek_slider.range_selected.connect(self.set_range)
        self._window.actions_by_name["play"].triggered.connect(self._on_play_pressed)
        self._window.installEventFilter(self)   # Esc that nothing else took clears the loop
        self._window.annotating.loop_holds = lambda: self.repeater.loop is not None   # over Play highlights

    # --- options -----------------------------------------------------------------------
    def _read_options(self) -> RepeatOptions:
        settings = self._window.settings
        pause = settings.value("repeat/pause_ms", 0, type=int)
        factor = settings.value("repeat/shadow_factor", 1.0, type=float)
        return RepeatOptions(pause_ms=pause if pause in PAUSE_CHOICES_MS else 0,
                             slow_down=settings.value("repeat/slow_down", False, type=bool),
                             shadow_factor=factor if factor in SHADOW_FACTORS else 1.0)

    def set_option(self, key: str, value) -> None:
        """One of the repeat options, remembered."""
        self.repeater.options = dataclasses.replace(self.repeater.options, **{key: value})
        self._window.settings.setValue(f"repeat/{key}", value)
        for act in self.options_menu.findChildren(QAction, f"repeat_{key}_{value}"):
            act.setChecked(True)

    # --- the actions -------------------------------------------------------------------
    def set_line_loop(self, on: bool) -> None:
        """L: loop the line being spoken, or stop looping."""
        if not on:
            self.clear_loop()
            return
        if self._refused_while_dictating():
            return
        self._sync_transcript()
        loop = self.repeater.loop_line(self._playback.time_ms())
        if loop is None:
            self._status("No line here to loop: open a transcript, or loop from A to B (Shift+[ and Shift+])")
        self._begin_loop(loop)

    def replay_line(self) -> None:
        """R: the line just heard, again."""
        if self._refused_while_dictating():
            return
        self._sync_transcript()
        target = self.repeater.replay_target(self._playback.time_ms())
        if target is None:
            self._status("No line to replay here")
            return
        self._cancel_wait()
        self._seek(target)
        self._playback.play()

    def mark_start(self) -> None:
        """Shift+[: the A-B loop starts at the playhead."""
        if self._refused_while_dictating():
            return
        self.repeater.mark_start(self._playback.time_ms())
        self._status(f"Loop from {format_clock(self.repeater.mark_a)}: press Shift+] where it ends")
        self._show()

    def mark_end(self) -> None:
        """Shift+]: the A-B loop ends at the playhead and starts repeating."""
        if self.repeater.mark_a is None:
            self._status("Mark where the loop starts first (Shift+[)")
            return
        self.set_range(self.repeater.mark_a, self._playback.time_ms())

    def set_range(self, a_ms: int, b_ms: int) -> None:
        """An A-B loop between two times (in either order), from its start."""
        if self._refused_while_dictating():
            return
        loop = self.repeater.set_range(a_ms, b_ms)
        if loop is None:
            self.repeater.mark_a = None
            self._status("Too short to loop: mark a longer stretch")
        self._begin_loop(loop)
        if loop is not None:
            self._cancel_wait()
            self._seek(loop.start_ms)
            self._playback.play()

    def clear_loop(self) -> None:
        had = self.repeater.loop is not None or self.repeater.mark_a is not None
        self.repeater.clear()
        if self.waiting is not None and not self.waiting.shadowing:
            self._cancel_wait()
        self._restore_rate()
        self._show()
        if had:
            self._status("Loop cleared")

    def set_shadowing(self, on: bool) -> None:
        """S: pause after each line for the learner to say it, then go on."""
        if on and self._refused_while_dictating():
            return
        self._sync_transcript()
        self.repeater.shadowing = on
        if not on and self.waiting is not None and self.waiting.shadowing:
            self._cancel_wait()
        if on and not self.repeater.transcript:
            self._status("Shadowing pauses after each line: open a transcript for it to have lines")
        elif on:
            factor = self.repeater.options.shadow_factor
            self._status(f"Shadowing: after each line, a pause {factor:g}× its length to say it (Space goes on)")
        self._show()

    def stand_aside(self) -> None:
        """Dictation begins: it plays each line and stops it itself, so no loop may play the
        line again and no shadowing pause may play on while the learner types."""
        if self.repeater.shadowing:
            self.set_shadowing(False)
        self.clear_loop()

    def _refused_while_dictating(self) -> bool:
        if not self._window.dictation.active:
            return False
        self._status("Not while dictating: dictation plays each line itself (Esc leaves it)")
        self._show()   # the action just toggled shows its true state again
        return True

    # --- while it plays ------------------------------------------------------------------
    def _on_time(self, now_ms: int) -> None:
        self._sync_transcript()
        repeater = self.repeater
        if self._playback.state is not PlaybackState.PLAYING or self.waiting is not None:
            repeater.restart()
            self._boundary.stop()
            return
        if repeater.loop is None and not repeater.shadowing:
            self._boundary.stop()
            return
        rate = self._playback.rate
        decision = repeater.on_tick(now_ms, time.monotonic() * 1000, rate)
        if decision:
            self._carry_out(decision)
            return
        self._boundary.aim(now_ms, repeater.next_boundary(now_ms))

    def _carry_out(self, decision: Decision, *, at_media_end: bool = False) -> None:
        self._boundary.stop()
        if decision.rate is not None:
            self._own_rate = decision.rate
            self._playback.set_rate(decision.rate)
        if decision.pause_ms > 0:
            self.waiting = decision
            if at_media_end:
                # Nothing plays, and a seek after the end plays at once: it waits for the end of the pause.
                self._paused_seen, self._seek_after_wait = True, decision.seek_ms
            else:
                self._paused_seen = False
                self._playback.pause()
                if decision.seek_ms is not None:
                    # Paused at A, or inside the line a shadowing turn follows (so it stays the
                    # current one): Space, or the end of the wait, plays on from there.
                    self._seek(decision.seek_ms)
            self._wait_timer.start(decision.pause_ms)
            self._countdown.start()
            self._show_countdown()
        elif decision.seek_ms is not None:
            self._seek(decision.seek_ms)
        self._show()

    def _end_wait(self) -> None:
        seek = self._seek_after_wait
        self._cancel_wait()
        if seek is None:
            self._playback.play()
        else:
            self._seek(seek)   # after the media's end a seek plays

    def _on_play_pressed(self) -> None:
        """Space during a wait at the media's end: the playback has just been told to play
        from the media's start; the loop goes on from its own."""
        if self.waiting is not None and self._seek_after_wait is not None:
            self._end_wait()

    def _cancel_wait(self) -> None:
        if self.waiting is None:
            return
        self.waiting, self._seek_after_wait = None, None
        self._wait_timer.stop()
        self._countdown.stop()
        self._window.statusBar().clearMessage()
        self.repeater.restart()

    def _show_countdown(self) -> None:
        if self.waiting is None:
            return
        left = self._wait_timer.remainingTime() / 1000
        text = "Your turn… {:.1f} s  (Space goes on)" if self.waiting.shadowing else "Again in {:.1f} s"
        self._window.statusBar().showMessage(text.format(max(0.0, left)))

    def _on_state(self, state: PlaybackState) -> None:
        if state is PlaybackState.LOADING:   # another lecture: the loop was the last one's
            self._cancel_wait()
            self.repeater.clear()
            self._restore_rate()
            self._show()
            return
        if state is PlaybackState.ENDED and self.waiting is None:
            decision = self.repeater.on_media_end(self._playback.rate)
            if decision:
                self._carry_out(decision, at_media_end=True)
            return
        if self.waiting is None:
            return
        if state is PlaybackState.PAUSED:
            self._paused_seen = True
        elif state is PlaybackState.PLAYING and self._paused_seen:
            self._cancel_wait()   # Space (or a click) went on before the wait was over
        elif state in (PlaybackState.ENDED, PlaybackState.ERROR, PlaybackState.EMPTY, PlaybackState.LOADING):
            self._cancel_wait()

    def _on_rate(self, rate: float) -> None:
        if rate != self._own_rate:
            self.repeater.set_base_rate(rate)   # the learner chose a speed: slow-downs start from it
            self._own_rate = None

    # --- inside ----------------------------------------------------------------------------
    def _sync_transcript(self) -> None:
        if self.repeater.transcript is not self._window.transcript:
            had_line_loop = self.repeater.loop is not None and self.repeater.loop.line is not None
            self.repeater.set_transcript(self._window.transcript)
            if had_line_loop:
                self._restore_rate()
                self._show()

    def _begin_loop(self, loop: Loop | None) -> None:
        self._restore_rate()
        self.repeater.set_base_rate(self._playback.rate)
        self._show()
        if loop is not None:
            what = "this line" if loop.line is not None else \
                f"{format_clock(loop.start_ms)} to {format_clock(loop.end_ms)}"
            self._status(f"Looping {what}: Esc or Study ▸ Clear the loop stops it")

    def _restore_rate(self) -> None:
        """Back to the learner's speed after a slowed-down loop."""
        if self._own_rate is not None:   # (a speed the learner chose since has cleared it)
            self._own_rate = None
            self._playback.set_rate(self.repeater.base_rate)

    def _seek(self, ms: int) -> None:
        self.repeater.restart()
        self._window.seek(ms)

    def _status(self, message: str) -> None:
        self._window.statusBar().showMessage(message, STATUS_MS)

    def _show(self) -> None:
        """The loop as the learner sees it: the checked action, the band, the count."""
        repeater = self.repeater
        loop = repeater.loop
        self.actions["loop_line"].setChecked(loop is not None and loop.line is not None)
        self.actions["shadowing"].setChecked(repeater.shadowing)
        self.actions["clear_loop"].setEnabled(loop is not None or repeater.mark_a is not None)
        self._window.transport.show_loop((loop.start_ms, loop.end_ms) if loop else None, repeater.mark_a,
                                         repeater.count if loop else None)
        parts = []
        if loop is not None:
            rate = f" at {self._playback.rate:g}×" if self._own_rate is not None else ""
            parts.append(f"{'Line loop' if loop.line is not None else 'A-B loop'} {repeater.count}×{rate}")
        if repeater.shadowing:
            parts.append("Shadowing")
        self.status_label.setText(" · ".join(parts))
        self.status_label.setVisible(bool(parts))

    # --- Esc, and the window closing ----------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self._window and event.type() == QEvent.Type.Close:
            self._cancel_wait()   # its end would play the lecture after the window has gone
            self._boundary.stop()
            return False
        # Only an Esc no widget took reaches the window: a text field, the find bar or a
        # line being edited keep theirs.
        if watched is self._window and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() == Qt.Key.Key_Escape and event.modifiers() == Qt.KeyboardModifier.NoModifier \
                and (self.repeater.loop is not None or self.repeater.mark_a is not None):
            self.clear_loop()
            return True
        return False

