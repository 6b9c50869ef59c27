"""The interpolating clock, driven by a fake monotonic clock."""

from player.core.clock import MAX_EXTRAPOLATION_MS, PlaybackClock


class FakeTime:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now

    def advance(self, ms):
        self.now += ms / 1000


def playing_clock():
    fake = FakeTime()
    clock = PlaybackClock(fake)
    clock.set_playing(True)
    clock.observe(0)
    return clock, fake


def test_interpolates_between_coarse_reports():
    clock, fake = playing_clock()
    fake.advance(120)
    assert clock.now_ms() == 120
    fake.advance(130)
    clock.observe(250)  # the backend's 250 ms step arrives
    assert clock.now_ms() == 250
    fake.advance(40)
    assert clock.now_ms() == 290


def test_scales_by_rate_from_the_change_on():
    clock, fake = playing_clock()
    fake.advance(1000)
    clock.set_rate(2.0)
    fake.advance(500)
    assert clock.now_ms() == 2000
    clock.set_rate(0.5)
    fake.advance(1000)
    assert clock.now_ms() == 2500


def test_never_steps_backwards_without_a_seek():
    clock, fake = playing_clock()
    fake.advance(300)
    assert clock.now_ms() == 300
    clock.observe(260)  # a report slightly behind our estimate
    assert clock.now_ms() == 300
    fake.advance(50)
    assert clock.now_ms() == 310


def test_seek_goes_back_and_ignores_stale_reports():
    clock, fake = playing_clock()
    fake.advance(5000)
    clock.observe(5000)
    clock.seek(1000)
    assert clock.now_ms() == 1000
    clock.observe(5250)  # the old position, reported once more before the seek lands
    fake.advance(100)
    assert clock.now_ms() == 1100
    clock.observe(1080)
    fake.advance(20)
    assert clock.now_ms() == 1100  # 1080 + 20, floored at the earlier answer


def test_pause_freezes_and_stalls_stop_extrapolation():
    clock, fake = playing_clock()
    fake.advance(400)
    clock.set_playing(False)
    fake.advance(3000)
    assert clock.now_ms() == 400
    clock.set_playing(True)
    fake.advance(10_000)  # no report for 10 s: buffering, not a coarse clock
    assert clock.now_ms() == 400 + MAX_EXTRAPOLATION_MS


def test_halfway_dating_while_playing():
    fake = FakeTime()
    clock = PlaybackClock(fake)
    clock.set_playing(True)
    clock.observe(0)
    fake.advance(250)
    unchanged_at = fake.now
    fake.advance(20)
    clock.observe(260, unchanged_at=unchanged_at)  # changed somewhere in the last 20 ms
    assert clock.now_ms() == 270
    fake.advance(5000)
    stale_read = fake.now - 1.0
    clock.observe(1500, unchanged_at=stale_read)  # a read long ago says nothing: anchor now
    assert clock.now_ms() == max(270 + 1200, 1500)
