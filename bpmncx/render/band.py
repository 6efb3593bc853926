"""The journey band's geometry: where each step goes, how its connectors run.

Journey order is the customer's time axis, so it is the band's x axis: step
boxes stand left to right in step order, never overlapping, each as close as
that allows to the elements supporting it (a least-squares fit under the order
constraint, see :func:`in_order`). A journey too long for the diagram's width
wraps into rows. Connectors leave a step downwards, run along their own track
in a gutter between the band and the diagram (one track per step: a step's
connectors are bundled) and drop onto their element where the drop crosses
nothing else, else through the gutter at the top of the element's lane.
Pure geometry: no drawing, no I/O.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from ..model import Bounds, Model, Plane
from . import styles
from .decorations import Obstacle, overlaps

SLOT = styles.CHIP_WIDTH + styles.CHIP_GAP  # one step box and the gap after it
SCALE_WIDTH = 70.0  # the emotion scale at the band's left
ONE_ROW_AT_MOST = 16  # steps always kept on one row (wider than the diagram if need be)
TRACK_GAP = 6.0  # between two connector tracks in the gutter
_DROP_AT = (0.3, 0.2, 0.4, 0.15, 0.5, 0.6, 0.7, 0.8, 0.85)  # of the element's width


def in_order(desired: Sequence[float], gap: float, lower: float) -> List[float]:
    """Positions as close as possible (least squares) to ``desired``, each at least
    ``gap`` after the one before, the first at ``lower`` or more.

    With y_i = x_i - i * gap the constraint is y non-decreasing: an isotonic
    regression, solved exactly by pooling adjacent violators.
    """
    blocks: List[List[float]] = []  # [mean, count]
    for index, want in enumerate(desired):
        blocks.append([want - index * gap, 1.0])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean2, n2 = blocks.pop()
            mean1, n1 = blocks.pop()
            blocks.append([(mean1 * n1 + mean2 * n2) / (n1 + n2), n1 + n2])
    ys: List[float] = []
    for mean, count in blocks:
        ys += [max(mean, lower)] * int(count)
    return [y + index * gap for index, y in enumerate(ys)]


def desired_centres(anchors: Sequence[Optional[float]], left: float) -> List[float]:
    """Where each step would like to stand: over its support (``anchors``), a step
    without one evenly between its neighbours' places, or a slot beyond them."""
    n = len(anchors)
    out: List[float] = [0.0] * n
    known = [i for i, a in enumerate(anchors) if a is not None]
    if not known:
        return [left + SLOT / 2 + i * SLOT for i in range(n)]
    for i in known:
        out[i] = float(anchors[i])  # type: ignore[arg-type]
    i = 0
    while i < n:
        if anchors[i] is not None:
            i += 1
            continue
        j = i
        while j < n and anchors[j] is None:
            j += 1
        run = j - i
        before = out[i - 1] if i > 0 else None
        after = out[j] if j < n else None
        for k in range(run):
            if before is None:
                out[i + k] = after - (run - k) * SLOT  # type: ignore[operator]
            elif after is None:
                out[i + k] = before + (k + 1) * SLOT
            else:
                out[i + k] = before + (after - before) * (k + 1) / (run + 1)
        i = j
    return out


def rows_for(count: int, left: float, right: float) -> int:
    """How many rows ``count`` steps take on a band from ``left`` to ``right``."""
    capacity = max(4, int((right - left) // SLOT))
    if count <= max(ONE_ROW_AT_MOST, int(capacity * 1.25)):
        return 1
    return math.ceil(count / capacity)


def row_slices(count: int, rows: int) -> List[Tuple[int, int]]:
    """(first, end) of each row: as even as possible, in step order."""
    if count == 0:
        return [(0, 0)]
    per = math.ceil(count / max(rows, 1))
    return [(start, min(start + per, count)) for start in range(0, count, per)]


# -- connectors ---------------------------------------------------------------------------


@dataclass
class Route:
    """The path of one connector below the band: it leaves the gutter at ``column``,
    runs (when ``gutter_y`` is set) along the top of the element's lane to ``drop``,
    and drops onto the element at ``drop``."""

    target: Bounds
    column: float
    drop: float
    gutter_y: Optional[float] = None

    def points(self, start: Tuple[float, float], track_y: float) -> List[Tuple[float, float]]:
        x0, y0 = start
        pts = [(x0, y0), (x0, track_y), (self.column, track_y)]
        if self.gutter_y is not None:
            pts += [(self.column, self.gutter_y), (self.drop, self.gutter_y)]
        pts.append((self.drop, self.target.y))
        return pts


@dataclass
class Router:
    """Finds connector routes on one plane, around what is drawn on it."""

    model: Model
    plane: Plane
    obstacles: Sequence[Obstacle]
    verticals: List[Tuple[float, float, float]] = field(default_factory=list)  # x, y0, y1

    def __post_init__(self) -> None:
        for edge in self.plane.edges:
            for a, b in zip(edge.waypoints, edge.waypoints[1:]):
                if abs(a.x - b.x) < 0.5 and abs(a.y - b.y) > 0.5:
                    self.verticals.append((a.x, min(a.y, b.y), max(a.y, b.y)))

    def _cost(self, x: float, y0: float, y1: float, owner: str) -> float:
        """What a vertical line at ``x`` from ``y0`` down to ``y1`` would cross."""
        line = Bounds(x - 3, y0, 6, max(y1 - y0, 0.1))
        cost = 0.0
        for obstacle in self.obstacles:
            if obstacle.owner not in (owner, f"{owner}#label") and overlaps(line, obstacle.box):
                cost += 1.0
        for vx, v0, v1 in self.verticals:
            if abs(vx - x) < 9 and min(v1, y1) - max(v0, y0) > 1:
                cost += 0.5  # running along a flow would read as part of it
        return cost

    def _free_across(self, x0: float, x1: float, y: float, owner: str) -> bool:
        line = Bounds(min(x0, x1), y - 3, abs(x1 - x0) + 0.1, 6)
        return not any(o.owner not in (owner, f"{owner}#label") and overlaps(line, o.box)
                       for o in self.obstacles)

    def route(self, target: Bounds, owner: str, top: float) -> Route:
        """The route from the gutter (at ``top``) down onto ``target``."""
        drops = [(self._cost(target.x + f * target.width, top, target.y, owner), k,
                  target.x + f * target.width) for k, f in enumerate(_DROP_AT)]
        cost, _, drop = min(drops)
        if cost == 0:
            return Route(target, drop, drop)
        lane = self._lane_top(target)
        if lane is not None and target.y - lane >= 10:
            gutter = lane + min(8.0, (target.y - lane) / 2)
            # the best final drop below the lane's top, then a free column up to the gutter
            _, _, final = min((self._cost(target.x + f * target.width, gutter, target.y, owner),
                               k, target.x + f * target.width) for k, f in enumerate(_DROP_AT))
            for distance in range(0, 600, 10):
                for column in (final - distance, final + distance):
                    if self._cost(column, top, gutter, owner) == 0 and \
                            self._free_across(column, final, gutter, owner):
                        return Route(target, column, final, gutter)
        return Route(target, drop, drop)

    def _lane_top(self, target: Bounds) -> Optional[float]:
        """The top of the innermost lane or pool round ``target`` (its gutter runs there)."""
        best: Optional[Bounds] = None
        for shape in self.plane.shapes:
            element = shape.element_id
            if element not in self.model.lane and element not in self.model.participant:
                continue
            b = shape.bounds
            if b.x <= target.x and b.y <= target.y and b.right >= target.right \
                    and b.bottom >= target.bottom and b.y < target.y:
                if best is None or b.width * b.height < best.width * best.height:
                    best = b
        return best.y if best is not None else None


def tracks(spans: Sequence[Tuple[float, float]]) -> List[int]:
    """A track for each horizontal span, the lowest free one: spans sharing a track
    never overlap (greedy interval colouring, in the given order)."""
    ends: List[float] = []
    out: List[int] = []
    for start, end in spans:
        for index, last in enumerate(ends):
            if last + TRACK_GAP < start:
                ends[index] = end
                out.append(index)
                break
        else:
            ends.append(end)
            out.append(len(ends) - 1)
    return out


def step_ranges(numbers: Sequence[int]) -> str:
    """``[3, 4, 5, 9]`` -> ``3-5, 9``: the steps a tag names, short."""
    parts: List[str] = []
    ordered = sorted(set(numbers))
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        if j - i >= 2:
            parts.append(f"{ordered[i]}\u2013{ordered[j]}")
        else:
            parts += [str(n) for n in ordered[i:j + 1]]
        i = j + 1
    return ", ".join(parts)
