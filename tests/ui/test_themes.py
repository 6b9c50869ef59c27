"""View ▸ Theme: the palettes, what the app paints itself, the choice kept, System following
the platform's colour scheme."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from player.core.contrast import blend, delta_e, over
from player.core.theme_colors import DARK, HIGH_CONTRAST, LIGHT, THEMES, current_line_fill, line_tint
from player.core.transcript import Segment, Transcript
from player.ui.themes import SETTINGS_KEY, ThemedStyle, apply_theme, colors_of, qcolor, theme_for

Role = QPalette.ColorRole


@pytest.fixture(autouse=True)
def restore_app_theme():
    """Themes change the whole application: leave it as the next test expects it."""
    app = QApplication.instance()
    palette = QPalette(app.palette())
    yield
    app.setPalette(palette)   # the style stays: Fusion, as any window sets it
    QGuiApplication.styleHints().setColorScheme(Qt.ColorScheme.Unknown)


def rgb_of(color: QColor) -> tuple[int, int, int]:
    return color.red(), color.green(), color.blue()


def close(a, b, tolerance=2) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b))


def base_rgb() -> tuple[int, int, int]:
    return rgb_of(QApplication.palette().color(Role.Base))


def choose(qtbot, window, name: str) -> None:
    """View ▸ Theme ▸ name, and wait for the widgets to take the palette (Qt posts that)."""
    window.actions_by_name[f"theme_{name}"].trigger()
    wanted = qcolor(THEMES[name].base)
    qtbot.waitUntil(lambda: window.transcript_view.palette().color(Role.Base) == wanted)


def test_each_theme_sets_the_application_palette(qtbot):
    for theme in THEMES.values():
        apply_theme(theme)
        palette = QApplication.palette()
        assert palette.color(Role.Base) == qcolor(theme.base)
        assert palette.color(Role.Text) == qcolor(theme.text)
        assert palette.color(Role.Highlight) == qcolor(theme.accent)
        assert palette.color(QPalette.ColorGroup.Disabled, Role.Text) == qcolor(theme.dim_text)
        assert isinstance(QApplication.style(), ThemedStyle)
        assert QApplication.style().baseStyle().name().lower() == "fusion"
        assert colors_of() is theme and colors_of(palette) is theme


def test_a_palette_of_another_origin_gets_light_or_dark_colours():
    dark = QPalette(QColor("#333333"))
    dark.setColor(Role.Base, QColor("#202020"))
    light = QPalette(QColor("#dddddd"))
    light.setColor(Role.Base, QColor("#fafafa"))
    assert colors_of(dark) is DARK and colors_of(light) is LIGHT


def test_system_maps_the_platform_s_scheme():
    assert theme_for("system", Qt.ColorScheme.Dark) is DARK
    assert theme_for("system", Qt.ColorScheme.Light) is LIGHT
    assert theme_for("system", Qt.ColorScheme.Unknown) is LIGHT
    assert theme_for("high-contrast", Qt.ColorScheme.Light) is HIGH_CONTRAST
    assert theme_for("dark", Qt.ColorScheme.Light) is DARK
    assert theme_for("no such theme", Qt.ColorScheme.Dark) is LIGHT


def test_view_theme_menu_holds_four_exclusive_choices(window):
    menu = window.themes.menu
    assert menu.menuAction() in window.view_menu.actions()
    names = [action.objectName() for action in menu.actions()]
    assert names == ["theme_system", "theme_light", "theme_dark", "theme_high-contrast"]
    assert all(action.isCheckable() for action in menu.actions())
    window.actions_by_name["theme_dark"].trigger()
    window.actions_by_name["theme_high-contrast"].trigger()
    assert [a.isChecked() for a in menu.actions()] == [False, False, False, True]
    assert base_rgb() == (0, 0, 0)


def test_switching_themes_repaints_what_the_app_draws_itself(qtbot, window):
    from player.ui.annotations import HIGHLIGHT_COLORS
    from player.ui.transcript_view import _current_line_color, _hover_color, _spoken_fragment_color

    seen = {}
    for name in ("light", "dark", "high-contrast"):
        choose(qtbot, window, name)
        palette = window.transcript_view.palette()
        seen[name] = (rgb_of(palette.color(Role.Base)), _current_line_color(palette).rgba(),
                      _hover_color(palette).rgba(), _spoken_fragment_color(palette).rgba(),
                      HIGHLIGHT_COLORS[1].rgba())
        assert HIGHLIGHT_COLORS[1] == qcolor(THEMES[name].highlights[1])
    for a, b in (("light", "dark"), ("dark", "high-contrast"), ("light", "high-contrast")):
        assert all(x != y for x, y in zip(seen[a], seen[b])), (a, b)


def test_style_sheet_widgets_take_the_new_palette(window):
    # The lecture's title has a style sheet: without being polished again it kept black text.
    window.actions_by_name["theme_dark"].trigger()
    assert window.title_label.palette().color(Role.WindowText) == qcolor(DARK.window_text)
    window.actions_by_name["theme_light"].trigger()
    assert window.title_label.palette().color(Role.WindowText) == qcolor(LIGHT.window_text)


def icon_lightness(action) -> float:
    image = action.icon().pixmap(16, 16).toImage()
    values = [image.pixelColor(x, y).lightness() for y in range(16) for x in range(16)
              if image.pixelColor(x, y).alpha() > 200]
    assert values, "the icon draws nothing"
    return sum(values) / len(values)


def test_glyph_icons_are_drawn_in_the_theme_s_text_colour(window):
    window.actions_by_name["theme_light"].trigger()
    assert icon_lightness(window.actions_by_name["back"]) < 80
    window.actions_by_name["theme_dark"].trigger()
    assert icon_lightness(window.actions_by_name["back"]) > 180   # the same icon, drawn now
    assert icon_lightness(window.actions_by_name["play"]) > 180


def test_the_choice_is_kept_for_the_next_window(qtbot, settings, library_path):
    from player.playback.vlc import VlcPlayback
    from player.ui.main_window import MainWindow

    first = MainWindow(VlcPlayback(), settings, library_path=library_path)
    qtbot.addWidget(first)
    first.actions_by_name["theme_dark"].trigger()
    first.close()
    apply_theme(LIGHT)   # as a fresh start would find it
    assert settings.value(SETTINGS_KEY) == "dark"

    again = MainWindow(VlcPlayback(), QSettings(settings.fileName(), QSettings.Format.IniFormat),
                       library_path=library_path)
    qtbot.addWidget(again)
    # Applied while the window is made: it never shows in the light theme first.
    assert not again.isVisible() and base_rgb() == (0x1c, 0x1d, 0x1f)
    assert again.actions_by_name["theme_dark"].isChecked()


def test_system_follows_a_changed_colour_scheme(window):
    hints = QGuiApplication.styleHints()
    window.actions_by_name["theme_system"].trigger()
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert base_rgb() == (0x1c, 0x1d, 0x1f)
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert base_rgb() == (255, 255, 255)
    window.actions_by_name["theme_high-contrast"].trigger()
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)   # a chosen theme stays
    assert base_rgb() == (0, 0, 0)


# --- what the transcript view paints, pixel by pixel --------------------------------

def shown_view(qtbot, lines: int = 6):
    from player.ui.transcript_view import TranscriptView

    view = TranscriptView()
    qtbot.addWidget(view)
    view.resize(500, 400)
    view.set_transcript(Transcript([Segment(i * 1000, i * 1000 + 1000, f"Line {i}.") for i in range(lines)]))
    view.show()
    qtbot.waitExposed(view)
    return view


def row_pixel(view, row: int) -> tuple[int, int, int]:
    """A pixel of the row's background, away from text, edges and the colour band."""
    rect = view.visualRect(view.model().index(row))
    image = view.viewport().grab(rect).toImage()
    return rgb_of(image.pixelColor(image.width() - 40, image.height() // 2))


@pytest.mark.parametrize("name", list(THEMES))
def test_line_backgrounds_are_the_checked_colours(qtbot, name):
    from PySide6.QtCore import QItemSelectionModel

    theme = THEMES[name]
    apply_theme(theme)
    view = shown_view(qtbot)
    view.set_highlights([(1000, 2000, 3, ""), (3000, 4000, 1, "")])   # lines 1 (blue) and 3 (yellow)
    qtbot.waitUntil(lambda: view.highlight_color(3) == 1)
    view.set_current_row(5)
    selection = view.selectionModel()
    for row in (2, 3):
        selection.select(view.model().index(row), QItemSelectionModel.SelectionFlag.Select)

    assert close(row_pixel(view, 0), over(theme.base))
    assert close(row_pixel(view, 1), line_tint(theme, 3))
    assert close(row_pixel(view, 5), current_line_fill(theme))
    plain_selected, tinted_selected = row_pixel(view, 2), row_pixel(view, 3)
    assert close(plain_selected, over(theme.base, theme.selected_line))
    assert close(tinted_selected, over(line_tint(theme, 1), theme.selected_line))
    # A selected highlighted line keeps its colour: nearer its tint than a plain selected line.
    assert delta_e(tinted_selected, line_tint(theme, 1)) < delta_e(tinted_selected, plain_selected)
    assert delta_e(tinted_selected, plain_selected) > 5


@pytest.mark.parametrize("name", list(THEMES))
def test_highlighted_words_are_the_checked_colour(qtbot, name):
    """The words of a highlight made inside a line are tinted as core/theme_colors says (one
    source for the alphas, which the contrast checks use)."""
    from player.core.theme_colors import WORDS_TINT_ALPHA

    theme = THEMES[name]
    apply_theme(theme)
    view = shown_view(qtbot)
    view.set_transcript(Transcript([Segment(0, 4000, "Some words then the highlighted words here.")]))
    view.set_highlights([(2000, 4000, 2, "")])   # the second half of the line's words
    qtbot.waitUntil(lambda: view.text_tints(0) != [])
    image = view.viewport().grab(view.visualRect(view.model().index(0))).toImage()
    words = blend(theme.highlights[2][:7] + f"{WORDS_TINT_ALPHA:02x}", theme.base)
    assert sum(close(rgb_of(image.pixelColor(x, y)), words, 1)
               for y in range(image.height()) for x in range(image.width())) > 1000


def test_the_current_line_and_a_blue_line_look_different_on_screen(qtbot):
    for theme in THEMES.values():
        apply_theme(theme)
        view = shown_view(qtbot)
        view.set_highlights([(1000, 2000, 3, "")])
        qtbot.waitUntil(lambda shown=view: shown.highlight_color(1) == 3)
        view.set_current_row(4)
        assert delta_e(row_pixel(view, 4), row_pixel(view, 1)) > 20, theme.name


def test_seek_bar_marks_use_the_theme_s_colours(qtbot):
    from player.ui.transport import SeekSlider

    for theme in (LIGHT, DARK):
        apply_theme(theme)
        bar = SeekSlider(Qt.Orientation.Horizontal)
        qtbot.addWidget(bar)
        bar.resize(400, 24)
        bar.setRange(0, 10_000)
        bar.set_marks([(2000, 6000, 5)])
        bar.show()
        qtbot.waitExposed(bar)
        image = bar.grab().toImage()
        x, y = int(image.width() * 0.4), image.height() - 1
        assert close(rgb_of(image.pixelColor(x, y)), blend(theme.highlights[5], theme.window), 0), theme.name


@pytest.mark.parametrize("name", list(THEMES))
def test_a_missing_file_in_the_library_is_readable(tmp_path, name):
    from player.core.contrast import contrast_ratio
    from player.core.library import Library
    from player.ui.library_window import LibraryWindow

    apply_theme(THEMES[name])
    media = tmp_path / "gone.mp4"
    media.write_bytes(bytes(range(256)) * 100)
    with Library.open(tmp_path / "library.sqlite") as library:
        lecture = library.import_lecture(media, title="Gone")
    media.unlink()
    file_item = LibraryWindow._row_items(lecture)[1]
    color = rgb_of(file_item.foreground().color())
    assert contrast_ratio(color, THEMES[name].base) >= 4.5   # dark red was 1.5 on dark, 1.9 on black


def test_high_contrast_edges_what_fusion_draws_black_on_black(qtbot):
    from PySide6.QtWidgets import QLineEdit, QSlider

    def edge_pixels(widget) -> int:
        qtbot.addWidget(widget)
        widget.resize(200, 28)
        widget.show()
        qtbot.waitExposed(widget)
        image = widget.grab().toImage()
        edge = qcolor(HIGH_CONTRAST.mid)
        return sum(image.pixelColor(x, y) == edge for y in range(image.height()) for x in range(image.width()))

    apply_theme(HIGH_CONTRAST)
    slider = QSlider(Qt.Orientation.Horizontal)
    slider.setRange(0, 100)
    slider.setValue(30)
    assert edge_pixels(slider) > 200   # the groove's outline, the handle's
    assert edge_pixels(QLineEdit()) > 2 * 200
    apply_theme(DARK)
    assert edge_pixels(QLineEdit()) == 0   # only high contrast needs it


def test_the_highlights_tab_takes_the_new_colours(qtbot, window):
    from player.core.library import Highlight
    from player.ui.highlights_panel import COLOR

    window.highlights_panel.show_highlights([Highlight(id=1, lecture_id=1, start_ms=0, end_ms=2000, color=2, tags=(),
                                                       note=None, created_at="", updated_at="", text="Green.")])
    for name in ("dark", "high-contrast", "light"):
        choose(qtbot, window, name)
        item = window.highlights_panel.tree.topLevelItem(0)
        assert item.background(COLOR).color() == qcolor(THEMES[name].highlights[2])


@pytest.mark.parametrize("name", list(THEMES))
def test_the_second_line_of_the_spoken_line_is_in_the_text_colour(qtbot, name):
    """The quiet colour of the second transcript's line fell under 4.5:1 on the spoken line
    (3.8 on a pink line in light, 4.4 on a blue one in dark): there it takes the text colour,
    as the time does; on other lines it stays quiet."""
    from player.core.contrast import contrast_ratio
    from player.core.theme_colors import min_contrast, row_backgrounds

    theme = THEMES[name]
    apply_theme(theme)
    view = shown_view(qtbot)
    view.set_second_lines([f"Ligne {i}." for i in range(6)])
    view.set_highlights([(1000, 2000, 4, "")])
    qtbot.waitUntil(lambda: view.highlight_color(1) == 4)
    view.set_current_row(1)

    def pixels(row: int, color: str) -> int:
        image = view.viewport().grab(view.visualRect(view.model().index(row))).toImage()
        wanted = qcolor(color).rgb()
        return sum(image.pixel(x, y) == wanted for y in range(image.height()) for x in range(image.width()))
    qtbot.waitUntil(lambda: pixels(2, theme.dim_text) > 0)   # laid out with its second line, quiet
    assert pixels(1, theme.dim_text) == 0
    assert min(contrast_ratio(background, theme.text) for what, background in row_backgrounds(theme)
               if "current" in what) >= min_contrast(theme)


def test_an_open_tag_manager_takes_the_new_swatch_colours(qtbot, window, tmp_path):
    from player.ui.tag_manager import COLOR

    media = tmp_path / "lecture.mp4"
    media.write_bytes(b"lecture bytes " * 4000)
    annotations = window.annotations
    with qtbot.waitSignal(annotations.lecture_ready, timeout=10_000):
        annotations.open_lecture(str(media), None)
    annotations.library.add_highlight(annotations.lecture.id, 1000, 2000, 2, ["exam"])
    annotations.library.recolor_tag("exam", 2)
    window.library_actions.manage_tags()
    manager = window.library_actions.tag_manager
    qtbot.waitUntil(manager.isVisible)
    for name in ("dark", "high-contrast", "light"):
        choose(qtbot, window, name)
        assert manager.table.item(0, COLOR).background().color() == qcolor(THEMES[name].highlights[2]), name
