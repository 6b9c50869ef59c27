"""Export ▸ Highlight reel: choose the highlights and how to cut them, then watch the
progress (with time left) and cancel at will; the work runs off the GUI thread."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFileDialog,
                               QFormLayout, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QProgressBar,
                               QPushButton, QRadioButton, QVBoxLayout, QWidget)

from player.core.reel import ReelError, ReelJob, ReelOptions, plan_cuts
from player.core.safe_files import OutputRefused, check_output
from player.core.timecode import format_clock
from player.core.transcript import Transcript
from player.ui.jobs import JobControl, LongJob
from player.ui.plain_dialogs import ask_yes_no

MODE_HELP = ("<b>Accurate</b>: cuts land exactly where the highlights are; only the frames "
             "next to each cut are re-encoded when the video allows it, else the whole reel. "
             "<b>Fast</b> copies the streams: many times faster, but each cut starts at the "
             "keyframe before it, a few seconds early at most.")


class ReelDialog(QDialog):
    """Questions go through `confirm`, which tests replace with a plain function."""

    progress_changed = Signal(float, object)   # fraction done, seconds left (None until known)
    reel_saved = Signal(object)                # the reel's path, once it is made

    def __init__(self, media_path: str, audio_only: bool, highlights: dict[str, list], transcript: Transcript | None,
                 duration_ms: int, parent: QWidget | None = None, *,
                 protected: Mapping[Path, str] | None = None) -> None:
        """`highlights` maps a choice ("All", "Shown in the Highlights tab", ...) to its highlights;
        `protected` are the learner's files the reel and its subtitles never replace."""
        super().__init__(parent)
        self.setWindowTitle("Highlight reel")
        self.setObjectName("reelDialog")
        self._media, self._transcript, self._duration_ms = media_path, transcript, duration_ms
        self._choices = highlights
        self._protected = dict(protected or {})
        self._confirmed_output: Path | None = None   # the name the save dialog asked to replace
        self.confirm: Callable[[str, str], bool] = lambda title, text: ask_yes_no(self, title, text)
        self._job: ReelJob | None = None
        self.result_path: Path | None = None

        self.which = QComboBox()
        for label, chosen in highlights.items():
            self.which.addItem(f"{label} ({len(chosen)})", label)
        self.pad = QDoubleSpinBox()
        self.pad.setRange(0.0, 10.0)
        self.pad.setSingleStep(0.25)
        self.pad.setValue(0.5)
        self.pad.setSuffix(" s")
        self.accurate = QRadioButton("Accurate")
        self.accurate.setChecked(True)
        self.fast = QRadioButton("Fast")
        mode_row = QHBoxLayout()
        mode_row.addWidget(self.accurate)
        mode_row.addWidget(self.fast)
        mode_row.addStretch(1)
        mode_help = QLabel(MODE_HELP)  # our own text, not the learner's: rich text is safe here
        mode_help.setWordWrap(True)
        mode_help.setMinimumHeight(mode_help.fontMetrics().lineSpacing() * 3)  # wrapped text is not clipped
        self.chapters = QCheckBox("A chapter per cut, named from its note or first words")
        self.chapters.setChecked(True)
        self.captions = QCheckBox("Burn in the transcript as captions")
        self.title_cards = QCheckBox("A short title card with the note and tags before each cut")
        self.sidecar = QComboBox()
        self.sidecar.addItem("None", None)
        self.sidecar.addItem("SubRip (.srt)", "srt")
        self.sidecar.addItem("WebVTT (.vtt)", "vtt")
        suffix = ".m4a" if audio_only else ".mp4"
        self.output = QLineEdit(str(Path(media_path).with_name(f"{Path(media_path).stem} highlights{suffix}")))
        self.output.setAccessibleName("Save the reel as")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._choose_output)
        output_row = QHBoxLayout()
        output_row.addWidget(self.output, 1)
        output_row.addWidget(browse)
        for box in (self.captions, self.title_cards):
            box.setEnabled(not audio_only)
        self.fast.toggled.connect(lambda fast: [b.setEnabled(not fast and not audio_only)
                                                for b in (self.captions, self.title_cards)])

        form = QFormLayout()
        form.addRow("Highlights", self.which)
        form.addRow("Padding before and after", self.pad)
        form.addRow("Cutting", mode_row)
        form.addRow("", mode_help)
        form.addRow("", self.chapters)
        form.addRow("", self.captions)
        form.addRow("", self.title_cards)
        form.addRow("Subtitles beside the reel", self.sidecar)
        form.addRow("Save as", output_row)

        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.status = QLabel("")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.export_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self._cancel_or_close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(620)

        self._runner = LongJob(self)
        self._runner.progress.connect(lambda progress: self.progress_changed.emit(*progress))
        self.progress_changed.connect(self._on_progress)
        self._runner.finished.connect(self._on_finished)
        self._runner.failed.connect(self._on_failed)
        self._runner.cancelled.connect(self._on_cancelled)

    def _choose_output(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the reel as", self.output.text(),
                                              "Video (*.mp4);;Audio (*.m4a *.mp3);;All files (*)")
        if path:
            self.output.setText(path)
            self._confirmed_output = Path(path).absolute()

    def start(self) -> None:
        label = self.which.currentData()
        chosen = self._choices[label]
        order = "time" if "time order" in label else "given"  # the tab's own order otherwise
        cuts = plan_cuts(chosen, pad_ms=int(self.pad.value() * 1000), duration_ms=self._duration_ms or None,
                         order=order)
        if not cuts:
            self.status.setText("No highlights to put in the reel.")
            return
        options = ReelOptions(mode="fast" if self.fast.isChecked() else "accurate",
                              chapters=self.chapters.isChecked(),
                              captions=self.captions.isChecked() and self.captions.isEnabled(),
                              title_cards=self.title_cards.isChecked() and self.title_cards.isEnabled(),
                              sidecar=self.sidecar.currentData())
        if not self._may_write(Path(self.output.text()), options.sidecar):
            return
        self._job = ReelJob(Path(self._media), cuts, Path(self.output.text()), options, transcript=self._transcript,
                            highlights={h.id: h for h in chosen}, protected=self._protected, force=True)
        total = sum(cut.end_ms - cut.start_ms for cut in cuts)
        self.status.setText(f"{len(cuts)} cuts, {format_clock(total)} in all…")
        self.progress.setValue(0)
        self.progress.show()
        self.export_button.setEnabled(False)
        reel = self._job

        def work(control: JobControl):
            reel.on_progress = lambda fraction, seconds_left: control.report((fraction, seconds_left))
            control.on_cancel(reel.cancel)  # kills ffmpeg; the reel removes its temporary files
            return reel.run()

        self._runner.start(work)

    def _may_write(self, output: Path, sidecar_kind: str | None) -> bool:
        """Never one of the learner's own files; an existing file only when the learner
        said so: the save dialog asked about the reel's name, but not about a name typed
        in or suggested, nor about the subtitles beside it."""
        output = output.expanduser().absolute()
        targets = [output]
        if sidecar_kind and self._transcript is not None:
            targets.append(output.with_suffix(f".{sidecar_kind}"))   # where the reel puts them
        for target in targets:
            try:
                check_output(target, protected={Path(self._media): "the lecture's media", **self._protected},
                             force=True)
            except OutputRefused as refusal:
                self._refuse(refusal)
                return False
        for target in targets:
            if target.exists() and target != self._confirmed_output and not self.confirm(
                    "Replace the file?", f"{target} exists already. Replace it?"):
                self.status.setText("Nothing was made.")
                return False
        return True

    def _refuse(self, refusal: OutputRefused) -> None:
        self.status.setText("Nothing was made: choose another name.")
        box = QMessageBox(QMessageBox.Icon.Warning, "Not saved", str(refusal), QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()
        self.error_box = box

    def _on_progress(self, fraction: float, seconds_left) -> None:
        self.progress.setValue(int(fraction * 1000))
        if seconds_left is not None:
            self.status.setText(f"{fraction:.0%} · about {format_clock(int(seconds_left * 1000))} left")

    def _on_finished(self, result) -> None:
        self._job = None
        self.result_path = result.output
        self.progress.setValue(1000)
        how = f"; re-encoded whole: {result.fallback_reason}" if result.fallback_reason else f"; {result.method}"
        self.status.setText(f"Saved {result.output} ({format_clock(result.duration_ms)}{how})")
        self.export_button.setEnabled(True)
        self.cancel_button.setText("Close")
        self.reel_saved.emit(result.output)

    def _on_failed(self, error: Exception) -> None:
        message = str(error) if isinstance(error, (ReelError, OutputRefused)) else f"{type(error).__name__}: {error}"
        self._job = None
        self.progress.hide()
        self.export_button.setEnabled(True)
        self.status.setText("The reel could not be made; nothing was saved.")
        first_line, _, details = message.partition("\n")
        box = QMessageBox(QMessageBox.Icon.Warning, "The reel could not be made", first_line,
                          QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        if details:
            box.setDetailedText(details)  # ffmpeg's last lines
        box.open()
        self.error_box = box

    def _on_cancelled(self) -> None:
        self._job = None
        self.progress.hide()
        self.export_button.setEnabled(True)
        self.status.setText("Cancelled: no file was left behind.")

    def _cancel_or_close(self) -> None:
        if self._runner.running:
            self._runner.cancel()
        else:
            self.reject()

    def done(self, result: int) -> None:
        self._runner.cancel()  # Esc or Close while a reel is made: it stops, leaving no file
        super().done(result)

    def closeEvent(self, event) -> None:  # noqa: N802
        self._runner.cancel()
        super().closeEvent(event)
