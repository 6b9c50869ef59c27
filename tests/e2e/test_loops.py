"""Loops, replay and shadowing in the real window with real libVLC playing a generated
video (25 fps: a frame is 40 ms). Order and state are asserted, never wall-clock windows."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QPoint, Qt

from player.core.repeat import TURN_BEFORE_END_MS
from player.playback import PlaybackState
from tests.conftest import open_playing_lecture, read_clock_until, wait_playing, write_srt

FRAME_MS = 40
# How late a loaded CI machine may be to act or to read the clock: these tests check that a
# loop goes back (order and state), bench/loop_bench.py measures how precisely (a frame).
LATE_MS = 400
# Lines 0-1.5 s, 1.5-3.0 s, 3.0-4.5 s, a gap, 5.0-6.0 s, 6.0-9.0 s.
CUES = [(0.0, 1.5, "Zero, the opening."), (1.5, 3.0, "One, the line we loop."), (3.0, 4.5, "Two, after it."),
        (5.0, 6.0, "Three, after a gap."), (6.0, 9.0, "Four, a long one."), (10.5, 12.5, "Five, to the end.")]


@pytest.fixture
def lecture(tmp_path, video_mp4):
    media = tmp_path / "loop lecture.mp4"
    shutil.copy(video_mp4, media)
    write_srt(tmp_path / "loop lecture.srt", CUES)
    return media


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(window.transcript_view, key, modifier)


def paused_at(qtbot, window, ms: int) -> None:
    """Paused (libVLC has said so), then moved to `ms`: the clock stays there."""
    window.playback.pause()
    qtbot.waitUntil(lambda: window.playback.state is PlaybackState.PAUSED, timeout=5000)
    window.seek(ms)
    assert window.playback.time_ms() == ms


def jumps_back(readings) -> list[tuple[int, int]]:
    """(from, to) of every jump backwards in the clock's readings."""
    times = [now for now, _report in readings]
    return [(a, b) for a, b in zip(times, times[1:]) if b < a]


def back_to(ms: int, to: int) -> bool:
    """A jump back to `ms` read by the next reading: at it, or a moment of playing later."""
    return ms <= to <= ms + LATE_MS


def test_line_loop_repeats_the_line_from_its_start_and_counts_until_l_again(qtbot, window, lecture):
    open_playing_lecture(qtbot, window, lecture)
    paused_at(qtbot, window, 1800)
    repeating = window.repeating
    press(qtbot, window, Qt.Key.Key_L)
    assert window.actions_by_name["loop_line"].isChecked()
    assert window.transport.seek_slider.loop_range == (1500, 3000)
    window.playback.play()
    readings = read_clock_until(qtbot, window.playback, lambda: repeating.repeater.count >= 3)
    # Each time round: up to the line's end, back to its start, never playing on into the
    # next line (how close to the end it turns is the bench's: within a frame).
    backs = jumps_back(readings)
    assert len(backs) >= 2
    assert all(3000 - LATE_MS <= a and back_to(1500, b) for a, b in backs), backs
    assert max(now for now, _ in readings) <= 3000 + LATE_MS, readings
    assert "⟲ 3×" in window.transport.time_label.text() or repeating.repeater.count > 3
    assert repeating.status_label.text().startswith("Line loop")

    press(qtbot, window, Qt.Key.Key_L)   # off: it plays on past the line
    assert not window.actions_by_name["loop_line"].isChecked()
    assert window.transport.seek_slider.loop_range is None and "⟲" not in window.transport.time_label.text()
    read_clock_until(qtbot, window.playback, lambda: window.playback.time_ms() > 3300)
    assert repeating.repeater.loop is None


def test_line_loop_in_paragraph_mode_loops_the_spoken_fragment(qtbot, window, lecture):
    open_playing_lecture(qtbot, window, lecture)
    window.set_paragraph_mode(True)
    paused_at(qtbot, window, 3300)
    press(qtbot, window, Qt.Key.Key_L)
    assert window.repeating.repeater.loop.start_ms == 3000 and window.repeating.repeater.loop.end_ms == 4500
    window.playback.play()
    readings = read_clock_until(qtbot, window.playback, lambda: window.repeating.repeater.count >= 2)
    assert jumps_back(readings) and all(back_to(3000, b) for _a, b in jumps_back(readings))


def test_a_loop_to_the_very_end_of_the_media_goes_round_too(qtbot, window, lecture):
    """libVLC ends the media before the clock reads the loop's end: the end is a crossing."""
    open_playing_lecture(qtbot, window, lecture)
    paused_at(qtbot, window, 11_000)
    press(qtbot, window, Qt.Key.Key_L)
    window.playback.play()
    qtbot.waitUntil(lambda: window.repeating.repeater.count >= 2, timeout=15_000)
    wait_playing(qtbot, window.playback)
    assert 10_500 <= window.playback.time_ms() < 12_500


def test_r_replays_the_line_just_heard(qtbot, window, lecture):
    open_playing_lecture(qtbot, window, lecture)
    paused_at(qtbot, window, 4000)            # 1 s into line 2: it is the one heard
    press(qtbot, window, Qt.Key.Key_R)
    wait_playing(qtbot, window.playback)
    readings = read_clock_until(qtbot, window.playback, lambda: window.playback.time_ms() > 3100)
    assert readings[0][0] < 3100 and min(now for now, _ in readings) >= 3000
    window.playback.pause()
    paused_at(qtbot, window, 3200)            # just after line 2 began: line 1 was the one heard
    press(qtbot, window, Qt.Key.Key_R)
    assert window.playback.time_ms() < 1700 and window.playback.time_ms() >= 1500


def test_ab_loop_with_the_keys_shown_on_the_seek_bar(qtbot, window, lecture):
    open_playing_lecture(qtbot, window, lecture)
    paused_at(qtbot, window, 5200)
    press(qtbot, window, Qt.Key.Key_BracketLeft, Qt.KeyboardModifier.ShiftModifier)
    assert window.repeating.repeater.mark_a == 5200
    assert window.transport.seek_slider.loop_mark == 5200
    paused_at(qtbot, window, 6400)
    press(qtbot, window, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ShiftModifier)
    assert window.transport.seek_slider.loop_range == (5200, 6400)
    assert not window.actions_by_name["loop_line"].isChecked()   # not a line loop
    wait_playing(qtbot, window.playback)     # B starts the loop from A
    readings = read_clock_until(qtbot, window.playback, lambda: window.repeating.repeater.count >= 2)
    assert all(back_to(5200, b) for _a, b in jumps_back(readings))
    assert max(now for now, _ in readings) <= 6400 + LATE_MS
    assert window.repeating.status_label.text().startswith("A-B loop")

    press(qtbot, window, Qt.Key.Key_Escape)  # Esc clears it
    assert window.repeating.repeater.loop is None and window.transport.seek_slider.loop_range is None


def test_ab_loop_by_shift_drag_on_the_seek_bar_and_a_plain_drag_still_seeks(qtbot, window, lecture):
    open_playing_lecture(qtbot, window, lecture)
    paused_at(qtbot, window, 0)
    slider = window.transport.seek_slider
    x_of = slider._x_of
    y = slider.height() // 2
    shift = Qt.KeyboardModifier.ShiftModifier
    qtbot.mousePress(slider, Qt.MouseButton.LeftButton, shift, QPoint(x_of(7000), y))
    qtbot.mouseMove(slider, QPoint(x_of(8500), y))
    assert slider.loop_range == tuple(sorted((slider._value_at(x_of(7000)), slider._value_at(x_of(8500)))))
    qtbot.mouseRelease(slider, Qt.MouseButton.LeftButton, shift, QPoint(x_of(8500), y))
    loop = window.repeating.repeater.loop
    assert loop is not None and loop.line is None
    assert abs(loop.start_ms - 7000) < 100 and abs(loop.end_ms - 8500) < 100   # a pixel is some ms
    wait_playing(qtbot, window.playback)
    readings = read_clock_until(qtbot, window.playback, lambda: window.repeating.repeater.count >= 2)
    assert back_to(loop.start_ms, jumps_back(readings)[0][1])

    window.playback.pause()
    qtbot.waitUntil(lambda: window.playback.state is PlaybackState.PAUSED)
    qtbot.mousePress(slider, Qt.MouseButton.LeftButton, pos=QPoint(x_of(2000), y))
    qtbot.mouseRelease(slider, Qt.MouseButton.LeftButton, pos=QPoint(x_of(2000), y))
    assert abs(window.playback.time_ms() - 2000) < 100 and window.repeating.repeater.loop == loop


def test_pause_between_repeats_pauses_then_plays_from_the_start(qtbot, window, lecture, settings):
    open_playing_lecture(qtbot, window, lecture)
    window.repeating.options_menu.findChild(type(window.actions_by_name["play"]), "repeat_pause_ms_1000").trigger()
    assert settings.value("repeat/pause_ms", type=int) == 1000
    paused_at(qtbot, window, 2500)
    states = []
    window.playback.state_changed.connect(states.append)
    press(qtbot, window, Qt.Key.Key_L)
    window.playback.play()
    qtbot.waitUntil(lambda: window.repeating.repeater.count == 1, timeout=10_000)
    assert window.repeating.waiting is not None
    assert window.statusBar().currentMessage().startswith("Again in")
    qtbot.waitUntil(lambda: window.repeating.waiting is None, timeout=10_000)
    wait_playing(qtbot, window.playback)
    assert states[-3:] == [PlaybackState.PLAYING, PlaybackState.PAUSED, PlaybackState.PLAYING]
    assert 1500 <= window.playback.time_ms() < 3000   # from the line's start


def test_slow_down_lowers_the_rate_each_repeat_and_clearing_restores_it(qtbot, window, lecture):
    open_playing_lecture(qtbot, window, lecture)
    window.repeating.set_option("slow_down", True)
    paused_at(qtbot, window, 2600)
    rates = []
    window.playback.rate_changed.connect(rates.append)
    press(qtbot, window, Qt.Key.Key_L)
    window.playback.play()
    qtbot.waitUntil(lambda: window.repeating.repeater.count >= 2, timeout=15_000)
    assert rates[:2] == [0.9, 0.8]
    assert "0.8×" in window.repeating.status_label.text()
    window.repeating.clear_loop()
    assert window.playback.rate == 1.0 and rates[-1] == 1.0
    assert window.transport.speed_box.currentText() == "1×" and window.transport.speed_box.findText("0.8×") < 0


def test_shadowing_pauses_at_the_line_end_then_goes_on_by_itself(qtbot, window, lecture):
    open_playing_lecture(qtbot, window, lecture)
    paused_at(qtbot, window, 5500)      # in line 3 (5.0-6.0 s)
    states = []
    window.playback.state_changed.connect(states.append)
    press(qtbot, window, Qt.Key.Key_S)
    assert window.actions_by_name["shadowing"].isChecked()
    window.playback.play()
    qtbot.waitUntil(lambda: window.repeating.waiting is not None, timeout=10_000)
    paused_at_ms = window.playback.time_ms()
    assert window.statusBar().currentMessage().startswith("Your turn")
    assert window.repeating.waiting.pause_ms == 1000      # the line is 1 s long
    qtbot.waitUntil(lambda: window.repeating.waiting is None, timeout=10_000)
    wait_playing(qtbot, window.playback)
    assert states[-2:] == [PlaybackState.PAUSED, PlaybackState.PLAYING]
    assert 6000 - TURN_BEFORE_END_MS - FRAME_MS <= paused_at_ms < 6000   # waits inside the line


def test_shadowing_keeps_the_line_just_heard_current_during_the_turn_then_plays_on_once(qtbot, window, lecture):
    """Lines 1 and 2 touch at 3.0 s: the clock at the end of line 1 is line 2's start. During
    the turn line 1 stays the current line; then line 2 plays, and its own turn is the next."""
    open_playing_lecture(qtbot, window, lecture)
    repeating, view = window.repeating, window.transcript_view
    paused_at(qtbot, window, 2500)
    repeating.set_shadowing(True)
    events = []   # ("row", the current line) and ("paused", the current line then), in order
    window.sync.current_segment_changed.connect(lambda row: events.append(("row", row)))
    window.playback.state_changed.connect(
        lambda state: state is PlaybackState.PAUSED and events.append(("paused", view.current_row)))
    window.playback.play()
    qtbot.waitUntil(lambda: repeating.waiting is not None, timeout=10_000)
    qtbot.waitUntil(lambda: window.playback.state is PlaybackState.PAUSED, timeout=5000)
    assert view.current_row == 1 and window.sync.current_segment == 1
    assert 1500 <= window.playback.time_ms() < 3000
    assert repeating.waiting.pause_ms == 1500                 # line 1's length
    qtbot.waitUntil(lambda: repeating.waiting is None, timeout=10_000)
    qtbot.waitUntil(lambda: repeating.waiting is not None, timeout=10_000)   # the next turn
    qtbot.waitUntil(lambda: window.playback.state is PlaybackState.PAUSED, timeout=5000)
    assert view.current_row == 2 and 3000 <= window.playback.time_ms() < 4500
    paused = [row for kind, row in events if kind == "paused"]
    assert paused == [1, 2]                                   # one turn each, in order
    rows = [row for kind, row in events if kind == "row"]
    assert rows == [2]                                        # line 2 only once line 1's turn was over
    assert events.index(("row", 2)) > events.index(("paused", 1))


def test_shadowing_goes_on_at_once_on_space(qtbot, window, lecture):
    open_playing_lecture(qtbot, window, lecture)
    window.repeating.set_option("shadow_factor", 2.0)
    paused_at(qtbot, window, 2700)
    window.repeating.set_shadowing(True)
    window.playback.play()
    qtbot.waitUntil(lambda: window.repeating.waiting is not None, timeout=10_000)
    assert window.repeating.waiting.pause_ms == 3000
    qtbot.waitUntil(lambda: window.playback.state is PlaybackState.PAUSED, timeout=5000)
    assert window.repeating._wait_timer.isActive()
    press(qtbot, window, Qt.Key.Key_Space)
    wait_playing(qtbot, window.playback)
    assert window.repeating.waiting is None and not window.repeating._wait_timer.isActive()
    assert window.repeating.repeater.shadowing   # still on, for the next line


def test_loop_keys_do_not_fire_in_a_text_field_and_esc_there_is_the_fields(qtbot, window, lecture):
    open_playing_lecture(qtbot, window, lecture)
    window.repeating.set_range(1000, 2000)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    field = window.find_bar.field
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClicks(field, "lrs{}")
    assert field.text() == "lrs{}"
    assert not window.actions_by_name["loop_line"].isChecked() and not window.repeating.repeater.shadowing
    assert window.repeating.repeater.loop.start_ms == 1000 and window.repeating.repeater.mark_a is None
    qtbot.keyClick(field, Qt.Key.Key_Escape)   # closes the find bar, keeps the loop
    assert not window.find_bar.isVisible() and window.repeating.repeater.loop is not None


def test_study_actions_listed_in_the_menu_and_the_shortcuts_sheet(window):
    from player.ui.dialogs import shortcut_rows

    texts = [a.text() for a in window.study_menu.actions()]
    assert "&Loop the line" in texts and "S&hadowing" in texts and "Repeat &options" in texts
    rows = {text: keys for group, text, keys in shortcut_rows(list(window.actions_by_name.values()))
            if group == "Study"}
    assert rows["Loop the line"] == "L" and rows["Replay the line"] == "R" and rows["Shadowing"] == "S"
    assert rows["Loop start (A)"].startswith("Shift+[")
    assert rows["Clear the loop"] == "Esc"   # taken by the window when no field wants it, so no action's key
    assert rows["Dictation: check, then the next line / replay / skip / leave"] == "Enter / Up / Down / Esc"


def test_options_are_remembered(qtbot, settings, library_path, window):
    from player.playback.vlc import VlcPlayback
    from player.ui.main_window import MainWindow

    window.repeating.set_option("pause_ms", 3000)
    window.repeating.set_option("slow_down", True)
    window.repeating.set_option("shadow_factor", 1.5)
    again = MainWindow(VlcPlayback(), settings, library_path=library_path.with_name("other.sqlite"))
    qtbot.addWidget(again)
    options = again.repeating.repeater.options
    assert (options.pause_ms, options.slow_down, options.shadow_factor) == (3000, True, 1.5)
    menu = again.repeating.options_menu
    assert menu.findChild(type(again.actions_by_name["play"]), "repeat_pause_ms_3000").isChecked()


def test_the_speed_comes_back_when_the_lecture_reopens(qtbot, settings, library_path, window, lecture):
    from player.playback.vlc import VlcPlayback
    from player.ui.main_window import MainWindow

    open_playing_lecture(qtbot, window, lecture)
    window.set_rate(0.75)
    lecture_id = window.annotations.lecture.id
    window.close()
    again = MainWindow(VlcPlayback(), settings, library_path=library_path)
    qtbot.addWidget(again)
    again.show()
    assert again.playback.rate == 1.0
    open_playing_lecture(qtbot, again, lecture)
    assert again.annotations.lecture.id == lecture_id
    qtbot.waitUntil(lambda: again.playback.rate == 0.75)
    assert again.transport.speed_box.currentText() == "0.75×"


def test_a_loop_to_the_very_end_waits_its_pause_there_and_space_goes_on_from_its_start(qtbot, window, lecture):
    """The pause between repeats is kept when the media ends inside the loop: it is waited
    at the end (nothing plays), then the loop starts again; Space cuts it short, from the
    loop's start rather than the media's."""
    open_playing_lecture(qtbot, window, lecture)
    repeating = window.repeating
    repeating.set_option("pause_ms", 5000)
    paused_at(qtbot, window, 11_000)
    press(qtbot, window, Qt.Key.Key_L)
    states = []
    window.playback.state_changed.connect(states.append)
    window.playback.play()
    qtbot.waitUntil(lambda: repeating.waiting is not None, timeout=15_000)
    assert window.playback.state is PlaybackState.ENDED and repeating.repeater.count == 1
    assert window.statusBar().currentMessage().startswith("Again in")
    press(qtbot, window, Qt.Key.Key_Space)
    assert repeating.waiting is None
    wait_playing(qtbot, window.playback)
    readings = read_clock_until(qtbot, window.playback, lambda: window.playback.time_ms() >= 10_700)
    assert all(10_500 <= now < 12_500 for now, _ in readings[1:]), readings[:5]   # never from 0
    assert states[states.index(PlaybackState.ENDED):][-1] is PlaybackState.PLAYING


def test_a_loop_to_the_very_end_goes_round_by_itself_after_its_pause(qtbot, window, lecture):
    open_playing_lecture(qtbot, window, lecture)
    repeating = window.repeating
    repeating.set_option("pause_ms", 1000)
    paused_at(qtbot, window, 11_000)
    press(qtbot, window, Qt.Key.Key_L)
    window.playback.play()
    qtbot.waitUntil(lambda: repeating.waiting is not None, timeout=15_000)
    assert window.playback.state is PlaybackState.ENDED
    qtbot.waitUntil(lambda: repeating.waiting is None, timeout=10_000)
    wait_playing(qtbot, window.playback)
    assert 10_500 <= window.playback.time_ms() < 12_500 and repeating.repeater.count == 1


def test_opening_another_lecture_ends_the_loop_of_the_one_before(qtbot, window, lecture, tmp_path, video_mp4):
    open_playing_lecture(qtbot, window, lecture)
    window.repeating.set_range(5000, 6000)    # an A-B loop: not tied to the transcript's lines
    other = tmp_path / "other lecture.mp4"
    shutil.copy(video_mp4, other)
    write_srt(other.with_suffix(".srt"), CUES[:2])
    open_playing_lecture(qtbot, window, other)
    assert window.repeating.repeater.loop is None and window.transport.seek_slider.loop_range is None
    assert not window.repeating.status_label.isVisible() and "⟲" not in window.transport.time_label.text()


def test_closing_the_window_during_a_pause_ends_the_wait(qtbot, window, lecture):
    """Nothing is left to play the lecture (or write to the status bar) after the window closed."""
    open_playing_lecture(qtbot, window, lecture)
    repeating = window.repeating
    paused_at(qtbot, window, 5500)
    repeating.set_shadowing(True)
    window.playback.play()
    qtbot.waitUntil(lambda: repeating.waiting is not None, timeout=10_000)
    window.close()
    assert repeating.waiting is None
    assert not repeating._wait_timer.isActive() and not repeating._countdown.isActive()


def test_a_line_loop_wins_over_play_highlights_and_the_playlist_goes_on_after_it(qtbot, window, lecture):
    """The line a highlight ends in, looped (L) while the highlights play: the loop runs past
    the highlight's end and goes round; the playlist waits for it, then moves on as before."""
    open_playing_lecture(qtbot, window, lecture)
    window.annotations.add_highlight(1800, 2600, 1)    # inside line 1 (1.5-3.0 s)
    window.annotations.add_highlight(6000, 9000, 2)    # line 4
    paused_at(qtbot, window, 1000)
    window.actions_by_name["play_highlights"].trigger()
    wait_playing(qtbot, window.playback)
    assert 1800 <= window.playback.time_ms() < 2600
    press(qtbot, window, Qt.Key.Key_L)
    repeating = window.repeating
    assert repeating.repeater.loop.line == 1
    readings = read_clock_until(qtbot, window.playback, lambda: repeating.repeater.count >= 2)
    assert all(1500 <= now <= 3000 + LATE_MS for now, _ in readings), readings   # never off to line 4
    assert repeating.repeater.loop.line == 1 and window.actions_by_name["play_highlights"].isChecked()
    assert max(now for now, _ in readings) > 2600          # past the highlight's end, looping
    assert window.annotating._highlight_playlist[0] == (1800, 2600)

    press(qtbot, window, Qt.Key.Key_L)                 # off: the playlist goes on to the next highlight
    read_clock_until(qtbot, window.playback, lambda: window.playback.time_ms() >= 6000)
    assert window.annotating._highlight_playlist == [(6000, 9000)] and repeating.repeater.loop is None
