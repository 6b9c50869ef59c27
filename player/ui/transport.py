"""The transport bar under the video: play/pause, seek bar with times, line and
5-second steps, speed, volume, full screen."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QAction, QColor, QMouseEvent, QPainter, QPalette, QRegion
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QSlider, QStyle, QStyleOptionSlider, QToolButton,
                               QVBoxLayout, QWidget)

from player.core.timecode import format_clock
from player.ui.annotations import HIGHLIGHT_COLORS

SPEEDS = (0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0)
# After the times while a loop is on: how many times it has repeated.
LOOP_COUNT_TEXT = "  ⟲ {}×"


class SeekSlider(QSlider):
    """The seek bar: a press jumps where it is pressed, a drag previews, the release
    seeks, as in media players (QSlider's own page steps and handle grabbing are not
    wanted here).

    Along its foot runs the timeline of highlights; a press on a mark goes to the
    start of that highlight. A loop's range is a band along the groove; a drag with
    Shift held marks a new one."""

    MARK_HEIGHT = 4
    MARK_SLOP_PX = 3
    BAND_ALPHA = 80      # the band lets the groove show through

    seek_requested = Signal(int)
    dragged = Signal(int)
    range_selected = Signal(int, int)   # a Shift+drag: (from ms, to ms), in drag order

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.marks: list[tuple[int, int, int]] = []  # (start_ms, end_ms, colour)
        self.dragging = False
        self.loop_range: tuple[int, int] | None = None
        self.loop_mark: int | None = None          # a loop's start marked, its end not yet
        self._range_from: int | None = None        # where a Shift+drag began

    def show_loop(self, loop_range: tuple[int, int] | None, mark_ms: int | None) -> None:
        if self._range_from is None:   # a Shift+drag under way shows its own range
            self.loop_range, self.loop_mark = loop_range, mark_ms
        self.update()

    def set_marks(self, marks: list[tuple[int, int, int]]) -> None:
        self.marks = marks
        self.update()

    def _x_of(self, ms: int) -> int:
        return QStyle.sliderPositionFromValue(self.minimum(), self.maximum(), ms, self.width())

    def _value_at(self, x: int) -> int:
        return QStyle.sliderValueFromPosition(self.minimum(), self.maximum(), x, self.width())

    def mark_at(self, x: int) -> tuple[int, int, int] | None:
        for mark in self.marks:
            if self._x_of(mark[0]) - self.MARK_SLOP_PX <= x <= self._x_of(mark[1]) + self.MARK_SLOP_PX:
                return mark
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton or self.maximum() <= self.minimum():
            return
        x = int(event.position().x())
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self._range_from = self._value_at(x)
            self.loop_range, self.loop_mark = None, self._range_from
            self.update()
            return
        on_timeline = event.position().y() >= self.height() - 2 * self.MARK_HEIGHT
        mark = self.mark_at(x) if on_timeline else None
        self.setValue(mark[0] if mark else self._value_at(x))
        self.dragging = mark is None
        if mark:
            self.seek_requested.emit(mark[0])
        else:
            self.dragged.emit(self.value())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._range_from is not None:
            self.loop_range = tuple(sorted((self._range_from, self._value_at(int(event.position().x())))))
            self.update()
        elif self.dragging:
            self.setValue(self._value_at(int(event.position().x())))
            self.dragged.emit(self.value())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._range_from is not None:
            start, self._range_from = self._range_from, None
            self.range_selected.emit(start, self._value_at(int(event.position().x())))
        elif self.dragging:
            self.dragging = False
            self.seek_requested.emit(self.value())

    def paintEvent(self, event) -> None:  # noqa: N802
        super().paintEvent(event)
        if self.maximum() <= self.minimum() or not (self.marks or self.loop_range or self.loop_mark is not None):
            return
        painter = QPainter(self)
        top = self.height() - self.MARK_HEIGHT
        for start_ms, end_ms, color in self.marks:
            left = self._x_of(start_ms)
            painter.fillRect(left, top, max(3, self._x_of(end_ms) - left), self.MARK_HEIGHT, HIGHLIGHT_COLORS[color])
        self._paint_loop(painter)
        painter.end()

    def _paint_loop(self, painter: QPainter) -> None:
        """The loop's range as a band in the theme's highlight colour, the bar's height down
        to the highlights' timeline, edged at A and B; the handle stays on top."""
        if self.loop_range is None and self.loop_mark is None:
            return
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        style = self.style()
        handle = style.subControlRect(QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderHandle, self)
        top, bottom = 1, self.height() - self.MARK_HEIGHT - 1
        edge = self.palette().color(QPalette.ColorRole.Highlight)
        painter.setClipRegion(QRegion(self.rect()) - QRegion(handle))
        if self.loop_range is not None:
            left, right = self._x_of(self.loop_range[0]), self._x_of(self.loop_range[1])
            band = QColor(edge)
            band.setAlpha(self.BAND_ALPHA)
            painter.fillRect(QRect(left, top, max(2, right - left), bottom - top), band)
            painter.fillRect(QRect(right - 1, top, 2, bottom - top), edge)
            painter.fillRect(QRect(left - 1, top, 2, bottom - top), edge)
        else:
            painter.fillRect(QRect(self._x_of(self.loop_mark) - 1, top, 2, bottom - top), edge)
        painter.setClipping(False)


class TransportBar(QWidget):
    """Buttons bound to the window's actions, plus the seek bar, speed and volume."""

    seek_requested = Signal(int)      # ms
    rate_requested = Signal(float)
    volume_requested = Signal(int)

    def __init__(self, actions: dict[str, QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transportBar")
        self._duration_ms = 0
        self._loop_count: int | None = None   # repeats of the loop on, None without one
        self._init_ui(actions)
        self._connect_signals()

    def _init_ui(self, actions: dict[str, QAction]) -> None:
        self.seek_slider = SeekSlider(Qt.Orientation.Horizontal)
        self.seek_slider.setObjectName("seekSlider")
        self.seek_slider.setAccessibleName("Position")
        self.seek_slider.setRange(0, 0)
        self.seek_slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.seek_slider.setMinimumHeight(22)  # room for the highlight timeline at its foot
        self.seek_slider.setToolTip("Seek")
        self.time_label = QLabel("0:00 / 0:00")
        self.time_label.setObjectName("timeLabel")
        self.time_label.setTextFormat(Qt.TextFormat.PlainText)
        # Room for a loop's count too, so the seek bar does not shrink when it shows.
        self.time_label.setMinimumWidth(self.time_label.fontMetrics().horizontalAdvance(
            "00:00:00 / 00:00:00" + LOOP_COUNT_TEXT.format(99)))
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        def button(name: str) -> QToolButton:
            tool = QToolButton()
            tool.setDefaultAction(actions[name])
            tool.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            tool.setAutoRaise(True)
            tool.setObjectName(f"{name}Button")
            return tool

        self.speed_box = QComboBox()
        self.speed_box.setObjectName("speedBox")
        self.speed_box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.speed_box.setToolTip("Playback speed (pitch preserved)  < slower, > faster")
        for speed in SPEEDS:
            self.speed_box.addItem(f"{speed:g}×", speed)
        self.speed_box.setCurrentIndex(SPEEDS.index(1.0))

        self.volume_slider = QSlider(Qt.Orientation.Horizontal)
        self.volume_slider.setObjectName("volumeSlider")
        self.volume_slider.setAccessibleName("Volume")
        self.volume_slider.setRange(0, 100)
        self.volume_slider.setValue(100)
        self.volume_slider.setFixedWidth(90)
        self.volume_slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.volume_slider.setToolTip("Volume  (+ / -)")

        seek_row = QHBoxLayout()
        seek_row.addWidget(self.seek_slider, 1)
        seek_row.addWidget(self.time_label)

        controls = QHBoxLayout()
        controls.setSpacing(2)
        for name in ("previous_line", "back", "play", "forward", "next_line"):
            controls.addWidget(button(name))
        controls.addStretch(1)
        controls.addWidget(self.speed_box)
        controls.addSpacing(8)
        controls.addWidget(button("mute"))
        controls.addWidget(self.volume_slider)
        controls.addWidget(button("full_screen"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 6)
        layout.setSpacing(2)
        layout.addLayout(seek_row)
        layout.addLayout(controls)

    def _connect_signals(self) -> None:
        self.seek_slider.dragged.connect(self._show_time_while_dragging)
        self.seek_slider.seek_requested.connect(self.seek_requested)
        self.speed_box.activated.connect(
            lambda i: self.rate_requested.emit(float(self.speed_box.itemData(i))))
        self.volume_slider.valueChanged.connect(self.volume_requested)

    def _show_time_while_dragging(self, value: int) -> None:
        self._show_time_text(value)

    def _show_time_text(self, ms: int) -> None:
        count = "" if self._loop_count is None else LOOP_COUNT_TEXT.format(self._loop_count)
        self.time_label.setText(f"{format_clock(ms)} / {format_clock(self._duration_ms)}{count}")

    # --- updates from playback ---------------------------------------------------------
    def set_duration(self, ms: int) -> None:
        self._duration_ms = ms
        self.seek_slider.setRange(0, max(0, ms))
        self.show_time(self.seek_slider.value())

    def show_time(self, ms: int) -> None:
        if self.seek_slider.dragging:
            return  # the user is dragging: don't fight them
        self.seek_slider.blockSignals(True)
        self.seek_slider.setValue(ms)
        self.seek_slider.blockSignals(False)
        self._show_time_text(ms)

    def show_rate(self, rate: float) -> None:
        # A speed off the list (a loop slowing down) is listed while it plays, then dropped.
        for index in reversed(range(self.speed_box.count())):
            if self.speed_box.itemData(index) not in SPEEDS and self.speed_box.itemData(index) != rate:
                self.speed_box.removeItem(index)
        index = self.speed_box.findData(rate)
        if index < 0:
            index = sum(1 for i in range(self.speed_box.count()) if self.speed_box.itemData(i) < rate)
            self.speed_box.insertItem(index, f"{rate:g}×", rate)
        self.speed_box.setCurrentIndex(index)

    def show_loop(self, loop_range: tuple[int, int] | None, mark_ms: int | None, count: int | None) -> None:
        """A loop's range on the seek bar (or its start alone, marked), and its count of
        repeats beside the times; None, None, None when there is no loop."""
        self.seek_slider.show_loop(loop_range, mark_ms)
        self._loop_count = count
        self._show_time_text(self.seek_slider.value())

    def show_highlights(self, marks: list[tuple[int, int, int]]) -> None:
        self.seek_slider.set_marks(marks)

    def show_volume(self, volume: int, muted: bool) -> None:
        self.volume_slider.blockSignals(True)
        self.volume_slider.setValue(volume)
        self.volume_slider.blockSignals(False)
        self.volume_slider.setEnabled(not muted)
