"""The video picture on the desktop (real libVLC on the X display): the bars beside or above
the picture are black and stay black when the window is resized while paused, the paused
picture is redrawn at the new size, and after the end the area is black, not a stale frame.

libVLC draws the picture in a window of its own inside the video surface, sized to the
picture; the bars are the surface's own window, which only Qt paints."""

import pytest
from PySide6.QtCore import QPoint

from player.playback import PlaybackState
from tests.conftest import wait_playing

pytestmark = pytest.mark.vlc

PATTERN = (320, 240)  # tests/conftest.py's video_mp4
STALE = (0x1D, 0x23, 0x30)  # the empty page's colour, on screen where the surface appears


def grab(surface):
    origin = surface.mapToGlobal(QPoint(0, 0))
    return surface.screen().grabWindow(0, origin.x(), origin.y(), surface.width(), surface.height()).toImage()


def rgb(image, x, y):
    color = image.pixelColor(x, y)
    return color.red(), color.green(), color.blue()


def is_black(color):
    return max(color) <= 8


def bar_points(surface):
    """Points in the middle of the two bars beside or above the picture."""
    width, height = surface.width(), surface.height()
    if width * PATTERN[1] > height * PATTERN[0]:  # wider than the picture: bars left and right
        bar = (width - height * PATTERN[0] // PATTERN[1]) // 2
        assert bar >= 8, "the test needs room for bars"
        return [(bar // 2, height // 2), (width - 1 - bar // 2, height // 2)]
    bar = (height - width * PATTERN[1] // PATTERN[0]) // 2
    assert bar >= 8, "the test needs room for bars"
    return [(width // 2, bar // 2), (width // 2, height - 1 - bar // 2)]


def bars_black_and_picture_drawn(surface) -> bool:
    image = grab(surface)
    centre = rgb(image, surface.width() // 2, surface.height() // 2)
    return all(is_black(rgb(image, x, y)) for x, y in bar_points(surface)) and not is_black(centre) \
        and centre != STALE


def all_black(surface) -> bool:
    image = grab(surface)
    return all(is_black(rgb(image, x * (surface.width() - 1) // 8, y * (surface.height() - 1) // 8))
               for x in range(9) for y in range(9))


def test_bars_stay_black_and_the_paused_picture_is_redrawn_and_the_end_is_black(qtbot, window, video_mp4):
    surface = window.video_pane.video_surface
    window.resize(1250, 460)  # a wide video area: bars left and right
    window.open_media(str(video_mp4))
    wait_playing(qtbot, window.playback)
    window.playback.pause()
    qtbot.waitUntil(lambda: window.playback.state is PlaybackState.PAUSED)
    qtbot.waitUntil(lambda: bars_black_and_picture_drawn(surface), timeout=5000)

    window.resize(640, 760)  # paused, a tall video area: bars above and below
    qtbot.waitUntil(lambda: surface.height() > surface.width())
    qtbot.waitUntil(lambda: bars_black_and_picture_drawn(surface), timeout=5000)

    window.playback.seek(11_500)
    window.playback.play()
    qtbot.waitUntil(lambda: window.playback.state is PlaybackState.ENDED, timeout=10_000)
    qtbot.waitUntil(lambda: all_black(surface), timeout=5000)
