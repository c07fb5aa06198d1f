"""Code colours: the only colours the window sets itself; everything else is the palette."""

from __future__ import annotations

from PySide6.QtGui import QColor

# For codes saved without a colour: distinct, medium-light hues readable under dark text.
FALLBACK = ("#e8a33d", "#5b9bd5", "#7cb861", "#c86fa6", "#4fb3c8", "#ef8a62", "#9d84d6", "#c2b04a",
            "#6fbf9f", "#d9736f")


def code_color(color: str | None, code_id: int) -> QColor:
    c = QColor(color) if color else QColor()
    return c if c.isValid() else QColor(FALLBACK[code_id % len(FALLBACK)])


def text_on(background: QColor) -> QColor:
    """Black or white, whichever reads better on ``background`` (WCAG relative luminance)."""
    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * lin(background.redF()) + 0.7152 * lin(background.greenF()) + 0.0722 * lin(background.blueF())
    return QColor(0, 0, 0) if lum > 0.33 else QColor(255, 255, 255)


def blend(colors: list[QColor]) -> QColor:
    """The mean of several code colours: where codings overlap, the highlight mixes them."""
    n = len(colors)
    return QColor(sum(c.red() for c in colors) // n, sum(c.green() for c in colors) // n,
                  sum(c.blue() for c in colors) // n)
