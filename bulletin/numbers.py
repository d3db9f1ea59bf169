"""The per-cent rule of every output, in a module of its own that imports nothing of the
package, so that the figure registry (`bulletin.figures`) makes a rate by it and the table
writer (`bulletin.tables`, the home of the number rule, which uses these) prints it.

A per cent is rounded to one decimal as a reader rounds, a half up (四舍五入), and printed
without a trailing .0 (7%, 7.5%).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def rounded(value: float, places: int) -> float:
    """`value` to `places` decimals, a half rounded up (四舍五入: 66.25 → 66.3), as a reader
    rounds; not Python's round(), which rounds a half to even."""
    exact = Decimal(repr(float(value)))
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def percent(actual: float | int, target: float | int) -> float:
    """Per cent reached, to one decimal, a half up: 7, 7.5, 112.3."""
    return rounded(actual / target * 100, 1)


def percent_text(value: float) -> str:
    """A per cent as printed everywhere: 7%, 7.5% (no trailing .0)."""
    return f"{value:g}%"
