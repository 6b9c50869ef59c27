"""A second transcript under the main lines, swapped, hidden, removed, kept with the lecture;
captions on the video (C). Real window, real libVLC, real library files."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from player.core.library import Library
from tests.conftest import open_playing_lecture, write_srt

MAIN_CUES = [(0, 3, "Welcome to the lecture."), (3, 6, "Today: attention."),
             (6, 9, "Every word looks at every other word."), (9, 12, "Questions at the end.")]
# Other breaks: the first French line spans the first two English ones; the last two
# English ones share one French line each... and one line before the lecture starts is far.
SECOND_CUES = [(0.2, 5.8, "Bienvenue au cours. Aujourd'hui : l'attention."),
               (6.3, 9.1, "Chaque mot regarde tous les autres."),
               (9.1, 12, "Des <i>questions</i> à la fin."),
               (40, 42, "Générique.")]


@pytest.fixture
def lecture_media(tmp_path, video_mp4):
    folder = tmp_path / "lecture"
    folder.mkdir()
    media = folder / "attention.mp4"
    shutil.copy(video_mp4, media)
    write_srt(folder / "attention.srt", MAIN_CUES)
    return media


@pytest.fixture
def french(tmp_path):
    return write_srt(tmp_path / "attention.fr.srt", SECOND_CUES)


def open_second(qtbot, window, path):
    tool = window.second_transcript
    tool.open(str(path))
    qtbot.waitUntil(lambda: tool.second is not None and tool.second.source == str(path), timeout=10_000)


def second_lines(window):
    view = window.transcript_view
    return [view.second_text(row) for row in range(view.segment_model.rowCount())]


def top_lines(window):
    model = window.transcript_view.segment_model
    return [model.text(row) for row in range(model.rowCount())]


def new_window(qtbot, settings, library_path):
    from player.playback.vlc import VlcPlayback
    from player.ui.main_window import MainWindow

    window = MainWindow(VlcPlayback(), settings, library_path=library_path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_lines_under_the_right_lines_and_back_in_a_new_window(qtbot, window, lecture_media, french,
                                                              settings, library_path):
    open_playing_lecture(qtbot, window, lecture_media)
    said = []   # every status message: libVLC's "No sound" may come after and replace it
    window.statusBar().messageChanged.connect(said.append)
    open_second(qtbot, window, french)
    # The long first French line is shared by the first two English lines at a word
    # boundary; the tags are the file's markup, read away; the far line is not shown.
    assert second_lines(window) == ["Bienvenue au cours.", "Aujourd'hui : l'attention.",
                                    "Chaque mot regarde tous les autres.", "Des questions à la fin."]
    assert any("1 line(s) far from any line" in message for message in said), said
    assert top_lines(window) == [text for _, _, text in MAIN_CUES]
    window.close()
    again = new_window(qtbot, settings, library_path)
    open_playing_lecture(qtbot, again, lecture_media)
    qtbot.waitUntil(lambda: second_lines(again)[0] == "Bienvenue au cours.", timeout=5000)
    assert second_lines(again)[3] == "Des questions à la fin."


def test_another_lecture_does_not_show_it(qtbot, window, lecture_media, french, tmp_path, video_mp4):
    open_playing_lecture(qtbot, window, lecture_media)
    open_second(qtbot, window, french)
    other = tmp_path / "other.mp4"
    shutil.copy(video_mp4, other)
    other.write_bytes(other.read_bytes() + b"\0")   # another lecture's content
    write_srt(tmp_path / "other.srt", [(0, 12, "Something else entirely.")])
    open_playing_lecture(qtbot, window, other)
    qtbot.waitUntil(lambda: window.second_transcript.second is None, timeout=5000)
    assert second_lines(window) == [""]
    assert not window.second_transcript.actions["remove"].isEnabled()


def test_swap_shows_the_second_on_top_and_is_kept_per_lecture(qtbot, window, lecture_media, french,
                                                              settings, library_path):
    open_playing_lecture(qtbot, window, lecture_media)
    open_second(qtbot, window, french)
    window.actions_by_name["swap_transcripts"].trigger()
    assert top_lines(window)[0] == "Bienvenue au cours."
    assert second_lines(window)[0] == "Welcome to the lecture."
    # The window's transcript is still the main one (the rows' times, highlights, exports).
    assert [s.text for s in window.transcript.segments] == [text for _, _, text in MAIN_CUES]
    window.close()
    again = new_window(qtbot, settings, library_path)
    open_playing_lecture(qtbot, again, lecture_media)
    qtbot.waitUntil(lambda: top_lines(again)[:1] == ["Bienvenue au cours."], timeout=5000)
    assert again.actions_by_name["swap_transcripts"].isChecked()
    again.actions_by_name["swap_transcripts"].trigger()
    assert top_lines(again) == [text for _, _, text in MAIN_CUES]
    assert second_lines(again)[0] == "Bienvenue au cours."


def test_swapping_keeps_the_spoken_line_marked_and_in_view(qtbot, window, tmp_path, video_mp4, settings):
    # Forty lines in 12 s: the spoken line is far down the list, with the list scrolled to it.
    folder = tmp_path / "long"
    folder.mkdir()
    media = folder / "long.mp4"
    shutil.copy(video_mp4, media)
    write_srt(folder / "long.srt", [(n * 0.3, (n + 1) * 0.3, f"Line {n} of the lecture.") for n in range(40)])
    french = write_srt(tmp_path / "long.fr.srt", [(n * 0.3, (n + 1) * 0.3, f"Ligne {n}.") for n in range(40)])
    window.resize(900, 400)
    open_playing_lecture(qtbot, window, media)
    open_second(qtbot, window, french)
    view = window.transcript_view
    window.seek(11_000)
    qtbot.waitUntil(lambda: view.current_row == 36)

    def spoken_line_in_view() -> bool:
        rect = view.visualRect(view.segment_model.index(36))
        return rect.isValid() and 0 <= rect.top() and rect.bottom() <= view.viewport().height()
    qtbot.waitUntil(spoken_line_in_view)
    for swapped in (True, False):
        window.actions_by_name["swap_transcripts"].trigger()
        assert (top_lines(window)[36] == "Ligne 36.") is swapped
        # Still the spoken line (the clock has not moved), still where the learner reads.
        assert view.current_row == 36 and view.current_view_row == 36
        qtbot.waitUntil(spoken_line_in_view)
        assert view.following


def test_while_swapped_the_french_words_are_never_saved_as_the_transcript(qtbot, window, lecture_media, french):
    open_playing_lecture(qtbot, window, lecture_media)
    open_second(qtbot, window, french)
    # A correction made before swapping, undone while swapped.
    window.corrections.edit_text(0, "Welcome, everyone.")
    qtbot.waitUntil(lambda: window.transcript.segments[0].text == "Welcome, everyone.")
    window.actions_by_name["swap_transcripts"].trigger()
    view = window.transcript_view
    view.setFocus()
    view.setCurrentIndex(view.segment_model.index(1))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: view.line_editor() is None)
    assert "swap back" in window.statusBar().currentMessage()
    assert not window.actions_by_name["edit_line"].isEnabled()
    window.undo()
    lecture = window.annotations.lecture
    stored = [s.text for s in window.annotations.library.transcript(lecture.id).segments]
    assert stored == [text for _, _, text in MAIN_CUES]
    assert [s.text for s in window.transcript.segments] == stored
    assert top_lines(window)[0] == "Bienvenue au cours."   # still swapped, rebuilt on the undone line
    window.actions_by_name["swap_transcripts"].trigger()
    assert top_lines(window) == stored
    assert window.actions_by_name["edit_line"].isEnabled()


def test_hide_either_side(qtbot, window, lecture_media, french):
    open_playing_lecture(qtbot, window, lecture_media)
    open_second(qtbot, window, french)
    view, acts = window.transcript_view, window.actions_by_name
    acts["hide_main_transcript"].trigger()
    assert view.sides_shown == (False, True)
    acts["hide_second_transcript"].trigger()
    assert view.sides_shown == (False, False)
    acts["hide_main_transcript"].trigger()
    assert view.sides_shown == (True, False)
    # Swapped, "main" still means the main transcript, now drawn under the second.
    acts["swap_transcripts"].trigger()
    assert view.sides_shown == (False, True)
    acts["hide_second_transcript"].trigger()
    assert view.sides_shown == (True, True)


def test_show_toggle_and_remove(qtbot, window, lecture_media, french, library_path):
    open_playing_lecture(qtbot, window, lecture_media)
    open_second(qtbot, window, french)
    acts = window.actions_by_name
    acts["show_second_transcript"].trigger()
    assert second_lines(window) == [""] * 4
    acts["show_second_transcript"].trigger()
    assert second_lines(window)[2] == "Chaque mot regarde tous les autres."
    acts["remove_second_transcript"].trigger()
    assert second_lines(window) == [""] * 4 and window.second_transcript.second is None
    with Library.open(library_path) as library:
        assert library.second_transcript(window.annotations.lecture.id) is None
    assert french.exists()   # the learner's file stays


def test_a_broken_second_file_says_file_and_line_and_keeps_the_transcript(qtbot, window, lecture_media, tmp_path):
    open_playing_lecture(qtbot, window, lecture_media)
    broken = tmp_path / "broken.fr.srt"
    broken.write_text("1\n00:00:01,000 --> 00:00:0x,000\nBonjour\n", encoding="utf-8")
    window.second_transcript.open(str(broken))
    qtbot.waitUntil(lambda: getattr(window, "_error_box", None) is not None and window._error_box.isVisible(),
                    timeout=10_000)
    message = window._error_box.text()
    assert message == f"{broken}:2: '00:00:0x,000' is not a time"
    assert "\n" not in message and "Traceback" not in message
    assert top_lines(window) == [text for _, _, text in MAIN_CUES]
    assert window.second_transcript.second is None and second_lines(window) == [""] * 4


def test_c_toggles_captions_on_the_video(qtbot, window, lecture_media, french):
    open_playing_lecture(qtbot, window, lecture_media)
    player = window.playback._player
    assert player.video_get_spu_count() == 0
    qtbot.keyClick(window.transcript_view, Qt.Key.Key_C)
    tool = window.second_transcript
    assert window.actions_by_name["captions"].isChecked()
    # libVLC adds the track, then selects it: each in its own time.
    qtbot.waitUntil(lambda: player.video_get_spu_count() > 0 and player.video_get_spu() != -1, timeout=10_000)
    assert tool.captions_path.read_text(encoding="utf-8").split("\n")[:3] == [
        "1", "00:00:00,000 --> 00:00:03,000", "Welcome to the lecture."]
    assert not tool.captions_path.is_relative_to(lecture_media.parent)   # never beside their files
    # The second transcript goes under each line, as plain text.
    open_second(qtbot, window, french)
    qtbot.waitUntil(lambda: "Des" in tool.captions_path.read_text(encoding="utf-8"))
    text = tool.captions_path.read_text(encoding="utf-8")
    assert "Welcome to the lecture.\nBienvenue au cours.\n" in text
    assert "<i>" not in text
    qtbot.keyClick(window.transcript_view, Qt.Key.Key_C)
    assert not window.actions_by_name["captions"].isChecked()
    qtbot.waitUntil(lambda: player.video_get_spu() == -1, timeout=10_000)


def test_c_does_not_fire_in_a_text_field(qtbot, window, lecture_media):
    open_playing_lecture(qtbot, window, lecture_media)
    window.open_find_bar()
    field = window.find_bar.findChild(QLineEdit)
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClick(field, Qt.Key.Key_C)
    assert field.text() == "c"
    assert not window.actions_by_name["captions"].isChecked()


def test_captions_follow_a_correction(qtbot, window, lecture_media):
    open_playing_lecture(qtbot, window, lecture_media)
    tool = window.second_transcript
    window.actions_by_name["captions"].trigger()
    qtbot.waitUntil(lambda: tool.captions_path is not None)
    before = tool.captions_path
    window.corrections.edit_text(1, "Today: {\\an8}attention<b>!</b>")
    qtbot.waitUntil(lambda: tool.captions_path != before)
    line = tool.captions_path.read_text(encoding="utf-8").split("\n")[6]
    # Shown as typed: the markup is broken up by invisible word joiners.
    assert line.replace("\u2060", "") == "Today: {\\an8}attention<b>!</b>"
    assert "{\\" not in line and "<b>" not in line


def test_a_burst_of_corrections_gives_libvlc_one_captions_track(qtbot, window, lecture_media):
    """libVLC 3 keeps each captions file as a track until the media closes: corrections made
    one after another are written once they pause; a choice (a side hidden) is shown at once."""
    open_playing_lecture(qtbot, window, lecture_media)
    tool, player = window.second_transcript, window.playback._player

    def tracks() -> int:
        return max(0, player.video_get_spu_count() - 1)   # "Disable" is listed too
    window.actions_by_name["captions"].trigger()
    qtbot.waitUntil(lambda: tracks() == 1, timeout=10_000)
    assert tool.captions_written == 1
    for line in range(4):   # one at a time, as a learner makes them: the window takes each in
        window.corrections.edit_text(line, f"Corrected line {line}.")
        qtbot.waitUntil(lambda line=line: window.transcript.segments[line].text == f"Corrected line {line}.")
        QApplication.processEvents()
        assert window.transcript_view.segment_model.text(line) == f"Corrected line {line}."
    assert tool.captions_written == 1   # not yet: the learner is still correcting
    qtbot.waitUntil(lambda: tool.captions_written == 2)
    text = tool.captions_path.read_text(encoding="utf-8")
    assert all(f"Corrected line {line}." in text for line in range(4))
    qtbot.waitUntil(lambda: tracks() == 2, timeout=10_000)
    window.actions_by_name["hide_main_transcript"].trigger()
    assert tool.captions_written == 3
    assert "Corrected line 0." not in tool.captions_path.read_text(encoding="utf-8")
