"""The app icon: PNGs at every size a desktop asks for, drawn from the SVG, in the window."""

import importlib.util
from pathlib import Path

from PySide6.QtGui import QImage

from player.ui.about import app_icon

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "render_icons.py"


def _render_icons():
    spec = importlib.util.spec_from_file_location("render_icons", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_pngs_are_the_svg_drawn_at_each_size(qapp):
    """Regenerate with scripts/render_icons.py after editing the SVG."""
    render_icons = _render_icons()
    for size in render_icons.SIZES:
        png = QImage(str(render_icons.png_path(size))).convertToFormat(QImage.Format.Format_ARGB32)
        fresh = render_icons.render(size)
        assert (png.width(), png.height()) == (size, size)
        worst = max(abs(a - b) for y in range(size) for x in range(size)
                    for a, b in zip(png.pixelColor(x, y).getRgb(), fresh.pixelColor(x, y).getRgb()))
        assert worst <= 8, f"{size} px icon differs from the SVG by {worst}: run scripts/render_icons.py"


def test_the_app_icon_has_every_size(qapp):
    sizes = sorted(size.width() for size in app_icon().availableSizes())
    assert sizes == [16, 22, 24, 32, 48, 64, 128, 256]
    assert not app_icon().pixmap(48, 48).isNull()
