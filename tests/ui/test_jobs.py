"""The one background-job helper: short jobs deliver only their newest request, long jobs
run on a pool of their own with progress and cancel, and never starve short ones."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QCoreApplication, QThreadPool

from player.ui.jobs import LongJob, ShortJob, cancel_long_jobs, long_pool, wait_for_long_jobs


def record(job) -> dict[str, list]:
    seen: dict[str, list] = {"finished": [], "failed": [], "progress": [], "cancelled": []}
    job.finished.connect(seen["finished"].append)
    job.failed.connect(seen["failed"].append)
    if isinstance(job, LongJob):
        job.progress.connect(seen["progress"].append)
        job.cancelled.connect(lambda: seen["cancelled"].append(True))
    return seen


def drain(pool: QThreadPool) -> None:
    """Every run of `pool` has ended and what it sent back has been delivered."""
    assert pool.waitForDone(30_000)
    QCoreApplication.processEvents()


@pytest.fixture(autouse=True)
def no_long_job_left():
    yield
    cancel_long_jobs()
    assert wait_for_long_jobs(30_000)


def test_a_short_job_delivers_only_its_newest_request(qtbot):
    job = ShortJob()
    seen = record(job)
    release = threading.Event()
    job.start(lambda: (release.wait(30), "older")[1])
    job.start(lambda: "newer")
    qtbot.waitUntil(lambda: seen["finished"] == ["newer"])
    release.set()
    drain(QThreadPool.globalInstance())
    assert seen["finished"] == ["newer"] and seen["failed"] == []


def test_a_short_job_reports_an_exception_and_cancel_drops_a_result(qtbot):
    job = ShortJob()
    seen = record(job)
    job.start(lambda: 1 / 0)
    qtbot.waitUntil(lambda: len(seen["failed"]) == 1)
    assert isinstance(seen["failed"][0], ZeroDivisionError)
    job.start(lambda: "dropped")
    job.cancel()
    drain(QThreadPool.globalInstance())
    assert seen["finished"] == []


def test_a_long_job_reports_progress_then_its_result(qtbot):
    job = LongJob()
    seen = record(job)

    def work(control):
        for step in (1, 2, 3):
            control.report(step)
        return "made"

    job.start(work)
    qtbot.waitUntil(lambda: seen["finished"] == ["made"])
    assert seen["progress"] == [1, 2, 3] and not job.running


def test_cancel_calls_into_the_work_and_the_run_ends_cancelled(qtbot):
    job = LongJob()
    seen = record(job)
    stopped = threading.Event()
    started = threading.Event()

    def work(control):
        control.on_cancel(stopped.set)   # as a reel registers ReelJob.cancel
        started.set()
        stopped.wait(30)
        raise RuntimeError("ffmpeg was killed")

    job.start(work)
    qtbot.waitUntil(started.is_set)
    assert job.running
    assert cancel_long_jobs() == 1     # what closing the window does
    assert wait_for_long_jobs(30_000)
    qtbot.waitUntil(lambda: seen["cancelled"] == [True])
    assert seen["failed"] == [] and seen["finished"] == [] and not job.running


def test_a_failure_that_was_not_a_cancel_is_reported(qtbot):
    job = LongJob()
    seen = record(job)
    job.start(lambda control: (_ for _ in ()).throw(OSError("disk full")))
    qtbot.waitUntil(lambda: len(seen["failed"]) == 1)
    assert str(seen["failed"][0]) == "disk full" and seen["cancelled"] == []


def test_work_that_polls_sees_the_cancel(qtbot):
    job = LongJob()
    seen = record(job)
    started = threading.Event()

    def work(control):
        started.set()
        control.cancel_event.wait(30)
        return "stopped early" if control.cancelled else "ran out"

    job.start(work)
    qtbot.waitUntil(started.is_set)
    job.cancel()
    qtbot.waitUntil(lambda: seen["finished"] == ["stopped early"])


def test_long_jobs_never_starve_short_ones(qtbot):
    """Even with more long jobs blocked than the global pool has threads, a short job
    runs at once: long jobs queue on their own pool."""
    release = threading.Event()
    blocked = [LongJob() for _ in range(QThreadPool.globalInstance().maxThreadCount() + 1)]
    for job in blocked:
        job.start(lambda control: release.wait(60))
    short = ShortJob()
    seen = record(short)
    short.start(lambda: "read")
    qtbot.waitUntil(lambda: seen["finished"] == ["read"])
    assert all(job.running for job in blocked) and not release.is_set()
    assert long_pool().activeThreadCount() <= long_pool().maxThreadCount()
    release.set()
    assert wait_for_long_jobs(30_000)
