"""Transcribing the open lecture in the window: the dialog (model, language, options), the
bar over the transcript (an offer, then progress with time left and Cancel), and the run
itself on the long-job pool, each line saved to the library as it is heard and shown at once.

The run's thread stays inside TranscriptionJob.run() until it returns: the worker process
is killed with the app, which the kernel ties to the thread that started it. The thread has
its own library connection (SQLite connections stay on their thread)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QMessageBox, QProgressBar, QPushButton, QVBoxLayout, QWidget)

from player.core.library import Library, NotTranscribing, TranscriptionState
from player.core.safe_files import OutputExists, OutputRefused, check_output
from player.core.timecode import format_clock
from player.ui.jobs import JobControl, LongJob

if TYPE_CHECKING:
    from player.core.transcription import TranscriptionOptions

# player.core.transcription (the worker's plumbing, the model registry and download) is
# imported where it is used: the window's start-up does without it.

# Whisper's most asked-for languages first; "Auto" detects it.
LANGUAGES = [("Auto (detect)", None), ("English", "en"), ("German", "de"), ("French", "fr"), ("Spanish", "es"),
             ("Italian", "it"), ("Portuguese", "pt"), ("Dutch", "nl"), ("Polish", "pl"), ("Russian", "ru"),
             ("Ukrainian", "uk"), ("Turkish", "tr"), ("Arabic", "ar"), ("Hindi", "hi"), ("Chinese", "zh"),
             ("Japanese", "ja"), ("Korean", "ko"), ("Swedish", "sv"), ("Czech", "cs"), ("Greek", "el")]


def _lines(count: int) -> str:
    return f"{count} line" if count == 1 else f"{count} lines"


def _time_left(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 90:
        return f"{max(1, round(seconds))} s left"
    return f"{round(seconds / 60)} min left"


def options_of(state: TranscriptionState) -> TranscriptionOptions:
    """The options an unfinished transcription began with (it goes on with them)."""
    from player.core.transcription import TranscriptionOptions

    names = {field.name for field in dataclasses.fields(TranscriptionOptions)}
    options = TranscriptionOptions(**{key: value for key, value in state.options.items() if key in names})
    return dataclasses.replace(options, language=state.language or options.language)


@dataclass(frozen=True)
class TranscribeRequest:
    """What the dialog asked for."""

    model: str                       # a registry name
    download: bool                   # not on this machine yet: fetched first
    options: TranscriptionOptions
    srt_path: Path | None = None     # a SubRip file to write beside the media at the end
    srt_replace: bool = False        # the learner agreed to replace that (unrelated) file


class TranscribeDialog(QDialog):
    """Model (installed ones with their size, others with their download size), language,
    the voice filter, the course's terms, and an SRT beside the media."""

    def __init__(self, media: Path, protected: dict[Path, str], replaces: str | None, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Transcribe")
        self.setObjectName("transcribeDialog")
        self._media, self._protected = media, protected
        self.request: TranscribeRequest | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(f"Transcribe “{media.name}” on this computer (nothing leaves it). Lines appear as they "
                       "are heard: you can read, play and highlight meanwhile.")
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        if replaces:
            warning = QLabel(f"This replaces the lecture's transcript ({replaces}); highlights stay.")
            warning.setTextFormat(Qt.TextFormat.PlainText)
            warning.setWordWrap(True)
            layout.addWidget(warning)
        form = QFormLayout()
        self.model_box = QComboBox()
        self.model_box.setObjectName("modelBox")
        from player.core.transcription import DEFAULT_MODEL, REGISTRY, installed_models

        installed = {model.name: model for model in installed_models()}
        for name, model in installed.items():
            self.model_box.addItem(f"{name}  ({model.size_bytes / 1e6:.0f} MB)", (name, False))
        for name, info in REGISTRY.items():
            if name not in installed:
                self.model_box.addItem(f"{name}  (download {info.size_mb:,} MB)", (name, True))
        default = self.model_box.findData((DEFAULT_MODEL, False))
        self.model_box.setCurrentIndex(max(0, default))
        form.addRow("Model:", self.model_box)
        self.language_box = QComboBox()
        self.language_box.setObjectName("languageBox")
        for label, code in LANGUAGES:
            self.language_box.addItem(f"{label}" if code is None else f"{label} ({code})", code)
        form.addRow("Language:", self.language_box)
        self.vad_box = QCheckBox("Skip silence (voice activity filter)")
        self.vad_box.setChecked(True)
        form.addRow("", self.vad_box)
        self.prompt = QLineEdit()
        self.prompt.setObjectName("promptEdit")
        self.prompt.setPlaceholderText("The course's names and terms, e.g. Dijkstra, eigenvalue, CS224N")
        form.addRow("Terms:", self.prompt)
        self.srt_box = QCheckBox(f"Save an SRT beside the media ({media.with_suffix('.srt').name})")
        self.srt_box.setObjectName("srtBox")
        form.addRow("", self.srt_box)
        layout.addLayout(form)
        buttons = QDialogButtonBox()
        self.start_button = buttons.addButton("Transcribe", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def accept(self) -> None:
        from player.core.transcription import REGISTRY, TranscriptionOptions

        name, download = self.model_box.currentData()
        language = self.language_box.currentData()
        info = REGISTRY.get(name)
        if info is not None and info.english_only and language not in (None, "en"):
            self._refuse(f"The model {name} knows English only: choose a multilingual one "
                         f"({name.removesuffix('.en')}, for instance) for this language.")
            return
        srt, replace = None, False
        if self.srt_box.isChecked():
            srt = self._media.with_suffix(".srt")
            try:
                check_output(srt, protected=self._protected)
            except OutputExists:
                if not self._ask_replace(srt):
                    return
                replace = True
            except OutputRefused as refused:
                self._refuse(str(refused))
                return
        options = TranscriptionOptions(language=language, vad=self.vad_box.isChecked(),
                                       initial_prompt=self.prompt.text().strip() or None)
        self.request = TranscribeRequest(name, download, options, srt, replace)
        super().accept()

    def _refuse(self, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "Transcribe", text, QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()

    def _ask_replace(self, path: Path) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, "Replace the file?",
                          f"{path} exists already. Replace it with the transcript when it is done?",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("replaceSrtBox")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes


class TranscriptionBar(QWidget):
    """Above the transcript: "No transcript: [Transcribe…]", "Transcription stopped at
    12:34: [Continue]", or a progress bar with what is done, the time left and Cancel. It
    never blocks the window."""

    action_requested = Signal()    # the offer's button
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transcriptionBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 6)
        self.label = QLabel("")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(True)   # the time left, inside the bar
        self.progress.setFixedWidth(150)   # room for "12 min left" inside the bar
        self.action_button = QPushButton("")
        self.action_button.setObjectName("transcriptionAction")
        self.action_button.clicked.connect(self.action_requested)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("transcriptionCancel")
        self.cancel_button.clicked.connect(self.cancel_requested)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.action_button)
        layout.addWidget(self.cancel_button)
        self.hide()

    def offer(self, text: str, button: str) -> None:
        self.label.setText(text)
        self.action_button.setText(button)
        self.action_button.show()
        self.progress.hide()
        self.cancel_button.hide()
        self.show()

    def show_progress(self, text: str, fraction: float | None, left: str = "") -> None:
        self.label.setText(text)
        self.progress.setFormat(left)
        if fraction is None:
            self.progress.setRange(0, 0)   # busy, length unknown
        else:
            self.progress.setRange(0, 1000)
            self.progress.setValue(round(1000 * max(0.0, min(1.0, fraction))))
        self.progress.show()
        self.cancel_button.show()
        self.action_button.hide()
        self.show()


def _transcribe(control: JobControl, library_path: Path, lecture_id: int, media: Path, model: str,
                options: TranscriptionOptions, start_ms: int, replace: bool):
    """The run, on a long-job thread: each line saved before the next is read, so a kill
    loses nothing heard. The transcription is begun in the library only once the worker
    has started (media read, model loaded): bad media or a broken model leaves nothing."""
    from player.core.transcription import TranscriptionJob

    with Library.open(library_path, check_integrity=False) as library:
        begun = False
        language = options.language

        def begin() -> None:
            nonlocal begun
            if not begun:
                library.begin_transcription(lecture_id, model, options.language, options, replace=replace)
                begun = True

        def on_language(code: str, probability: float) -> None:
            nonlocal language
            language = code
            control.report(("language", code, probability))

        # After a cancel nothing more is saved: the library holds what the window showed.
        def on_segment(segment) -> None:
            if control.cancelled:
                return
            begin()
            added = library.append_transcribed(lecture_id, [segment], segment.end_ms, language=language)
            if added:
                control.report(("lines", added))

        def on_progress(progress) -> None:
            if control.cancelled:
                return
            begin()   # progress is a point where every line before it was handed over
            library.append_transcribed(lecture_id, [], round(progress.seconds * 1000))
            control.report(("progress", progress))

        job = TranscriptionJob(media, model, options=options, start_at_s=start_ms / 1000, on_segment=on_segment,
                               on_progress=on_progress, on_language=on_language)
        control.on_cancel(job.cancel)
        result = job.run()
        begin()   # media with nothing to say still gets its (empty) transcript
        if result.duration_s:
            library.set_duration(lecture_id, round(result.duration_s * 1000))
        return library.finish_transcription(lecture_id, result.language, round(result.end_s * 1000))


class Transcriber(QObject):
    """One lecture's transcription (or its model's download first), off the GUI thread.

    Signals come on the GUI thread: `lines_added` with the library's new TranscriptLines as
    they are saved, `progress_text` for the bar, then exactly one of `finished`
    (TranscriptionState), `failed` (a sentence) or `cancelled`."""

    lines_added = Signal(object)
    progress_changed = Signal(str, object, str)   # what is done, the fraction (None: unknown), the time left
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.job = LongJob(self)
        self.job.progress.connect(self._on_report)
        self.job.finished.connect(self.finished)
        self.job.failed.connect(self._on_failed)
        self.job.cancelled.connect(self.cancelled)
        self.download = LongJob(self)
        self.download.progress.connect(self._on_download_progress)
        self.download.failed.connect(lambda error: self.failed.emit(str(error)))
        self.download.cancelled.connect(self.cancelled)
        self.lecture_id: int | None = None
        self._start_ms = 0
        self._count = 0
        self._seconds = 0.0
        self._language: str | None = None   # heard (detected), to show

    @property
    def running(self) -> bool:
        return self.job.running or self.download.running

    def start(self, library_path: Path, lecture_id: int, media: Path, model: str, options: TranscriptionOptions,
              *, start_ms: int = 0, lines_kept: int = 0, replace: bool = False, download: bool = False) -> None:
        self.lecture_id = lecture_id
        self._start_ms, self._count, self._seconds = start_ms, lines_kept, start_ms / 1000
        self._language = None
        self._detecting = options.language is None

        def run() -> None:
            self.progress_changed.emit(self._status(None), None, "")
            self.job.start(lambda control: _transcribe(control, library_path, lecture_id, media, model, options,
                                                       start_ms, replace))

        if download:
            from player.core.transcription import REGISTRY

            size = REGISTRY[model].size_mb
            self.progress_changed.emit(f"Downloading the model {model} ({size:,} MB)…", 0.0, "")
            self.download.finished.connect(lambda _folder: run(), Qt.ConnectionType.SingleShotConnection)
            self.download.start(lambda control: self._fetch(control, model))
        else:
            run()

    @staticmethod
    def _fetch(control: JobControl, model: str):
        def report(done: int, total: int | None = None, *_rest) -> None:
            control.report((done, total))

        from player.core.transcription import ModelDownload

        download = ModelDownload(model, on_progress=report)
        control.on_cancel(download.cancel)
        return download.run()

    def cancel(self) -> None:
        self.download.cancel()
        self.job.cancel()

    def _on_download_progress(self, value) -> None:
        done, total = value if isinstance(value, tuple) else (value, None)
        fraction = done / total if total else None
        self.progress_changed.emit(f"Downloading the model: {done / 1e6:,.0f}"
                                   + (f" of {total / 1e6:,.0f} MB" if total else " MB"), fraction, "")

    def _status(self, progress) -> str:
        if progress is None and self._count == 0 and self._start_ms == 0:
            return "Transcribing: loading the model…"
        where = format_clock(round(self._seconds * 1000))
        if progress is not None and progress.fraction:
            where += f" of {format_clock(round(1000 * progress.seconds / progress.fraction))}"
        heard = f" · language heard: {self._language}" if self._language else ""
        return f"Transcribing {where} · {_lines(self._count)}{heard}"

    def _on_report(self, report) -> None:
        kind = report[0]
        if kind == "lines":
            self._count += len(report[1])
            self.lines_added.emit(list(report[1]))
            return
        if kind == "language":
            if self._detecting:   # a language chosen is not news
                self._language = report[1]
            return
        progress = report[1]
        self._seconds = progress.seconds
        self.progress_changed.emit(self._status(progress), progress.fraction, _time_left(progress.seconds_left))

    def _on_failed(self, error: Exception) -> None:
        from player.core.transcription import ModelError, TranscriptionCancelled

        if isinstance(error, TranscriptionCancelled):
            self.cancelled.emit()
        elif isinstance(error, NotTranscribing):
            self.failed.emit("The lecture's transcript was replaced while it was being transcribed; "
                             "nothing more was saved.")
        elif isinstance(error, ModelError):
            self.failed.emit(f"{error}.")
        else:
            self.failed.emit(str(error))
