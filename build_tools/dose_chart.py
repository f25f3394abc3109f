"""The dosing chart's geometry: each regimen's mg/kg/h range on one logarithmic axis (hand-drawn SVG)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from build_tools.dosing import format_range

WIDTH, LEFT, RIGHT, TOP, ROW, BOTTOM = 760, 230, 110, 40, 26, 44


def _x(value: float, lo: float, hi: float) -> float:
    """Horizontal position of a rate on the log axis."""
    span = WIDTH - LEFT - RIGHT
    return round(LEFT + span * (math.log10(value) - math.log10(lo)) /
                 (math.log10(hi) - math.log10(lo)), 1)


def dosing_figure(bars: Sequence[tuple[str, float | None, float | None]]) -> dict[str, Any]:
    """Coordinates for the SVG template: one row per study, ticks at powers of ten."""
    values = [v for _, low, high in bars for v in (low, high) if v]
    lo = 10 ** math.floor(math.log10(min(values))) if values else 0.01
    hi = 10 ** math.ceil(math.log10(max(values))) if values else 10.0
    if hi <= lo:
        hi = lo * 10
    ordered = sorted(bars, key=lambda b: (b[2] if b[2] is not None else b[1] or 0, b[0]))
    rows = []
    for i, (label, low, high) in enumerate(ordered):
        y = TOP + i * ROW + ROW // 2
        start = _x(low, lo, hi) if low else None
        end = _x(high, lo, hi) if high else None
        x1 = start if start is not None else LEFT
        x2 = end if end is not None else x1
        rows.append({"label": label, "w": round(max(x2 - x1, 3.0), 1), "y": y,
                     "text": format_range(low, high),
                     # a range is a bar; "up to" is a dashed line from the axis start; "from" a dot
                     "x1": x1, "x2": x2, "dashed": start is None, "point": end is None,
                     "tx": (end if end is not None else start or LEFT) + 8})
    height = TOP + len(rows) * ROW + BOTTOM
    exponents = range(round(math.log10(lo)), round(math.log10(hi)) + 1)
    ticks = [{"x": _x(10.0 ** e, lo, hi), "label": f"{10.0 ** e:g}"} for e in exponents]
    summary = "; ".join(f"{r['label']}: {r['text']} mg/kg/h" for r in rows)
    return {"width": WIDTH, "height": height, "rows": rows, "ticks": ticks, "axis_y": height - 30,
            "top": TOP - 8, "left": LEFT, "right": WIDTH - RIGHT, "summary": summary}
