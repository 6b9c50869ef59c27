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


def wheel_down(view, notches):
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    centre = QPointF(view.viewport().rect().center())
    for _ in range(notches):
        event = QWheelEvent(centre, QPointF(view.viewport().mapToGlobal(centre.toPoint())), QPoint(0, 0),
                            QPoint(0, -120), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                            Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(view.viewport(), event)


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


def test_manual_scroll_pauses_following_until_asked(qtbot):
    view = shown_view(qtbot, long_transcript())
    view.set_current_row(100)
    qtbot.waitUntil(lambda: row_is_visible(view, 100))
    assert view.following and not view.back_button.isVisible()

    # The user scrolls with the wheel: following stops, the button appears.
    wheel_down(view, notches=8)
    assert not view.following and view.back_button.isVisible()
    # ...and stays in sight: the viewport's scrolling must not carry it away.
    wheel_down(view, notches=4)
    assert view.viewport().geometry().contains(view.back_button.geometry())
    view.set_current_row(101)
    qtbot.wait(400)
    assert not row_is_visible(view, 101)  # the view stays where the user left it

    qtbot.mouseClick(view.back_button, Qt.MouseButton.LeftButton)
    assert view.following and not view.back_button.isVisible()
    qtbot.waitUntil(lambda: row_is_visible(view, 101), timeout=2000)


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
