"""Calling code that must not block on a FIFO, safely: if it does block, the test fails
instead of hanging, and the blocked thread is released by opening the FIFO's other end."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Callable, TypeVar

import pytest

T = TypeVar("T")

# Not a timing assertion: only how long to wait before calling the code blocked for good.
BLOCKED_AFTER_S = 30


def _release(fifo: Path) -> None:
    """Give a reader blocked on `fifo` its end of file (a writer opens and closes)."""
    try:
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    except OSError:
        pass  # no reader is waiting


def call_without_blocking(call: Callable[[], T], fifo: Path) -> T:
    """call()'s result, or the exception it raised; fails the test if it blocks."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as error:  # handed to the test's thread below
            outcome["error"] = error

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(BLOCKED_AFTER_S)
    if worker.is_alive():
        _release(fifo)
        worker.join(BLOCKED_AFTER_S)
        pytest.fail(f"blocked reading the FIFO {fifo}")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]
