"""The transcript beside the media: a list model over the segments, a delegate that
paints each line (time, then text, as plain text), and the view that follows the
line being spoken.

A lecture can have 100,000 lines: the model is a thin view over the Transcript's
list, rows are painted, never widgets, and a new current line touches two rows.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import (QAbstractListModel, QEasingCurve, QModelIndex, QPoint, QPointF,
                            QPropertyAnimation, QRect, QRectF, QSize, Qt, QTimer, Signal)
from PySide6.QtGui import (QColor, QFont, QFontMetrics, QKeyEvent, QKeySequence, QPainter, QPalette, QTextCharFormat,
                           QTextLayout, QTextLine, QTextOption)
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QLineEdit, QListView, QPushButton, QStyle,
                               QStyledItemDelegate, QStyleOptionViewItem, QWidget)

from player.core.paragraphs import Paragraph, group_paragraphs
from player.core.text_spans import char_span
from player.core.theme_colors import LINE_TINT_ALPHA, WORDS_TINT_ALPHA
from player.core.timecode import format_clock
from player.core.transcript import Segment, Transcript
from player.ui.annotations import HIGHLIGHT_COLORS
from player.ui.themes import colors_of, qcolor

StartRole = Qt.ItemDataRole.UserRole + 1
NonSpeechRole = Qt.ItemDataRole.UserRole + 2
SpeakerRole = Qt.ItemDataRole.UserRole + 3
# Letters in the proportions of English prose, for the average width of a letter.
_SAMPLE_TEXT = "the quick brown fox jumps over the lazy dog and then, as lectures go, Sat down to rest. "


def _with_segments(transcript: Transcript, segments: list[Segment]) -> Transcript:
    """The same transcript (title, source, how it was read) with other lines."""
    return Transcript(segments, title=transcript.title, source=transcript.source, source_url=transcript.source_url,
                      warnings=transcript.warnings, notes=transcript.notes, encoding=transcript.encoding,
                      encoding_guessed=transcript.encoding_guessed, weak_guess=transcript.weak_guess)

# Rows measured exactly around the one shown (a few screens' worth); the rest are estimated.
EXACT_ROWS = 120
ESTIMATED_A_CHUNK = 2000   # rows whose height is estimated at once, as the layout reaches them
MEASURED_A_TURN = 50    # rows measured in the background a turn of the event loop: a few ms
# Follow scrolling puts the current line here (fraction of the view from the top)
# and leaves it alone while it stays inside the comfort band.
FOLLOW_ANCHOR = 0.38
COMFORT_BAND = (0.15, 0.70)
# The soft bar standing for hidden words: the quiet text colour, faint (0-255).
HIDDEN_BAR_ALPHA = 70


def _blank_out(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with each (start, length) span said as "hidden"."""
    for start, length in sorted(spans, reverse=True):
        if length > 0:
            text = f"{text[:start]}(hidden){text[start + length:]}"
    return text


class SegmentModel(QAbstractListModel):
    """One row per segment, or per paragraph in paragraph mode, read straight from
    the Transcript's list."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._transcript: Transcript | None = None
        self._paragraphs: list[Paragraph] | None = None
        self._rows = 0
        # What a screen reader is told of a row: the view's words as shown (hidden words
        # stay hidden, the second line is read after the first). Set by the view.
        self.spoken_text: Callable[[int], str] | None = None

    @property
    def transcript(self) -> Transcript | None:
        return self._transcript

    @property
    def paragraphs(self) -> list[Paragraph] | None:
        return self._paragraphs

    def set_transcript(self, transcript: Transcript | None, paragraphs: list[Paragraph] | None = None) -> None:
        self.beginResetModel()
        self._transcript = transcript
        self._paragraphs = paragraphs
        self._count_rows()
        self._paragraph_starts = [p.first for p in paragraphs] if paragraphs is not None else []
        self.endResetModel()

    def append_segments(self, segments: list[Segment]) -> Transcript:
        """Lines heard since (a transcription under way): new rows at the end, nothing
        else touched, so the learner's place, selection and scroll stay. In paragraph mode the
        last paragraph may grow: it is repainted, and only new paragraphs are inserted."""
        old = self._transcript if self._transcript is not None else Transcript([])
        transcript = _with_segments(old, old.segments + list(segments))
        if self._paragraphs is None:
            first = len(old)
            self.beginInsertRows(QModelIndex(), first, first + len(segments) - 1)
            self._transcript = transcript
            self._count_rows()
            self.endInsertRows()
            return transcript
        paragraphs = group_paragraphs(transcript)
        before = len(self._paragraphs)
        grows = [row for row in range(before) if row >= len(paragraphs) or paragraphs[row] != self._paragraphs[row]]
        if len(paragraphs) < before or (grows and grows[0] < before - 1):
            self.set_transcript(transcript, paragraphs)   # regrouped further back: rare
            return transcript
        if len(paragraphs) > before:
            self.beginInsertRows(QModelIndex(), before, len(paragraphs) - 1)
        self._transcript, self._paragraphs = transcript, paragraphs
        self._count_rows()
        self._paragraph_starts = [p.first for p in paragraphs]
        if len(paragraphs) > before:
            self.endInsertRows()
        if grows:
            self.dataChanged.emit(self.index(grows[0]), self.index(grows[0]))
        return transcript

    def replace_segments(self, position: int, count: int, segments: list[Segment]) -> Transcript:
        """An edit of consecutive lines: `count` rows at `position` become `segments`
        (line mode; paragraphs are grouped again)."""
        old = self._transcript
        transcript = _with_segments(old, old.segments[:position] + list(segments) + old.segments[position + count:])
        if self._paragraphs is not None:
            self.set_transcript(transcript, group_paragraphs(transcript))
            return transcript
        added = len(segments)
        if added < count:
            self.beginRemoveRows(QModelIndex(), position + added, position + count - 1)
            self._transcript = transcript
            self._count_rows()
            self.endRemoveRows()
        elif added > count:
            self.beginInsertRows(QModelIndex(), position + count, position + added - 1)
            self._transcript = transcript
            self._count_rows()
            self.endInsertRows()
        else:
            self._transcript = transcript
            self._count_rows()
        changed = min(count, added)
        if changed:
            self.dataChanged.emit(self.index(position), self.index(position + changed - 1))
        return transcript

    def flags(self, index: QModelIndex):
        flags = super().flags(index)
        if index.isValid() and self._paragraphs is None:
            flags |= Qt.ItemFlag.ItemIsEditable   # a line's words, in place (F2, double click)
        return flags

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        # Asked for every row as the list is laid out (each index() checks it): kept, not counted.
        return 0 if parent.isValid() else self._rows

    def _count_rows(self) -> None:
        self._rows = 0 if self._transcript is None else \
            len(self._paragraphs) if self._paragraphs is not None else len(self._transcript)

    def row_of_segment(self, segment: int) -> int:
        if self._paragraphs is None:
            return segment
        return bisect.bisect_right(self._paragraph_starts, segment) - 1

    def first_segment(self, row: int) -> int:
        return row if self._paragraphs is None else self._paragraphs[row].first

    def text(self, row: int) -> str:
        if self._paragraphs is not None:
            return self._paragraphs[row].text
        return self._transcript[row].text

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self._transcript is None:
            return None
        row = index.row()
        segment = self._transcript[self.first_segment(row)]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self.text(row)
        if role == SpeakerRole:
            return segment.speaker
        if role == StartRole:
            return segment.start_ms
        if role == NonSpeechRole:
            return segment.is_non_speech
        if role == Qt.ItemDataRole.AccessibleTextRole:
            words = self.spoken_text(row) if self.spoken_text is not None else self.text(row)
            return f"{format_clock(segment.start_ms)} {words}"
        return None


@dataclass
class RowGeometry:
    """Where a row's parts go, relative to the top left of its text: measured and painted
    from this one description, so a row is exactly as tall as what is drawn in it."""

    text: QTextLayout
    height: int                # of the text, the label and the second line together
    label: str = ""            # as drawn (elided)
    label_rect: QRect | None = None
    second: QTextLayout | None = None   # the second transcript's words, under the text
    second_top: int = 0


class SegmentDelegate(QStyledItemDelegate):
    """Paints "0:42  text" rows with word wrap; the current line gets the accent, and a
    highlight's tags and note mark go in a pill beside the text's last line, or under the
    text when the last line has no room for it: never over the words."""

    PAD_X, PAD_Y, TIME_GAP = 10, 6, 14
    LABEL_GAP = 8   # between the words and the label pill
    SECOND_GAP = 2  # between the words and the second transcript's line under them
    SECOND_SIZE = 0.85   # the second line's size, relative to the words'

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view
        self.measured_last = False   # whether measure_estimated measured its row
        self._base_point_size = view.font().pointSizeF()
        self.set_scale(1.0)

    def set_scale(self, factor: float) -> None:
        """Every font of a row at `factor` times the view's own size."""
        self.scale = factor
        size = self._base_point_size * factor
        self.text_font = QFont(self._view.font())
        self.text_font.setPointSizeF(size)
        self.second_font = QFont(self.text_font)
        self.second_font.setPointSizeF(size * self.SECOND_SIZE)
        self.time_font = QFont(self._view.font())
        self.time_font.setStyleHint(QFont.StyleHint.Monospace)
        self.time_font.setFamily("monospace")
        self.time_font.setPointSizeF(size * 0.85)
        self._time_width = QFontMetrics(self.time_font).horizontalAdvance("00:00:00") + self.TIME_GAP
        self.label_font = QFont(self.time_font)
        self._text_metrics = QFontMetrics(self.text_font)
        # The width of an average letter of running text (a space included).
        self._char_width = self._text_metrics.horizontalAdvance(_SAMPLE_TEXT) / len(_SAMPLE_TEXT)
        # Heights depend on the fonts: measured again at this size.
        self._heights: dict[int, int] = {}   # row -> exact height at _heights_width
        self._heights_width = -1
        self._estimates: list[int] = []   # rows' heights from their length, at _heights_width
        self._lengths: list[int] = []     # rows' text lengths, whatever the width

    def _text_left(self) -> int:
        return self.PAD_X + self._time_width

    def _text_width(self, row_width: int) -> int:
        return max(80, row_width - self._text_left() - self.PAD_X)

    def text_rect(self, rect: QRect) -> QRect:
        """Where a row's text starts and how wide it may run, for a row at `rect`."""
        return QRect(rect.left() + self._text_left(), rect.top() + self.PAD_Y,
                     self._text_width(rect.width()), rect.height() - 2 * self.PAD_Y)

    def text_layout(self, text: str, width: int, font: QFont | None = None) -> tuple[QTextLayout, int]:
        """Text laid out in lines: the same layout measures, paints and finds the fragment
        under the pointer. The string is set as plain text: it is never read as markup."""
        layout = QTextLayout(text, font or self.text_font)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WordWrap)
        layout.setTextOption(option)
        layout.beginLayout()
        height = 0.0
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            line.setPosition(QPointF(0, height))
            height += line.height()
        layout.endLayout()
        return layout, int(height + 0.999)

    def row_geometry(self, row: int, width: int) -> RowGeometry:
        layout, text_height = self.text_layout(self._view.segment_model.text(row), width)
        geometry = RowGeometry(layout, text_height)
        label = self._view.row_label(row)
        if label:
            metrics = QFontMetrics(self.label_font)
            shown = metrics.elidedText(label, Qt.TextElideMode.ElideRight, max(40, width - 12))
            pill = QSize(metrics.horizontalAdvance(shown) + 12, metrics.height() + 2)
            last = layout.lineAt(layout.lineCount() - 1) if layout.lineCount() else None
            if last is not None and last.naturalTextWidth() + self.LABEL_GAP + pill.width() <= width:
                # Beside the last line, at the right, centred on it.
                top = max(0, int(last.y() + (last.height() - pill.height()) / 2))
            else:
                top = text_height + self.LABEL_GAP // 2   # a line of its own under the text
            geometry.label, geometry.label_rect = shown, QRect(QPoint(width - pill.width(), top), pill)
            geometry.height = max(text_height, geometry.label_rect.bottom() + 1)
        second = self._view.second_text(row)
        if second:
            geometry.second, second_height = self.text_layout(second, width, self.second_font)
            geometry.second_top = geometry.height + self.SECOND_GAP
            geometry.height = geometry.second_top + second_height
        return geometry

    # --- row heights -----------------------------------------------------------------------
    # QListView asks every row's size whenever it lays the list out, and shows nothing until
    # it has all of them: 100,000 text layouts took seconds before the first line appeared.
    # So when a layout begins, the rows around what is shown are measured exactly (and
    # remembered for this width and text size); every other row gets a height worked out from
    # its length, a few thousand at a time as the batched layout reaches them, so sizeHint is a
    # look-up and no turn of the event loop reads all the lines. Painting measures a row exactly
    # the first time it is shown and corrects an estimate that was off.

    def begin_layout(self) -> None:
        """Before the list is laid out: the heights sizeHint will hand out."""
        width = self._view.viewport().width()
        if width != self._heights_width:
            self._heights.clear()
            self._estimates = []
            self._heights_width = width
        model = self._view.segment_model
        if model.transcript is None:
            return
        text_width = self._text_width(width)
        rows = model.rowCount()
        exact = [row for row in self._view.exact_rows if row < rows]
        exact += [row for row in self._view.labelled_rows() if row < rows]
        for row in exact:
            if row not in self._heights:
                self._heights[row] = self.exact_height(row, text_width)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        # Called for every row when the list is laid out: a look-up.
        row = index.row()
        height = self._heights.get(row)
        if height is None:
            if row >= len(self._estimates):
                if self._heights_width < 0:   # asked before any layout
                    self.begin_layout()
                self._estimate_to(row)
            estimates = self._estimates
            height = estimates[row] if row < len(estimates) else self._text_metrics.height() + 2 * self.PAD_Y
        return QSize(self._heights_width, height)

    def forget_heights(self, from_row: int = 0) -> None:
        """Rows from `from_row` on changed: measured again when next laid out."""
        self._estimates, self._lengths = [], []
        if from_row <= 0:
            self._heights.clear()
        else:
            for row in [row for row in self._heights if row >= from_row]:
                del self._heights[row]

    def forget_rows(self, rows: set[int]) -> None:
        """These rows changed (a label came or went): measured again, the others kept."""
        for row in rows:
            self._heights.pop(row, None)

    def is_measured(self, row: int) -> bool:
        return row in self._heights and self._heights_width == self._view.viewport().width()

    def measuring_at(self, width: int) -> bool:
        """The heights held are for this width (of the viewport)."""
        return width == self._heights_width

    def measure_estimated(self, row: int) -> bool:
        """Measure a row the last layout only estimated (measured_last says if it was one);
        True if the estimate was off. For the background pass, at the width measuring_at checked."""
        self.measured_last = False
        estimates = self._estimates
        if row in self._heights or row >= len(estimates):
            return False
        self.measured_last = True
        height = self._heights[row] = self.exact_height(row, self._text_width(self._heights_width))
        return height != estimates[row]

    def measure(self, row: int) -> int:
        """A row's exact height at the view's width, remembered."""
        if self._heights_width != self._view.viewport().width():
            self.begin_layout()
        height = self._heights.get(row)
        if height is None:
            height = self._heights[row] = self.exact_height(row, self._text_width(self._heights_width))
        return height

    def exact_height(self, row: int, width: int, geometry: RowGeometry | None = None) -> int:
        """A row's height with its text laid out at `width`, as it is painted."""
        model = self._view.segment_model
        speaker = model.transcript[model.first_segment(row)].speaker
        if geometry is None:
            if model.paragraphs is None and not speaker and not self._view.row_label(row) \
                    and not self._view.second_text(row):
                metrics = self._text_metrics
                text = model.text(row)
                if len(text) * metrics.maxWidth() <= width or metrics.horizontalAdvance(text) <= width:
                    return metrics.height() + 2 * self.PAD_Y  # one line: common, cheap
            geometry = self.row_geometry(row, width)
        height = geometry.height
        if speaker:   # the name goes under the time
            height = max(height, self._text_metrics.height() + QFontMetrics(self.label_font).height())
        return height + 2 * self.PAD_Y

    def _estimate_to(self, row: int) -> None:
        """Estimated heights up to `row`, a chunk of rows at a time."""
        estimates, rows = self._estimates, self._view.segment_model.rowCount()
        while len(estimates) <= row and len(estimates) < rows:
            first = len(estimates)
            estimates.extend(self._estimate_rows(first, min(rows, first + ESTIMATED_A_CHUNK)))

    def _estimate_rows(self, first: int, last: int) -> list[int]:
        """The heights of rows first..last from the length of their text (and second line)."""
        view, model = self._view, self._view.segment_model
        width = self._text_width(self._heights_width)
        heights = self._estimated_heights(self._lengths_of(first, last), width, self._text_metrics,
                                          self._char_width)
        if view.has_second_lines():
            seconds = [len(view.second_text(row)) for row in range(first, last)]
            under = self._estimated_heights(seconds, width, QFontMetrics(self.second_font),
                                            self._char_width * self.SECOND_SIZE)
            heights = [height + under_height + self.SECOND_GAP if length else height
                       for height, under_height, length in zip(heights, under, seconds)]
        pad = 2 * self.PAD_Y
        heights = [height + pad for height in heights]
        segments = model.transcript.segments
        if getattr(segments, "has_speakers", True):   # the speaker's name goes under the time
            named = self._text_metrics.height() + QFontMetrics(self.label_font).height() + pad
            for row in range(first, last):
                if model.transcript[model.first_segment(row)].speaker:
                    heights[row - first] = max(heights[row - first], named)
        return heights

    def _lengths_of(self, first: int, last: int) -> list[int]:
        """The text lengths of rows first..last, read once whatever the width."""
        lengths = self._lengths
        if len(lengths) < last:
            model = self._view.segment_model
            start = len(lengths)
            if model.paragraphs is not None:
                lengths.extend(len(paragraph.text) for paragraph in model.paragraphs[start:last])
            else:
                segments = model.transcript.segments
                text = getattr(segments, "text", None)   # a line's text without making its Segment
                lengths.extend(len(text(row)) if text is not None else len(segments[row].text)
                               for row in range(start, last))
        return lengths[first:last]

    @staticmethod
    def _estimated_heights(lengths: list[int], width: int, metrics: QFontMetrics, char_width: float) -> list[int]:
        line = metrics.height()
        fits = width // max(1, metrics.maxWidth())   # this many letters fit even in the widest
        # A wrapped line ends at a word: on average half a word short of the width.
        per_line = max(1.0, width - 3 * char_width) / char_width
        return [line if length <= fits else max(1, math.ceil(length / per_line)) * line for length in lengths]

    def row_painted(self, row: int, height: int, laid_out: int, row_width: int) -> None:
        """Painting measured a row exactly: remembered, and the list laid out again if the
        row was given another height."""
        if row_width != self._heights_width:
            return
        self._heights[row] = height
        if height != laid_out:
            self._view.heights_corrected()

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        painter.save()
        rect = option.rect
        palette = option.palette
        row = index.row()
        is_current = row == self._view.current_view_row
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        model = self._view.segment_model
        band = self._row_highlight(row)
        whole_line = self._view.line_tint(row) if model.paragraphs is None else None
        if whole_line is not None:
            tint = QColor(HIGHLIGHT_COLORS[whole_line])
            tint.setAlpha(LINE_TINT_ALPHA)
            painter.fillRect(rect, tint)
        if is_current:
            painter.fillRect(rect, _current_line_color(palette))
            painter.fillRect(QRect(rect.left(), rect.top(), 4, rect.height()),
                             palette.color(QPalette.ColorRole.Highlight))
        elif selected:
            _paint_selection(painter, rect, palette)
        elif option.state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, _hover_color(palette))
        if band is not None:
            painter.fillRect(QRect(rect.right() - 5, rect.top() + 2, 5, rect.height() - 4), HIGHLIGHT_COLORS[band])
        if option.state & QStyle.StateFlag.State_HasFocus and self._view.hasFocus():
            pen = painter.pen()
            painter.setPen(palette.color(QPalette.ColorRole.Highlight))
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
            painter.setPen(pen)

        text_color = palette.color(QPalette.ColorRole.Text)
        dim_color = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        time_rect = QRect(rect.left() + self.PAD_X, rect.top() + self.PAD_Y,
                          self._time_width, rect.height() - 2 * self.PAD_Y)
        painter.setFont(self.time_font)
        painter.setPen(text_color if is_current else dim_color)
        time_rect.setHeight(self._text_metrics.height())  # align with the text's first line
        painter.drawText(time_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         format_clock(index.data(StartRole)))
        speaker = index.data(SpeakerRole)
        if speaker:   # who says it, under the time (plain text, elided to the column)
            painter.setFont(self.label_font)
            label_metrics = QFontMetrics(self.label_font)
            name_rect = QRect(time_rect.left(), time_rect.bottom() + 1, self._time_width - self.TIME_GAP // 2,
                              label_metrics.height())
            painter.drawText(name_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             label_metrics.elidedText(speaker, Qt.TextElideMode.ElideRight, name_rect.width()))

        # The same geometry sizeHint measured with, so wrapped rows fit exactly.
        text_rect = self.text_rect(rect)
        geometry = self.row_geometry(row, text_rect.width())
        self.row_painted(row, self.exact_height(row, text_rect.width(), geometry), rect.height(), rect.width())
        painter.setFont(self.text_font)
        non_speech = bool(index.data(NonSpeechRole))
        painter.setPen(dim_color if non_speech and not is_current else text_color)
        hidden = self._view.hidden_spans(row)
        main_hidden = hidden[0] if hidden else []
        _draw_hiding(painter, geometry.text, QPointF(text_rect.topLeft()),
                     self._marks(row, is_current, palette, hide_word=bool(main_hidden)), main_hidden, palette)
        if geometry.label_rect is not None:
            self._paint_label(painter, geometry.label, geometry.label_rect.translated(text_rect.topLeft()), palette)
        if geometry.second is not None:
            painter.setFont(self.second_font)
            # Quieter than the words, except on the spoken line, whose fill is too strong for
            # the dim colour (as for the time): the smaller size sets it apart there.
            painter.setPen(text_color if is_current else palette.color(QPalette.ColorRole.PlaceholderText))
            _draw_hiding(painter, geometry.second, QPointF(text_rect.left(), text_rect.top() + geometry.second_top),
                         [], hidden[1] if hidden else [], palette)
        painter.restore()

    def _paint_label(self, painter: QPainter, label: str, pill: QRect, palette: QPalette) -> None:
        """Tags and the note mark as a small pill (plain text)."""
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(pill, 6, 6)
        painter.setFont(self.label_font)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.drawText(pill, int(Qt.AlignmentFlag.AlignCenter), label)

    def _row_highlight(self, row: int) -> int | None:
        """The colour of a highlight on this row (any of a paragraph's lines)."""
        paragraphs = self._view.segment_model.paragraphs
        if paragraphs is None:
            return self._view.highlight_color(row)
        paragraph = paragraphs[row]
        for segment in range(paragraph.first, paragraph.last + 1):
            color = self._view.highlight_color(segment)
            if color is not None:
                return color
        return None

    def _marks(self, row: int, is_current: bool, palette: QPalette, hide_word: bool = False) -> list:
        """Backgrounds inside a row's text: the highlighted words, the spoken fragment of a
        paragraph, the word being spoken (underlined), and the matches of the search (the one
        being visited stronger)."""
        marks = []
        for start, length, color in self._view.text_tints(row):
            tint = QColor(HIGHLIGHT_COLORS[color])
            tint.setAlpha(WORDS_TINT_ALPHA)
            marks.append(_format_range(start, length, tint))
        paragraphs = self._view.segment_model.paragraphs
        current = self._view.current_row
        if paragraphs is not None and is_current and current is not None:
            paragraph = paragraphs[row]
            if paragraph.first <= current <= paragraph.last:
                marks.append(_format_range(*paragraph.span_of(current), _spoken_fragment_color(palette)))
        word = self._view.spoken_word_span() if is_current and not hide_word else None
        if word is not None:
            mark = _format_range(*word, _spoken_fragment_color(palette))
            mark.format.setFontUnderline(True)
            mark.format.setUnderlineColor(palette.color(QPalette.ColorRole.Highlight))
            mark.format.setForeground(palette.color(QPalette.ColorRole.Text))
            marks.append(mark)
        for start, length, visited in self._view.matches_in_row(row):
            marks.append(_format_range(start, length, _match_color(palette, visited)))
        return marks

    # --- editing a line's words in place --------------------------------------------
    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> QWidget:  # noqa: N802
        editor = QLineEdit(parent)
        editor.setObjectName("lineEditor")
        # Plainly an editor: framed in the accent colour over the row it edits.
        editor.setStyleSheet("QLineEdit#lineEditor { border: 2px solid palette(highlight); border-radius: 3px;"
                             " padding: 1px 3px; background: palette(base); }")
        return editor

    def setEditorData(self, editor: QLineEdit, index: QModelIndex) -> None:  # noqa: N802
        editor.setText(index.data(Qt.ItemDataRole.EditRole) or "")

    def setModelData(self, editor: QLineEdit, model, index: QModelIndex) -> None:  # noqa: N802
        # Not into the model: the view asks for one undoable library edit, which updates the row.
        if editor.text() != index.data(Qt.ItemDataRole.EditRole):
            self._view.line_edited.emit(index.row(), editor.text())

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> None:  # noqa: N802
        rect = self.text_rect(option.rect)
        editor.setFont(self.text_font)
        height = max(editor.sizeHint().height(), self._text_metrics.height() + 8)
        editor.setGeometry(QRect(rect.left() - 6, rect.top() - 4, rect.width() + 10, height))

    def segment_at(self, index: QModelIndex, rect: QRect, point: QPoint) -> int | None:
        """The fragment under a point of a paragraph row, for click-to-seek."""
        paragraph = self._view.segment_model.paragraphs[index.row()]
        position = self.char_at(index, rect, point, on_text=False)
        return None if position is None else paragraph.segment_at_offset(position)

    def char_at(self, index: QModelIndex, rect: QRect, point: QPoint, on_text: bool = True) -> int | None:
        """The position in a row's text under a point (a row at `rect`), or None off its lines;
        on_text: None too beside the words (past a line's end, in the time column)."""
        text_rect = self.text_rect(rect)
        layout, _height = self.text_layout(self._view.segment_model.text(index.row()), text_rect.width())
        local = QPointF(point - text_rect.topLeft())
        if on_text and local.x() < 0:
            return None
        for number in range(layout.lineCount()):
            line = layout.lineAt(number)
            if line.y() <= local.y() < line.y() + line.height():
                if on_text and local.x() > line.naturalTextWidth():
                    return None
                return line.xToCursor(local.x(), QTextLine.CursorPosition.CursorOnCharacter if on_text
                                      else QTextLine.CursorPosition.CursorBetweenCharacters)
        return None


def _draw_hiding(painter: QPainter, layout: QTextLayout, origin: QPointF, marks: list,
                 hidden: list[tuple[int, int]], palette: QPalette) -> None:
    """A layout drawn with the characters of `hidden` spans (start, length) left out and a soft
    bar in their place, as wide as the words it stands for: the row keeps its shape while the
    learner tests themself."""
    if not hidden:
        layout.draw(painter, origin, marks)
        return
    marks = list(marks)
    for start, length in hidden:
        blank = _format_range(start, length, QColor(Qt.GlobalColor.transparent))
        blank.format.setForeground(QColor(Qt.GlobalColor.transparent))
        marks.append(blank)
    layout.draw(painter, origin, marks)
    bar = QColor(palette.color(QPalette.ColorRole.PlaceholderText))
    bar.setAlpha(HIDDEN_BAR_ALPHA)
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(bar)
    for line_number in range(layout.lineCount()):
        line = layout.lineAt(line_number)
        line_start, line_end = line.textStart(), line.textStart() + line.textLength()
        for start, length in hidden:
            first, last = max(start, line_start), min(start + length, line_end)
            if first >= last:
                continue
            left, right = line.cursorToX(first)[0], line.cursorToX(last)[0]
            height = max(4.0, line.height() * 0.45)
            painter.drawRoundedRect(QRectF(origin.x() + left, origin.y() + line.y() + (line.height() - height) / 2,
                                           max(4.0, right - left), height), 3, 3)
    painter.restore()


# The colours below are the theme's (player/core/theme_colors.py, where their contrast
# with the text over them is checked).
def _current_line_color(palette: QPalette) -> QColor:
    return qcolor(colors_of(palette).current_line)


def _paint_selection(painter: QPainter, rect: QRect, palette: QPalette) -> None:
    """A light translucent fill and an outline: a highlighted line keeps its tint."""
    theme = colors_of(palette)
    painter.fillRect(rect, qcolor(theme.selected_line))
    painter.save()
    painter.setPen(qcolor(theme.selected_outline))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(rect.adjusted(0, 0, -1, -1))
    painter.restore()


def _match_color(palette: QPalette, visited: bool) -> QColor:
    theme = colors_of(palette)
    return qcolor(theme.visited_match if visited else theme.match)


def _format_range(start: int, length: int, color: QColor) -> QTextLayout.FormatRange:
    mark = QTextLayout.FormatRange()
    mark.start, mark.length = start, length
    mark.format = QTextCharFormat()
    mark.format.setBackground(color)
    return mark


def _spoken_fragment_color(palette: QPalette) -> QColor:
    return qcolor(colors_of(palette).spoken_fragment)


def _hover_color(palette: QPalette) -> QColor:
    return qcolor(colors_of(palette).hover)


class TranscriptView(QListView):
    """The transcript list that keeps the spoken line in sight.

    Following pauses when the user scrolls by hand. Once the spoken line is out of view,
    a "Back to current line" bar appears at the edge it went past (its arrow pointing
    there), in space taken from the list rather than over it; pressing it or seeking
    resumes following.
    """

    seek_requested = Signal(int)           # ms: a line was clicked or chosen
    step_requested = Signal(int)           # -1 / +1: previous / next line
    following_changed = Signal(bool)
    line_menu_requested = Signal(QPoint, int)   # global position, the segment right-clicked
    line_edited = Signal(int, str)              # segment, its new words (Enter in the line's editor)
    text_zoom_requested = Signal(int)           # +1 / -1: Ctrl+wheel over the lines, one step a notch

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Before the model: setting it lays the list out, which reads these.
        self.exact_rows = range(0, EXACT_ROWS)   # rows measured exactly when the list is laid out
        self._place: tuple[int, int] | None = None   # (row, its top) to keep while the list is laid out
        self._measure_timer = QTimer(self, interval=0)   # the rows not yet measured, a few at a time
        self._measure_timer.timeout.connect(self._measure_some)
        self._measure_next, self._measure_off, self._measure_pending = 0, False, False
        self.segment_model = SegmentModel(self)
        self.segment_model.spoken_text = self._spoken_text
        self.setAccessibleName("Transcript")
        self.setModel(self.segment_model)
        self.setItemDelegate(SegmentDelegate(self))
        self.setObjectName("transcriptView")
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        # Lay out long transcripts in batches so opening one never freezes the window.
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(2000)   # rows a turn of the event loop: most are only estimated
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setMouseTracking(True)
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.setSpacing(0)

        self._following = True
        self._current_row: int | None = None
        self._paragraph_mode = False
        self._paragraph_cache = None
        self._press_position = QPoint()
        self._highlight_color: dict[int, int] = {}  # segment index -> the learner's colour 1-5
        # segment index -> (first char, end char, colour) of each highlight's words in its text
        self._highlight_chars: dict[int, list[tuple[int, int, int]]] = {}
        self._highlight_label: dict[int, str] = {}  # first segment of a highlight -> "✎ #tag"
        self._search = ""
        self._match_rows: list[int] = []     # rows holding the query, in order
        self._second_lines: list[str] | None = None   # the second transcript's text for each segment
        self._second_paragraphs: dict[int, tuple[str, list[int]]] = {}   # row -> joined text, each line's start
        self._sides = (True, True)            # (main, second) shown; a hidden side keeps its place
        self._masked_segment: int | None = None
        self._time_ms: int | None = None
        # (transcript, line, its words' starts): looked up once per line, not on every tick.
        self._word_starts: tuple[object, int, list[int]] | None = None
        self._spoken_word: int | None = None  # index into the current line's words
        self._word_spans: dict[int, list[tuple[int, int] | None]] = {}   # segment -> each word's chars
        self._wheel_zoom = 0                  # Ctrl+wheel angle not yet a whole step
        self._visited_match: int | None = None  # index into _match_rows
        self._scroll_animation = QPropertyAnimation(self.verticalScrollBar(), b"value", self)
        self._scroll_animation.setDuration(260)
        self._scroll_animation.setEasingCurve(QEasingCurve.Type.OutCubic)

        # A child of the view, not of its viewport (which scrolls its children): it sits in
        # a margin the viewport gives up while it shows, so it never covers a line.
        self.back_button = QPushButton("", self)
        self.back_button.setObjectName("backToCurrentLine")
        self.back_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.back_button.setToolTip("Follow the line being spoken again (Ctrl+L)")
        self.back_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.back_button.setStyleSheet(
            "QPushButton { padding: 5px 14px; border: none; font-weight: 600;"
            " background: palette(highlight); color: palette(highlighted-text); }")
        self.back_button.hide()
        self.back_button.clicked.connect(self.resume_following)
        self._back_edge: str | None = None   # "above" / "below": where the spoken line is
        self._moving_margin = False

        self.verticalScrollBar().actionTriggered.connect(self._on_user_scroll)
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.clicked.connect(self._on_clicked)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)   # F2 and double click: edit_line
        self.doubleClicked.connect(lambda index: self.edit_line(index.row()))
        # When a batched layout grows the list, the current line may still be off screen.
        self._settle_timer = QTimer(self, singleShot=True, interval=60)
        self._settle_timer.timeout.connect(self._settle)

    # --- editing ---------------------------------------------------------------------
    def edit_line(self, row: int | None = None) -> bool:
        """Open the editor on a line (the current one by default): Enter saves, Esc cancels.
        Lines only: a paragraph is several lines."""
        if self.segment_model.paragraphs is not None or self.segment_model.transcript is None:
            return False
        if row is None:
            row = self.currentIndex().row() if self.currentIndex().isValid() else self.current_view_row
        if row is None or not 0 <= row < self.segment_model.rowCount():
            return False
        index = self.segment_model.index(row)
        self.pause_following()   # the line stays where the learner is typing
        self.setCurrentIndex(index)
        self.scrollTo(index)
        return self.edit(index, QAbstractItemView.EditTrigger.AllEditTriggers, None)

    def line_editor(self) -> QLineEdit | None:
        """The editor open on a line, if any."""
        index = self.currentIndex()
        editor = self.indexWidget(index) if index.isValid() else None
        if editor is None and self.state() == QAbstractItemView.State.EditingState:
            editor = self.focusWidget() if isinstance(self.focusWidget(), QLineEdit) else None
        return editor if isinstance(editor, QLineEdit) else None

    def close_line_editor(self) -> None:
        """Close the editor without saving."""
        editor = self.line_editor()
        if editor is not None:
            self.closeEditor(editor, QStyledItemDelegate.EndEditHint.RevertModelCache)

    def selected_segment(self) -> int | None:
        """The line an edit applies to: the selected (current) line, else the one spoken."""
        index = self.currentIndex()
        if index.isValid() and (self.selectionModel().isSelected(index) or self.state()
                                == QAbstractItemView.State.EditingState):
            return self.segment_model.first_segment(index.row())
        return self._current_row

    def append_segments(self, segments: list[Segment]) -> Transcript:
        """New lines at the end (a transcription under way); returns the transcript now shown."""
        rows = self.segment_model.rowCount()
        transcript = self.segment_model.append_segments(segments)
        self._paragraph_cache = None
        self._forget_measures(from_row=max(0, rows - 1))   # the rows before stay as they were (the last may grow)
        if self._search:
            self.search(self._search)
        if self._following:
            self._settle_timer.start()
        return transcript

    def replace_segments(self, position: int, count: int, segments: list[Segment]) -> Transcript:
        """An edit's lines in place of the ones it replaced; returns the transcript now shown."""
        transcript = self.segment_model.replace_segments(position, count, segments)
        self._paragraph_cache = None
        self._forget_measures(from_row=0 if self.segment_model.paragraphs is not None else position)
        self.search(self._search)
        return transcript

    # --- content -----------------------------------------------------------------
    def set_transcript(self, transcript: Transcript | None) -> None:
        self._current_row = None
        self._paragraph_cache = None
        self._show(transcript)
        self._set_following(True)
        self.scrollToTop()

    def show_other_words(self, transcript: Transcript) -> None:
        """The same lines (times, count) with other words: a second transcript swapped on top,
        or back. The spoken line, following and the place read stay, as a change of mode does."""
        self._keep_place()
        self._paragraph_cache = None
        self._show(transcript)
        self._bring_current_into_view(animate=False)

    def _show(self, transcript: Transcript | None) -> None:
        paragraphs = None
        if transcript is not None and self._paragraph_mode:
            if self._paragraph_cache is None or self._paragraph_cache[0] is not transcript:
                self._paragraph_cache = (transcript, group_paragraphs(transcript))
            paragraphs = self._paragraph_cache[1]
        self._forget_measures()
        self.segment_model.set_transcript(transcript, paragraphs)
        self.search(self._search)  # rows changed: find the matches again

    def _forget_measures(self, from_row: int = 0) -> None:
        """Rows (from `from_row` on) or their text changed: what was worked out from them is
        worked out again."""
        self._word_spans.clear()
        self._second_paragraphs.clear()
        self.itemDelegate().forget_heights(from_row)

    def heights_corrected(self) -> None:
        """A row shown turned out taller or shorter than estimated: the list is laid out again
        (each row remembered or estimated, so this is quick) and the spoken line kept in sight."""
        self._keep_place()
        self.scheduleDelayedItemsLayout()

    def _measure_around(self, row: int) -> None:
        """The rows around `row` measured exactly, now and whenever the list is laid out again."""
        self.exact_rows = range(max(0, row - EXACT_ROWS // 4), row + EXACT_ROWS)
        delegate, model = self.itemDelegate(), self.segment_model
        corrected = False
        for near in range(max(0, row - 20), min(model.rowCount(), row + 60)):
            if delegate.is_measured(near):
                continue
            rect = self.visualRect(model.index(near))
            if rect.isValid():
                corrected |= delegate.measure(near) != rect.height()
        if corrected:
            self.heights_corrected()

    def doItemsLayout(self) -> None:  # noqa: N802
        self.itemDelegate().begin_layout()
        super().doItemsLayout()
        # Once these rows are on screen, the others are measured in the background.
        self._measure_timer.stop()
        self._measure_next, self._measure_off, self._measure_pending = 0, False, True

    def paintEvent(self, event) -> None:  # noqa: N802
        super().paintEvent(event)
        if self._measure_pending and self._laid_out():
            self._measure_pending = False
            self._measure_timer.start()

    def _measure_some(self) -> None:
        """A few rows measured exactly, between other events; when all are, the list is laid
        out once more if any estimate was off. Then a seek anywhere needs no new layout."""
        delegate, rows = self.itemDelegate(), self.segment_model.rowCount()
        if not delegate.measuring_at(self.viewport().width()):
            self._measure_timer.stop()   # the width changed: the next layout starts again
            return
        budget, end = MEASURED_A_TURN, min(rows, self._measure_next + 20 * MEASURED_A_TURN)
        while self._measure_next < end and budget:
            if delegate.measure_estimated(self._measure_next):
                self._measure_off = True
            budget -= delegate.measured_last   # rows measured already cost next to nothing
            self._measure_next += 1
        if self._measure_next >= rows:
            self._measure_timer.stop()
            if self._measure_off:
                self._measure_off = False
                self.heights_corrected()

    @property
    def measuring(self) -> bool:
        """Rows are being measured in the background."""
        return self._measure_pending or self._measure_timer.isActive()

    def _relayout(self) -> None:
        """Rows change height (a second line, the text size): measured again, the spoken line
        kept in sight."""
        self._forget_measures()
        self._keep_place()
        self.scheduleDelayedItemsLayout()
        self.viewport().update()

    # --- studying: a second transcript, hiding a side, masking a line, the spoken word -----
    def set_second_lines(self, lines: list[str] | None) -> None:
        """The second transcript's text for each line ("" for none), drawn under the line in a
        quieter style; under a paragraph, its lines' joined. None removes them."""
        self._second_lines = list(lines) if lines is not None else None
        self._relayout()

    def has_second_lines(self) -> bool:
        return self._second_lines is not None

    def second_text(self, row: int) -> str:
        """The second transcript's words under a row (a line's own, or a paragraph's joined)."""
        lines = self._second_lines
        if lines is None:
            return ""
        paragraphs = self.segment_model.paragraphs
        if paragraphs is None:
            return lines[row].strip() if row < len(lines) else ""
        return self._second_paragraph(row)[0]

    def _second_paragraph(self, row: int) -> tuple[str, list[int]]:
        """A paragraph's second lines joined with spaces, and where each line starts in it
        (-1 for a line with none)."""
        joined = self._second_paragraphs.get(row)
        if joined is None:
            paragraph, lines = self.segment_model.paragraphs[row], self._second_lines or []
            parts, starts, position = [], [], 0
            for segment in range(paragraph.first, paragraph.last + 1):
                text = lines[segment].strip() if segment < len(lines) else ""
                starts.append(position if text else -1)
                if text:
                    parts.append(text)
                    position += len(text) + 1
            joined = self._second_paragraphs[row] = (" ".join(parts), starts)
        return joined

    def set_sides_shown(self, main: bool, second: bool) -> None:
        """Show or hide the transcript's words and the second transcript's: a hidden side keeps
        its place (a soft bar as wide as its words), so no row moves; clicks work as before."""
        if (main, second) != self._sides:
            self._sides = (main, second)
            self.viewport().update()

    @property
    def sides_shown(self) -> tuple[bool, bool]:
        return self._sides

    def set_masked_segment(self, segment: int | None) -> None:
        """Hide one line's words and its second line (dictation), until set to None."""
        if segment == self._masked_segment:
            return
        rows = [self._row_of(s) for s in (self._masked_segment, segment)]
        self._masked_segment = segment
        for row in rows:
            if row is not None:
                self.viewport().update(self.visualRect(self.segment_model.index(row)))

    @property
    def masked_segment(self) -> int | None:
        return self._masked_segment

    def _spoken_text(self, row: int) -> str:
        """A row's words as a screen reader should have them: what is hidden is said to be."""
        text, second = self.segment_model.text(row), self.second_text(row)
        hidden = self.hidden_spans(row)
        if hidden is not None:
            text, second = _blank_out(text, hidden[0]), _blank_out(second, hidden[1])
        return f"{text} — {second}" if second else text

    def _row_of(self, segment: int | None) -> int | None:
        transcript = self.segment_model.transcript
        if segment is None or transcript is None or not 0 <= segment < len(transcript):
            return None
        return self.segment_model.row_of_segment(segment)

    def hidden_spans(self, row: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]] | None:
        """(start, length) of what is hidden in a row's text and in its second line, or None when
        nothing is (the common case, checked first)."""
        main_shown, second_shown = self._sides
        masked = self._masked_segment
        if main_shown and second_shown and masked is None:
            return None
        text_length, second_length = len(self.segment_model.text(row)), len(self.second_text(row))
        main = [] if main_shown else [(0, text_length)]
        second = [] if second_shown else [(0, second_length)]
        if masked is not None and self._row_of(masked) == row:
            paragraphs = self.segment_model.paragraphs
            if paragraphs is None:
                main, second = [(0, text_length)], [(0, second_length)]
            else:
                span = self._row_span(row, masked, 0, len(self.segment_model.transcript[masked].text))
                main += [span] if span is not None else []
                start = self._second_paragraph(row)[1][masked - paragraphs[row].first]
                if start >= 0 and self._second_lines is not None:
                    second.append((start, len(self._second_lines[masked].strip())))
        return main, second

    def _row_span(self, row: int, segment: int, start: int, end: int) -> tuple[int, int] | None:
        """(start, length) in a row's text of the characters start..end of a segment's text (a
        paragraph holds each line's text stripped)."""
        paragraphs = self.segment_model.paragraphs
        if paragraphs is None:
            return (start, end - start) if end > start else None
        paragraph = paragraphs[row]
        text = self.segment_model.transcript[segment].text
        lead, stripped = len(text) - len(text.lstrip()), len(text.strip())
        offset = paragraph.offsets[segment - paragraph.first]
        first, last = max(0, start - lead), min(stripped, end - lead)
        return (offset + first, last - first) if last > first else None

    def _segment_char(self, row: int, position: int) -> tuple[int, int]:
        """The segment and the position in its text of a position in a row's text."""
        paragraphs = self.segment_model.paragraphs
        if paragraphs is None:
            return row, position
        paragraph = paragraphs[row]
        segment = paragraph.segment_at_offset(position)
        text = self.segment_model.transcript[segment].text
        lead = len(text) - len(text.lstrip())
        return segment, position - paragraph.offsets[segment - paragraph.first] + lead

    def word_spans(self, segment: int) -> list[tuple[int, int] | None]:
        """(first, end) in a line's text of each of its timed words, in order (None for a word
        not found in the text, as after an edit)."""
        spans = self._word_spans.get(segment)
        if spans is None:
            line = self.segment_model.transcript[segment]
            text, folded, position, spans = line.text, line.text.lower(), 0, []
            for word in line.words:
                needle = word.text.strip()
                found = text.find(needle, position) if needle else -1
                if found < 0 and needle and len(folded) == len(text):
                    found = folded.find(needle.lower(), position)
                if found < 0:
                    spans.append(None)
                    continue
                spans.append((found, found + len(needle)))
                position = found + len(needle)
            self._word_spans[segment] = spans
        return spans

    def word_at(self, segment: int, position: int) -> int | None:
        """The timed word of a line at a position of its text: the last that starts at or before it."""
        found = None
        for number, span in enumerate(self.word_spans(segment)):
            if span is not None and span[0] <= position:
                found = number
        return found

    def set_time_ms(self, ms: int) -> None:
        """The playback time (each clock tick): marks the word being spoken in the current line,
        where it has word times, repainting that row only when the word changes."""
        self._time_ms = ms
        self._update_spoken_word()

    @property
    def spoken_word(self) -> int | None:
        """The index, in the current line's words, of the word being spoken."""
        return self._spoken_word

    def _update_spoken_word(self) -> None:
        word = None
        transcript, segment, ms = self.segment_model.transcript, self._current_row, self._time_ms
        if transcript is not None and segment is not None and ms is not None and segment < len(transcript):
            cached = self._word_starts
            if cached is None or cached[0] is not transcript or cached[1] != segment:
                cached = self._word_starts = (transcript, segment, [w.start_ms for w in transcript[segment].words])
            if cached[2]:
                number = bisect.bisect_right(cached[2], ms) - 1
                word = number if number >= 0 else None
        if word != self._spoken_word:
            self._spoken_word = word
            row = self.current_view_row
            if row is not None:
                self.viewport().update(self.visualRect(self.segment_model.index(row)))

    def spoken_word_span(self) -> tuple[int, int] | None:
        """(start, length) in the current row's text of the word being spoken."""
        if self._spoken_word is None or self._current_row is None:
            return None
        spans = self.word_spans(self._current_row)
        span = spans[self._spoken_word] if self._spoken_word < len(spans) else None
        return None if span is None else self._row_span(self.current_view_row, self._current_row, *span)

    # --- text size -----------------------------------------------------------------------
    def set_text_scale(self, factor: float) -> None:
        """The rows' text at `factor` times its normal size; rows are measured again."""
        if factor == self.itemDelegate().scale:
            return
        self.itemDelegate().set_scale(factor)
        self._relayout()

    @property
    def text_scale(self) -> float:
        return self.itemDelegate().scale

    def wheelEvent(self, event) -> None:  # noqa: N802
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            # Ctrl+wheel sizes the text, a step a notch (a touchpad's small deltas add up).
            self._wheel_zoom += event.angleDelta().y()
            while abs(self._wheel_zoom) >= 120:
                step = 1 if self._wheel_zoom > 0 else -1
                self._wheel_zoom -= 120 * step
                self.text_zoom_requested.emit(step)
            event.accept()
            return
        super().wheelEvent(event)

    # --- highlights ----------------------------------------------------------------------
    def set_highlights(self, spans: list[tuple[int, int, int, str]]) -> None:
        """(start_ms, end_ms, colour, label) of each highlight: the words they cover get the
        colour (whole lines, or the words inside a line for one made with [ and ]), and
        the first of their lines the label (its tags, a mark for a note)."""
        transcript = self.segment_model.transcript
        colors: dict[int, int] = {}
        chars: dict[int, list[tuple[int, int, int]]] = {}
        labels: dict[int, str] = {}
        if transcript is not None:
            for start_ms, end_ms, color, label in spans:
                index = transcript.segment_near(start_ms)
                index = 0 if index is None else index
                first = None
                while index < len(transcript) and transcript[index].start_ms < end_ms:
                    span = char_span(transcript[index], start_ms, end_ms)
                    if span is not None:
                        colors[index] = color
                        chars.setdefault(index, []).append((*span, color))
                        first = index if first is None else first
                    index += 1
                if label and first is not None:
                    labels[first] = f"{labels[first]}  {label}" if first in labels else label
        self._highlight_color = colors
        self._highlight_chars = chars
        if labels != self._highlight_label:
            changed = {segment for segment in labels.keys() | self._highlight_label.keys()
                       if labels.get(segment) != self._highlight_label.get(segment)}
            self._highlight_label = labels
            # A label may need a line of its own: those rows are measured again.
            self.itemDelegate().forget_rows({self.segment_model.row_of_segment(segment) for segment in changed})
            self._keep_place()
            self.scheduleDelayedItemsLayout()
        self.viewport().update()

    def labelled_rows(self) -> set[int]:
        """The rows with a highlight's label (measured exactly: the label may need a line)."""
        return {self.segment_model.row_of_segment(segment) for segment in self._highlight_label}

    def highlight_label(self, segment: int) -> str | None:
        return self._highlight_label.get(segment)

    def highlight_color(self, segment: int) -> int | None:
        return self._highlight_color.get(segment)

    def row_label(self, row: int) -> str:
        """The labels of the highlights starting on a row (any of a paragraph's lines)."""
        paragraphs = self.segment_model.paragraphs
        if paragraphs is None:
            return self._highlight_label.get(row, "")
        paragraph = paragraphs[row]
        return "  ".join(self._highlight_label[segment] for segment in range(paragraph.first, paragraph.last + 1)
                         if segment in self._highlight_label)

    def line_tint(self, segment: int) -> int | None:
        """The colour of a highlight that covers a whole line (in line mode the row is tinted)."""
        text = self.segment_model.transcript[segment].text
        for first, end, color in self._highlight_chars.get(segment, ()):
            if text[:first].strip() == "" and text[end:].strip() == "":
                return color
        return None

    def text_tints(self, row: int) -> list[tuple[int, int, int]]:
        """(start, length, colour) of the highlighted words inside a row's text: the words of
        sub-line highlights in line mode; every highlighted fragment in paragraph mode."""
        paragraphs = self.segment_model.paragraphs
        if paragraphs is None:
            if self.line_tint(row) is not None:
                return []
            return [(first, end - first, color) for first, end, color in self._highlight_chars.get(row, ())]
        paragraph = paragraphs[row]
        tints = []
        for segment in range(paragraph.first, paragraph.last + 1):
            for first, end, color in self._highlight_chars.get(segment, ()):
                span = self._row_span(row, segment, first, end)
                if span is not None:
                    tints.append((*span, color))
        return tints

    def selected_span_ms(self) -> tuple[int, int] | None:
        """The time the selected lines (or else the line being spoken) cover."""
        transcript = self.segment_model.transcript
        if transcript is None or len(transcript) == 0:
            return None
        rows = sorted(index.row() for index in self.selectedIndexes())
        if not rows:
            if self.current_view_row is None:
                return None
            rows = [self.current_view_row]
        paragraphs = self.segment_model.paragraphs
        first, last = (paragraphs[rows[0]].first, paragraphs[rows[-1]].last) if paragraphs else (rows[0], rows[-1])
        return transcript[first].start_ms, transcript[last].end_ms

    def selected_text(self) -> str:
        """The selected rows' text (or else the row being spoken), a line or paragraph each."""
        rows = sorted(index.row() for index in self.selectedIndexes())
        if not rows and self.current_view_row is not None:
            rows = [self.current_view_row]
        separator = "\n\n" if self.segment_model.paragraphs is not None else "\n"
        return separator.join(self.segment_model.text(row).strip() for row in rows)

    def copy_selection(self) -> None:
        text = self.selected_text()
        if text:
            QApplication.clipboard().setText(text)

    # --- find in transcript ---------------------------------------------------------------
    def search(self, query: str) -> int:
        """Mark every row containing `query` (case-insensitive); returns how many rows."""
        self._search = query.lower()
        self._visited_match = None
        model = self.segment_model
        if not self._search or model.transcript is None:
            self._match_rows = []
        else:
            needle = self._search
            self._match_rows = [row for row in range(model.rowCount()) if needle in model.text(row).lower()]
        self.viewport().update()
        return len(self._match_rows)

    @property
    def match_count(self) -> int:
        return len(self._match_rows)

    @property
    def visited_match(self) -> int | None:
        return self._visited_match

    def visit_match(self, step: int) -> int | None:
        """Go to the next (+1) or previous (-1) match, wrapping; shows it without following."""
        if not self._match_rows:
            return None
        if self._visited_match is None:
            anchor = self.current_view_row or 0
            after = [i for i, row in enumerate(self._match_rows) if (row >= anchor if step > 0 else row <= anchor)]
            self._visited_match = (after[0] if step > 0 else after[-1]) if after else (0 if step > 0 else -1)
        else:
            self._visited_match = self._visited_match + step
        self._visited_match %= len(self._match_rows)
        index = self.segment_model.index(self._match_rows[self._visited_match])
        self.pause_following()
        self.setCurrentIndex(index)
        self.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.viewport().update()
        return self._visited_match

    def matches_in_row(self, row: int) -> list[tuple[int, int, bool]]:
        """(start, length, visited) of each occurrence of the query in a row's text."""
        if not self._search or not self._match_rows:
            return []
        position = bisect.bisect_left(self._match_rows, row)
        if position >= len(self._match_rows) or self._match_rows[position] != row:
            return []
        visited = self._visited_match is not None and self._match_rows[self._visited_match] == row
        original = self.segment_model.text(row)
        text = original.lower()
        if len(text) != len(original):
            return []  # a rare letter whose lower case is longer: offsets would be wrong
        found, start = [], text.find(self._search)
        while start >= 0:
            found.append((start, len(self._search), visited))
            start = text.find(self._search, start + len(self._search))
        return found

    @property
    def paragraph_mode(self) -> bool:
        return self._paragraph_mode

    def set_paragraph_mode(self, on: bool) -> None:
        """Lines, or paragraphs of the same lines; the spoken line stays in sight."""
        if on == self._paragraph_mode:
            return
        self._paragraph_mode = on
        self._show(self.segment_model.transcript)
        self._bring_current_into_view(animate=False)
        self._settle_timer.start()

    @property
    def current_row(self) -> int | None:
        """The segment being spoken (an index into the transcript, in either mode)."""
        return self._current_row

    @property
    def current_view_row(self) -> int | None:
        """The row showing it: the segment's own, or its paragraph's."""
        if self._current_row is None or self.segment_model.transcript is None:
            return None
        return self.segment_model.row_of_segment(self._current_row)

    def set_current_row(self, row: int | None) -> None:
        """The playing line changed: repaint two rows, scroll only if following.

        The current line is the view's state, not the model's data: a dataChanged
        would make QListView lay out every row again (it cannot know the height
        did not change), which costs tens of milliseconds per line change.
        """
        if row == self._current_row:
            return
        previous_row = self.current_view_row
        self._current_row = row
        self._spoken_word = None
        self._update_spoken_word()
        for changed in (previous_row, self.current_view_row):
            if changed is not None:
                self.viewport().update(self.visualRect(self.segment_model.index(changed)))
        if self._following:
            self._bring_current_into_view(animate=True)
        else:
            self._update_back_button()

    # --- following -------------------------------------------------------------------
    @property
    def following(self) -> bool:
        return self._following

    def resume_following(self) -> None:
        self._set_following(True)
        self._bring_current_into_view(animate=False)

    def pause_following(self) -> None:
        self._set_following(False)

    def _set_following(self, following: bool) -> None:
        if following == self._following:
            return
        self._following = following
        if not following:
            self._scroll_animation.stop()
        self._update_back_button()
        self.following_changed.emit(following)

    @property
    def back_edge(self) -> str | None:
        """Where the "Back to current line" bar is: "above" (the spoken line is above the
        view), "below", or None (following, or the spoken line is in view)."""
        return self._back_edge

    def _update_back_button(self) -> None:
        if self._moving_margin:
            return
        edge = None
        row = self.current_view_row
        if not self._following and row is not None:
            rect = self.visualRect(self.segment_model.index(row))
            if not rect.isValid():
                edge = self._back_edge   # not laid out yet: keep what is shown
            elif rect.bottom() < 0:
                edge = "above"
            elif rect.top() >= self.viewport().height():
                edge = "below"
        if edge != self._back_edge:
            self._show_back_button(edge)

    def _show_back_button(self, edge: str | None) -> None:
        """The bar at the top or bottom edge, in a margin the viewport gives up; the lines
        on screen stay where they were."""
        self._back_edge = edge
        height = self.back_button.sizeHint().height()
        top, bottom = (height if edge == "above" else 0), (height if edge == "below" else 0)
        bar = self.verticalScrollBar()
        value, old_top = bar.value(), self.viewportMargins().top()
        self._moving_margin = True
        try:
            self.setViewportMargins(0, top, 0, bottom)
            bar.setValue(value + top - old_top)
        finally:
            self._moving_margin = False
        if edge is None:
            self.back_button.hide()
        else:
            self.back_button.setText("↑  Back to current line" if edge == "above" else "↓  Back to current line")
            self._place_back_button()
            self.back_button.show()
            self.back_button.raise_()

    def _settle(self) -> None:
        """After a batched layout: bring the spoken line into view, or show where it is."""
        if self._place is not None:
            if not self._laid_out():
                self._settle_timer.start()   # QListView is still placing rows: wait for all of them
                return
            row, top = self._place
            self._place = None
            rect = self.visualRect(self.segment_model.index(row))
            if not self._following and rect.isValid():   # the line read stays where it was
                bar = self.verticalScrollBar()
                bar.setValue(bar.value() + rect.top() - top)
        if self._following:
            self._bring_current_into_view(animate=False)
        self._update_back_button()

    def _laid_out(self) -> bool:
        rows = self.segment_model.rowCount()
        return rows == 0 or self.visualRect(self.segment_model.index(rows - 1)).isValid()

    def _keep_place(self) -> None:
        """Before the list is laid out again: QListView lays it out in batches, the scroll range
        shrinking to the rows placed so far, so the row at the top is noted to be put back."""
        if self._place is None:
            top = self.indexAt(QPoint(0, 0))
            if top.isValid():
                self._place = (top.row(), self.visualRect(top).top())
        self._settle_timer.start()

    def _on_scrolled(self, _value: int) -> None:
        top = self.indexAt(QPoint(0, 0))
        if top.isValid():   # the next layout measures exactly what the learner is reading
            self.exact_rows = range(max(0, top.row() - EXACT_ROWS // 4), top.row() + EXACT_ROWS)
        self._update_back_button()

    def _on_user_scroll(self, _action: int) -> None:
        # actionTriggered fires for the wheel, the bar and its arrows: the user's
        # hand, never our own setValue or animation.
        self._place = None
        self.pause_following()

    def _bring_current_into_view(self, animate: bool) -> None:
        row = self.current_view_row
        if row is None:
            return
        self._measure_around(row)
        rect = self.visualRect(self.segment_model.index(row))
        if not rect.isValid() or rect.isNull():
            self._settle_timer.start()  # not laid out yet (batched layout)
            return
        height = self.viewport().height()
        top, bottom = COMFORT_BAND
        if rect.top() >= height * top and rect.bottom() <= height * bottom:
            return
        bar = self.verticalScrollBar()
        target = bar.value() + rect.top() - int(height * FOLLOW_ANCHOR)
        target = max(bar.minimum(), min(bar.maximum(), target))
        self._scroll_animation.stop()
        # A long jump (a seek) is not animated: gliding past pages of text only blurs.
        if animate and abs(target - bar.value()) < 2 * height:
            self._scroll_animation.setStartValue(bar.value())
            self._scroll_animation.setEndValue(target)
            self._scroll_animation.start()
        else:
            bar.setValue(target)

    # --- input -----------------------------------------------------------------------
    def _on_clicked(self, index: QModelIndex) -> None:
        # Shift/Ctrl+click extends a selection; a plain click seeks.
        if QApplication.keyboardModifiers() & (Qt.KeyboardModifier.ShiftModifier
                                               | Qt.KeyboardModifier.ControlModifier):
            return
        position = self.itemDelegate().char_at(index, self.visualRect(index), self._press_position)
        if position is not None:
            # On a timed word: play from that word.
            segment, char = self._segment_char(index.row(), position)
            word = self.word_at(segment, char)
            if word is not None:
                self.seek_requested.emit(self.segment_model.transcript[segment].words[word].start_ms)
                return
        if self.segment_model.paragraphs is not None:
            segment = self.itemDelegate().segment_at(index, self.visualRect(index), self._press_position)
            if segment is not None:
                self.seek_requested.emit(self.segment_model.transcript[segment].start_ms)
                return
        self.seek_requested.emit(index.data(StartRole))

    def mousePressEvent(self, event) -> None:  # noqa: N802
        self._press_position = event.position().toPoint()
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            return
        key = event.key()
        plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if plain and key == Qt.Key.Key_F2:
            self.edit_line()
            return
        if plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            index = self.currentIndex()
            if index.isValid():
                self.seek_requested.emit(index.data(StartRole))
            return
        if plain and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.step_requested.emit(-1 if key == Qt.Key.Key_Up else 1)
            return
        if key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Home, Qt.Key.Key_End):
            self.pause_following()  # the user is browsing
        super().keyPressEvent(event)

    def contextMenuEvent(self, event) -> None:  # noqa: N802
        # The press already selected the row (or kept a selection it is part of).
        index = self.indexAt(event.pos())
        if not index.isValid():
            return
        segment = index.row()
        if self.segment_model.paragraphs is not None:
            segment = self.itemDelegate().segment_at(index, self.visualRect(index), event.pos())
            if segment is None:
                segment = self.segment_model.first_segment(index.row())
        self.line_menu_requested.emit(event.globalPos(), segment)

    def resizeEvent(self, event) -> None:  # noqa: N802
        if event.oldSize().isValid() and event.oldSize().width() == event.size().width():
            # A row's height depends on the width only: a taller or shorter view (the back
            # bar's margin, the window) needs no new layout of every row.
            QAbstractItemView.resizeEvent(self, event)
        else:
            self._keep_place()
            super().resizeEvent(event)
        self._place_back_button()
        self._update_back_button()

    def _place_back_button(self) -> None:
        area = self.viewport().geometry()
        height = self.back_button.sizeHint().height()
        top = area.top() - height if self._back_edge == "above" else area.bottom() + 1
        self.back_button.setGeometry(area.left(), top, area.width(), height)
