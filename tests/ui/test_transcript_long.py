"""A transcript of 100,000 lines: the first paint lays out a bounded number of rows' text, and
every row shown is exactly as tall as its text, near the top, after a seek, after a resize."""

from PySide6.QtCore import QPoint

from player.core.transcript import Segment, Transcript
from player.ui.transcript_view import EXACT_ROWS, TranscriptView

SHORT = "A short line."
LONG = ("a long line that wraps over several lines of the view, as a sentence of a lecture does when "
        "Whisper keeps it whole, words and more words, and then some more words to be sure it wraps")


def lecture(lines: int) -> Transcript:
    # Every seventh line long: the estimate from its length is off now and then, as in life.
    return Transcript([Segment(i * 1000, i * 1000 + 900, LONG[: 40 + (i * 37) % len(LONG)] if i % 7 == 0 else SHORT)
                       for i in range(lines)])


def counting_view(qtbot):
    """A view whose delegate counts the rows whose text it lays out, and notes how many it
    had when the first row was painted."""
    view = TranscriptView()
    qtbot.addWidget(view)
    view.resize(500, 600)
    view.show()
    qtbot.waitExposed(view)
    delegate = view.itemDelegate()
    counts = {"layouts": 0, "at_first_paint": None}
    text_layout, paint = delegate.text_layout, delegate.paint

    def counted_layout(*args):
        counts["layouts"] += 1
        return text_layout(*args)

    def first_paint(*args):
        if counts["at_first_paint"] is None:
            counts["at_first_paint"] = counts["layouts"]
        return paint(*args)

    delegate.text_layout, delegate.paint = counted_layout, first_paint
    return view, counts


def laid_out(view) -> bool:
    return view.visualRect(view.model().index(view.model().rowCount() - 1)).isValid()


def shown_rows(view) -> list[int]:
    first = view.indexAt(QPoint(1, 1)).row()
    rows = []
    for row in range(max(0, first), view.model().rowCount()):
        rect = view.visualRect(view.model().index(row))
        if rect.top() >= view.viewport().height():
            break
        rows.append(row)
    return rows


def shown_exactly(view) -> bool:
    """Every row in view is as tall as its text laid out at the view's width."""
    delegate = view.itemDelegate()
    rows = shown_rows(view)
    return bool(rows) and all(
        view.visualRect(view.model().index(row)).height()
        == delegate.exact_height(row, delegate.text_rect(view.visualRect(view.model().index(row))).width())
        for row in rows)


def test_the_first_paint_of_100k_lines_lays_out_a_bounded_number_of_rows(qtbot):
    counts_by_length = {}
    for lines in (2_000, 100_000):
        view, counts = counting_view(qtbot)
        view.set_transcript(lecture(lines))
        qtbot.waitUntil(lambda counts=counts: counts["at_first_paint"] is not None, timeout=20_000)
        counts_by_length[lines] = counts["at_first_paint"]
    # The rows near the top only, however long the transcript.
    assert counts_by_length[100_000] <= EXACT_ROWS
    assert counts_by_length[100_000] == counts_by_length[2_000]


def test_rows_in_view_are_exact_at_the_top_after_a_seek_and_after_a_resize(qtbot):
    view, counts = counting_view(qtbot)
    transcript = lecture(20_000)
    view.set_transcript(transcript)
    qtbot.waitUntil(lambda: laid_out(view), timeout=20_000)
    qtbot.waitUntil(lambda: shown_exactly(view))

    # A seek far down (the rows there were only estimated): the spoken line and its
    # neighbours are shown with their true heights, in view.
    view.set_current_row(15_003)
    qtbot.waitUntil(lambda: 15_003 in shown_rows(view) and shown_exactly(view), timeout=20_000)

    # Narrower: measured again at the new width, the spoken line still in view.
    view.resize(380, 600)
    qtbot.waitUntil(lambda: 15_003 in shown_rows(view) and shown_exactly(view), timeout=20_000)


def test_a_row_estimated_wrong_is_corrected_when_scrolled_to(qtbot):
    view, _counts = counting_view(qtbot)
    view.set_transcript(lecture(5_000))
    qtbot.waitUntil(lambda: laid_out(view), timeout=20_000)
    view.pause_following()
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    qtbot.waitUntil(lambda: shown_exactly(view), timeout=20_000)


def test_after_the_first_paint_every_row_is_measured_in_the_background(qtbot):
    view, counts = counting_view(qtbot)
    transcript = lecture(20_000)
    view.set_transcript(transcript)
    qtbot.waitUntil(lambda: counts["at_first_paint"] is not None, timeout=20_000)
    assert view.measuring
    qtbot.waitUntil(lambda: not view.measuring and view.itemDelegate().is_measured(19_999) and laid_out(view),
                    timeout=60_000)
    delegate = view.itemDelegate()
    assert all(delegate.is_measured(row) for row in range(len(transcript)))
    # Laid out with the true heights: a row far down is where the rows above it put it.
    model = view.model()
    for row in (7, 9_996, 19_999):
        rect = view.visualRect(model.index(row))
        assert rect.height() == delegate.exact_height(row, delegate.text_rect(rect).width())
        assert rect.top() == view.visualRect(model.index(row - 1)).bottom() + 1

    # So a seek there lays the list out no more.
    hints = []
    size_hint = delegate.sizeHint
    delegate.sizeHint = lambda *args: hints.append(1) or size_hint(*args)
    view.set_current_row(19_990)
    qtbot.waitUntil(lambda: 19_990 in shown_rows(view))
    qtbot.wait(100)
    assert len(hints) < 100 and shown_exactly(view)   # Qt asks the visible few again; no new layout of 20,000


def test_a_new_label_measures_only_its_own_row_again(qtbot):
    view, _counts = counting_view(qtbot)
    view.set_transcript(lecture(5_000))
    qtbot.waitUntil(lambda: not view.measuring and laid_out(view), timeout=60_000)
    delegate = view.itemDelegate()
    view.set_highlights([(3_000, 3_900, 2, "✎ #a-label-long-enough-to-need-a-line-of-its-own #and-more #and-more")])
    assert not delegate.is_measured(3) and delegate.is_measured(4_000) and delegate.is_measured(4)
    rect = lambda: view.visualRect(view.model().index(3))   # noqa: E731
    qtbot.waitUntil(lambda: rect().isValid() and rect().height()
                    == delegate.exact_height(3, delegate.text_rect(rect()).width()), timeout=20_000)
    assert delegate.row_geometry(3, delegate.text_rect(rect()).width()).label_rect is not None
