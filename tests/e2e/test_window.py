"""The whole window with real libVLC: open, follow, click to seek, errors.

Order and state only, so that a loaded machine passes too; how many milliseconds the
highlight lags is measured by bench/sync_bench.py."""

import shutil

from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QTableWidget

from player.core.transcript import Segment, Transcript
from player.playback import PlaybackState
from tests.conftest import TONE_CUES, ModalAnswer, assert_clock_keeps_to_reports, wait_playing, write_srt


def tone_lecture(tmp_path, tone_mp3, cues=TONE_CUES):
    media = tmp_path / "tone lecture.mp3"
    shutil.copy(tone_mp3, media)
    write_srt(tmp_path / "tone lecture.srt", cues)
    return media


def open_and_wait(qtbot, window, media, **kwargs):
    window.open_media(str(media), **kwargs)
    qtbot.waitUntil(lambda: window.transcript is not None, timeout=5000)
    wait_playing(qtbot, window.playback)


def test_audio_lecture_opens_with_its_sibling_transcript(qtbot, window, tmp_path, tone_mp3):
    open_and_wait(qtbot, window, tone_lecture(tmp_path, tone_mp3))
    assert len(window.transcript) == 10
    assert window.video_pane.currentWidget() is window.video_pane.audio_placeholder
    assert window.title_label.text() == "tone lecture"
    assert "10 lines" in window.transcript_status.text()
    assert window.recent_files()[0].endswith("tone lecture.mp3")


def test_highlight_follows_playback(qtbot, window, tmp_path, tone_mp3):
    open_and_wait(qtbot, window, tone_lecture(tmp_path, tone_mp3))
    window.seek(3_500)
    qtbot.waitUntil(lambda: window.transcript_view.current_row == 1, timeout=2000)
    qtbot.waitUntil(lambda: window.transcript_view.current_row == 2, timeout=3000)


def test_highlight_moves_line_by_line_in_step_with_libvlc(qtbot, window, tmp_path, tone_mp3):
    """Half-second lines. At every sync tick the highlighted line is the one holding the
    smooth time, and that time never goes back, is never behind what libVLC reported
    before the tick and never ahead of what it reports at the tick by more than the
    clock may extrapolate: so the highlight only moves forward and keeps to libVLC."""
    cues = [(i * 0.5, i * 0.5 + 0.5, f"half-second line {i}") for i in range(40)]
    open_and_wait(qtbot, window, tone_lecture(tmp_path, tone_mp3, cues))
    player = window.playback
    window.seek(2_000)
    qtbot.waitUntil(lambda: 2_000 <= player._reported_time_ms() < 3_000, timeout=5000)  # the seek landed
    ticks, rows = [], []  # (smooth time, libVLC's report read just after); (tick index, row)
    window.sync.time_changed.connect(lambda now: ticks.append((now, player._reported_time_ms())))
    window.sync.current_segment_changed.connect(lambda row: rows.append((len(ticks) - 1, row)))
    qtbot.waitUntil(lambda: player._reported_time_ms() >= 6_000, timeout=20_000)
    window.playback.pause()
    ticks, rows = list(ticks), list(rows)

    assert_clock_keeps_to_reports(ticks)
    assert len(rows) >= 6
    assert [row for _, row in rows] == sorted({row for _, row in rows})  # forward only
    for tick, row in rows:
        assert window.transcript.segment_near(ticks[tick][0]) == row


def test_click_on_a_line_seeks_there_and_plays(qtbot, window, tmp_path, tone_mp3):
    open_and_wait(qtbot, window, tone_lecture(tmp_path, tone_mp3))
    window.playback.pause()
    qtbot.waitUntil(lambda: window.playback.state is PlaybackState.PAUSED)
    view = window.transcript_view
    seeks = []
    view.seek_requested.connect(seeks.append)
    rect = view.visualRect(view.model().index(7))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert seeks == [14_000]
    wait_playing(qtbot, window.playback)
    assert window.playback.time_ms() >= 14_000 and view.current_row >= 7


def test_keyboard_transport(qtbot, window, tmp_path, tone_mp3):
    open_and_wait(qtbot, window, tone_lecture(tmp_path, tone_mp3))
    window.transcript_view.setFocus()
    window.playback.pause()  # paused, the time is where the keys put it
    qtbot.waitUntil(lambda: window.playback.state is PlaybackState.PAUSED)
    window.seek(4_000)
    qtbot.keyClick(window.transcript_view, Qt.Key.Key_Right)
    assert 9_000 <= window.playback.time_ms() < 10_000
    qtbot.keyClick(window.transcript_view, Qt.Key.Key_Down)  # next line from 9 s: 10 s
    assert 10_000 <= window.playback.time_ms() < 12_000
    qtbot.keyClick(window.transcript_view, Qt.Key.Key_Space)
    wait_playing(qtbot, window.playback)
    qtbot.keyClick(window.transcript_view, Qt.Key.Key_Greater)
    assert window.playback.rate == 1.25 and window.transport.speed_box.currentText() == "1.25×"
    qtbot.keyClick(window.transcript_view, Qt.Key.Key_M)
    assert window.playback.muted and window.actions_by_name["mute"].isChecked()


def test_video_plays_in_the_window(qtbot, window, tmp_path, video_mp4):
    window.open_media(str(video_mp4))
    wait_playing(qtbot, window.playback)
    qtbot.waitUntil(lambda: window.playback.has_video, timeout=5000)
    assert window.video_pane.currentWidget() is window.video_pane.video_surface
    assert "No transcript" in window.transcript_status.text()

    def colours_drawn():  # libVLC draws the test pattern into our window: not all black
        surface = window.video_pane.video_surface
        image = surface.screen().grabWindow(int(surface.winId())).toImage()
        return len({image.pixel(x, y) for x in range(0, image.width(), 17) for y in range(0, image.height(), 17)})

    qtbot.waitUntil(lambda: colours_drawn() > 8, timeout=10_000)


def test_unplayable_media_keeps_the_transcript_usable(qtbot, window, tmp_path, not_media):
    media = tmp_path / "broken.mp4"
    shutil.copy(not_media, media)
    write_srt(tmp_path / "broken.srt", TONE_CUES)
    window.open_media(str(media))
    qtbot.waitUntil(lambda: window.playback.state is PlaybackState.ERROR, timeout=10_000)
    assert window.video_pane.currentWidget() is window.video_pane.message_page
    assert "broken.mp4" in window.video_pane.message
    qtbot.waitUntil(lambda: window.transcript is not None)
    assert window.transcript_view.model().rowCount() == 10


def test_unreadable_transcript_shows_file_and_line(qtbot, window, tmp_path):
    bad = tmp_path / "bad.srt"
    bad.write_text("1\n00:00:01,000 --> whenever\nText\n")
    window.open_transcript(str(bad))
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox), timeout=5000)
    box = QApplication.activeModalWidget()
    assert box.text().startswith(f"{bad}:2: ") and box.textFormat() == Qt.TextFormat.PlainText
    box.close()


def test_dropping_files_opens_them(qtbot, window, tmp_path, tone_mp3):
    media = tone_lecture(tmp_path, tone_mp3)
    other = write_srt(tmp_path / "other.srt", [(0, 1, "from the dropped transcript")])
    window.open_dropped([str(media), str(other)])
    qtbot.waitUntil(lambda: window.transcript is not None, timeout=5000)
    assert window.transcript[0].text == "from the dropped transcript"


def test_untrusted_title_is_plain_text(qtbot, window):
    window.transcript = Transcript([Segment(0, 1, "x")], title="<b>Bold</b> & <img src=x>")
    window._update_title()
    assert window.title_label.text() == "<b>Bold</b> & <img src=x>"
    assert window.title_label.textFormat() == Qt.TextFormat.PlainText


def test_shortcuts_dialog_lists_every_action(qtbot, window):
    from player.ui.dialogs import ShortcutsDialog

    dialog = ShortcutsDialog(list(window.actions_by_name.values()), window)
    qtbot.addWidget(dialog)
    table = dialog.findChild(QTableWidget, "shortcutsTable")
    texts = {table.item(r, 1).text() for r in range(table.rowCount())}
    for name in ("Play", "Back 5 s", "Forward 5 s", "Previous line", "Next line", "Slower", "Faster",
                 "Mute", "Full screen", "Back to current line"):
        assert name in texts


def test_lecture_notes_link_to_moments_and_play_them(qtbot, window, tmp_path, tone_mp3):
    from PySide6.QtWidgets import QToolButton

    from player.core.formats import load
    from player.core.notes import link_notes, read_notes
    from tests.conftest import SEEDS, WHISPER_SEED

    notes_seed = SEEDS / "002_a429e181e0dd89a0.txt"
    media = tmp_path / "lecture.mp3"
    shutil.copy(tone_mp3, media)
    window.open_media(str(media), transcript_path=str(WHISPER_SEED))
    window.open_dropped([str(notes_seed)])  # a summary page opens as notes
    qtbot.waitUntil(lambda: window.side_tabs.currentWidget() is window.notes_panel, timeout=5000)

    def linked_buttons():
        return [b for b in window.notes_panel.findChildren(QToolButton, "noteTime") if b.isEnabled()]

    # The window shows the links the core finds (how many is the core's tests' concern).
    links = link_notes(read_notes(notes_seed), load(WHISPER_SEED))
    expected = sum(link.start_ms is not None for link in links)
    assert expected >= 1
    qtbot.waitUntil(lambda: len(linked_buttons()) == expected, timeout=10_000)
    unlinked = [b for b in window.notes_panel.findChildren(QToolButton, "noteTime") if not b.isEnabled()]
    assert unlinked and all(b.text() == "–" for b in unlinked)  # weak matches show no time
    button = linked_buttons()[0]
    minutes, seconds = button.text().removeprefix("▶ ").split(":")[-2:]
    # The tone is 20 s long, so the seek lands at its end: check the request instead.
    requested = []
    window.notes_panel.seek_requested.connect(requested.append)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert requested and requested[0] // 1000 % 60 == int(seconds)


def test_export_transcript_writes_a_file_that_reads_back(qtbot, window, tmp_path, tone_mp3):
    from player.core.formats import load

    open_and_wait(qtbot, window, tone_lecture(tmp_path, tone_mp3))
    assert window.save_transcript(str(tmp_path / "out"), "vtt")
    again = load(tmp_path / "out.vtt")
    assert [(s.start_ms, s.text) for s in again] == [(s.start_ms, s.text) for s in window.transcript]
    assert not window.save_transcript(str(tmp_path / "missing-folder" / "x.srt"), "srt")
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox), timeout=3000)
    QApplication.activeModalWidget().close()


def test_window_remembers_its_layout_and_volume(qtbot, settings):
    from player.playback.vlc import VlcPlayback
    from player.ui.main_window import MainWindow

    first = MainWindow(VlcPlayback(), settings)
    qtbot.addWidget(first)
    first.show()
    first.resize(1000, 640)
    first.splitter.setSizes([300, 700])
    first.set_paragraph_mode(True)
    first.playback.set_volume(40)
    sizes = first.splitter.sizes()
    first.close()

    second = MainWindow(VlcPlayback(), settings)
    qtbot.addWidget(second)
    second.show()
    assert second.size().width() == 1000 and second.splitter.sizes() == sizes
    assert second.transcript_view.paragraph_mode and second.actions_by_name["paragraphs"].isChecked()
    assert second.playback.volume == 40 and second.transport.volume_slider.value() == 40


def test_a_dataset_with_two_videos_asks_which(qtbot, window):
    from tests.conftest import SEEDS

    def choose_second(dialog):
        choices.extend(dialog.comboBoxItems())
        dialog.setTextValue(dialog.comboBoxItems()[1])
        dialog.accept()

    choices = []
    picker = ModalAnswer(QInputDialog, choose_second)
    window.open_transcript(str(SEEDS / "000_149b69cec48c81ff.txt"))
    qtbot.waitUntil(lambda: window.transcript is not None, timeout=10_000)
    assert picker.dialogs and choices[0].endswith("(BnpB3GrpsfM)")
    assert window.transcript.source_url == "https://www.youtube.com/watch?v=1sJuWg5dULg"
    assert window.title_label.text() == window.transcript.title


def test_a_long_title_wraps_instead_of_widening_the_window(qtbot, window):
    width = window.width()
    window.transcript = Transcript([Segment(0, 1, "x")], title="A very long lecture title " * 12)
    window._update_title()
    assert window.minimumSizeHint().width() < width  # so the layout has no reason to widen it
    QApplication.sendPostedEvents()
    QApplication.processEvents()
    assert window.width() == width


def test_find_in_transcript_counts_marks_and_steps(qtbot, window, tmp_path, tone_mp3):
    cues = [(i * 2.0, i * 2.0 + 2.0, text) for i, text in enumerate(
        ["Pre-training matters.", "Nothing here.", "More PRE-TRAINING, and pre-training again.", "Done."])]
    open_and_wait(qtbot, window, tone_lecture(tmp_path, tone_mp3, cues))
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.find_bar.isVisible() and window.find_bar.field.hasFocus()
    qtbot.keyClicks(window.find_bar.field, "pre-train")
    qtbot.waitUntil(lambda: window.find_bar.count_label.text() == "2 lines", timeout=2000)
    assert window.playback.state is PlaybackState.PLAYING  # typing a space or letters is not a shortcut
    view = window.transcript_view
    assert [m[:2] for m in view.matches_in_row(2)] == [(5, 9), (23, 9)]
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Return)
    first = view.visited_match
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Return)
    assert {first, view.visited_match} == {0, 1} and not view.following
    assert window.find_bar.count_label.text() in ("1 of 2", "2 of 2")
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible() and view.match_count == 0


def test_opening_another_lecture_drops_the_previous_transcript(qtbot, window, tmp_path, tone_mp3, video_mp4):
    open_and_wait(qtbot, window, tone_lecture(tmp_path, tone_mp3))
    window.open_media(str(video_mp4))  # no transcript beside it
    assert window.transcript is None and window.transcript_view.model().rowCount() == 0
    assert window.transcript_status.text().startswith("No transcript")
    assert window.title_label.text() == "pattern"
    # Whatever the background readers still had under way finishes and is delivered:
    # nothing stale arrives.
    assert QThreadPool.globalInstance().waitForDone(10_000)
    QApplication.processEvents()
    assert window.transcript is None


def test_highlight_selected_lines_undo_redo_and_resume(qtbot, window, tmp_path, tone_mp3, settings, library_path):
    from player.core.library import Library
    from player.playback.vlc import VlcPlayback
    from player.ui.main_window import MainWindow

    media = tone_lecture(tmp_path, tone_mp3)
    open_and_wait(qtbot, window, media)
    qtbot.waitUntil(lambda: window.annotations.lecture is not None, timeout=5000)
    view = window.transcript_view
    view.setFocus()
    view.selectionModel().select(view.model().index(2), view.selectionModel().SelectionFlag.Select)
    view.selectionModel().select(view.model().index(3), view.selectionModel().SelectionFlag.Select)
    qtbot.keyClick(view, Qt.Key.Key_3)  # highlight in colour 3
    with Library.open(library_path) as library:
        saved = library.highlights()
    assert [(h.start_ms, h.end_ms, h.color) for h in saved] == [(4000, 8000, 3)]
    assert view.highlight_color(2) == 3 and view.highlight_color(3) == 3 and view.highlight_color(4) is None

    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert view.highlight_color(2) is None
    with Library.open(library_path) as library:
        assert library.highlights() == []
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    with Library.open(library_path) as library:
        assert [h.id for h in library.highlights()] == [saved[0].id]  # the same highlight back

    window.playback.pause()  # paused, the position kept is where the learner put it
    qtbot.waitUntil(lambda: window.playback.state is PlaybackState.PAUSED)
    window.seek(12_500)
    window.close()
    with Library.open(library_path) as library:
        (lecture,) = library.lectures()
    assert 12_500 <= lecture.last_position_ms < 13_000

    again = MainWindow(VlcPlayback(), settings, library_path=library_path)
    qtbot.addWidget(again)
    again.show()
    again.open_media(str(media))
    qtbot.waitUntil(lambda: again.annotations.lecture is not None, timeout=5000)
    qtbot.waitUntil(lambda: again.transcript_view.highlight_color(2) == 3, timeout=5000)
    assert again.playback.time_ms() >= lecture.last_position_ms  # resumed where the learner left off


def test_notes_tags_panel_and_timeline(qtbot, window, tmp_path, tone_mp3, library_path):
    from player.core.library import Library

    open_and_wait(qtbot, window, tone_lecture(tmp_path, tone_mp3))
    qtbot.waitUntil(lambda: window.annotations.lecture is not None, timeout=5000)
    view = window.transcript_view
    view.setFocus()
    view.setCurrentIndex(view.model().index(5))  # a plain click would also seek; select quietly
    hostile_note = "Exam! <b>not bold</b> & “quotes” — עברית 🎓\nsecond line"
    noted = ModalAnswer(QInputDialog, lambda d: (d.setTextValue(hostile_note), d.accept()))
    qtbot.keyClick(view, Qt.Key.Key_N)  # no highlight there yet: N makes one and notes it
    window.activateWindow()  # no window manager hands activation back after a dialog
    qtbot.waitUntil(window.isActiveWindow)
    from PySide6.QtWidgets import QLineEdit

    tagged = ModalAnswer(QInputDialog, lambda d: (qtbot.keyClicks(d.findChild(QLineEdit), "exam"), d.accept()))
    qtbot.keyClick(view, Qt.Key.Key_T)  # typed as a learner would: a new tag
    assert noted.dialogs and tagged.dialogs
    with Library.open(library_path) as library:
        (saved,) = library.highlights()
    assert (saved.start_ms, saved.end_ms, saved.note, saved.tags) == (10_000, 12_000, hostile_note, ("exam",))

    panel = window.highlights_panel
    assert panel.shown_count == 1
    item = panel.tree.topLevelItem(0)
    assert item.text(2) == "exam" and item.text(3).startswith("Exam! <b>not bold</b>")
    panel.text_filter.setText("nothing like this")
    assert panel.shown_count == 0
    panel.text_filter.setText("")
    assert window.transport.seek_slider.marks == [(10_000, 12_000, 1)]
    assert view.highlight_label(5) == "✎ #exam"  # shown on the line, as plain text

    # One undo step per N and per T (the note's step also made the highlight).
    window.annotations.undo_stack.undo()
    assert window.annotations.highlights[0].tags == ()
    window.annotations.undo_stack.undo()
    assert window.annotations.highlights == [] and panel.shown_count == 0

    window.annotations.undo_stack.redo()
    panel.tree.setFocus()
    panel.tree.setCurrentItem(panel.tree.topLevelItem(0))
    qtbot.keyClick(panel.tree, Qt.Key.Key_Delete)
    assert window.annotations.highlights == []


def test_in_and_out_points_make_a_highlight_inside_lines(qtbot, window, tmp_path, tone_mp3):
    open_and_wait(qtbot, window, tone_lecture(tmp_path, tone_mp3))
    qtbot.waitUntil(lambda: window.annotations.lecture is not None, timeout=5000)
    window.playback.pause()
    qtbot.waitUntil(lambda: window.playback.state is PlaybackState.PAUSED)
    window.seek(3_300)
    qtbot.keyClick(window.transcript_view, Qt.Key.Key_BracketLeft)
    window.seek(6_700)
    qtbot.keyClick(window.transcript_view, Qt.Key.Key_BracketRight)
    (made,) = window.annotations.highlights
    assert abs(made.start_ms - 3_300) <= 60 and abs(made.end_ms - 6_700) <= 60


def test_library_search_opens_the_lecture_at_the_moment(qtbot, window, tmp_path, tone_mp3):
    media = tone_lecture(tmp_path, tone_mp3)
    open_and_wait(qtbot, window, media)
    qtbot.waitUntil(lambda: window.annotations.lecture is not None, timeout=5000)
    window.search_library()
    dialog = window.library_search_dialog
    qtbot.keyClicks(dialog.field, "Line 7")
    qtbot.waitUntil(lambda: dialog.results.count() > 0, timeout=5000)
    first = dialog.results.item(0)
    assert "0:14" in first.text() and "tone lecture" in first.text()
    window.playback.pause()
    opened = []
    dialog.open_requested.connect(lambda path, ms: opened.append(ms))
    qtbot.mouseClick(dialog.results.viewport(), Qt.MouseButton.LeftButton,
                     pos=dialog.results.visualItemRect(first).center())
    assert opened == [14_000]
    wait_playing(qtbot, window.playback)
    assert window.playback.time_ms() >= 14_000 and window.transcript_view.current_row >= 7
    dialog.close()


def test_a_file_that_is_not_a_library_is_kept_and_another_can_be_chosen(qtbot, settings, tmp_path, tone_mp3):
    from player.playback.vlc import VlcPlayback
    from player.ui.main_window import MainWindow

    not_a_library = tmp_path / "notes.sqlite"
    not_a_library.write_bytes(b"my precious notes, not SQLite" * 100)
    before = not_a_library.read_bytes()
    window = MainWindow(VlcPlayback(), settings, library_path=not_a_library)
    qtbot.addWidget(window)
    window.show()
    assert not window.annotations.available and "notes.sqlite" in window.annotations.open_error
    assert "notes.sqlite" in window.statusBar().currentMessage()
    window.annotating.highlight_selection(1)
    assert "No library" in window.statusBar().currentMessage()
    assert window.switch_library(tmp_path / "fresh.sqlite")
    open_and_wait(qtbot, window, tone_lecture(tmp_path, tone_mp3))
    qtbot.waitUntil(lambda: window.annotations.lecture is not None, timeout=5000)
    assert not_a_library.read_bytes() == before  # never overwritten


def test_a_damaged_library_can_be_kept_aside_for_a_new_one(qtbot, settings, tmp_path):
    from player.playback.vlc import VlcPlayback
    from player.ui.main_window import MainWindow

    damaged = tmp_path / "library.sqlite"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x07" * 4000)
    before = damaged.read_bytes()
    window = MainWindow(VlcPlayback(), settings, library_path=damaged)
    qtbot.addWidget(window)
    assert not window.annotations.available
    assert window.start_new_library_in_place()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox), timeout=3000)
    box = QApplication.activeModalWidget()
    moved = window.annotations.library.moved_aside
    assert str(moved) in box.text() and moved.read_bytes() == before
    box.close()
    assert window.annotations.available and damaged.exists()


def test_a_click_on_a_timeline_mark_goes_to_its_highlight(qtbot, window, tmp_path, tone_mp3):
    from PySide6.QtCore import QPoint

    open_and_wait(qtbot, window, tone_lecture(tmp_path, tone_mp3))
    qtbot.waitUntil(lambda: window.annotations.lecture is not None, timeout=5000)
    window.annotations.add_highlight(12_000, 14_000, 2)
    slider = window.transport.seek_slider
    qtbot.waitUntil(lambda: slider.maximum() > 0)
    x = (slider._x_of(12_000) + slider._x_of(14_000)) // 2 + 1  # inside the mark, not at its start
    seeks = []
    window.transport.seek_requested.connect(seeks.append)
    qtbot.mouseClick(slider, Qt.MouseButton.LeftButton, pos=QPoint(x, slider.height() - 2))
    assert seeks == [12_000]
    # Elsewhere on the bar, a press and release seeks to that point.
    qtbot.mouseClick(slider, Qt.MouseButton.LeftButton, pos=QPoint(slider.width() // 4, slider.height() // 2))
    assert abs(seeks[1] - slider.maximum() // 4) < slider.maximum() // 50


def test_library_menu_opens_lectures_and_tags(qtbot, window, tmp_path, tone_mp3):
    media = tone_lecture(tmp_path, tone_mp3)
    open_and_wait(qtbot, window, media)
    qtbot.waitUntil(lambda: window.annotations.lecture is not None, timeout=5000)
    window.actions_by_name["show_library"].trigger()
    lectures = window.library_window
    assert lectures.isVisible()
    window.actions_by_name["manage_tags"].trigger()
    assert window.tag_manager.isVisible()
    lectures.open_requested.emit(str(media))
    wait_playing(qtbot, window.playback)
    assert window.media_path == str(media)
    lectures.close(), window.tag_manager.close()


def test_edit_a_highlight_in_place_and_name_the_colours(qtbot, window, tmp_path, tone_mp3):
    open_and_wait(qtbot, window, tone_lecture(tmp_path, tone_mp3))
    qtbot.waitUntil(lambda: window.annotations.lecture is not None, timeout=5000)
    window.annotations.add_highlight(2_000, 4_000, 1)
    (made,) = window.annotations.highlights
    window.annotating.set_color_meaning(4, "exam <b>!</b>")
    menu = window.highlights_panel.edit_menu(made.id)
    colours = menu.actions()[0].menu()
    assert colours.actions()[3].text() == "4  exam <b>!</b>"
    colours.actions()[3].trigger()
    assert window.annotations.highlights[0].color == 4
    window.annotations.undo_stack.undo()
    assert window.annotations.highlights[0].color == 1
    assert window.actions_by_name["color_4"].text() == "Highlight: exam <b>!</b>"
    assert window.highlights_panel.color_filter.itemText(4) == "4 exam <b>!</b>"


def test_play_highlights_plays_only_the_highlighted_parts(qtbot, window, tmp_path, tone_mp3):
    """Each highlight ends on the precise timer (as a loop's end does), aimed as its end
    nears, rather than on the 20 ms tick after it."""
    from player.ui.boundary import ARM_WITHIN_MS

    open_and_wait(qtbot, window, tone_lecture(tmp_path, tone_mp3))
    qtbot.waitUntil(lambda: window.annotations.lecture is not None, timeout=5000)
    window.annotations.add_highlight(2_000, 3_000, 1)
    window.annotations.add_highlight(9_000, 10_000, 2)
    ticks = []   # (time read, the precise timer aimed), at each tick
    window.sync.time_changed.connect(lambda ms: ticks.append((ms, window.annotating._highlight_end.armed)))
    window.actions_by_name["play_highlights"].trigger()
    qtbot.waitUntil(lambda: window.playback.state is PlaybackState.PAUSED, timeout=20_000)
    times = [ms for ms, _armed in ticks]
    # The first highlight from its start, then the second: of the gap at most the one tick
    # that found the first highlight over (none when the timer got there first).
    first = [i for i, t in enumerate(times) if t < 3_000]
    second = [i for i, t in enumerate(times) if 9_000 <= t < 10_000]
    assert times[0] == 2_000 and all(times[i] >= 2_000 for i in first)
    assert second and max(first) < min(second)
    assert len([t for t in times if 3_000 <= t < 9_000]) <= 1
    near_ends = [(ms, armed) for ms, armed in ticks if any(end - ARM_WITHIN_MS <= ms < end for end in (3_000, 10_000))]
    assert near_ends and all(armed for _ms, armed in near_ends), near_ends
    assert window.playback.time_ms() >= 10_000
    assert not window.actions_by_name["play_highlights"].isChecked()
    assert not window.annotating._highlight_end.armed   # over: nothing left to wait for


def test_export_highlights_as_study_notes_and_an_anki_deck(qtbot, window, tmp_path, tone_mp3):
    import zipfile

    open_and_wait(qtbot, window, tone_lecture(tmp_path, tone_mp3))
    qtbot.waitUntil(lambda: window.annotations.lecture is not None, timeout=5000)
    window.annotations.add_highlight(2_000, 4_000, 1)
    window.annotations.set_note(window.annotations.highlights[0].id, "Why <lines> matter")
    window.start_highlight_export(str(tmp_path / "notes"), "md")
    qtbot.waitUntil(lambda: (tmp_path / "notes.md").exists(), timeout=10_000)
    page = (tmp_path / "notes.md").read_text(encoding="utf-8")
    assert "Line 1 of the tone lecture." in page and "Why \\<lines\\> matter" in page
    window.start_highlight_export(str(tmp_path / "cards.apkg"), "apkg")
    qtbot.waitUntil(lambda: "Saved" in window.statusBar().currentMessage(), timeout=20_000)
    with zipfile.ZipFile(tmp_path / "cards.apkg") as deck:
        assert "collection.anki2" in deck.namelist()


def test_highlight_reel_from_the_window_with_progress_and_cancel(qtbot, window, tmp_path, video_mp4):
    import subprocess

    import imageio_ffmpeg

    window.open_media(str(video_mp4))
    wait_playing(qtbot, window.playback)
    qtbot.waitUntil(lambda: window.annotations.lecture is not None, timeout=5000)
    window.annotations.add_highlight(1_000, 2_000, 1)
    window.annotations.add_highlight(6_000, 7_500, 2)
    window.actions_by_name["export_reel"].trigger()
    dialog = window.reel_dialog
    out = tmp_path / "my reel.mp4"
    dialog.output.setText(str(out))
    seen = []
    dialog.progress_changed.connect(lambda fraction, _left: seen.append(fraction))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.result_path is not None, timeout=60_000)
    assert out.exists() and seen
    info = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-i", str(out)], capture_output=True, text=True).stderr
    assert "Video: h264" in info and "Chapter #0:1" in info
    # Cancel: no file left behind.
    cancelled = tmp_path / "cancelled.mp4"
    dialog.output.setText(str(cancelled))
    dialog.export_button.click()
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: dialog._job is None, timeout=30_000)
    assert not cancelled.exists() and not list(tmp_path.glob(".cancelled*"))
    dialog.close()
