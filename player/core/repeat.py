"""Loops and shadowing as decisions on clock times: a line looped (L), an A-B loop,
a pause after each line for the learner to say it aloud. No Qt: the window feeds
`Repeater.on_tick` the playing time and carries out the `Decision` it returns.

A loop repeats when the playing time crosses its end; a jump (a seek, Left/Right, a
click on a line) is not a crossing, so the learner can still leave a loop by seeking
past its end. A jump into another line moves a line loop to that line.

Shadowing pauses at each line's end for the line's length times the factor. The turn is
taken a moment before the end (`turn_stop_ms`), and the playhead waits there: inside the
line just heard, so that line stays the current one (where the next line starts as it
ends, the end itself is the next line's), and playing on from there crosses no turn again.
A line loop's end is its line's. In an A-B loop the learner repeats line by line too: a
pause at each line's end inside it (for the part of the line after A), and one at B for
what was said since the last (none when B falls in a pause after a line that had its turn).
"""

from __future__ import annotations

from dataclasses import dataclass

from player.core.transcript import Transcript

# The slow-down per repeat, off the learner's speed, and the slowest it goes.
SLOWDOWN_STEP = 0.1
MIN_RATE = 0.5
# R this soon after a line began replays the line before (the one just heard), as
# "previous" does in media players.
REPLAY_GRACE_MS = 1000
# A loop shorter than this would do little but seek.
MIN_LOOP_MS = 200
# Between two ticks the time may run ahead of the wall clock by this much without
# being a jump: the clock re-anchors on libVLC's reports, which come every 250 ms.
JUMP_SLACK_MS = 400

# A line's turn (shadowing, dictation) starts this long before its end (at most half the
# line), so the line stays the current one: more than a frame, as libVLC reports the time
# of the frame it shows, and touching lines hand over at the end.
TURN_BEFORE_END_MS = 60

PAUSE_CHOICES_MS = (0, 1000, 2000, 3000, 5000)
SHADOW_FACTORS = (1.0, 1.5, 2.0)


@dataclass(frozen=True)
class RepeatOptions:
    pause_ms: int = 0             # a pause before each repeat
    slow_down: bool = False       # each repeat SLOWDOWN_STEP slower, down to MIN_RATE
    shadow_factor: float = 1.0    # shadowing pauses this many times the line's length


@dataclass(frozen=True)
class Loop:
    start_ms: int
    end_ms: int
    line: int | None = None       # the transcript line looped; None for an A-B loop


@dataclass(frozen=True)
class Decision:
    """What the player does now: pause for `pause_ms` (wall time) if any, jump to
    `seek_ms` if any, play at `rate` if given; then play (after the pause). A shadowing
    turn's `seek_ms` is where it began: back inside the line, had the pause come late."""
    seek_ms: int | None = None
    pause_ms: int = 0
    rate: float | None = None
    shadowing: bool = False       # the pause is the learner's turn to speak

    def __bool__(self) -> bool:
        return self.seek_ms is not None or self.pause_ms > 0 or self.rate is not None


NOTHING = Decision()


def slowed_rate(base_rate: float, repeats: int) -> float:
    """The rate of the `repeats`-th repeat with the slow-down on."""
    return round(max(MIN_RATE, base_rate - SLOWDOWN_STEP * repeats), 2) if base_rate > MIN_RATE else base_rate


class Repeater:
    """The loop (line or A-B), its repeat count and shadowing, fed with clock times."""

    def __init__(self, options: RepeatOptions = RepeatOptions()) -> None:
        self.options = options
        self.transcript: Transcript | None = None
        self.loop: Loop | None = None
        self.count = 0                 # repeats done of the current loop
        self.mark_a: int | None = None  # A-B marks, A set alone until B comes
        self.shadowing = False
        self.base_rate = 1.0           # the learner's speed, before any slow-down
        self._slowed_repeats = 0       # repeats slowed since the learner chose base_rate
        self._last: tuple[int, float] | None = None   # (media ms, wall ms) at the previous tick
        self.last_played_ms: int | None = None        # the media time at the last tick while playing

    # --- what the learner sets ----------------------------------------------------
    def set_transcript(self, transcript: Transcript | None) -> None:
        self.transcript = transcript
        if self.loop is not None and self.loop.line is not None:
            self.clear()

    def loop_line(self, now_ms: int) -> Loop | None:
        """Loop the line being spoken at `now_ms` (or the one just before a pause)."""
        line = self.transcript.segment_near(now_ms) if self.transcript else None
        if line is None:
            return None
        return self._start_loop(self._line_loop(line))

    def mark_start(self, ms: int) -> None:
        self.mark_a = max(0, int(ms))

    def mark_end(self, ms: int) -> Loop | None:
        """B at `ms`: the A-B loop from the A marked (the two in either order). None
        without an A, or when the two are too close."""
        if self.mark_a is None:
            return None
        return self.set_range(self.mark_a, ms)

    def set_range(self, a_ms: int, b_ms: int) -> Loop | None:
        start, end = sorted((max(0, int(a_ms)), max(0, int(b_ms))))
        if end - start < MIN_LOOP_MS:
            return None
        self.mark_a = None
        return self._start_loop(Loop(start, end))

    def clear(self) -> None:
        self.loop = None
        self.mark_a = None
        self.count = 0

    def set_base_rate(self, rate: float) -> None:
        """The learner chose a speed (or a loop began at it): the slow-down starts from it."""
        self.base_rate = rate
        self._slowed_repeats = 0

    def replay_target(self, now_ms: int) -> int | None:
        """Where R goes: the start of the line just heard."""
        if not self.transcript:
            return None
        line = self.transcript.segment_near(now_ms)
        if line is None:
            return None
        segment = self.transcript[line]
        # (A line heard to its turn, as in a shadowing pause, is the one heard however short.)
        if now_ms - segment.start_ms < REPLAY_GRACE_MS and line > 0 \
                and self.transcript.segment_at(now_ms) is not None and now_ms < self.turn_stop_ms(line):
            line -= 1
        return self.transcript[line].start_ms

    def restart(self) -> None:
        """The next tick starts afresh (after a seek the window made itself)."""
        self._last = None

    # --- the clock -------------------------------------------------------------------
    def next_boundary(self, now_ms: int) -> int | None:
        """The media time of the next decision ahead of `now_ms`, if any: the loop's end,
        or with shadowing where the turn after the line being spoken starts."""
        ends = []
        if self.loop is not None and now_ms < self.loop.end_ms:
            ends.append(self.loop.end_ms)
        if self.shadowing and self.transcript:
            line = self.transcript.segment_at(now_ms)
            if line is not None and now_ms < self.turn_stop_ms(line):
                ends.append(self.turn_stop_ms(line))
        return min(ends) if ends else None

    def on_tick(self, now_ms: int, wall_ms: float, rate: float) -> Decision:
        """The playing time `now_ms` read at monotonic `wall_ms`, at `rate`: what to do."""
        last, self._last = self._last, (now_ms, wall_ms)
        self.last_played_ms = now_ms
        if last is None:
            return NOTHING
        last_ms, last_wall = last
        expected = max(0.0, wall_ms - last_wall) * rate
        if now_ms < last_ms or now_ms - last_ms > expected + JUMP_SLACK_MS:
            self._on_jump(now_ms)
            return NOTHING
        loop = self.loop
        if loop is not None and last_ms < loop.end_ms <= now_ms:
            return self._repeat(loop, rate)
        if self.shadowing and self.transcript:
            line = self.transcript.segment_at(last_ms)
            if line is not None and last_ms < self.turn_stop_ms(line) <= now_ms:
                return self._turn(line, last_ms, rate)
        return NOTHING

    def on_media_end(self, rate: float) -> Decision:
        """The media ended: a loop that reaches its end (libVLC ends before the clock reads
        the loop's end) goes round, if the playhead was in it."""
        loop, last = self.loop, self.last_played_ms
        if loop is None or last is None or not loop.start_ms <= last < loop.end_ms:
            return NOTHING
        return self._repeat(loop, rate)

    def turn_stop_ms(self, line: int) -> int:
        """Where shadowing stops for the learner's turn after `line`: just inside its end."""
        segment = self.transcript[line]
        return segment.end_ms - min(TURN_BEFORE_END_MS, (segment.end_ms - segment.start_ms) // 2)

    def shadow_pause_ms(self, start_ms: int, end_ms: int, rate: float) -> int:
        """The learner's turn after saying start-end: its length as heard at `rate`,
        times the factor."""
        return round((end_ms - start_ms) / rate * self.options.shadow_factor)

    # --- inside ----------------------------------------------------------------------------
    def _line_loop(self, line: int) -> Loop:
        segment = self.transcript[line]
        return Loop(segment.start_ms, max(segment.end_ms, segment.start_ms + MIN_LOOP_MS), line)

    def _start_loop(self, loop: Loop) -> Loop:
        self.loop = loop
        self.count = self._slowed_repeats = 0
        return loop

    def _turn(self, line: int, last_ms: int, rate: float) -> Decision:
        """Shadowing: the learner's turn after `line`, at its stop; NOTHING where the loop
        played in gives the turn at its end instead (a line loop, or B in the line's last moment)."""
        segment, loop = self.transcript[line], self.loop
        heard_from = segment.start_ms
        if loop is not None and loop.start_ms <= last_ms < loop.end_ms:
            if loop.line is not None or loop.end_ms <= segment.end_ms:
                return NOTHING
            heard_from = max(segment.start_ms, loop.start_ms)
        self._last = None   # the seek back to the stop is ours, not the learner's
        stop = self.turn_stop_ms(line)
        return Decision(seek_ms=stop, pause_ms=self.shadow_pause_ms(heard_from, segment.end_ms, rate),
                        shadowing=True)

    def _on_jump(self, now_ms: int) -> None:
        loop = self.loop
        if loop is None or loop.line is None or not self.transcript:
            return
        line = self.transcript.segment_at(now_ms)
        if line is not None and line != loop.line:
            self._start_loop(self._line_loop(line))

    def _repeat(self, loop: Loop, rate: float) -> Decision:
        self.count += 1
        self._last = None   # the jump back is ours, not the learner's
        new_rate = None
        if self.options.slow_down:
            self._slowed_repeats += 1
            new_rate = slowed_rate(self.base_rate, self._slowed_repeats)
        pause = self.options.pause_ms
        heard_from = self._last_turn_heard_from(loop) if self.shadowing else None
        if heard_from is not None:
            pause = max(pause, self.shadow_pause_ms(heard_from, loop.end_ms, rate))
        return Decision(seek_ms=loop.start_ms, pause_ms=pause,
                        rate=new_rate if new_rate != rate else None, shadowing=self.shadowing)

    def _last_turn_heard_from(self, loop: Loop) -> int | None:
        """Shadowing at the loop's end: where what the learner now says began. A line loop's
        line, or a loop without lines, whole; in an A-B loop the line being said at B (from A
        at the earliest); None when B falls in a pause after a line that had its own turn."""
        if loop.line is not None or not self.transcript:
            return loop.start_ms
        at_b = loop.end_ms - 1
        line = self.transcript.segment_at(at_b)
        if line is not None:
            return max(loop.start_ms, self.transcript[line].start_ms)
        before = self.transcript.segment_near(at_b)
        if before is not None and self.turn_stop_ms(before) > loop.start_ms:
            return None
        return loop.start_ms
