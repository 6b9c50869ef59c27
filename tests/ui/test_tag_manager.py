"""The tag manager on a real library file: each edit applied, undone and redone through
the undo stack; counts shown; hostile tag names shown exactly as typed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox

from player.ui.annotations import LectureAnnotations
from player.ui.plain_dialogs import tell
from player.ui.tag_manager import COLOR, NAME, USAGE, TagManagerDialog
from tests.conftest import ModalAnswer

HOSTILE = ["<b>bold</b>", "<img src=x onerror=alert(1)>", "😀 emoji 🎓", "שלום עולם", "‮reversed",
           "say \"hi\" & 'bye'", "a&amp;b"]


@pytest.fixture
def annotations(qtbot, tmp_path):
    media = tmp_path / "lecture.mp4"
    media.write_bytes(b"lecture bytes " * 4000)
    annotations = LectureAnnotations(tmp_path / "library.sqlite")
    with qtbot.waitSignal(annotations.lecture_ready, timeout=10_000):
        annotations.open_lecture(str(media), None)
    yield annotations
    annotations.close()


def add(annotations, start_s, tags, color=1):
    library = annotations.library
    return library.add_highlight(annotations.lecture.id, start_s * 1000, start_s * 1000 + 500, color, tags).id


@pytest.fixture
def tagged(annotations):
    """exam on 3 highlights, review on 2 (one also exam), unused on none."""
    ids = [add(annotations, 1, ["exam", "review"]), add(annotations, 2, ["exam"]),
           add(annotations, 3, ["exam"]), add(annotations, 4, ["review"]), add(annotations, 5, ["unused"])]
    annotations.library.remove_tag(ids[4], "unused")
    annotations.reload_highlights()
    return ids


class Answers:
    """Scripted replies for the dialog's questions, and a record of what it asked."""

    def __init__(self, dialog, confirm=True, text=None, choice=None):
        self.asked, self.told = [], []
        self._confirm, self._text, self._choice = confirm, text, choice
        dialog.confirm = self.confirm
        dialog.inform = lambda title, text: self.told.append(text)
        dialog.ask_text = self.ask_text
        dialog.ask_choice = self.ask_choice

    def confirm(self, title, text):
        self.asked.append(text)
        return self._confirm

    def ask_text(self, title, label, initial):
        self.asked.append((label, initial))
        return self._text

    def ask_choice(self, title, label, items, current=0):
        self.asked.append((label, list(items), current))
        return None if self._choice is None else items.index(self._choice)


def make_dialog(qtbot, annotations, **answers):
    dialog = TagManagerDialog(annotations)
    qtbot.addWidget(dialog)
    return dialog, Answers(dialog, **answers)


def shown(dialog):
    """{name: (colour text, usage text)} exactly as the table shows them."""
    table = dialog.table
    return {table.item(row, NAME).text(): (table.item(row, COLOR).text(), table.item(row, USAGE).text())
            for row in range(table.rowCount())}


def tags_of(annotations):
    return [h.tags for h in annotations.library.highlights(lecture=annotations.lecture.id)]


def test_lists_every_tag_with_its_usage_and_colour(qtbot, annotations, tagged):
    annotations.library.recolor_tag("review", 3)
    dialog, _ = make_dialog(qtbot, annotations)
    assert shown(dialog) == {"exam": ("none", "3"), "review": ("blue", "2"), "unused": ("none", "0")}
    assert dialog.summary.text() == "3 tags"
    assert not dialog.rename_button.isEnabled()
    dialog.select_tag("exam")
    assert dialog.rename_button.isEnabled() and dialog.delete_button.isEnabled()


def test_the_usage_column_sorts_by_number(qtbot, annotations, tagged):
    for second in range(10, 21):
        add(annotations, second, ["many"])
    dialog, _ = make_dialog(qtbot, annotations)
    dialog.table.sortByColumn(USAGE, Qt.SortOrder.DescendingOrder)
    order = [dialog.table.item(row, NAME).text() for row in range(dialog.table.rowCount())]
    assert order == ["many", "exam", "review", "unused"]   # 11 > 3 > 2 > 0, not "3" > "2" > "11"


def test_rename_is_undone_and_redone(qtbot, annotations, tagged):
    dialog, answers = make_dialog(qtbot, annotations, text="  final exam ")
    dialog.select_tag("exam")
    with qtbot.waitSignal(annotations.highlights_changed):
        dialog.rename_selected()
    assert answers.asked == [("New name for “exam”:", "exam")]
    assert "final exam" in shown(dialog) and "exam" not in shown(dialog)
    assert tags_of(annotations)[:3] == [("final exam", "review"), ("final exam",), ("final exam",)]
    assert dialog.selected_tag().name == "final exam"
    stack = annotations.undo_stack
    assert stack.count() == 1 and stack.undoText() == "Rename tag “exam” to “final exam”"

    with qtbot.waitSignal(annotations.highlights_changed):
        stack.undo()
    assert [h.tags for h in annotations.highlights][:3] == [("exam", "review"), ("exam",), ("exam",)]
    assert shown(dialog)["exam"] == ("none", "3")   # the list follows an undo made anywhere
    stack.redo()
    assert shown(dialog)["final exam"] == ("none", "3")


def test_rename_to_a_taken_name_is_refused_or_becomes_a_merge(qtbot, annotations, tagged):
    dialog, answers = make_dialog(qtbot, annotations, confirm=False)
    assert not dialog.rename("exam", "REVIEW")
    assert answers.asked == ["A tag named “review” already exists. Merge “exam” into “review” instead?"]
    assert set(shown(dialog)) == {"exam", "review", "unused"}
    assert annotations.undo_stack.count() == 0

    answers._confirm = True
    assert dialog.rename("exam", "review")
    assert shown(dialog) == {"review": ("none", "4"), "unused": ("none", "0")}
    annotations.undo_stack.undo()
    assert shown(dialog)["exam"] == ("none", "3") and shown(dialog)["review"] == ("none", "2")


def test_a_blank_name_is_refused_and_a_change_of_case_is_a_rename(qtbot, annotations, tagged):
    dialog, answers = make_dialog(qtbot, annotations)
    assert not dialog.rename("exam", "   ")
    assert answers.told == ["A tag needs a name."]
    assert dialog.rename("exam", "Exam")
    assert "Exam" in shown(dialog)
    annotations.undo_stack.undo()
    assert "exam" in shown(dialog)


def test_merge_into_a_chosen_tag_and_undo(qtbot, annotations, tagged):
    dialog, answers = make_dialog(qtbot, annotations, choice="exam")
    dialog.select_tag("review")
    with qtbot.waitSignal(annotations.highlights_changed):
        dialog.merge_selected()
    label, items, _ = answers.asked[0]
    assert label == "Merge “review” into:" and items == ["exam", "unused"]
    assert shown(dialog) == {"exam": ("none", "4"), "unused": ("none", "0")}
    assert tags_of(annotations)[:4] == [("exam",), ("exam",), ("exam",), ("exam",)]

    annotations.undo_stack.undo()
    assert shown(dialog) == {"exam": ("none", "3"), "review": ("none", "2"), "unused": ("none", "0")}
    # The highlight that had both keeps both; the one that gained exam by the merge loses it.
    assert tags_of(annotations)[:4] == [("exam", "review"), ("exam",), ("exam",), ("review",)]
    annotations.undo_stack.redo()
    assert "review" not in shown(dialog)


def test_recolor_to_a_colour_and_to_none_and_undo(qtbot, annotations, tagged):
    dialog, answers = make_dialog(qtbot, annotations, choice="4 pink")
    dialog.select_tag("exam")
    dialog.recolor_selected()
    assert answers.asked[0][1] == ["No colour", "1 yellow", "2 green", "3 blue", "4 pink", "5 orange"]
    assert shown(dialog)["exam"] == ("pink", "3")
    assert annotations.library.tag("exam").color == 4
    row = dialog.row_of("exam")
    assert dialog.table.item(row, COLOR).background().color().name() == "#f06292"

    answers._choice = "No colour"
    dialog.recolor_selected()
    assert answers.asked[1][2] == 4            # the current colour is offered first
    assert annotations.library.tag("exam").color is None
    annotations.undo_stack.undo()
    assert annotations.library.tag("exam").color == 4
    annotations.undo_stack.undo()
    assert shown(dialog)["exam"] == ("none", "3")
    assert annotations.undo_stack.count() == 2


def test_delete_asks_with_the_count_then_is_undone(qtbot, annotations, tagged):
    dialog, answers = make_dialog(qtbot, annotations, confirm=False)
    dialog.select_tag("exam")
    dialog.delete_selected()
    assert answers.asked == ["Delete “exam”? It is on 3 highlights."]
    assert "exam" in shown(dialog) and annotations.undo_stack.count() == 0

    answers._confirm = True
    with qtbot.waitSignal(annotations.highlights_changed):
        dialog.delete_selected()
    assert "exam" not in shown(dialog)
    assert tags_of(annotations)[:3] == [("review",), (), ()]
    with qtbot.waitSignal(annotations.highlights_changed):
        annotations.undo_stack.undo()
    assert shown(dialog)["exam"] == ("none", "3")
    assert tags_of(annotations)[:3] == [("exam", "review"), ("exam",), ("exam",)]

    dialog.delete("review")
    dialog.delete("unused")
    assert answers.asked[-2:] == ["Delete “review”? It is on 2 highlights.",
                                  "Delete “unused”? It is on no highlights."]


def test_delete_key_deletes_the_selected_tag(qtbot, annotations, tagged):
    dialog, answers = make_dialog(qtbot, annotations)
    dialog.show()
    dialog.select_tag("unused")
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)
    assert answers.asked == ["Delete “unused”? It is on no highlights."]
    assert "unused" not in shown(dialog)


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_tag_names_are_shown_exactly(qtbot, annotations, name):
    add(annotations, 1, [name])
    dialog, answers = make_dialog(qtbot, annotations, text=name + " 2", confirm=True)
    assert list(shown(dialog)) == [name]
    dialog.select_tag(name)
    dialog.rename_selected()
    assert answers.asked[0] == (f"New name for “{name}”:", name)
    assert list(shown(dialog)) == [name + " 2"]
    annotations.undo_stack.undo()
    assert list(shown(dialog)) == [name]
    dialog.delete(name)
    assert answers.asked[-1] == f"Delete “{name}”? It is on 1 highlight."


def test_all_hostile_names_at_once_and_no_rich_text_label(qtbot, annotations):
    for second, name in enumerate(HOSTILE):
        add(annotations, second + 1, [name])
    dialog, _ = make_dialog(qtbot, annotations)
    assert sorted(shown(dialog)) == sorted(HOSTILE)
    for label in dialog.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText


def test_the_default_message_box_shows_plain_text(qtbot):
    seen = []

    def close_box(box):
        seen.append((box.textFormat(), box.text()))
        box.accept()

    answering = ModalAnswer(QMessageBox, close_box)
    tell(None, "Tags", "Delete “<b>x</b>”?")
    assert answering.dialogs and seen == [(Qt.TextFormat.PlainText, "Delete “<b>x</b>”?")]


def test_a_refused_edit_leaves_the_stack_alone(qtbot, annotations, tagged):
    dialog, answers = make_dialog(qtbot, annotations)
    annotations.library.delete_tag("unused")     # gone behind the dialog's back
    assert not dialog.recolor("unused", 2)
    assert len(answers.told) == 1 and answers.told[0].startswith("Could not colour tag “unused” green:")
    assert annotations.undo_stack.count() == 0
    assert "unused" not in shown(dialog)         # and the list was re-read


def test_the_default_name_question_shows_its_label_as_plain_text(qtbot):
    from player.ui.plain_dialogs import ask_line

    seen = []

    def answer(dialog):
        seen.extend((label.textFormat(), label.text()) for label in dialog.findChildren(QLabel))
        dialog.accept()

    answering = ModalAnswer(QDialog, answer)
    assert ask_line(None, "Rename tag", "New name for “<i>x</i>”:", "<i>x</i>") == "<i>x</i>"
    assert answering.dialogs and seen == [(Qt.TextFormat.PlainText, "New name for “<i>x</i>”:")]
