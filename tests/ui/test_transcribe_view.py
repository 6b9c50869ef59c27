"""The transcript view while lines arrive and while they are corrected: rows are added or
replaced where they change, never the whole list reset (the learner's place stays)."""

from __future__ import annotations

import pytest

from player.core.transcript import Segment, Transcript
from player.ui.transcript_view import TranscriptView


@pytest.fixture
def view(qtbot):
    widget = TranscriptView()
    qtbot.addWidget(widget)
    widget.resize(500, 400)
    widget.show()
    return widget


def record(model) -> list:
    events = []
    model.rowsInserted.connect(lambda _parent, first, last: events.append(("inserted", first, last)))
    model.rowsRemoved.connect(lambda _parent, first, last: events.append(("removed", first, last)))
    model.dataChanged.connect(lambda top, bottom, _roles=(): events.append(("changed", top.row(), bottom.row())))
    model.modelReset.connect(lambda: events.append(("reset",)))
    return events


def lines(*texts: str, start: int = 0, step: int = 2000) -> list[Segment]:
    return [Segment(start + i * step, start + i * step + step, text) for i, text in enumerate(texts)]


def test_lines_heard_are_appended_as_rows(view):
    view.set_transcript(Transcript([], title="Talk"))
    model = view.segment_model
    events = record(model)
    shown = view.append_segments(lines("One.", "Two."))
    shown = view.append_segments(lines("Three.", start=4000))
    assert events == [("inserted", 0, 1), ("inserted", 2, 2)]
    assert [model.text(row) for row in range(model.rowCount())] == ["One.", "Two.", "Three."]
    assert shown.title == "Talk" and shown.segment_at(4500) == 2   # lookups know the new lines


def test_in_paragraphs_the_last_paragraph_grows_and_new_ones_are_inserted(view):
    view.set_transcript(Transcript(lines("First sentence.", "Second one")))
    view.set_paragraph_mode(True)
    model = view.segment_model
    assert model.rowCount() == 1
    events = record(model)
    view.append_segments(lines("goes on here.", start=4000))          # the same paragraph, longer
    assert events == [("changed", 0, 0)] and model.rowCount() == 1
    assert model.text(0) == "First sentence. Second one goes on here."
    events.clear()
    view.append_segments(lines("After a long pause.", start=60_000))   # a new paragraph
    assert events == [("inserted", 1, 1)] and model.rowCount() == 2


def test_an_edit_replaces_only_its_rows(view):
    view.set_transcript(Transcript(lines("A.", "B and C.", "D.")))
    model = view.segment_model
    events = record(model)
    view.replace_segments(1, 1, lines("B and", "C.", start=2000, step=1000))   # a split
    assert events == [("inserted", 2, 2), ("changed", 1, 1)]
    assert [model.text(row) for row in range(model.rowCount())] == ["A.", "B and", "C.", "D."]
    events.clear()
    view.replace_segments(1, 2, lines("B and C.", start=2000))                 # merged again
    assert events == [("removed", 2, 2), ("changed", 1, 1)]
    assert [model.text(row) for row in range(model.rowCount())] == ["A.", "B and C.", "D."]
    events.clear()
    view.replace_segments(0, 1, [Segment(0, 2000, "A.", speaker="Ada")])       # a speaker named
    assert events == [("changed", 0, 0)] and view.segment_model.transcript[0].speaker == "Ada"
