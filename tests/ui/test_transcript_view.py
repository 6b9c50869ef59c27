"""The transcript view on its own: model, painting of untrusted text, follow mode."""

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from player.core.transcript import Segment, Transcript
from player.ui.transcript_view import TranscriptView


def long_transcript(lines=500):
    return Transcript([Segment(i * 1000, i * 1000 + 1000, f"Line number {i} of a long lecture")
                       for i in range(lines)])


def shown_view(qtbot, transcript):
    view = TranscriptView()
    qtbot.addWidget(view)
    view.resize(500, 400)
    view.set_transcript(transcript)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: view.visualRect(view.model().index(len(transcript) - 1)).isValid())
    return view


def row_is_visible(view, row):
    rect = view.visualRect(view.model().index(row))
    return rect.isValid() and view.viewport().rect().intersects(rect)


def test_a_new_current_line_repaints_without_relayout(qtbot):
    view = shown_view(qtbot, long_transcript())
    model_signals = []
    model = view.model()
    for signal in (model.dataChanged, model.layoutChanged, model.modelReset):
        signal.connect(lambda *args: model_signals.append(args))
    calls = []
    delegate = view.itemDelegate()
    original = delegate.sizeHint
    delegate.sizeHint = lambda *a: calls.append(1) or original(*a)
    view.set_current_row(10)
    view.set_current_row(11)
    qtbot.wait(50)
    # No relayout of all 500 rows for one line (painting may measure the visible few).
    assert model_signals == [] and len(calls) < 100
    assert view.current_row == 11
    # The accent is painted on the current line only.
    current, other = (view.viewport().grab(view.visualRect(model.index(r))).toImage() for r in (11, 12))
    accent = view.palette().color(view.palette().ColorRole.Highlight)
    assert QColor(current.pixel(1, current.height() // 2)) == accent
    assert QColor(other.pixel(1, other.height() // 2)) != accent


def test_follows_the_current_line(qtbot):
    view = shown_view(qtbot, long_transcript())
    for row in (5, 60, 200, 201, 499):
        view.set_current_row(row)
        qtbot.waitUntil(lambda row=row: row_is_visible(view, row), timeout=2000)


def wheel(view, notches):
    """Wheel notches as the learner turns it: positive scrolls down."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    centre = QPointF(view.viewport().rect().center())
    for _ in range(abs(notches)):
        event = QWheelEvent(centre, QPointF(view.viewport().mapToGlobal(centre.toPoint())), QPoint(0, 0),
                            QPoint(0, -120 if notches > 0 else 120), Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(view.viewport(), event)


def bar_covers_nothing(view):
    """The bar lies outside the viewport (where the lines are) and inside the view."""
    bar = view.back_button.geometry()
    return not bar.intersects(view.viewport().geometry()) and view.rect().contains(bar)


def test_back_to_current_line_shows_only_when_the_line_is_out_of_view(qtbot):
    view = shown_view(qtbot, long_transcript())
    view.set_current_row(100)
    qtbot.waitUntil(lambda: row_is_visible(view, 100))
    assert view.following and not view.back_button.isVisible()

    # The learner scrolls down a little: following stops, but the line is still in view.
    wheel(view, 1)
    assert not view.following and row_is_visible(view, 100)
    assert not view.back_button.isVisible() and view.back_edge is None

    # Further down, the line goes out at the top: the bar appears there, pointing up.
    while row_is_visible(view, 100):
        wheel(view, 1)
    assert view.back_button.isVisible() and view.back_edge == "above"
    assert view.back_button.text().startswith("↑")
    assert bar_covers_nothing(view) and view.back_button.geometry().bottom() < view.viewport().geometry().top()

    # The line moves on while the learner reads elsewhere: the view stays put.
    value = view.verticalScrollBar().value()
    view.set_current_row(101)
    assert view.verticalScrollBar().value() == value and view.back_edge == "above"

    # Back up past it, until it is below: the bar moves to the bottom, pointing down.
    while not row_is_visible(view, 101):
        wheel(view, -1)
    assert not view.back_button.isVisible() and view.back_edge is None
    while row_is_visible(view, 101):
        wheel(view, -1)
    assert view.back_edge == "below" and view.back_button.text().startswith("↓")
    assert bar_covers_nothing(view) and view.back_button.geometry().top() > view.viewport().geometry().bottom()

    qtbot.mouseClick(view.back_button, Qt.MouseButton.LeftButton)
    assert view.following and not view.back_button.isVisible()
    assert view.viewportMargins().isNull()  # the margin is given back
    qtbot.waitUntil(lambda: row_is_visible(view, 101), timeout=2000)


def test_the_back_bar_moves_no_line_on_screen(qtbot):
    view = shown_view(qtbot, long_transcript())
    view.set_current_row(100)
    qtbot.waitUntil(lambda: row_is_visible(view, 100))
    view.pause_following()
    bar = view.verticalScrollBar()
    index = view.model().index(100)
    # Scroll pixel by pixel until the line has just left the top: its neighbour below
    # stays where the scrolling put it, the bar taking space above it.
    while view.back_edge is None:
        before = view.viewport().mapToGlobal(view.visualRect(view.model().index(110)).topLeft()).y()
        bar.setValue(bar.value() + 1)
        after = view.viewport().mapToGlobal(view.visualRect(view.model().index(110)).topLeft()).y()
        assert after == before - 1
    assert view.visualRect(index).bottom() < 0


def test_click_and_enter_ask_to_seek_and_arrows_step(qtbot):
    view = shown_view(qtbot, long_transcript(20))
    seeks, steps = [], []
    view.seek_requested.connect(seeks.append)
    view.step_requested.connect(steps.append)
    rect = view.visualRect(view.model().index(3))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert seeks == [3000]
    view.setCurrentIndex(view.model().index(7))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert seeks == [3000, 7000]
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert steps == [1, -1]


def test_markup_in_a_line_is_shown_as_plain_text(qtbot):
    hostile = "<b>bold</b> &amp; <img src=x>"
    view = shown_view(qtbot, Transcript([Segment(0, 1000, hostile), Segment(1000, 2000, "bold & ")]))
    assert view.model().index(0).data() == hostile
    # The painted row is wider than the same words rendered as HTML would be: every
    # character of the tags is drawn.
    painted_extent = []
    for row in (0, 1):
        rect = view.visualRect(view.model().index(row))
        image = view.viewport().grab(rect).toImage()
        background = QColor(image.pixel(image.width() - 2, image.height() // 2))
        right = max((x for x in range(image.width()) for y in range(0, image.height(), 2)
                     if QColor(image.pixel(x, y)) != background), default=0)
        painted_extent.append(right)
    assert painted_extent[0] > painted_extent[1] + 60


def test_paragraph_mode_highlights_and_seeks_by_fragment(qtbot):
    transcript = Transcript([Segment(0, 1000, "Today we'll be talking"), Segment(1000, 2000, "about pre-training."),
                             Segment(4000, 5000, "After a pause,"), Segment(5000, 6000, "a new thought.")])
    view = shown_view(qtbot, transcript)
    view.set_current_row(1)
    view.set_paragraph_mode(True)
    assert view.model().rowCount() == 2 and view.current_row == 1 and view.current_view_row == 0
    seeks = []
    view.seek_requested.connect(seeks.append)
    # Click on the word "thought" in the second paragraph: seeks to its fragment.
    index = view.model().index(1)
    rect = view.visualRect(index)
    delegate = view.itemDelegate()
    layout, _ = delegate.text_layout("After a pause, a new thought.", delegate._text_width(rect.width()))
    line = layout.lineAt(0)
    x = line.cursorToX(len("After a pause, a new th"))[0]
    point = QPoint(rect.left() + delegate._text_left() + int(x), rect.top() + delegate.PAD_Y + 3)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert seeks == [5000]
    view.set_paragraph_mode(False)
    assert view.model().rowCount() == 4 and view.current_view_row == 1


def row_image(view, row):
    return view.viewport().grab(view.visualRect(view.model().index(row))).toImage()


def tinted_pixels(view, image, color):
    """Pixels of an image in the colour a highlight tints words with (over the base)."""
    from PySide6.QtGui import QImage, QPainter

    from player.ui.annotations import HIGHLIGHT_COLORS

    swatch = QImage(1, 1, QImage.Format.Format_RGB32)
    swatch.fill(view.palette().color(view.palette().ColorRole.Base))
    tint = QColor(HIGHLIGHT_COLORS[color])
    tint.setAlpha(110)
    painter = QPainter(swatch)
    painter.fillRect(0, 0, 1, 1, tint)
    painter.end()
    wanted = swatch.pixel(0, 0)
    return [(x, y) for y in range(image.height()) for x in range(image.width()) if image.pixel(x, y) == wanted]


def word_boxes(view, row, start, end):
    """Rects (in the row's image) of the characters start..end of a row's text, line by line."""
    from PySide6.QtCore import QRect

    delegate = view.itemDelegate()
    rect = view.visualRect(view.model().index(row))
    text_rect = delegate.text_rect(rect)
    layout, _ = delegate.text_layout(view.model().text(row), text_rect.width())
    boxes = []
    for number in range(layout.lineCount()):
        line = layout.lineAt(number)
        first, last = max(start, line.textStart()), min(end, line.textStart() + line.textLength())
        if first < last:
            left, right = line.cursorToX(first)[0], line.cursorToX(last)[0]
            boxes.append(QRect(text_rect.left() - rect.left() + int(left) - 1, text_rect.top() - rect.top()
                               + int(line.y()), int(right - left) + 3, int(line.height()) + 1))
    return boxes


LONG = ("so this lecture, the Transformers lecture, and then to a lesser extent, Thursday's "
        "lecture on natural language generation")


def test_a_label_never_covers_the_words(qtbot):
    transcript = Transcript([Segment(0, 1000, LONG), Segment(1000, 2000, "Short."), Segment(2000, 3000, "x")])
    view = shown_view(qtbot, transcript)
    view.set_highlights([(0, 1000, 1, ""), (1000, 2000, 1, "")])
    qtbot.waitUntil(lambda: view.highlight_color(1) == 1)
    bare = [row_image(view, row) for row in (0, 1)]
    heights = [view.visualRect(view.model().index(row)).height() for row in (0, 1)]

    view.set_highlights([(0, 1000, 1, "✎ #midterm #exam"), (1000, 2000, 1, "#fun")])
    delegate = view.itemDelegate()
    for row in (0, 1):
        # Measured and painted from one geometry: the row is as tall as its text and label.
        qtbot.waitUntil(lambda row=row: view.visualRect(view.model().index(row)).height()
                        == delegate.row_geometry(row, delegate.text_rect(
                            view.visualRect(view.model().index(row))).width()).height + 2 * delegate.PAD_Y)
    # The long line's last line is full: its label goes under the text, which stays whole.
    long_rect = view.visualRect(view.model().index(0))
    assert long_rect.height() > heights[0]
    labelled = row_image(view, 0)
    for y in range(heights[0] - delegate.PAD_Y):
        for x in range(labelled.width() - 10):   # the colour strip at the right edge aside
            assert labelled.pixel(x, y) == bare[0].pixel(x, y), (x, y)
    # The short line has room beside its words: same height, and the words untouched.
    assert view.visualRect(view.model().index(1)).height() == heights[1]
    geometry = delegate.row_geometry(1, delegate.text_rect(view.visualRect(view.model().index(1))).width())
    assert geometry.label_rect.left() > geometry.text.lineAt(0).naturalTextWidth()
    words = word_boxes(view, 1, 0, len("Short."))[0]
    short = row_image(view, 1)
    assert all(short.pixel(x, y) == bare[1].pixel(x, y)
               for x in range(words.left(), words.right()) for y in range(words.top(), words.bottom()))
    assert view.highlight_label(0) == "✎ #midterm #exam"


def test_a_highlight_inside_a_line_tints_only_its_words(qtbot):
    transcript = Transcript([Segment(0, 10_000, "one two three four five"), Segment(10_000, 12_000, "next")])
    view = shown_view(qtbot, transcript)
    view.set_highlights([(4_000, 10_000, 2, "")])   # "three four five"
    assert view.highlight_color(0) == 2 and view.line_tint(0) is None
    assert view.text_tints(0) == [(8, 15, 2)]
    tinted = tinted_pixels(view, row_image(view, 0), 2)
    boxes = word_boxes(view, 0, 8, 23)
    assert tinted and all(any(box.contains(x, y) for box in boxes) for x, y in tinted)

    # A highlight over the whole line tints the row, as before.
    view.set_highlights([(0, 10_000, 2, "")])
    assert view.line_tint(0) == 2 and view.text_tints(0) == []


def test_a_highlight_inside_a_line_tints_only_its_words_in_a_paragraph(qtbot):
    transcript = Transcript([Segment(0, 4_000, "Today we'll be talking"),
                             Segment(4_000, 8_000, " about pre-training.")])
    view = shown_view(qtbot, transcript)
    view.set_paragraph_mode(True)
    qtbot.waitUntil(lambda: view.visualRect(view.model().index(0)).isValid())
    view.set_highlights([(5_500, 8_000, 4, "")])   # "pre-training." of the second line
    text = view.model().text(0)
    start = text.index("pre-training.")
    assert view.text_tints(0) == [(start, len("pre-training."), 4)]
    tinted = tinted_pixels(view, row_image(view, 0), 4)
    boxes = word_boxes(view, 0, start, len(text))
    assert tinted and all(any(box.contains(x, y) for box in boxes) for x, y in tinted)


def test_a_right_click_asks_for_the_line_menu(qtbot):
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication

    view = shown_view(qtbot, long_transcript(20))
    asked = []
    view.line_menu_requested.connect(lambda position, segment: asked.append(segment))
    centre = view.visualRect(view.model().index(4)).center()
    QApplication.sendEvent(view.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, centre,
                                                              view.viewport().mapToGlobal(centre)))
    assert asked == [4]
