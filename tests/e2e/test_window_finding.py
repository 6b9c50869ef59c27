"""The window as a new learner meets it (issue 12, "Finding things" and "Seeing the words"):
menus on lines and highlights, keys that type into text fields, the library's search and
titles, and the status bar, with real libVLC and a real library file."""

from __future__ import annotations

import shutil

from PySide6.QtCore import Qt

from tests.conftest import TONE_CUES, wait_playing, write_srt


def tone_lecture(tmp_path, tone_mp3, name="tone lecture"):
    media = tmp_path / f"{name}.mp3"
    shutil.copy(tone_mp3, media)
    write_srt(tmp_path / f"{name}.srt", TONE_CUES)
    return media


def open_lecture(qtbot, window, media):
    window.open_media(str(media))
    qtbot.waitUntil(lambda: window.transcript is not None and window.annotations.lecture is not None,
                    timeout=10_000)
    wait_playing(qtbot, window.playback)
    window.playback.pause()


def test_the_highlights_tab_exports_what_it_shows(qtbot, window, tmp_path, tone_mp3):
    open_lecture(qtbot, window, tone_lecture(tmp_path, tone_mp3))
    annotations = window.annotations
    annotations.add_highlight(2_000, 4_000, 1)
    annotations.add_highlight(8_000, 10_000, 2)
    panel = window.highlights_panel
    window.side_tabs.setCurrentWidget(panel)
    panel.text_filter.setText("Line 4")
    out = tmp_path / "shown.md"
    window.library_actions.ask_save_path = lambda title, suggestion, filters: (str(out), "md")
    qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Saved" in window.statusBar().currentMessage(), timeout=10_000)
    page = out.read_text(encoding="utf-8")
    assert "Line 4 of the tone lecture." in page and "Line 1 of the tone lecture." not in page

    qtbot.mouseClick(panel.reel_button, Qt.MouseButton.LeftButton)
    dialog = window.reel_dialog
    assert dialog.which.currentText() == "Shown in the Highlights tab, in its order (1)"
    dialog.close()
