"""The keyboard shortcuts sheet: groups in a deliberate order, whole, side by side, and
the sheet as large as its contents so that nothing scrolls."""

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from player.ui.dialogs import EXTRA_SHORTCUTS, GROUP_ORDER, ShortcutsDialog, shortcut_rows, split_into_columns


def actions(spec):
    made = []
    for group, text, key in spec:
        action = QAction(text)
        action.setShortcut(key)
        action.setProperty("group", group)
        made.append(action)
    return made


SPEC = [("File", "Open", "Ctrl+O"), ("Help", "Shortcuts", "F1"), ("Playback", "Play", "Space"),
        ("Annotate", "Highlight", "H"), ("Playback", "Mute", "M"), ("View", "Full screen", "F"),
        ("Library", "Search", "Ctrl+Shift+F"), ("Odd", "Something", "Ctrl+9"), ("Study", "Loop the line", "L")]


def test_groups_come_in_a_deliberate_order(qtbot):
    made = actions(SPEC)
    groups = [group for group, _text, _keys in shortcut_rows(made)]
    order = [group for number, group in enumerate(groups) if number == 0 or groups[number - 1] != group]
    assert order == ["Playback", "Transcript", "Annotate", "Study", "View", "Library", "File", "Help", "Odd"]
    assert order[:len(GROUP_ORDER)] == list(GROUP_ORDER)
    playback = [text for group, text, _keys in shortcut_rows(made) if group == "Playback"]
    assert playback == ["Play", "Mute"]   # in the order the actions were made


def test_columns_keep_groups_whole_and_balance_their_length():
    rows = [("A", "a", "")] * 5 + [("B", "b", "")] * 2 + [("C", "c", "")] * 4
    assert split_into_columns(rows, 2) == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9, 10]]
    assert split_into_columns(rows, 1) == [list(range(11))]
    assert split_into_columns([("A", "a", "")] * 3, 2) == [[0, 1, 2]]


def test_the_sheet_shows_every_row_without_scrolling(qtbot):
    many = [("Playback", f"Action {n}", f"Ctrl+{n % 10}") for n in range(30)] + \
           [("Annotate", f"Mark {n}", f"Alt+{n % 10}") for n in range(20)]
    dialog = ShortcutsDialog(actions(many))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    screen = QApplication.primaryScreen().availableGeometry()
    assert dialog.frameGeometry().height() <= screen.height() and dialog.width() <= screen.width()
    shown = 0
    for view in dialog.columns:
        for row in range(view.model().rowCount()):
            if not view.isRowHidden(row):
                shown += 1
                rect = view.visualRect(view.model().index(row, 2))
                assert view.viewport().rect().contains(rect)   # in sight: nothing to scroll to
    assert shown == len(many) + len(EXTRA_SHORTCUTS)
