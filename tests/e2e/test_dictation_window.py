"""Dictation in the real window with real libVLC and a real library file: the line hidden
and played to its end, typing checked word by word and kept, the next line, the scores,
the lines got wrong highlighted in one key, Esc, and the line's text never read as HTML."""

from __future__ import annotations

import shutil
import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from player.core.dictation import Verdict
from player.core.library import Library
from player.playback import PlaybackState
from tests.conftest import open_playing_lecture, write_srt

CUES = [
    (0.4, 3.0, "The first line is short."),   # the next line starts as it ends
    (3.0, 5.0, "&lt;b&gt;x&lt;/b&gt; &amp;amp; more"),   # SubRip entities: the line reads "<b>x</b> &amp; more"
    (5.4, 6.4, "[Music]"),
    (7.0, 9.0, "Well-known facts, don’t they?"),
]
R, C, W, M = Verdict.RIGHT, Verdict.CLOSE, Verdict.WRONG, Verdict.MISSING


def lecture(tmp_path, video_mp4):
    media = tmp_path / "dictated lecture.mp4"
    shutil.copy(video_mp4, media)
    write_srt(media.with_suffix(".srt"), CUES)
    return media


def start_dictation(qtbot, window, media, at_ms=0):
    open_playing_lecture(qtbot, window, media)
    window.seek(at_ms)
    window.actions_by_name["dictation"].trigger()
    field = window.dictation.bar.field
    qtbot.waitUntil(field.hasFocus)
    return field


def wait_line_heard(qtbot, window, segment):
    """Until the line has played to its end and stopped there: returns where it stopped."""
    playback, dictation = window.playback, window.dictation
    qtbot.waitUntil(lambda: not dictation.playing_line and playback.state is PlaybackState.PAUSED,
                    timeout=15_000)
    line = window.transcript[segment]
    # Stopped at the line's end, and the line stays the current one.
    assert line.end_ms - 150 <= playback.time_ms() < line.end_ms
    assert window.sync.current_segment == segment
    return playback.time_ms()


def type_and_check(qtbot, field, text):
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def attempts_in(library_path):
    with sqlite3.connect(library_path) as conn:
        return conn.execute("SELECT start_ms, end_ms, expected, typed, words_right, words_total "
                            "FROM dictation_attempts ORDER BY id").fetchall()


def test_a_line_is_hidden_played_to_its_end_checked_kept_and_the_next_one_plays(
        qtbot, window, tmp_path, video_mp4, library_path):
    field = start_dictation(qtbot, window, lecture(tmp_path, video_mp4))
    view, dictation = window.transcript_view, window.dictation
    assert dictation.segment == 0 and view.masked_segment == 0
    assert window.side_tabs.currentWidget() is window.transcript_panel and dictation.bar.isVisible()

    states = []
    window.playback.state_changed.connect(states.append)
    wait_line_heard(qtbot, window, 0)
    assert view.masked_segment == 0          # still hidden while the learner types

    # Every letter goes into the field: none is a shortcut (F full screen, T tag, H highlight, L loop...).
    type_and_check(qtbot, field, "the frist line shrot extra")
    assert field.text() == "the frist line shrot extra"
    assert not window.isFullScreen() and window.annotations.highlights == []
    result = dictation.attempts[-1].result
    assert result.verdicts() == [R, C, R, M, C] and result.extra == ["extra"]
    assert view.masked_segment is None       # the line shows again
    assert "line-through" in dictation.bar.result_label.text()
    assert attempts_in(library_path) == [(400, 3000, "The first line is short.", "the frist line shrot extra", 2, 5)]
    assert dictation.bar.score_label.text().startswith("This time: 2/5 words, 40 %")

    # Enter again: the next line, hidden, from its start.
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert dictation.segment == 1 and view.masked_segment == 1 and field.text() == ""
    wait_line_heard(qtbot, window, 1)
    assert PlaybackState.PLAYING in states and states[-1] is PlaybackState.PAUSED


def test_a_line_reading_like_html_is_shown_as_written(qtbot, window, tmp_path, video_mp4):
    field = start_dictation(qtbot, window, lecture(tmp_path, video_mp4), at_ms=3200)
    assert window.dictation.segment == 1 and window.transcript[1].text == "<b>x</b> &amp; more"
    type_and_check(qtbot, field, "<i>x</i> and more")
    label = window.dictation.bar.result_label
    assert "<b>" not in label.text() and "<i>" not in label.text()
    document = QTextDocument()
    document.setHtml(label.text())
    shown = document.toPlainText()
    assert shown.startswith("<i>x</i> <b>x</b> and &amp; more")   # typed, then the line's word: as text


def test_the_scores_add_up_and_the_lectures_survives_reopening(qtbot, window, tmp_path, video_mp4, library_path,
                                                             settings):
    media = lecture(tmp_path, video_mp4)
    field = start_dictation(qtbot, window, media, at_ms=7200)
    assert window.dictation.segment == 3
    type_and_check(qtbot, field, "well known facts dont they")   # 4 of 5: "don't" is close
    qtbot.keyClick(field, Qt.Key.Key_Return)                      # the last line: the end
    assert "End of the transcript" in window.dictation.bar.result_label.text()
    assert window.dictation.segment is None and window.transcript_view.masked_segment is None
    type_and_check(qtbot, field, "again")                       # nothing left to check
    assert len(window.dictation.attempts) == 1
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    window.seek(0)
    window.actions_by_name["dictation"].trigger()
    qtbot.waitUntil(field.hasFocus)
    type_and_check(qtbot, field, "The first line is short")      # 5 of 5
    assert window.dictation.bar.score_label.text() == (
        "This time: 5/5 words, 100 % · Lecture: 9/10 words, 90 %, 2 lines")
    window.close()

    with Library.open(library_path) as library:
        lecture_id = library.find_media(media).id
        assert library.dictation_score(lecture_id) == (9, 10, 2)

    from player.playback.vlc import VlcPlayback
    from player.ui.main_window import MainWindow

    again = MainWindow(VlcPlayback(), settings, library_path=library_path)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    again.activateWindow()   # no window manager gives it the keyboard
    qtbot.waitUntil(again.isActiveWindow)
    field = start_dictation(qtbot, again, media)
    assert again.dictation.bar.score_label.text() == (
        "This time: no words yet · Lecture: 9/10 words, 90 %, 2 lines")


def test_the_lines_got_wrong_are_highlighted_in_one_key_and_one_undo(qtbot, window, tmp_path, video_mp4):
    field = start_dictation(qtbot, window, lecture(tmp_path, video_mp4))
    type_and_check(qtbot, field, "the first line is long")       # wrong
    qtbot.keyClick(field, Qt.Key.Key_Return)
    type_and_check(qtbot, field, "<b>x</b> &amp; more")         # right
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert window.dictation.segment == 3                         # "[Music]" is not dictated
    type_and_check(qtbot, field, "well known facts don't")       # "they" missing
    assert [line.start_ms for line in window.dictation.mistaken_lines()] == [400, 7000]

    stack = window.annotations.undo_stack
    steps = stack.count()
    qtbot.keyClick(field, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    highlights = window.annotations.highlights
    assert [(h.start_ms, h.end_ms, h.tags) for h in highlights] == [
        (400, 3000, ("dictation",)), (7000, 9000, ("dictation",))]
    assert stack.count() == steps + 1
    assert "2 lines you got wrong" in window.statusBar().currentMessage()

    window.actions_by_name["undo"].trigger()
    assert window.annotations.highlights == []
    window.actions_by_name["redo"].trigger()
    assert [h.start_ms for h in window.annotations.highlights] == [400, 7000]


def test_up_replays_down_skips_and_esc_leaves_and_shows_the_line(qtbot, window, tmp_path, video_mp4):
    media = lecture(tmp_path, video_mp4)
    open_playing_lecture(qtbot, window, media)
    pane = window.video_pane
    picture = pane.currentWidget()
    assert picture is pane.video_surface
    field = start_dictation(qtbot, window, media, at_ms=3200)
    dictation, view = window.dictation, window.transcript_view
    assert pane.currentWidget() is dictation.cover   # hidden by default: slides show the words
    dictation.bar.picture_button.click()
    assert pane.currentWidget() is picture and window.settings.value("dictation/hide_picture", type=bool) is False
    dictation.bar.picture_button.click()
    assert pane.currentWidget() is dictation.cover and field.hasFocus()
    wait_line_heard(qtbot, window, 1)
    seeks = []
    window.sync.time_changed.connect(lambda ms: seeks.append(ms))
    qtbot.keyClick(field, Qt.Key.Key_Up)                   # replay: from the line's start, to its end again
    assert seeks and 2500 <= seeks[0] <= 3500 and view.masked_segment == 1
    wait_line_heard(qtbot, window, 1)
    qtbot.keyClick(field, Qt.Key.Key_Down)                 # skip, unchecked: past "[Music]"
    assert dictation.segment == 3 and view.masked_segment == 3 and dictation.attempts == []
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert not dictation.active and view.masked_segment is None and pane.currentWidget() is picture
    assert not dictation.bar.isVisible() and not window.actions_by_name["dictation"].isChecked()
    assert window.isVisible() and not window.isFullScreen()


def test_dictation_works_in_paragraph_mode(qtbot, window, tmp_path, video_mp4, library_path):
    media = lecture(tmp_path, video_mp4)
    open_playing_lecture(qtbot, window, media)
    window.set_paragraph_mode(True)
    window.seek(3200)
    window.actions_by_name["dictation"].trigger()
    field = window.dictation.bar.field
    qtbot.waitUntil(field.hasFocus)
    assert window.transcript_view.masked_segment == 1      # the segment, inside its paragraph
    wait_line_heard(qtbot, window, 1)
    type_and_check(qtbot, field, "<b>x</b> &amp; more")
    assert window.dictation.attempts[-1].result.perfect
    assert window.transcript_view.masked_segment is None
    assert attempts_in(library_path)[-1][:2] == (3000, 5000)


def test_its_keys_are_its_own_and_it_needs_a_transcript(qtbot, window):
    keys = [(action.objectName(), shortcut.toString()) for action in window.actions_by_name.values()
            for shortcut in action.shortcuts()]
    for key in ("Ctrl+D", "Ctrl+Shift+H"):
        assert [name for name, shortcut in keys if shortcut == key] == [
            {"Ctrl+D": "dictation", "Ctrl+Shift+H": "dictation_mistakes"}[key]]
    assert window.actions_by_name["dictation"] in window.study_menu.actions()

    window.actions_by_name["dictation"].trigger()
    assert not window.dictation.active and not window.actions_by_name["dictation"].isChecked()
    assert window.statusBar().currentMessage().startswith("Open a lecture with a transcript first")
    window.actions_by_name["dictation_mistakes"].trigger()
    assert window.statusBar().currentMessage().startswith("No line of this dictation was wrong")


def test_without_a_library_it_checks_and_says_the_score_is_not_kept(qtbot, settings, tmp_path, video_mp4):
    from player.playback.vlc import VlcPlayback
    from player.ui.main_window import MainWindow

    window = MainWindow(VlcPlayback(), settings, library_path=None)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.open_media(str(lecture(tmp_path, video_mp4)))
    qtbot.waitUntil(lambda: window.transcript is not None, timeout=10_000)
    assert window.annotations.library is None
    window.seek(7200)
    window.actions_by_name["dictation"].trigger()
    field = window.dictation.bar.field
    qtbot.waitUntil(field.hasFocus)
    type_and_check(qtbot, field, "well-known facts, don't they?")
    assert window.dictation.attempts[-1].result.perfect
    assert window.dictation.bar.score_label.text() == (
        "This time: 5/5 words, 100 % · not kept: no library or lecture is open")


def test_a_line_stops_at_its_end_on_the_precise_timer_not_a_tick_later(qtbot, window, tmp_path, video_mp4):
    """The learner must not hear the next line begin: as the end nears, the stop is set for
    the moment the clock predicts (as a loop's is), rather than left to the next 20 ms tick."""
    from player.ui.boundary import ARM_WITHIN_MS

    start_dictation(qtbot, window, lecture(tmp_path, video_mp4))
    end = window.transcript[0].end_ms
    ticks = []   # (time read, the line still playing, the precise stop set), at each tick
    window.sync.time_changed.connect(
        lambda ms: ticks.append((ms, window.dictation.playing_line, window.dictation._line_end.armed)))
    wait_line_heard(qtbot, window, 0)
    near_end = [(ms, armed) for ms, playing, armed in ticks if playing and end - ARM_WITHIN_MS <= ms < end]
    assert near_end and all(armed for _ms, armed in near_end), near_end
    assert not window.dictation._line_end.armed   # stopped: nothing left to wait for


def test_dictation_turns_loops_and_shadowing_off_so_nothing_plays_on_while_typing(
        qtbot, window, tmp_path, video_mp4):
    """Shadowing's pause ends by playing on, and a loop plays the line again: while dictating,
    the line must stop at its end and wait for the learner's typing."""
    media = lecture(tmp_path, video_mp4)
    open_playing_lecture(qtbot, window, media)
    repeating = window.repeating
    repeating.set_shadowing(True)
    repeating.set_range(7000, 8000)
    field = start_dictation(qtbot, window, media)
    assert not repeating.repeater.shadowing and not window.actions_by_name["shadowing"].isChecked()
    assert repeating.repeater.loop is None and window.transport.seek_slider.loop_range is None
    wait_line_heard(qtbot, window, 0)
    assert repeating.waiting is None and window.playback.state is PlaybackState.PAUSED

    window.actions_by_name["shadowing"].trigger()        # from the menu while dictating: not now
    window.actions_by_name["loop_line"].trigger()
    assert not repeating.repeater.shadowing and not window.actions_by_name["shadowing"].isChecked()
    assert repeating.repeater.loop is None and not window.actions_by_name["loop_line"].isChecked()
    assert "dictation" in window.statusBar().currentMessage().lower()
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    window.actions_by_name["loop_line"].trigger()        # after it, they work again
    assert repeating.repeater.loop is not None
