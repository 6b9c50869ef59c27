"""How readable one colour is on another: WCAG 2.x contrast ratio, CIE76 colour
difference, and the source-over blend a painter makes of a translucent fill.

Colours are (r, g, b) or (r, g, b, a) tuples of 0-255 integers, or "#rrggbb" /
"#rrggbbaa" strings. No Qt here: the theme's colours are checked without a display.
"""

from __future__ import annotations

import math

RGB = tuple[int, int, int]
RGBA = tuple[int, int, int, int]


def rgba(color: str | tuple) -> RGBA:
    """(r, g, b, a) of "#rrggbb", "#rrggbbaa" or a 3- or 4-tuple (alpha 255 when absent)."""
    if isinstance(color, str):
        digits = color.lstrip("#")
        if len(digits) not in (6, 8):
            raise ValueError(f"not a #rrggbb or #rrggbbaa colour: {color!r}")
        values = tuple(int(digits[i:i + 2], 16) for i in range(0, len(digits), 2))
    else:
        values = tuple(int(v) for v in color)
    if len(values) == 3:
        values = (*values, 255)
    if len(values) != 4 or not all(0 <= v <= 255 for v in values):
        raise ValueError(f"not a colour: {color!r}")
    return values  # type: ignore[return-value]


def rgb(color: str | tuple) -> RGB:
    return rgba(color)[:3]


def blend(top: str | tuple, bottom: str | tuple) -> RGB:
    """The opaque colour seen where `top` (with its alpha) is painted over opaque `bottom`."""
    *front, alpha = rgba(top)
    back = rgb(bottom)
    a = alpha / 255
    return tuple(round(f * a + b * (1 - a)) for f, b in zip(front, back))  # type: ignore[return-value]


def over(bottom: str | tuple, *layers: str | tuple) -> RGB:
    """`layers` painted in order over `bottom`, as a painter does it."""
    seen = rgb(bottom)
    for layer in layers:
        seen = blend(layer, seen)
    return seen


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(color: str | tuple) -> float:
    """WCAG 2.x relative luminance, 0 (black) to 1 (white)."""
    r, g, b = (_linear(c) for c in rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str | tuple, b: str | tuple) -> float:
    """WCAG 2.x contrast ratio, 1 to 21: 4.5 is the minimum for body text (AA), 7 is AAA."""
    la, lb = relative_luminance(a), relative_luminance(b)
    lighter, darker = max(la, lb), min(la, lb)
    return (lighter + 0.05) / (darker + 0.05)


def lab(color: str | tuple) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB colour."""
    r, g, b = (_linear(c) for c in rgb(color))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(a: str | tuple, b: str | tuple) -> float:
    """CIE76 colour difference: about 2.3 is just noticeable, over 20 reads as another colour."""
    return math.dist(lab(a), lab(b))
