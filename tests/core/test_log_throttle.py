"""One log line per distinct message per minute, with a count of the repeats held back."""

import threading

from player.core.log_throttle import MAX_KEYS, Throttle


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_message_repeated_twenty_times_a_second_gets_one_line_a_minute():
    clock = FakeClock()
    throttle = Throttle(60.0, clock)
    admitted = []
    for tick in range(20 * 150):  # 150 s at 20 a second
        clock.now = 1000.0 + tick / 20
        held = throttle.admit("Audio output failed")
        if held is not None:
            admitted.append((tick / 20, held))
    assert admitted == [(0.0, 0), (60.0, 1199), (120.0, 1199)]


def test_distinct_messages_each_get_their_line():
    throttle = Throttle(60.0, FakeClock())
    assert [throttle.admit(key) for key in ("a", "b", "a", ("alsa", "a"))] == [0, 0, None, 0]


def test_it_remembers_a_bounded_number_of_messages():
    throttle = Throttle(60.0, FakeClock())
    for index in range(MAX_KEYS + 10):
        assert throttle.admit(index) == 0
    assert throttle.admit(MAX_KEYS + 9) is None  # recent: still held back
    assert throttle.admit(0) == 0                # the oldest was forgotten


def test_threads_admit_a_message_once():
    throttle = Throttle(60.0, FakeClock())
    results = []
    threads = [threading.Thread(target=lambda: results.append(throttle.admit("same"))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results, key=lambda r: r is None) == [0] + [None] * 7
