"""The window's clock marks the spoken word inside its line (real libVLC, a transcript with word
times), and a click on a word plays from it."""

import json

from PySide6.QtCore import QPoint, Qt

from tests.conftest import wait_playing

# Three words a second over the 20 s tone: "w0 w1 w2 ..." in lines of six words (two seconds).
WORDS_PER_LINE, WORD_MS = 6, 333


def whisper_json(path, lines=10):
    segments = []
    for line in range(lines):
        start = line * WORDS_PER_LINE * WORD_MS
        words = [{"word": f" w{line}_{n}", "start": (start + n * WORD_MS) / 1000,
                  "end": (start + (n + 1) * WORD_MS - 20) / 1000} for n in range(WORDS_PER_LINE)]
        segments.append({"start": start / 1000, "end": (start + WORDS_PER_LINE * WORD_MS) / 1000,
                         "text": "".join(word["word"] for word in words), "words": words})
    path.write_text(json.dumps({"segments": segments}), encoding="utf-8")
    return path


def test_the_spoken_word_follows_playback(qtbot, window, tone_mp3, tmp_path):
    transcript = whisper_json(tmp_path / "tone.json")
    window.open_media(str(tone_mp3), str(transcript))
    qtbot.waitUntil(lambda: window.transcript is not None, timeout=10_000)
    view = window.transcript_view
    wait_playing(qtbot, window.playback)
    seen = []

    def note() -> bool:
        if view.spoken_word is not None and (view.current_row, view.spoken_word) not in seen:
            seen.append((view.current_row, view.spoken_word))
        return len(seen) >= 4
    qtbot.waitUntil(note, timeout=15_000)
    window.playback.pause()
    # In playing order, each the word at the clock's time within the spoken line.
    assert seen == sorted(seen)
    row, word = seen[-1]
    assert view.segment_model.transcript[row].words[word].text == f"w{row}_{word}"


def test_a_click_on_a_word_plays_from_it(qtbot, window, tone_mp3, tmp_path):
    transcript = whisper_json(tmp_path / "tone.json")
    window.open_media(str(tone_mp3), str(transcript))
    qtbot.waitUntil(lambda: window.transcript is not None, timeout=10_000)
    wait_playing(qtbot, window.playback)
    window.playback.pause()
    view = window.transcript_view
    index = view.model().index(5)
    view.scrollTo(index)
    rect = view.visualRect(index)
    delegate = view.itemDelegate()
    text_rect = delegate.text_rect(rect)
    layout, _ = delegate.text_layout(view.model().text(5), text_rect.width())
    target = view.model().text(5).index("w5_4") + 1
    line = layout.lineAt(0)
    point = QPoint(text_rect.left() + int(line.cursorToX(target)[0]) + 1, text_rect.top() + int(line.height() / 2))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: view.current_row == 5 and view.spoken_word is not None, timeout=10_000)
    # From that word on: the line's first words were never spoken.
    assert view.spoken_word >= 4 and window.playback.time_ms() >= (5 * WORDS_PER_LINE + 4) * WORD_MS
