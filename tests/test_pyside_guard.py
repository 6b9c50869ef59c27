"""Guards against a Qt binding that corrupts the interpreter under this app's load."""

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    ticked = Signal(int)


def test_emitting_signals_keeps_reference_counts():
    # PySide6 6.12.0 on Python 3.11 dropped a reference to True on every emit; the
    # 20 ms sync tick then aborted the app ("bool_dealloc") within minutes.
    emitter = _Emitter()
    received = []
    emitter.ticked.connect(received.append)
    before = sys.getrefcount(True)
    for i in range(200):
        emitter.ticked.emit(i)
    assert len(received) == 200
    assert sys.getrefcount(True) >= before - 5
