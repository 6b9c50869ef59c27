"""Themes: light, dark and high contrast palettes (Fusion style, so every widget takes
them whole), and "System", which follows the platform's light or dark colour scheme.

The application palette is the one source of the theme: `colors_of(palette)` tells
which theme a palette belongs to, so the colours the app paints itself (highlight tints,
the current line, search matches) follow whatever palette a widget has. The colours and
their contrast checks live Qt-free in player/core/theme_colors.py.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QObject, QRect, QSize, Qt
from PySide6.QtGui import (QAction, QActionGroup, QColor, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette,
                           QPixmap)
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleFactory, QWidget

from player.core.contrast import rgba
from player.core.theme_colors import DARK, HIGH_CONTRAST, LIGHT, THEMES, ThemeColors

SETTINGS_KEY = "view/theme"
SYSTEM = "system"
CHOICES = ((SYSTEM, "&System"), (LIGHT.name, "&Light"), (DARK.name, "&Dark"),
           (HIGH_CONTRAST.name, "&High contrast"))

Role = QPalette.ColorRole
Group = QPalette.ColorGroup


def qcolor(color: str) -> QColor:
    """A QColor of "#rrggbb" or "#rrggbbaa" (Qt itself reads 8 digits as #aarrggbb)."""
    return QColor(*rgba(color))


def build_palette(theme: ThemeColors) -> QPalette:
    palette = QPalette()
    roles = {
        Role.Window: theme.window, Role.WindowText: theme.window_text, Role.Base: theme.base,
        Role.AlternateBase: theme.alternate_base, Role.Text: theme.text, Role.Button: theme.button,
        Role.ButtonText: theme.button_text, Role.BrightText: theme.error_text, Role.Highlight: theme.accent,
        Role.HighlightedText: theme.accent_text, Role.Link: theme.link, Role.LinkVisited: theme.link,
        Role.ToolTipBase: theme.tooltip_base, Role.ToolTipText: theme.tooltip_text,
        Role.PlaceholderText: theme.dim_text, Role.Light: theme.light, Role.Midlight: theme.light,
        Role.Mid: theme.mid, Role.Dark: theme.shadow, Role.Shadow: theme.shadow, Role.Accent: theme.accent,
    }
    for role, color in roles.items():
        palette.setColor(role, qcolor(color))   # every group: an unfocused window keeps its selection colour
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        palette.setColor(Group.Disabled, role, qcolor(theme.dim_text))
    palette.setColor(Group.Disabled, Role.Highlight, qcolor(theme.mid))
    return palette


_palette_cache: tuple[int, ThemeColors] | None = None


def colors_of(palette: QPalette | None = None) -> ThemeColors:
    """The theme a palette (by default the application's) was built from; a palette of
    another origin gets the light or dark theme's colours, by its base's lightness."""
    global _palette_cache
    if palette is None:
        palette = QGuiApplication.palette() if QGuiApplication.instance() is not None else QPalette()
    key = palette.cacheKey()
    if _palette_cache is not None and _palette_cache[0] == key:
        return _palette_cache[1]
    base, text = palette.color(Role.Base).name(), palette.color(Role.Text).name()
    theme = next((t for t in THEMES.values() if (t.base, t.text) == (base, text)), None)
    if theme is None:
        theme = DARK if palette.color(Role.Base).lightness() < 128 else LIGHT
    _palette_cache = (key, theme)
    return theme


def theme_for(choice: str, scheme: Qt.ColorScheme) -> ThemeColors:
    """The theme a choice means under the platform's colour scheme."""
    if choice == SYSTEM:
        return DARK if scheme == Qt.ColorScheme.Dark else LIGHT
    return THEMES.get(choice, LIGHT)


class _GlyphIconEngine(QIconEngine):
    """A grey glyph (Fusion's play, pause, volume...) drawn in the button text colour of the
    application's palette as it is when drawn: dark on light themes, light on dark ones."""

    def __init__(self, glyph: QIcon) -> None:
        super().__init__()
        self._glyph = glyph

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        source = self._glyph.pixmap(size, QIcon.Mode.Normal, state)
        if source.isNull():
            return source
        group = Group.Disabled if mode == QIcon.Mode.Disabled else Group.Active
        tinted = QPixmap(source.size())
        tinted.setDevicePixelRatio(source.devicePixelRatio())
        tinted.fill(Qt.GlobalColor.transparent)
        painter = QPainter(tinted)
        painter.drawPixmap(0, 0, source)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
        painter.fillRect(tinted.rect(), QGuiApplication.palette().color(group, Role.ButtonText))
        painter.end()
        return tinted

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        painter.drawPixmap(rect, self.pixmap(rect.size(), mode, state))

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:  # noqa: N802
        return self._glyph.actualSize(size, mode, state)

    def clone(self) -> QIconEngine:
        return _GlyphIconEngine(self._glyph)


def _is_glyph(icon: QIcon) -> bool:
    """Grey only (no colour): a glyph to draw in the text colour, unlike a coloured icon."""
    image = icon.pixmap(16, 16).toImage()
    if image.isNull():
        return False
    if image.allGray():   # exactly grey: Qt answers in C++, at once (the loop below is ~0.5 ms an icon)
        return True
    for y in range(image.height()):
        for x in range(image.width()):
            color = image.pixelColor(x, y)
            if color.alpha() > 40 and max(color.red(), color.green(), color.blue()) \
                    - min(color.red(), color.green(), color.blue()) > 16:
                return False
    return True


def themed_icon(icon: QIcon) -> QIcon:
    """The icon drawn in the theme's text colour if it is a grey glyph, else as it is."""
    if icon.isNull():
        return icon
    return QIcon(_GlyphIconEngine(icon)) if _is_glyph(icon) else icon


class ThemedStyle(QProxyStyle):
    """Fusion, whose standard glyph icons follow the palette."""

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))
        self.setObjectName("themedFusion")

    def standardIcon(self, pixmap: QStyle.StandardPixmap, option=None, widget: QWidget | None = None) -> QIcon:  # noqa: N802
        return themed_icon(super().standardIcon(pixmap, option, widget))

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option, painter: QPainter,  # noqa: N802
                      widget: QWidget | None = None) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element == QStyle.PrimitiveElement.PE_FrameLineEdit and colors_of(option.palette) is HIGH_CONTRAST:
            painter.save()   # a text field's edge: black on black too
            painter.setPen(qcolor(HIGH_CONTRAST.mid))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(option.rect.adjusted(0, 0, -1, -1))
            painter.restore()

    def drawComplexControl(self, control: QStyle.ComplexControl, option, painter: QPainter,  # noqa: N802
                           widget: QWidget | None = None) -> None:
        super().drawComplexControl(control, option, painter, widget)
        # Fusion edges grooves and scroll bar handles in a darker shade of the window:
        # on high contrast's black that is black. Edge them in the theme's frame colour.
        parts = _HIGH_CONTRAST_EDGED.get(control, ())
        if not parts or colors_of(option.palette) is not HIGH_CONTRAST:
            return
        painter.save()
        painter.setPen(qcolor(HIGH_CONTRAST.mid))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for part in parts:
            rect = self.subControlRect(control, option, part, widget)
            if rect.isValid():
                painter.drawRect(rect.adjusted(0, 0, -1, -1))
        painter.restore()


_HIGH_CONTRAST_EDGED = {
    QStyle.ComplexControl.CC_Slider: (QStyle.SubControl.SC_SliderGroove, QStyle.SubControl.SC_SliderHandle),
    QStyle.ComplexControl.CC_ScrollBar: (QStyle.SubControl.SC_ScrollBarSlider,),
}


_style: ThemedStyle | None = None


def apply_theme(theme: ThemeColors) -> None:
    global _style
    app = QApplication.instance()
    if not isinstance(app.style(), ThemedStyle):
        _style = ThemedStyle()   # Fusion: native styles ignore parts of a palette
        app.setStyle(_style)
    app.setPalette(build_palette(theme))
    for widget in app.allWidgets():
        if widget.styleSheet():
            # A style sheet's widget keeps the palette it was polished with: polish it again.
            widget.setStyleSheet(widget.styleSheet())


class Themes(QObject):
    """View ▸ Theme: System / Light / Dark / High contrast, remembered in the settings and
    applied before the window first shows."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self._window = window
        self._settings = window.settings
        choice = str(self._settings.value(SETTINGS_KEY, SYSTEM))
        self.choice = choice if choice == SYSTEM or choice in THEMES else SYSTEM
        self.menu = window.view_menu.addMenu("&Theme")
        self._group = QActionGroup(self)
        self._group.setExclusive(True)
        self.actions: dict[str, QAction] = {}
        for name, text in CHOICES:
            action = window.add_action(f"theme_{name}", text, [], partial(self.choose, name), checkable=True,
                                       group="View")
            self._group.addAction(action)
            self.menu.addAction(action)
            self.actions[name] = action
        self.actions[self.choice].setChecked(True)
        self._scheme = QGuiApplication.styleHints().colorScheme()
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_scheme_changed)
        self.apply()
        for action in window.actions():   # made before the themed style was there
            action.setIcon(themed_icon(action.icon()))

    @property
    def theme(self) -> ThemeColors:
        return theme_for(self.choice, self._scheme)

    def choose(self, choice: str) -> None:
        self.choice = choice
        self.actions[choice].setChecked(True)
        self._settings.setValue(SETTINGS_KEY, choice)
        self.apply()
        self._refill()

    def apply(self) -> None:
        hints = QGuiApplication.styleHints()
        if self.choice == SYSTEM:
            hints.setColorScheme(Qt.ColorScheme.Unknown)   # the platform's own again
            self._scheme = hints.colorScheme()
        else:
            # Where the platform takes the request (Windows, macOS), title bars and its
            # native dialogs match the chosen theme too.
            hints.setColorScheme(Qt.ColorScheme.Dark if self.theme.dark else Qt.ColorScheme.Light)
        apply_theme(self.theme)

    def _on_scheme_changed(self, scheme: Qt.ColorScheme) -> None:
        # While a theme is chosen, the scheme reported is the one requested: not followed.
        if self.choice == SYSTEM:
            self._scheme = scheme
            apply_theme(self.theme)
            self._refill()

    def _refill(self) -> None:
        """Lists whose items were given colours when filled take the new ones."""
        panel = self._window.highlights_panel
        panel.set_color_meanings(panel.color_meanings)
        tag_manager = self._window.library_actions.tag_manager
        if tag_manager is not None and tag_manager.isVisible():
            tag_manager.refresh()   # its colour swatches
