"""WCAG contrast, colour difference, and every theme's text against every background the
transcript view paints it on (no display needed)."""

from __future__ import annotations

import pytest

from player.core.contrast import blend, contrast_ratio, delta_e, over, relative_luminance, rgba
from player.core.theme_colors import (BLUE, COLOR_NUMBERS, HIGH_CONTRAST, MIN_CONTRAST, MIN_CURRENT_VS_BLUE, THEMES,
                                      current_line_fill, current_line_vs_blue, line_tint, min_contrast,
                                      text_backgrounds)

ALL = list(THEMES.values())


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1)
    # #767676 is the lightest grey that passes AA on white; #777777 just fails.
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", "#ffffff") < 4.5
    assert relative_luminance((255, 0, 0)) == pytest.approx(0.2126)


def test_colours_are_read_from_strings_and_tuples():
    assert rgba("#102030") == (16, 32, 48, 255)
    assert rgba("#10203080") == (16, 32, 48, 128)
    assert rgba((1, 2, 3)) == (1, 2, 3, 255)
    with pytest.raises(ValueError):
        rgba("#12345")
    with pytest.raises(ValueError):
        rgba((1, 2, 300))


def test_blend_is_source_over():
    assert blend("#ffffff80", "#000000") == (128, 128, 128)
    assert blend("#ff000000", "#00ff00") == (0, 255, 0)   # transparent: the bottom shows
    assert blend("#0000ffff", "#00ff00") == (0, 0, 255)   # opaque: the top covers it
    assert over("#000000", "#ffffff80", "#ffffff80") == (192, 192, 192)   # 128, then halfway to 255


def test_delta_e_is_cie76():
    assert delta_e("#123456", "#123456") == 0
    assert delta_e("#000000", "#ffffff") == pytest.approx(100, abs=0.1)   # L* 0 to 100


@pytest.mark.parametrize("theme", ALL, ids=[t.name for t in ALL])
def test_every_text_the_transcript_paints_is_readable(theme):
    pairs = list(text_backgrounds(theme))
    # The five colours on a line and on words, each fill over each tint, the search marks.
    for needed in ("text on plain line", "text on colour 3 selected line", "dim text on colour 4 hovered line",
                   "text on colour 1 words in a colour 5 current line", "text on search match in a plain line",
                   "text on visited match in a colour 2 selected line",
                   "text on spoken fragment in a plain current line"):
        assert needed in [what for what, _background, _text in pairs]
    failing = [(what, round(contrast_ratio(background, text), 2)) for what, background, text in pairs
               if contrast_ratio(background, text) < min_contrast(theme)]
    assert failing == []


def test_high_contrast_aims_at_aaa():
    assert min_contrast(HIGH_CONTRAST) == 7
    assert all(contrast_ratio(background, text) >= 7 for _what, background, text in text_backgrounds(HIGH_CONTRAST))


@pytest.mark.parametrize("theme", ALL, ids=[t.name for t in ALL])
def test_the_window_s_own_text_is_readable(theme):
    pairs = {"window text": (theme.window, theme.window_text), "text": (theme.base, theme.text),
             "buttons": (theme.button, theme.button_text), "selection": (theme.accent, theme.accent_text),
             "quiet text (palette(mid))": (theme.window, theme.mid), "dim text": (theme.window, theme.dim_text),
             "links": (theme.base, theme.link), "tooltips": (theme.tooltip_base, theme.tooltip_text),
             "missing files": (theme.base, theme.error_text)}
    failing = {what: round(contrast_ratio(*pair), 2) for what, pair in pairs.items()
               if contrast_ratio(*pair) < MIN_CONTRAST}
    assert failing == {}


@pytest.mark.parametrize("theme", ALL, ids=[t.name for t in ALL])
def test_black_names_on_the_colour_swatches_are_readable(theme):
    # The tag manager writes a tag's colour name in black on its swatch.
    assert all(contrast_ratio(theme.highlights[n], "#000000") >= MIN_CONTRAST for n in COLOR_NUMBERS)


@pytest.mark.parametrize("theme", ALL, ids=[t.name for t in ALL])
def test_the_current_line_never_passes_for_a_blue_highlight(theme):
    assert current_line_vs_blue(theme) > MIN_CURRENT_VS_BLUE
    assert delta_e(current_line_fill(theme), line_tint(theme, BLUE)) == current_line_vs_blue(theme)


@pytest.mark.parametrize("theme", ALL, ids=[t.name for t in ALL])
def test_the_five_colours_stay_apart_as_line_tints(theme):
    tints = [line_tint(theme, n) for n in COLOR_NUMBERS]
    closest = min(delta_e(a, b) for i, a in enumerate(tints) for b in tints[i + 1:])
    assert closest > 10   # told apart at a glance


@pytest.mark.parametrize("theme", ALL, ids=[t.name for t in ALL])
def test_a_selected_highlighted_line_still_reads_as_its_colour(theme):
    # Selection over a tint: nearer that tint than any other colour's (a blue veil turned
    # a selected yellow line green), and apart from a plain selected line.
    for number in COLOR_NUMBERS:
        selected = over(line_tint(theme, number), theme.selected_line)
        nearest = min(COLOR_NUMBERS, key=lambda other: delta_e(selected, line_tint(theme, other)))
        assert nearest == number
        assert delta_e(selected, over(theme.base, theme.selected_line)) > 10
