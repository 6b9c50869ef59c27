"""The colours of each theme (light, dark, high contrast), without Qt: the window's
palette is built from them (player/ui/themes.py) and the transcript view paints with
them, so the contrast checks here are checks of what is on screen.

`text_backgrounds(theme)` lists every (background, text) pair the transcript view can
paint, built the way it paints: a highlighted line's tint over the base, then the
current/selected/hover fill over that, then word marks (highlighted words, the spoken
fragment, search matches) over the row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from player.core.contrast import RGB, blend, contrast_ratio, delta_e, over

# How strongly the transcript view lays a highlight's colour over a line, and over the
# highlighted words of a line (0-255): painted with these alphas over the row.
LINE_TINT_ALPHA = 70
WORDS_TINT_ALPHA = 110

COLOR_NUMBERS = (1, 2, 3, 4, 5)   # yellow, green, blue, pink, orange
BLUE = 3

MIN_CONTRAST = 4.5        # WCAG AA, body text
MIN_CONTRAST_HIGH = 7.0   # WCAG AAA: the high contrast theme's aim
MIN_CURRENT_VS_BLUE = 20  # CIE76: the current line must not pass for a blue highlight


@dataclass(frozen=True)
class ThemeColors:
    """One theme. Plain colours are "#rrggbb"; fills laid over something are "#rrggbbaa"."""

    name: str
    title: str
    dark: bool
    window: str
    window_text: str
    base: str
    alternate_base: str
    text: str
    dim_text: str          # times, sounds ([music]), disabled items, placeholders
    button: str
    button_text: str
    accent: str            # the selection colour of lists and menus, the current line's edge
    accent_text: str       # text on the accent
    light: str             # Fusion draws bevels and frames from light/mid/shadow
    # mid is also quiet text ("palette(mid)" in style sheets): readable on the window
    mid: str
    shadow: str
    link: str
    tooltip_base: str
    tooltip_text: str
    error_text: str        # a missing file in a list
    # The learner's five colours as swatches (seek bar marks, the line's edge band, the
    # Highlights tab); lines and words are tinted with them at the alphas above.
    highlights: dict[int, str] = field(default_factory=dict)
    current_line: str = ""     # fill of the line being spoken (over a tint, if any)
    selected_line: str = ""    # fill of selected lines: a neutral veil, so a tint keeps its hue
    selected_outline: str = ""
    hover: str = ""
    spoken_fragment: str = ""  # the spoken fragment inside a paragraph
    match: str = ""            # a search match
    visited_match: str = ""    # the match being visited


LIGHT = ThemeColors(
    name="light", title="Light", dark=False,
    window="#efefef", window_text="#1b1b1b", base="#ffffff", alternate_base="#f6f6f6", text="#1b1b1b",
    dim_text="#525252", button="#e9e9e9", button_text="#1b1b1b", accent="#1f6cb0", accent_text="#ffffff",
    light="#ffffff", mid="#6b6b6b", shadow="#7a7a7a", link="#1a5fa6", tooltip_base="#fffbe0",
    tooltip_text="#1b1b1b", error_text="#b00020",
    highlights={1: "#ffd54f", 2: "#81c784", 3: "#64b5f6", 4: "#f06292", 5: "#ff7a2e"},
    current_line="#9a6ae070", selected_line="#10203014", selected_outline="#1f6cb0", hover="#1f6cb012",
    spoken_fragment="#7e57c280", match="#ffd60a8c", visited_match="#ff8c00c8",
)

DARK = ThemeColors(
    name="dark", title="Dark", dark=True,
    window="#26282b", window_text="#e8e8e8", base="#1c1d1f", alternate_base="#25272a", text="#e8e8e8",
    dim_text="#bdc0c4", button="#33363a", button_text="#e8e8e8", accent="#2f71c0", accent_text="#ffffff",
    light="#4a4e53", mid="#9a9ea4", shadow="#101112", link="#7fb6ff", tooltip_base="#33363a",
    tooltip_text="#e8e8e8", error_text="#ff8a80",
    # Darker and less bright than the light theme's: tints stay dark under light text.
    highlights={1: "#a3821c", 2: "#4a9a4e", 3: "#4a86d6", 4: "#d0587f", 5: "#c85a28"},
    current_line="#7a52c880", selected_line="#ffffff14", selected_outline="#6aa5ee", hover="#ffffff10",
    spoken_fragment="#4a22a8c8", match="#7a5f00d8", visited_match="#9a4a00e8",
)

HIGH_CONTRAST = ThemeColors(
    name="high-contrast", title="High contrast", dark=True,
    window="#000000", window_text="#ffffff", base="#000000", alternate_base="#0d0d0d", text="#ffffff",
    dim_text="#d6d6d6", button="#000000", button_text="#ffffff", accent="#ffff00", accent_text="#000000",
    light="#ffffff", mid="#bfbfbf", shadow="#ffffff", link="#66e0ff", tooltip_base="#000000",
    tooltip_text="#ffffff", error_text="#ff9e9e",
    highlights={1: "#948400", 2: "#169a2c", 3: "#2f6fef", 4: "#d03a84", 5: "#c06a00"},
    current_line="#5a0fa0d0", selected_line="#ffffff0c", selected_outline="#ffff00", hover="#ffffff0a",
    spoken_fragment="#3c0a78", match="#5e4700", visited_match="#7f2e00",
)

THEMES: dict[str, ThemeColors] = {theme.name: theme for theme in (LIGHT, DARK, HIGH_CONTRAST)}


def line_tint(theme: ThemeColors, number: int) -> RGB:
    """A whole highlighted line's background."""
    return blend(_with_alpha(theme.highlights[number], LINE_TINT_ALPHA), theme.base)


def current_line_fill(theme: ThemeColors) -> RGB:
    return over(theme.base, theme.current_line)


def min_contrast(theme: ThemeColors) -> float:
    return MIN_CONTRAST_HIGH if theme is HIGH_CONTRAST else MIN_CONTRAST


def _with_alpha(color: str, alpha: int) -> str:
    return f"{color[:7]}{alpha:02x}"


def row_backgrounds(theme: ThemeColors) -> Iterator[tuple[str, RGB]]:
    """Every background a line can have: (what, colour)."""
    tints = [("", theme.base)] + [(f"colour {n} ", blend(_with_alpha(theme.highlights[n], LINE_TINT_ALPHA),
                                                         theme.base)) for n in COLOR_NUMBERS]
    for tint_name, tinted in tints:
        yield f"{tint_name or 'plain '}line", tinted
        for state, fill in (("current", theme.current_line), ("selected", theme.selected_line),
                            ("hovered", theme.hover)):
            yield f"{tint_name or 'plain '}{state} line", over(tinted, fill)


def text_backgrounds(theme: ThemeColors) -> Iterator[tuple[str, RGB, str]]:
    """Every (what, background, text colour) the transcript view paints text with.

    Times and sound lines ([music]) are in the dim colour except on the current line."""
    for what, row in row_backgrounds(theme):
        current = "current" in what
        colors = [theme.text] if current else [theme.text, theme.dim_text]
        marks = [(f"colour {n} words", blend(_with_alpha(theme.highlights[n], WORDS_TINT_ALPHA), row))
                 for n in COLOR_NUMBERS]
        marks += [("search match", blend(theme.match, row)), ("visited match", blend(theme.visited_match, row))]
        if what == "plain current line":   # paragraphs (never tinted whole) mark the spoken fragment
            marks.append(("spoken fragment", blend(theme.spoken_fragment, row)))
        for text in colors:
            label = "dim text" if text == theme.dim_text else "text"
            yield f"{label} on {what}", row, text
            if text == theme.text:   # words are marked inside the line's own text, not its time
                for mark, background in marks:
                    yield f"{label} on {mark} in a {what}", background, text


def worst_contrast(theme: ThemeColors) -> tuple[float, str]:
    return min((contrast_ratio(background, text), what) for what, background, text in text_backgrounds(theme))


def current_line_vs_blue(theme: ThemeColors) -> float:
    """How far the current line's fill is from a blue-highlighted line (CIE76)."""
    return delta_e(current_line_fill(theme), line_tint(theme, BLUE))
