"""The transcript view on long transcripts: from set_transcript to the first paint, and to every row
laid out, with how many rows were measured exactly (a QTextLayout each) on the way.

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python -m bench.view_bench [--runs 3]

Lines are made from the seed lecture's text (lengths as a real lecture has them, many wrapping at the
view's width). The view is 520x700 px, the transcript pane's size in the window.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "data" / "seeds" / "003_98d2fe73ddf5816f.txt"
COUNTS = (1_500, 10_000, 100_000)


def lines(count: int):
    from player.core.formats import load
    from player.core.transcript import Segment, Transcript

    texts = [segment.text for segment in load(str(SEED)).segments] or ["line"]
    # Every third line doubled: long lines that wrap, as Whisper's sentences do.
    return Transcript([Segment(i * 3000, i * 3000 + 2500, texts[i % len(texts)] * (2 if i % 3 == 0 else 1))
                       for i in range(count)])


def one_run(app, transcript, count: bool) -> dict:
    """count: how many rows were measured (wrapping the delegate's methods, which slows them), else
    only the times."""
    from player.ui.transcript_view import TranscriptView

    view = TranscriptView()
    view.resize(520, 700)
    view.show()
    app.processEvents()
    delegate = view.itemDelegate()
    counts = {"layouts": 0, "hints": 0}
    original_layout, original_hint = delegate.text_layout, delegate.sizeHint

    def counted_layout(*args):
        counts["layouts"] += 1
        return original_layout(*args)

    def counted_hint(*args):
        counts["hints"] += 1
        return original_hint(*args)

    painted: dict = {}
    original_paint = delegate.paint

    def first_paint(*args):
        # The first row drawn: the lines are on screen.
        if "at" not in painted:
            painted.update(at=time.perf_counter(), **counts)
        return original_paint(*args)

    delegate.paint = first_paint
    if count:
        delegate.text_layout, delegate.sizeHint = counted_layout, counted_hint
    began = time.perf_counter()
    view.set_transcript(transcript)
    while "at" not in painted:
        app.processEvents()
    last = view.model().index(view.model().rowCount() - 1)
    while not view.visualRect(last).isValid():
        app.processEvents()
    done = time.perf_counter()
    # Then follow a seek to the last line: it is shown with the height its text needs.
    view.set_current_row(len(transcript) - 1)
    seek = time.perf_counter()

    def shown_exactly() -> bool:
        rect = view.visualRect(last)
        return rect.isValid() and view.viewport().rect().contains(rect.center()) and \
            rect.height() == delegate.exact_height(last.row(), delegate.text_rect(rect).width())
    while not shown_exactly() and time.perf_counter() - seek < 10:
        app.processEvents()
    exact = shown_exactly()
    seek_ms = (time.perf_counter() - seek) * 1000
    # The rest measured in the background, then a seek to the middle.
    while (getattr(view, "measuring", False) or not view.visualRect(last).isValid()) \
            and time.perf_counter() - seek < 120:
        app.processEvents()
    measured = time.perf_counter()
    last = view.model().index(len(transcript) // 2)
    view.set_current_row(len(transcript) // 2)
    again = time.perf_counter()
    while not shown_exactly() and time.perf_counter() - again < 10:
        app.processEvents()
    seek_after_ms = (time.perf_counter() - again) * 1000
    view.close()
    view.deleteLater()
    app.processEvents()
    return {"first_paint_ms": (painted["at"] - began) * 1000, "layouts_before_paint": painted["layouts"],
            "hints_before_paint": painted["hints"], "all_rows_ms": (done - began) * 1000,
            "layouts_total": counts["layouts"], "last_row_exact": exact, "seek_ms": seek_ms,
            "measured_ms": (measured - began) * 1000, "seek_after_ms": seek_after_ms}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    print(f"{'lines':>8} {'first paint':>12} {'exact layouts':>14} {'sizeHint calls':>15} {'all rows laid out':>18}"
          f" {'layouts in all':>15} {'seek to the end, exact':>22} {'all rows measured':>17}"
          f" {'then a seek':>16}")
    for count in COUNTS:
        transcript = lines(count)
        counted = one_run(app, transcript, count=True)
        runs = [one_run(app, transcript, count=False) for _ in range(arguments.runs)]
        first = statistics.median(run["first_paint_ms"] for run in runs)
        every = statistics.median(run["all_rows_ms"] for run in runs)
        print(f"{count:>8,} {first:>9.0f} ms {counted['layouts_before_paint']:>14,}"
              f" {counted['hints_before_paint']:>15,} {every:>15.0f} ms {counted['layouts_total']:>15,}"
              f" {statistics.median(run['seek_ms'] for run in runs):>12.0f} ms {str(counted['last_row_exact']):>6}"
              f" {statistics.median(run['measured_ms'] for run in runs):>14.0f} ms"
              f" {statistics.median(run['seek_after_ms'] for run in runs):>13.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
