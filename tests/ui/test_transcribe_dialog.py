"""File ▸ Transcribe's dialog: the models with their sizes, the language, and an SRT beside
the media that never replaces a file without asking (nor ever one of the learner's own)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QMessageBox

from player.core.transcription import REGISTRY, installed_models
from player.ui.transcribing import TranscribeDialog
from tests.conftest import ModalAnswer


@pytest.fixture
def media(tmp_path) -> Path:
    path = tmp_path / "talk.mp4"
    path.write_bytes(b"stands for a lecture: the dialog does not read it")
    return path


def make(qtbot, media: Path, protected=None) -> TranscribeDialog:
    dialog = TranscribeDialog(media, protected if protected is not None else {media: "the lecture's media"}, None)
    qtbot.addWidget(dialog)
    return dialog


def test_models_show_their_size_and_the_shipped_one_comes_first(qtbot, media):
    dialog = make(qtbot, media)
    items = [(dialog.model_box.itemText(i), dialog.model_box.itemData(i)) for i in range(dialog.model_box.count())]
    installed = {model.name for model in installed_models()}
    assert "tiny.en" in installed and dialog.model_box.currentData() == ("tiny.en", False)
    assert items[0][0].startswith("tiny.en  (") and items[0][0].endswith(" MB)")
    missing = [name for name in REGISTRY if name not in installed]
    assert missing
    for name in missing:
        text, data = next(item for item in items if item[1] == (name, True))
        assert text == f"{name}  (download {REGISTRY[name].size_mb:,} MB)"


def test_an_english_model_is_refused_for_another_language(qtbot, media):
    dialog = make(qtbot, media)
    dialog.language_box.setCurrentIndex(dialog.language_box.findData("de"))
    answer = ModalAnswer(QMessageBox, lambda box: box.accept())
    dialog.accept()
    assert "knows English only" in answer.dialogs[0].text()
    assert dialog.request is None


def test_options_reach_the_request(qtbot, media):
    dialog = make(qtbot, media)
    dialog.language_box.setCurrentIndex(dialog.language_box.findData("en"))
    dialog.vad_box.setChecked(False)
    dialog.prompt.setText("  CS224N, Transformers  ")
    dialog.accept()
    request = dialog.request
    assert (request.model, request.download, request.srt_path) == ("tiny.en", False, None)
    assert (request.options.language, request.options.vad, request.options.initial_prompt) == \
        ("en", False, "CS224N, Transformers")


def test_an_srt_beside_the_media_never_replaces_a_file_without_asking(qtbot, media):
    srt = media.with_suffix(".srt")
    dialog = make(qtbot, media)
    dialog.srt_box.setChecked(True)
    dialog.accept()
    assert dialog.request.srt_path == srt and not dialog.request.srt_replace

    srt.write_text("the learner's own subtitles\n", encoding="utf-8")
    dialog = make(qtbot, media)
    dialog.srt_box.setChecked(True)
    answer = ModalAnswer(QMessageBox, lambda box: box.button(QMessageBox.StandardButton.No).click())
    dialog.accept()
    assert answer.dialogs[0].objectName() == "replaceSrtBox" and str(srt) in answer.dialogs[0].text()
    assert dialog.request is None   # kept open: the learner may untick it

    answer = ModalAnswer(QMessageBox, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    dialog.accept()
    assert answer.dialogs and dialog.request.srt_path == srt and dialog.request.srt_replace
    assert srt.read_text(encoding="utf-8") == "the learner's own subtitles\n"   # written only at the end


def test_a_transcript_the_library_knows_is_never_offered_for_replacing(qtbot, media):
    srt = media.with_suffix(".srt")
    srt.write_text("1\n00:00:01,000 --> 00:00:02,000\nHello\n", encoding="utf-8")
    dialog = make(qtbot, media, {media: "the lecture's media", srt: "the transcript of talk"})
    dialog.srt_box.setChecked(True)
    answer = ModalAnswer(QMessageBox, lambda box: box.accept())
    dialog.accept()
    assert answer.dialogs[0].text() == (f"{srt}: this is the transcript of talk; it is never overwritten: "
                                        "choose another name")
    assert dialog.request is None


def test_file_transcribe_offers_the_dialog_and_says_what_it_replaces(qtbot, window, tmp_path, video_mp4):
    from tests.conftest import TONE_CUES, write_srt

    media = tmp_path / "talk.mp4"
    media.write_bytes(video_mp4.read_bytes())
    write_srt(tmp_path / "talk.srt", TONE_CUES[:3])
    window.open_media(str(media), autoplay=False)
    qtbot.waitUntil(lambda: window.annotations.lecture is not None, timeout=10_000)
    assert not window.transcription_bar.isVisible()   # it has a transcript: nothing offered

    def look_and_cancel(dialog) -> None:
        seen.append([label.text() for label in dialog.findChildren(QLabel)])
        dialog.reject()

    seen: list[list[str]] = []
    answer = ModalAnswer(TranscribeDialog, look_and_cancel)
    window.actions_by_name["transcribe"].trigger()   # File ▸ Transcribe… (Ctrl+Shift+T)
    assert answer.dialogs
    assert "This replaces the lecture's transcript (read from a file); highlights stay." in seen[0]
    assert not window.transcriber.running and len(window.transcript) == 3
