"""The themes' figures: for each theme, the weakest WCAG contrast of any text the
transcript view paints (and on what), the weakest for the line text alone (times and
sound lines excluded), and how far the current line is from a blue highlight (CIE76).

    python -m bench.theme_contrast          (no display needed)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from player.core.contrast import contrast_ratio, delta_e  # noqa: E402
from player.core.theme_colors import (COLOR_NUMBERS, THEMES, current_line_vs_blue, line_tint,  # noqa: E402
                                      min_contrast, text_backgrounds)


def main() -> None:
    print(f"{'theme':<14} {'pairs':>5} {'aim':>4} {'worst':>6} {'words':>6} {'ΔE now/blue':>11} {'ΔE tints':>8}"
          "  weakest pair")
    for theme in THEMES.values():
        pairs = [(contrast_ratio(background, text), what) for what, background, text in text_backgrounds(theme)]
        worst, what = min(pairs)
        words = min(ratio for ratio, what in pairs if not what.startswith("dim"))
        tints = [line_tint(theme, n) for n in COLOR_NUMBERS]
        apart = min(delta_e(a, b) for i, a in enumerate(tints) for b in tints[i + 1:])
        print(f"{theme.name:<14} {len(pairs):>5} {min_contrast(theme):>4g} {worst:>6.2f} {words:>6.2f} "
              f"{current_line_vs_blue(theme):>11.1f} {apart:>8.1f}  {what}")


if __name__ == "__main__":
    main()
