"""Every undo command survives its target having gone: it says why, and the stack drops
it instead of raising inside Qt and losing step with the library (real library file;
pytest-qt fails a test on any exception raised inside undo() or redo())."""

from __future__ import annotations

import pytest

from player.ui.annotations import LectureAnnotations
from player.ui.tag_manager import TagManagerDialog


@pytest.fixture
def annotations(qtbot, tmp_path):
    media = tmp_path / "lecture.mp4"
    media.write_bytes(b"lecture bytes " * 4000)
    annotations = LectureAnnotations(tmp_path / "library.sqlite")
    with qtbot.waitSignal(annotations.lecture_ready, timeout=10_000):
        annotations.open_lecture(str(media), None)
    yield annotations
    annotations.close()


@pytest.fixture
def problems(annotations):
    said: list[str] = []
    annotations.problem.connect(said.append)
    return said


def remove_the_lecture(annotations):
    """What Library ▸ Lectures ▸ Remove does, on the window's own library."""
    annotations.library.remove_lecture(annotations.lecture.id)


def test_undo_of_a_highlight_whose_lecture_was_removed_is_dropped(annotations, problems):
    annotations.add_highlight(1_000, 2_000, 1)
    stack = annotations.undo_stack
    assert stack.count() == 1
    remove_the_lecture(annotations)
    stack.undo()
    assert problems == ["Could not undo highlight in yellow: the lecture was removed from the library"]
    assert (stack.count(), stack.index(), stack.canUndo(), stack.canRedo()) == (0, 0, False, False)
    assert annotations.highlights == []


def test_redo_whose_lecture_was_removed_is_dropped(annotations, problems):
    annotations.add_highlight(1_000, 2_000, 1)
    annotations.add_highlight(3_000, 4_000, 2)
    stack = annotations.undo_stack
    stack.undo()
    remove_the_lecture(annotations)
    stack.redo()
    assert problems == ["Could not redo highlight in green: the lecture was removed from the library"]
    assert (stack.count(), stack.index()) == (1, 1)
    stack.undo()   # the step below fails the same way and goes too
    assert (stack.count(), stack.index()) == (0, 0) and len(problems) == 2


def test_a_step_of_several_edits_is_dropped_whole(annotations, problems):
    """N on a line with no highlight: made and noted in one step, undone as one."""
    with annotations.one_step("Note"):
        made = annotations.ensure_highlight(1_000, 2_000, 1)
        annotations.set_note(made.id, "why")
    stack = annotations.undo_stack
    assert stack.count() == 1 and annotations.highlights[0].note == "why"
    remove_the_lecture(annotations)
    stack.undo()
    assert problems and problems[-1].startswith("Could not undo")
    assert (stack.count(), stack.index()) == (0, 0)


def test_an_edit_whose_lecture_is_gone_is_refused_with_a_message(annotations, problems):
    annotations.add_highlight(1_000, 2_000, 1)
    highlight_id = annotations.highlights[0].id
    remove_the_lecture(annotations)
    annotations.set_note(highlight_id, "too late")
    assert problems == ["Could not edit note: the lecture was removed from the library"]
    assert annotations.undo_stack.count() == 1   # only the highlight, whose undo will fail in turn


def test_a_tag_edit_whose_tag_was_deleted_elsewhere_is_dropped(qtbot, annotations, problems):
    library = annotations.library
    library.add_highlight(annotations.lecture.id, 1_000, 2_000, 1, ["exam", "review"])
    annotations.reload_highlights()
    dialog = TagManagerDialog(annotations)
    qtbot.addWidget(dialog)
    assert dialog.recolor("review", 3)
    assert dialog.rename("exam", "final")
    library.delete_tag("final")            # e.g. from the command line, meanwhile
    stack = annotations.undo_stack
    stack.undo()
    assert problems == ["Could not undo rename tag “exam” to “final”: no tag named 'final'"]
    assert (stack.count(), stack.index()) == (1, 1)
    stack.undo()                           # the recolour below still undoes
    assert next(tag for tag in library.tags() if tag.name == "review").color is None
    stack.redo()
    assert next(tag for tag in library.tags() if tag.name == "review").color == 3
