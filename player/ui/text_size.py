"""The transcript's text size: larger, smaller, normal (View menu, Ctrl+= / Ctrl+- / Ctrl+0,
Ctrl+wheel over the lines), remembered between sessions."""

from __future__ import annotations

import bisect

SETTING = "view/text_scale"
# From small print to reading across a room; 1.0 is the system's size.
STEPS = (0.7, 0.8, 0.9, 1.0, 1.1, 1.25, 1.4, 1.6, 1.8, 2.0, 2.25, 2.5)


class TextSize:
    """Built once by the window: its actions, and the size restored from the settings."""

    def __init__(self, window) -> None:
        self._view = window.transcript_view
        self._settings = window.settings
        add = window.add_action
        actions = [add("text_larger", "Larger text", ["Ctrl+=", "Ctrl++"], lambda: self.step(1), group="View"),
                   add("text_smaller", "Smaller text", ["Ctrl+-"], lambda: self.step(-1), group="View"),
                   add("text_normal", "Normal text size", ["Ctrl+0"], lambda: self.set_scale(1.0), group="View")]
        window.view_menu.addSeparator()
        for action in actions:
            window.view_menu.addAction(action)
        self._view.text_zoom_requested.connect(self.step)
        saved = self._settings.value(SETTING, 1.0)
        try:
            self.set_scale(float(saved), remember=False)
        except (TypeError, ValueError):   # a settings file edited by hand
            self.set_scale(1.0, remember=False)

    @property
    def scale(self) -> float:
        return self._view.text_scale

    def step(self, direction: int) -> None:
        """One step larger (+1) or smaller (-1), from whatever size is shown."""
        scale = self.scale
        if direction > 0:
            index = bisect.bisect_right(STEPS, scale + 1e-6)
        else:
            index = bisect.bisect_left(STEPS, scale - 1e-6) - 1
        self.set_scale(STEPS[max(0, min(len(STEPS) - 1, index))])

    def set_scale(self, factor: float, remember: bool = True) -> None:
        factor = max(STEPS[0], min(STEPS[-1], factor))
        self._view.set_text_scale(factor)
        if remember:
            self._settings.setValue(SETTING, factor)
