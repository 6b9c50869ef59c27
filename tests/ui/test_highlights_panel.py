"""The Highlights tab on its own: the words get the room, its buttons and menus."""

from PySide6.QtCore import Qt

from player.core.library import Highlight
from player.ui.highlights_panel import COLOR, NOTE, TAGS, TIME, WORDS, HighlightsPanel


def highlight(number, start_ms, text, tags=(), note=None, color=1):
    return Highlight(id=number, lecture_id=1, start_ms=start_ms, end_ms=start_ms + 2000, color=color, tags=tags,
                     note=note, created_at="", updated_at="", text=text)


HIGHLIGHTS = [
    highlight(1, 23_000, "Thumbs up, some side, thumbs down.", ("fun",)),
    highlight(2, 42_000, "so this lecture, the Transformers lecture, and then to a lesser extent,",
              ("midterm",), "Transformers and NLG are on assignment 5", color=2),
    highlight(3, 3_723_000, "And then the rest of the course will go through some really fascinating topics"),
]


def shown_panel(qtbot, width=460):
    panel = HighlightsPanel()
    qtbot.addWidget(panel)
    panel.resize(width, 400)
    panel.show_highlights(HIGHLIGHTS)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_the_words_get_the_room(qtbot):
    panel = shown_panel(qtbot)
    header = panel.tree.header()
    # Shown as Time, colour, Words, Tags, Note.
    assert [header.logicalIndex(visual) for visual in range(5)] == [TIME, COLOR, WORDS, TAGS, NOTE]
    time_needed = panel.tree.fontMetrics().horizontalAdvance("1:02:03") + 24
    assert header.sectionSize(TIME) <= time_needed and header.sectionSize(COLOR) <= 24
    words = header.sectionSize(WORDS)
    assert words > 0.45 * panel.tree.viewport().width()
    assert all(words > 2 * header.sectionSize(column) for column in (TIME, COLOR, TAGS, NOTE))
    # The columns fill the width exactly: nothing cut off at the right, nothing scrolls.
    assert sum(header.sectionSize(column) for column in range(5)) == panel.tree.viewport().width()
    # Long words wrap onto more lines rather than end in "…"; the full text is a hover away.
    item = panel.tree.topLevelItem(1)
    line = panel.tree.fontMetrics().lineSpacing()
    qtbot.waitUntil(lambda: panel.tree.visualItemRect(item).height() >= 2 * line)
    assert "to a lesser extent," in item.toolTip(WORDS) and "assignment 5" in item.toolTip(NOTE)


def test_export_and_reel_buttons_follow_what_is_shown(qtbot):
    panel = shown_panel(qtbot)
    asked = []
    panel.export_requested.connect(lambda: asked.append("export"))
    panel.reel_requested.connect(lambda: asked.append("reel"))
    assert panel.count_label.text() == "3 highlights"
    qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.reel_button, Qt.MouseButton.LeftButton)
    assert asked == ["export", "reel"]
    panel.text_filter.setText("transformers")
    assert [h.id for h in panel.shown_highlights()] == [2] and panel.count_label.text() == "1 of 3 shown"
    panel.text_filter.setText("no such words")
    assert not panel.export_button.isEnabled() and not panel.reel_button.isEnabled()


def test_the_menu_on_a_highlight_plays_and_edits_it(qtbot):
    panel = shown_panel(qtbot)
    seeks, colours, notes, tags, removed = [], [], [], [], []
    panel.seek_requested.connect(seeks.append)
    panel.color_requested.connect(lambda hid, color: colours.append((hid, color)))
    panel.edit_note_requested.connect(notes.append)
    panel.tag_requested.connect(tags.append)
    panel.remove_requested.connect(removed.append)
    panel.set_color_meanings({1: "important", 2: "exam", 3: "question", 4: "unclear", 5: "later"})
    menu = panel.edit_menu(2)
    texts = [action.text() for action in menu.actions()]
    assert [text for text in texts if text] == ["Colour", "Note…", "Add a tag…", "Play from here", "Remove"]
    next(a for a in menu.actions() if a.text() == "Play from here").trigger()
    colour_menu = next(a.menu() for a in menu.actions() if a.menu() is not None)
    assert [a.text() for a in colour_menu.actions()][1] == "2  exam"
    colour_menu.actions()[2].trigger()
    next(a for a in menu.actions() if a.text() == "Note…").trigger()
    next(a for a in menu.actions() if a.text() == "Add a tag…").trigger()
    next(a for a in menu.actions() if a.text() == "Remove").trigger()
    assert (seeks, colours, notes, tags, removed) == ([42_000], [(2, 3)], [2], [2], [2])
