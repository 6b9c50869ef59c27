"""The transcript view for studying: a second transcript under the lines, hiding either side,
masking one line, the spoken word followed inside its line, and clicking a word."""

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette

from player.core.transcript import Segment, Transcript, Word
from player.ui.transcript_view import TranscriptView


def shown_view(qtbot, transcript, width=500):
    view = TranscriptView()
    qtbot.addWidget(view)
    view.resize(width, 400)
    view.set_transcript(transcript)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: view.visualRect(view.model().index(len(transcript) - 1)).isValid())
    return view


def row_rect(view, row):
    return view.visualRect(view.model().index(row))


def row_image(view, row):
    return view.viewport().grab(row_rect(view, row)).toImage()


def pixels_of(image, color: QColor, area=None) -> int:
    """How many pixels of an image (or of an area of it) are exactly a colour."""
    wanted = color.rgb()
    xs = range(area.left(), area.right() + 1) if area is not None else range(image.width())
    ys = range(area.top(), area.bottom() + 1) if area is not None else range(image.height())
    return sum(1 for y in ys for x in xs if image.pixel(x, y) == wanted)


def ink(image, area, darker_than: int) -> int:
    """Pixels of an area darker than a lightness: the cores of glyphs (the words are drawn in
    the full text colour, the second line in the half-transparent placeholder colour, the bars
    standing for hidden words lighter still)."""
    return sum(1 for y in range(area.top(), area.bottom() + 1) for x in range(area.left(), area.right() + 1)
               if QColor(image.pixel(x, y)).lightness() < darker_than)


def words_ink(view, row):
    return ink(row_image(view, row), words_area(view, row), 100)


def second_ink(view, row):
    return ink(row_image(view, row), second_area(view, row), 165)


def words_area(view, row):
    """The area of a row's image where its own words are drawn (not the second line)."""
    from PySide6.QtCore import QRect

    delegate = view.itemDelegate()
    rect = row_rect(view, row)
    text_rect = delegate.text_rect(rect)
    geometry = delegate.row_geometry(row, text_rect.width())
    height = geometry.second_top if geometry.second is not None else geometry.height
    return QRect(text_rect.left() - rect.left(), text_rect.top() - rect.top(), text_rect.width(), height)


def second_area(view, row):
    from PySide6.QtCore import QRect

    delegate = view.itemDelegate()
    rect = row_rect(view, row)
    text_rect = delegate.text_rect(rect)
    geometry = delegate.row_geometry(row, text_rect.width())
    return QRect(text_rect.left() - rect.left(), text_rect.top() - rect.top() + geometry.second_top,
                 text_rect.width(), geometry.height - geometry.second_top)


LINES = Transcript([Segment(0, 2000, "The cat sat on the mat."), Segment(2000, 4000, "It was happy there."),
                    Segment(4000, 6000, "Then it left."), Segment(8000, 9000, "Later.")])
SECOND = ["Le chat était assis sur le tapis.", "Il y était heureux.", "", "Plus tard."]


def wait_rows_measured(qtbot, view):
    """Rows measured again (a batched layout): each is as tall as its geometry says."""
    delegate = view.itemDelegate()

    def measured():
        for row in range(view.model().rowCount()):
            rect = row_rect(view, row)
            if not rect.isValid() or rect.height() != delegate.row_geometry(
                    row, delegate.text_rect(rect).width()).height + 2 * delegate.PAD_Y:
                return False
        return True
    qtbot.waitUntil(measured)


def test_second_lines_are_drawn_under_their_lines_and_grow_the_rows(qtbot):
    view = shown_view(qtbot, LINES)
    heights = [row_rect(view, row).height() for row in range(4)]
    view.set_second_lines(SECOND)
    wait_rows_measured(qtbot, view)
    delegate = view.itemDelegate()
    for row in (0, 1, 3):
        assert row_rect(view, row).height() > heights[row]
        geometry = delegate.row_geometry(row, delegate.text_rect(row_rect(view, row)).width())
        assert geometry.second is not None and geometry.second.text() == SECOND[row]
        assert geometry.second_top >= geometry.text.lineAt(0).height()
        # Drawn, in the quieter colour, in its own band under the words.
        assert second_ink(view, row) > 0
    assert row_rect(view, 2).height() == heights[2]   # no second line: as before
    assert delegate.second_font.pointSizeF() < delegate.text_font.pointSizeF()

    view.set_second_lines(None)
    qtbot.waitUntil(lambda: [row_rect(view, row).height() for row in range(4)] == heights)


def test_second_lines_in_paragraph_mode_are_joined_under_each_paragraph(qtbot):
    view = shown_view(qtbot, LINES)
    view.set_second_lines(SECOND)
    view.set_paragraph_mode(True)
    assert view.model().rowCount() == 2
    assert view.second_text(0) == "Le chat était assis sur le tapis. Il y était heureux."
    assert view.second_text(1) == "Plus tard."
    wait_rows_measured(qtbot, view)
    assert second_ink(view, 0) > 0


def test_a_hidden_side_shows_no_words_and_keeps_its_place(qtbot):
    view = shown_view(qtbot, LINES)
    view.set_second_lines(SECOND)
    wait_rows_measured(qtbot, view)
    heights = [row_rect(view, row).height() for row in range(4)]
    assert words_ink(view, 0) > 0 and second_ink(view, 0) > 0

    view.set_sides_shown(main=False, second=True)
    qtbot.waitUntil(lambda: words_ink(view, 0) == 0)
    for row in range(4):
        assert words_ink(view, row) == 0
    assert second_ink(view, 0) > 0
    # A placeholder where the words were: the area is not blank.
    image = row_image(view, 0)
    area = words_area(view, 0)
    background = image.pixel(area.right(), area.bottom())
    assert any(image.pixel(x, area.center().y()) != background for x in range(area.left(), area.left() + 40))
    assert [row_rect(view, row).height() for row in range(4)] == heights

    view.set_sides_shown(main=True, second=False)
    qtbot.waitUntil(lambda: second_ink(view, 0) == 0)
    assert words_ink(view, 0) > 0
    assert [row_rect(view, row).height() for row in range(4)] == heights
    assert view.sides_shown == (True, False)

    # Clicks are as before: a hidden line still plays from its start.
    view.set_sides_shown(main=False, second=False)
    seeks = []
    view.seek_requested.connect(seeks.append)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=row_rect(view, 1).center())
    assert seeks == [2000]


def test_a_masked_line_hides_its_words_and_its_second_line_until_unmasked(qtbot):
    view = shown_view(qtbot, LINES)
    view.set_second_lines(SECOND)
    wait_rows_measured(qtbot, view)
    view.set_masked_segment(1)
    assert view.masked_segment == 1
    qtbot.waitUntil(lambda: words_ink(view, 1) == 0)
    assert second_ink(view, 1) == 0
    for row in (0, 2):
        assert words_ink(view, row) > 0
    assert second_ink(view, 0) > 0
    view.set_masked_segment(None)
    qtbot.waitUntil(lambda: words_ink(view, 1) > 0)
    assert second_ink(view, 1) > 0


def test_a_masked_line_in_a_paragraph_hides_only_its_own_words(qtbot):
    view = shown_view(qtbot, LINES)
    view.set_second_lines(SECOND)
    view.set_paragraph_mode(True)
    view.set_masked_segment(1)
    text = view.model().text(0)
    main, second = view.hidden_spans(0)
    assert main == [(text.index("It was"), len("It was happy there."))]
    assert second == [(view.second_text(0).index("Il y"), len("Il y était heureux."))]
    assert view.hidden_spans(1) == ([], [])


WORDY = Transcript([
    Segment(0, 3000, "Attention is all", words=(Word(0, 900, "Attention"), Word(1000, 1500, " is"),
                                                 Word(1600, 2900, " all"))),
    Segment(3000, 5000, "you need.", words=(Word(3000, 3400, "you"), Word(3500, 5000, "need."))),
    Segment(7000, 9000, "No word times here."),
])


def test_the_word_mark_moves_through_the_words_as_time_advances(qtbot):
    view = shown_view(qtbot, WORDY)
    view.set_current_row(0)
    marked = []
    for ms in (0, 500, 999, 1000, 1599, 1600, 2950):
        view.set_time_ms(ms)
        marked.append(view.spoken_word)
    assert marked == [0, 0, 0, 1, 1, 2, 2]
    assert view.spoken_word_span() == (len("Attention is "), len("all"))
    view.set_current_row(1)   # the sync ticks the time, then the line
    view.set_time_ms(3600)
    assert view.spoken_word == 1 and view.spoken_word_span() == (len("you "), len("need."))
    view.set_current_row(2)
    view.set_time_ms(7500)
    assert view.spoken_word is None and view.spoken_word_span() is None   # a line without word times


def test_the_spoken_word_is_underlined_and_only_its_row_repainted(qtbot):
    view = shown_view(qtbot, WORDY)
    view.set_current_row(0)
    view.set_time_ms(0)
    qtbot.wait(30)
    painted = []
    delegate = view.itemDelegate()
    original = delegate.paint
    delegate.paint = lambda painter, option, index: painted.append(index.row()) or original(painter, option, index)
    view.set_time_ms(1700)
    qtbot.waitUntil(lambda: 0 in painted)
    assert set(painted) == {0}
    # Underlined in the accent colour under "all", not under "Attention".
    from tests.ui.test_transcript_view import word_boxes

    image = row_image(view, 0)
    accent = view.palette().color(QPalette.ColorRole.Highlight)
    spoken, other = (word_boxes(view, 0, start, end)[0] for start, end in ((13, 16), (0, 9)))
    assert pixels_of(image, accent, spoken) > 0 and pixels_of(image, accent, other) == 0


def click_on_char(qtbot, view, row, position):
    delegate = view.itemDelegate()
    rect = row_rect(view, row)
    text_rect = delegate.text_rect(rect)
    layout, _ = delegate.text_layout(view.model().text(row), text_rect.width())
    for number in range(layout.lineCount()):
        line = layout.lineAt(number)
        if line.textStart() <= position < line.textStart() + line.textLength():
            x = (line.cursorToX(position)[0] + line.cursorToX(position + 1)[0]) / 2
            point = QPoint(text_rect.left() + int(x), text_rect.top() + int(line.y() + line.height() / 2))
            qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
            return
    raise AssertionError("no such character")


def test_a_click_on_a_word_plays_from_that_word(qtbot):
    view = shown_view(qtbot, WORDY)
    seeks = []
    view.seek_requested.connect(seeks.append)
    click_on_char(qtbot, view, 0, len("Attention is a"))     # "all"
    click_on_char(qtbot, view, 0, 2)                          # "Attention"
    click_on_char(qtbot, view, 1, len("you ne"))              # "need."
    click_on_char(qtbot, view, 2, len("No word t"))           # no word times: the line's start
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(row_rect(view, 0).right() - 20, row_rect(view, 0).center().y()))   # beside the words
    assert seeks == [1600, 0, 3500, 7000, 0]


def test_words_are_followed_and_clicked_in_paragraph_mode(qtbot):
    view = shown_view(qtbot, WORDY)
    view.set_paragraph_mode(True)
    assert view.model().rowCount() == 2   # "Attention is all you need." then the line without words
    view.set_current_row(1)
    view.set_time_ms(3600)
    text = view.model().text(0)
    assert view.spoken_word_span() == (text.index("need."), len("need."))
    seeks = []
    view.seek_requested.connect(seeks.append)
    click_on_char(qtbot, view, 0, text.index("is") + 1)
    click_on_char(qtbot, view, 0, text.index("you") + 1)
    assert seeks == [1000, 3000]
