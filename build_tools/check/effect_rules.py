"""E317: an outcome's effect whose numbers cannot all be true (a typing slip a reader would
copy): more events than people, a percentage outside 0-100 or at odds with its counts, an
interval whose ends are reversed or that leaves out its own estimate, a ratio at or below zero,
or two results claiming the same side of the comparison."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import NamedTuple

CODE = "E317"  # the code the study rules report these under
RATIOS = ("risk-ratio", "odds-ratio")
# A printed percentage may be rounded to a whole number: half a point either way, and a little.
ROUNDING = 0.51


class Slip(NamedTuple):
    """One E317 problem: where in the study (a path in its data), what, and a hint."""

    path: tuple
    message: str
    hint: str


Found = Iterator[Slip]


def check_effects(data: Mapping) -> Found:
    """E317 for each effect of the study's outcomes."""
    for i, outcome in enumerate(data.get("outcomes") or ()):
        effect = outcome.get("effect") if isinstance(outcome, Mapping) else None
        if isinstance(effect, Mapping):
            yield from _effect(effect, ("outcomes", i, "effect"))


def _finding(path: tuple, message: str, hint: str) -> Slip:
    return Slip(path, message, hint)


def _effect(effect: Mapping, path: tuple) -> Found:
    """The problems of one effect block."""
    measure = effect.get("measure")
    estimate = effect.get("estimate")
    interval = effect.get("interval")
    if isinstance(interval, Mapping):
        yield from _spread(interval, path + ("interval",))
        yield from _outside(estimate, interval, path + ("interval",))
    if measure in RATIOS:
        for where, value in (("estimate", estimate),
                             *((("interval", end), (interval or {}).get(end))
                               for end in ("low", "high"))):
            if isinstance(value, int | float) and value <= 0:
                at = path + ((where,) if isinstance(where, str) else where)
                yield _finding(at, f"a {measure} must be above 0, not {value}",
                               "a ratio of risks or odds is positive; check the sign and the "
                               "measure (a difference is 'risk-difference')")
    if measure == "proportion" and _out_of(estimate, 0, 100):
        yield _finding(path + ("estimate",), f"a percentage of {estimate} is outside 0-100",
                       "proportions are percentages from 0 to 100")
    if measure == "risk-difference" and _out_of(estimate, -100, 100):
        yield _finding(path + ("estimate",), f"a difference of {estimate} percentage points is "
                       "outside -100 to 100", "risk differences are in percentage points")
    yield from _arms(effect, path)


def _arms(effect: Mapping, path: tuple) -> Found:
    """The problems of an effect's per-arm results."""
    roles: dict[str, int] = {}
    for j, arm in enumerate(effect.get("arms") or ()):
        if not isinstance(arm, Mapping):
            continue
        at = path + ("arms", j)
        role = arm.get("role")
        if role in roles:
            yield _finding(at + ("role",), f"arms[{roles[role]}] and arms[{j}] are both the "
                           f"{role}", "one result per side: give the other arm its own role")
        roles.setdefault(role, j)
        yield from _counts(arm, at, effect.get("measure") == "proportion-per-arm")
        if isinstance(arm.get("spread"), Mapping):
            yield from _spread(arm["spread"], at + ("spread",))
            yield from _outside(arm.get("value"), arm["spread"], at + ("spread",))


def _counts(arm: Mapping, at: tuple, percentage: bool) -> Found:
    """Events beyond the group, and a percentage outside 0-100 or at odds with its counts."""
    events, n, value = arm.get("events"), arm.get("n"), arm.get("value")
    if isinstance(events, int) and isinstance(n, int) and events > n:
        yield _finding(at + ("events",), f"{events} events in a group of {n}",
                       "events count people in the group: at most n")
        return
    if not percentage:
        return
    if _out_of(value, 0, 100):
        yield _finding(at + ("value",), f"a percentage of {value} is outside 0-100",
                       "proportion-per-arm values are percentages from 0 to 100")
    elif isinstance(events, int) and isinstance(n, int) and n > 0 and isinstance(
            value, int | float) and abs(100 * events / n - value) > ROUNDING:
        yield _finding(at + ("value",), f"{value}% does not match {events} of {n} "
                       f"({100 * events / n:.1f}%)", "correct the percentage or the counts")


def _spread(spread: Mapping, at: tuple) -> Found:
    """An interval, IQR or range whose low end is above its high end."""
    low, high = spread.get("low"), spread.get("high")
    if isinstance(low, int | float) and isinstance(high, int | float) and low > high:
        yield _finding(at + ("low",), f"low end {low} is above high end {high}",
                       "swap the ends, or check the sign of each")


def _outside(value: object, spread: Mapping, at: tuple) -> Found:
    """A 95% CI, IQR or range that leaves out the value it belongs to."""
    low, high = spread.get("low"), spread.get("high")
    if spread.get("kind") in ("ci95", "iqr", "range") and all(
            isinstance(x, int | float) for x in (value, low, high)) and low <= high and not (
            low <= value <= high):
        yield _finding(at, f"{value} lies outside its own {spread['kind']} {low} to {high}",
                       "an interval contains its estimate: check the numbers against the source")


def _out_of(value: object, low: float, high: float) -> bool:
    """True when value is a number outside [low, high]."""
    return isinstance(value, int | float) and not isinstance(value, bool) and not (
        low <= value <= high)
