"""The loop and shadowing decisions, fed with a fake clock: ticks of media time and
wall time as the window's tick would give them."""

from __future__ import annotations

import pytest

from player.core.repeat import (JUMP_SLACK_MS, MIN_LOOP_MS, MIN_RATE, NOTHING, TURN_BEFORE_END_MS, Decision, Loop,
                                RepeatOptions, Repeater, slowed_rate)
from player.core.transcript import Segment, Transcript

# Lines 1.0-2.5 s, 2.5-4.0 s, a gap, 5.0-6.0 s.
LINES = Transcript([Segment(1000, 2500, "one"), Segment(2500, 4000, "two"), Segment(5000, 6000, "three")])


class FakeClock:
    """Media time and wall time advancing together at `rate`, 20 ms a tick."""

    def __init__(self, repeater: Repeater, media_ms: int = 0, rate: float = 1.0) -> None:
        self.repeater, self.media_ms, self.wall_ms, self.rate = repeater, media_ms, 0.0, rate
        self.decisions: list[tuple[int, Decision]] = []

    def tick(self, step_ms: int = 20) -> Decision:
        self.wall_ms += step_ms
        self.media_ms += round(step_ms * self.rate)
        decision = self.repeater.on_tick(self.media_ms, self.wall_ms, self.rate)
        if decision:
            self.decisions.append((self.media_ms, decision))
            if decision.seek_ms is not None:
                self.media_ms = decision.seek_ms
            if decision.rate is not None:
                self.rate = decision.rate
        return decision

    def play_until(self, media_ms: int, limit: int = 10_000) -> None:
        for _ in range(limit):
            if self.media_ms >= media_ms:
                return
            self.tick()
        raise AssertionError("never got there")

    def first_decision(self, limit: int = 10_000) -> tuple[int, Decision]:
        for _ in range(limit):
            if self.tick():
                return self.decisions[-1]
        raise AssertionError("nothing decided")

    def play_ticks(self, ticks: int) -> None:
        for _ in range(ticks):
            self.tick()

    def jump(self, media_ms: int) -> Decision:
        """A seek: the time moves further than the wall clock explains."""
        self.media_ms = media_ms
        return self.tick(0)


def repeater(**options) -> Repeater:
    made = Repeater(RepeatOptions(**options))
    made.set_transcript(LINES)
    return made


def test_line_loop_jumps_back_to_the_line_start_at_its_end_and_counts():
    rep = repeater()
    clock = FakeClock(rep, media_ms=1200)
    assert rep.loop_line(1200) == Loop(1000, 2500, line=0)
    clock.tick()
    clock.play_ticks(300)   # 6 s of playing: four times round a 1.5 s line
    assert [(at, d.seek_ms) for at, d in clock.decisions][:2] == [(2500, 1000), (2500, 1000)]
    assert rep.count == len(clock.decisions) == 4
    assert 1000 <= clock.media_ms < 2500


def test_a_line_loop_is_the_line_near_a_pause_and_none_before_the_first():
    rep = repeater()
    assert rep.loop_line(4500).line == 1    # in the gap after "two"
    assert rep.loop_line(500) is None
    assert Repeater().loop_line(1200) is None   # no transcript


def test_a_jump_past_the_end_leaves_the_loop_rather_than_repeating():
    rep = repeater()
    clock = FakeClock(rep, media_ms=3000)
    rep.set_range(2000, 3500)
    clock.tick()
    assert clock.jump(4600) == NOTHING       # Right: forward past B
    clock.play_ticks(20)
    assert clock.decisions == [] and rep.count == 0


def test_a_jump_into_another_line_moves_the_line_loop_there():
    rep = repeater()
    clock = FakeClock(rep, media_ms=1200)
    rep.loop_line(1200)
    clock.tick()
    rep.count = 3
    clock.jump(5100)
    assert rep.loop == Loop(5000, 6000, line=2) and rep.count == 0
    clock.play_ticks(50)   # 1 s: round once
    assert [(at, d.seek_ms) for at, d in clock.decisions] == [(6000, 5000)]


def test_a_jump_back_within_the_line_keeps_the_loop():
    rep = repeater()
    clock = FakeClock(rep, media_ms=2000)
    rep.loop_line(2000)
    clock.tick()
    clock.jump(1100)
    assert rep.loop.line == 0


def test_time_running_ahead_within_the_slack_is_playing_not_a_jump():
    """The clock re-anchors on libVLC's reports: a tick may move a little more than the
    wall clock explains, and the end is still a crossing."""
    rep = repeater()
    clock = FakeClock(rep, media_ms=2400)
    rep.loop_line(2400)
    clock.tick()
    clock.media_ms += JUMP_SLACK_MS - 100
    assert clock.tick().seek_ms == 1000


def test_ab_loop_in_either_order_and_too_short_refused():
    rep = repeater()
    rep.mark_start(3000)
    assert rep.mark_a == 3000
    assert rep.mark_end(1500) == Loop(1500, 3000) and rep.mark_a is None
    assert rep.set_range(100, 100 + MIN_LOOP_MS - 1) is None
    assert rep.mark_end(5000) is None   # no A marked


def test_ab_loop_repeats_from_a_and_the_count_goes_up():
    rep = repeater()
    clock = FakeClock(rep, media_ms=1500)
    rep.set_range(1500, 2100)
    clock.play_ticks(100)   # 2 s
    assert {d.seek_ms for _, d in clock.decisions} == {1500}
    assert rep.count == len(clock.decisions) == 3


def test_pause_between_repeats_then_from_the_start():
    rep = repeater(pause_ms=2000)
    clock = FakeClock(rep, media_ms=2400)
    rep.loop_line(2400)
    assert clock.first_decision() == (2500, Decision(seek_ms=1000, pause_ms=2000))


def test_slow_down_lowers_the_rate_each_repeat_down_to_half():
    rep = repeater(slow_down=True)
    rep.base_rate = 1.0
    clock = FakeClock(rep, media_ms=1000)
    rep.loop_line(1000)
    clock.play_ticks(1000)
    rates = [d.rate for _, d in clock.decisions]
    assert rates[:5] == [0.9, 0.8, 0.7, 0.6, 0.5]
    assert all(r is None for r in rates[5:]) and clock.rate == MIN_RATE   # stays at 0.5x
    assert slowed_rate(1.5, 3) == 1.2 and slowed_rate(0.5, 2) == 0.5


def test_shadowing_pauses_at_each_line_end_for_its_length_times_the_factor():
    rep = repeater(shadow_factor=1.5)
    rep.shadowing = True
    clock = FakeClock(rep, media_ms=900)
    clock.play_until(6100)
    # Each turn a moment before the line's end, waited there (seek_ms): inside the line.
    assert [(at, d.pause_ms, d.seek_ms, d.shadowing) for at, d in clock.decisions] == [
        (2440, 2250, 2440, True), (3940, 2250, 3940, True), (5940, 1500, 5940, True)]


def test_a_shadowing_turn_that_came_late_waits_inside_the_line_and_is_taken_once():
    """Where lines touch, a turn read late (a loaded machine) is already in the next line:
    it goes back inside the one just heard, and playing on from there is no second turn."""
    rep = repeater()
    rep.shadowing = True
    clock = FakeClock(rep, media_ms=2000)
    clock.tick()
    late = clock.tick(step_ms=2600 - 2020)              # read at 2.6 s: "two" already
    stop = 2500 - TURN_BEFORE_END_MS
    assert late == Decision(seek_ms=stop, pause_ms=1500, shadowing=True)
    assert LINES.segment_near(stop) == 0                # "one" stays the current line
    rep.restart()                                       # the window seeks there and waits
    clock.media_ms = stop
    clock.play_until(3900)
    assert [at for at, _d in clock.decisions] == [2600]  # no second turn for "one"
    clock.play_until(4000)
    assert [(at, d.seek_ms) for at, d in clock.decisions[1:]] == [(3940, 3940)]   # then "two"'s


def test_a_shadowing_turn_for_a_line_shorter_than_its_margin_is_still_inside_it():
    rep = repeater()
    rep.set_transcript(Transcript([Segment(1000, 1040, "a"), Segment(1040, 2000, "b")]))
    assert rep.turn_stop_ms(0) == 1020 and rep.transcript.segment_near(1020) == 0


def test_shadowing_pause_is_the_line_as_heard_at_a_slower_speed():
    rep = repeater()
    rep.shadowing = True
    clock = FakeClock(rep, media_ms=5000, rate=0.5)
    clock.play_until(6010)
    assert clock.decisions[0][1].pause_ms == 2000


def test_shadowing_does_nothing_between_lines():
    rep = repeater()
    rep.shadowing = True
    clock = FakeClock(rep, media_ms=4010)
    clock.play_until(4990)
    assert clock.decisions == []


def test_shadowing_in_a_line_loop_pauses_before_each_repeat():
    rep = repeater(pause_ms=1000, shadow_factor=2.0)
    rep.shadowing = True
    clock = FakeClock(rep, media_ms=2600)
    rep.loop_line(2600)
    assert clock.first_decision() == (4000, Decision(seek_ms=2500, pause_ms=3000, shadowing=True))


def test_next_boundary_is_the_nearest_end_ahead():
    rep = repeater()
    assert rep.next_boundary(1200) is None
    rep.loop_line(1200)
    assert rep.next_boundary(1200) == 2500
    rep.set_range(1000, 3000)
    rep.shadowing = True
    assert rep.next_boundary(1200) == 2500 - TURN_BEFORE_END_MS   # the line's turn comes first
    assert rep.next_boundary(2450) == 3000   # past it
    assert rep.next_boundary(2600) == 3000
    assert rep.next_boundary(4500) is None


@pytest.mark.parametrize("now, target", [(2000, 1000), (2700, 1000), (3600, 2500), (4500, 2500), (5100, 2500),
                                         (800, None)])
def test_replay_goes_to_the_line_just_heard(now, target):
    assert repeater().replay_target(now) == target


def test_replay_during_a_shadowing_turn_replays_the_line_heard_however_short():
    rep = repeater()
    rep.set_transcript(Transcript([Segment(1000, 2500, "one"), Segment(2500, 3200, "short")]))
    assert rep.replay_target(2700) == 1000                   # just after "short" began: "one"
    assert rep.replay_target(rep.turn_stop_ms(1)) == 2500    # at its turn: "short" itself


def test_a_new_transcript_ends_a_line_loop_but_not_an_ab_loop():
    rep = repeater()
    rep.loop_line(1200)
    rep.set_transcript(Transcript([Segment(0, 1000, "other")]))
    assert rep.loop is None
    rep.set_range(0, 900)
    rep.set_transcript(None)
    assert rep.loop == Loop(0, 900)


def test_clear():
    rep = repeater()
    rep.loop_line(1200)
    rep.count = 2
    rep.mark_start(10)
    rep.clear()
    assert (rep.loop, rep.count, rep.mark_a) == (None, 0, None)


def test_the_media_ending_inside_a_loop_goes_round_and_after_it_does_not():
    rep = repeater()
    clock = FakeClock(rep, media_ms=5500)
    rep.loop_line(5500)
    clock.play_ticks(5)
    assert rep.on_media_end(1.0) == Decision(seek_ms=5000) and rep.count == 1
    clock.jump(6500)   # the learner went past the loop's end
    assert rep.on_media_end(1.0) == NOTHING and rep.count == 1
    rep.clear()
    assert rep.on_media_end(1.0) == NOTHING


def test_shadowing_in_an_ab_loop_pauses_at_each_line_end_inside_it_and_at_b():
    """A stretch of several lines is repeated line by line, as without a loop: the part of
    the first line after A, each whole line, then what was said up to B."""
    rep = repeater()
    rep.shadowing = True
    clock = FakeClock(rep, media_ms=1200)
    rep.set_range(1200, 3000)                 # from inside "one" to inside "two"
    clock.play_ticks(95)                      # once round
    assert [(at, d.pause_ms, d.seek_ms, d.shadowing) for at, d in clock.decisions] == [
        (2440, 1300, 2440, True), (3000, 500, 1200, True)]


def test_shadowing_in_an_ab_loop_ending_in_a_lines_last_moment_gives_one_turn_at_b():
    rep = repeater()
    rep.shadowing = True
    clock = FakeClock(rep, media_ms=1200)
    rep.set_range(1200, 2480)                 # B after the line's turn would start
    clock.play_ticks(70)                      # once round
    assert [(at, d.pause_ms, d.seek_ms) for at, d in clock.decisions] == [(2480, 1280, 1200)]


def test_shadowing_in_an_ab_loop_ending_in_a_pause_gives_no_second_turn_for_the_line_before():
    rep = repeater(pause_ms=1000)
    rep.shadowing = True
    clock = FakeClock(rep, media_ms=1800)
    rep.set_range(1800, 4500)                 # B in the gap after "two"
    clock.play_ticks(140)                     # once round
    assert [(at, d.pause_ms, d.seek_ms) for at, d in clock.decisions] == [
        (2440, 700, 2440), (3940, 1500, 3940), (4500, 1000, 1800)]   # at B: the pause between repeats alone


def test_shadowing_in_an_ab_loop_without_a_line_end_inside_says_the_whole_loop():
    rep = repeater()
    rep.shadowing = True
    assert FakeClock(rep, media_ms=1200).first_decision() == (2440, Decision(seek_ms=2440, pause_ms=1500,
                                                                             shadowing=True))
    rep.set_range(1200, 2000)                 # inside one line
    assert FakeClock(rep, media_ms=1200).first_decision() == (2000, Decision(seek_ms=1200, pause_ms=800,
                                                                             shadowing=True))
    rep.set_range(4100, 4900)                 # inside a gap
    assert FakeClock(rep, media_ms=4100).first_decision() == (4900, Decision(seek_ms=4100, pause_ms=800,
                                                                             shadowing=True))


def test_a_speed_chosen_during_a_slowed_loop_is_where_the_slow_down_starts_again():
    rep = repeater(slow_down=True)
    clock = FakeClock(rep, media_ms=1000)
    rep.loop_line(1000)
    clock.play_ticks(160)                     # twice round: 0.9x, then 0.8x
    assert [d.rate for _, d in clock.decisions] == [0.9, 0.8]
    rep.set_base_rate(1.5)                    # the learner picks 1.5x
    clock.rate = 1.5
    clock.play_ticks(60)
    assert clock.decisions[2][1].rate == 1.4  # one step below it, not three
