"""Finished core pieces wired into the real window: play highlights from the playhead, the
overrun sentence, notes kept in the library, the transcript's encoding, the no-sound notice,
and a lecture opened from the Lectures window where it still is."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QToolButton

from player.core.formats import encoding_note, load
from player.core.library import Library
from player.core.media_fit import transcript_overrun
from player.playback import PlaybackState
from tests.conftest import SEEDS, TONE_CUES, WHISPER_SEED, write_srt


def open_lecture(qtbot, window, media, transcript=None) -> None:
    window.open_media(str(media), transcript_path=str(transcript) if transcript else None, autoplay=False)
    qtbot.waitUntil(lambda: window.annotations.lecture is not None, timeout=10_000)


def test_play_highlights_from_the_end_starts_at_the_first(qtbot, window, tmp_path, video_mp4):
    media = tmp_path / "talk.mp4"
    shutil.copy(video_mp4, media)
    open_lecture(qtbot, window, media, write_srt(tmp_path / "talk.srt", TONE_CUES[:6]))
    window.annotations.add_highlight(2_000, 3_000, 1)
    window.annotations.add_highlight(6_000, 7_000, 2)
    window.seek(11_000)   # past the last highlight
    qtbot.waitUntil(lambda: window.playback.time_ms() >= 10_000, timeout=10_000)
    window.actions_by_name["play_highlights"].trigger()
    assert window.annotating._highlight_playlist == [(2_000, 3_000), (6_000, 7_000)]
    qtbot.waitUntil(lambda: window.playback.state is PlaybackState.PLAYING, timeout=10_000)
    assert 2_000 <= window.playback.time_ms() < 6_000

    window.actions_by_name["play_highlights"].trigger()   # off
    window.seek(4_500)   # between them: the next one first, then round to the one before
    window.actions_by_name["play_highlights"].trigger()
    assert window.annotating._highlight_playlist == [(6_000, 7_000), (2_000, 3_000)]


def test_a_transcript_longer_than_the_media_is_said_once(qtbot, window, tmp_path, tone_mp3):
    media = tmp_path / "lecture.mp3"
    shutil.copy(tone_mp3, media)
    open_lecture(qtbot, window, media, WHISPER_SEED)   # minutes of transcript for 20 s of tone
    qtbot.waitUntil(lambda: window.playback.duration_ms > 0, timeout=10_000)
    sentence = transcript_overrun(load(WHISPER_SEED), window.playback.duration_ms)
    assert sentence
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == sentence, timeout=10_000)
    window.statusBar().clearMessage()
    window._say_overrun()   # the duration known again, the lecture the same: not again
    assert window.statusBar().currentMessage() == ""


def test_lecture_notes_come_back_with_the_lecture(qtbot, window, tmp_path, tone_mp3, video_mp4):
    media = tmp_path / "lecture.mp3"
    shutil.copy(tone_mp3, media)
    open_lecture(qtbot, window, media, WHISPER_SEED)
    window.open_notes(str(SEEDS / "002_a429e181e0dd89a0.txt"))
    lecture_id = window.annotations.lecture.id

    def kept():
        with Library.open(window.annotations.library_path) as library:
            return library.notes(lecture_id)

    qtbot.waitUntil(lambda: kept() is not None, timeout=10_000)
    notes, links = kept()
    linked = sum(link.start_ms is not None for link in links)
    assert linked >= 1

    open_lecture(qtbot, window, video_mp4)
    assert window.notes is None
    window.open_media(str(media), transcript_path=str(WHISPER_SEED), autoplay=False)
    qtbot.waitUntil(lambda: window.notes is not None, timeout=10_000)
    assert window.notes.title == notes.title and len(window.notes.items) == len(notes.items)
    buttons = [b for b in window.notes_panel.findChildren(QToolButton, "noteTime") if b.isEnabled()]
    assert len(buttons) == linked   # each point at its moment, without linking again


CYRILLIC = "Привет, это лекция о физике и математике, о движении тел и силах."


def test_a_guessed_encoding_is_said_and_one_can_be_chosen(qtbot, window, tmp_path, video_mp4):
    srt = tmp_path / "лекция.srt"
    srt.write_bytes(f"1\n00:00:01,000 --> 00:00:04,000\n{CYRILLIC}\n".encode("cp1251"))
    window.open_transcript(str(srt))
    qtbot.waitUntil(lambda: window.transcript is not None, timeout=10_000)
    note = encoding_note(window.transcript)
    assert note is not None and note in window.transcript_status.text()
    assert note in window.statusBar().currentMessage()

    window.set_transcript_encoding("cp1251")   # --encoding cp1251
    window.open_transcript(str(srt))
    qtbot.waitUntil(lambda: window.transcript is not None and window.transcript.encoding == "cp1251"
                    and not window.transcript.encoding_guessed, timeout=10_000)
    assert window.transcript[0].text == CYRILLIC


def test_the_window_command_refuses_an_unknown_encoding(video_mp4):
    from player.cli.common import Failed
    from player.cli.window import run

    with pytest.raises(Failed, match="unknown encoding: klingon-8"):
        run([str(video_mp4), "--encoding", "klingon-8"])


def test_no_sound_stays_beside_the_messages_and_never_replaces_one(qtbot, window):
    message = ("No sound: the audio device could not be opened (alsa: cannot open ALSA device \"default\"). "
               "The lecture plays on without it.")
    window.statusBar().showMessage("Saved the reel", 10_000)
    window.playback.notice.emit(message)
    notice = window.playback_notice
    assert notice.isVisible() and notice.text().startswith("No sound") and notice.toolTip() == message
    assert window.statusBar().currentMessage() == "Saved the reel"   # what the learner was just told stays
    window.playback.notice.emit(message)   # said again: still the one notice
    assert notice.toolTip() == message
    assert [label for label in window.statusBar().findChildren(type(notice)) if label.isVisible()
            and label.text().startswith("No sound")] == [notice]


def test_the_lectures_window_opens_a_copy_that_is_still_there(qtbot, window, tmp_path, video_mp4):
    from player.ui.library_window import LibraryWindow

    first, second = tmp_path / "a" / "talk.mp4", tmp_path / "b" / "talk.mp4"
    for path in (first, second):
        path.parent.mkdir()
        shutil.copy(video_mp4, path)
    library = window.annotations.library
    library.import_lecture(second)
    lecture = library.import_lecture(first)
    gone = lecture.path
    other = str(second) if gone == str(first) else str(first)
    Path(gone).unlink()
    lectures = LibraryWindow(library)
    qtbot.addWidget(lectures)
    opened = []
    lectures.open_requested.connect(opened.append)
    lectures.table.selectRow(0)
    lectures.open_selected()
    assert opened == [other]


def test_a_transcript_read_in_the_wrong_encoding_is_reopened_in_the_one_chosen(qtbot, window, tmp_path):
    from PySide6.QtWidgets import QInputDialog

    from player.core.formats import LoadOptions
    from tests.conftest import ModalAnswer

    # Greek bytes that a guess reads as something else: the learner names the encoding.
    srt = tmp_path / "μάθημα.srt"
    text = "Καλημέρα σε όλους"
    srt.write_bytes(f"1\n00:00:01,000 --> 00:00:04,000\n{text}\n".encode("cp1253"))
    window.open_transcript(str(srt), LoadOptions(encoding="cp1251"))   # read wrong on purpose
    qtbot.waitUntil(lambda: window.transcript is not None and window.transcript.encoding == "cp1251",
                    timeout=10_000)
    assert window.transcript[0].text != text

    def choose_greek(dialog: QInputDialog) -> None:
        dialog.setTextValue("cp1253")
        dialog.accept()

    answer = ModalAnswer(QInputDialog, choose_greek)
    window.actions_by_name["reopen_encoding"].trigger()   # File ▸ Reopen transcript with encoding…
    assert answer.dialogs   # it asked
    qtbot.waitUntil(lambda: window.transcript.encoding == "cp1253", timeout=10_000)
    assert window.transcript[0].text == text and not window.transcript.encoding_guessed
