"""Where to put a note next to an element so that it covers nothing: pure geometry."""

from __future__ import annotations

from typing import Iterable, List, Sequence, Tuple

from ..model import Bounds, Point

Segment = Tuple[Point, Point]

MARGIN = 8.0
_DISTANCES = (24.0, 48.0, 80.0, 120.0, 170.0, 240.0, 330.0, 450.0)


def overlaps(a: Bounds, b: Bounds, margin: float = 0.0) -> bool:
    return (
        a.x < b.right + margin
        and b.x < a.right + margin
        and a.y < b.bottom + margin
        and b.y < a.bottom + margin
    )


def contains(outer: Bounds, inner: Bounds) -> bool:
    return (
        outer.x <= inner.x
        and outer.y <= inner.y
        and inner.right <= outer.right
        and inner.bottom <= outer.bottom
    )


def _segment_hits(box: Bounds, p: Point, q: Point) -> bool:
    """Does the segment p-q pass through the box (Liang-Barsky clipping)?"""
    dx, dy = q.x - p.x, q.y - p.y
    t0, t1 = 0.0, 1.0
    for edge_p, edge_q in (
        (-dx, p.x - box.x),
        (dx, box.right - p.x),
        (-dy, p.y - box.y),
        (dy, box.bottom - p.y),
    ):
        if edge_p == 0:
            if edge_q < 0:
                return False
            continue
        t = edge_q / edge_p
        if edge_p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def candidates(target: Bounds, width: float, height: float) -> Iterable[Bounds]:
    """Boxes around ``target``, nearest first: above, below, right, left, corners."""
    for d in _DISTANCES:
        above = target.y - d - height
        below = target.bottom + d
        right = target.right + d
        left = target.x - d - width
        centre_x = target.cx - width / 2
        centre_y = target.cy - height / 2
        for x in (centre_x, target.x, target.right - width):
            yield Bounds(x, above, width, height)
            yield Bounds(x, below, width, height)
        yield Bounds(right, centre_y, width, height)
        yield Bounds(left, centre_y, width, height)
        for x in (right, left):
            yield Bounds(x, above, width, height)
            yield Bounds(x, below, width, height)


def place(
    target: Bounds,
    width: float,
    height: float,
    obstacles: Sequence[Bounds],
    segments: Sequence[Segment] = (),
    containers: Sequence[Bounds] = (),
) -> Bounds:
    """The nearest box that overlaps no obstacle (with a margin) and crosses no segment.

    ``containers`` (the pool or expanded sub-process around the target) may hold
    the box but it must not straddle their border. If nothing fits, the box goes
    above everything.
    """
    # strict first (no flow crossed, the link crosses no shape), then looser
    for strict in (True, False):
        for box in candidates(target, width, height):
            if _fits(box, obstacles, segments if strict else (), containers) and (
                not strict or not _link_crosses(target, box, obstacles)
            ):
                return box
    top = min([o.y for o in obstacles] + [target.y]) - height - 2 * MARGIN
    return Bounds(target.x, top, width, height)


def _link_crosses(target: Bounds, box: Bounds, obstacles: Sequence[Bounds]) -> bool:
    p, q = connect(target, box)
    return any(_segment_hits(o, p, q) for o in obstacles if not overlaps(o, target))


def _fits(box, obstacles, segments, containers) -> bool:
    for c in containers:
        if not contains(c, box) and overlaps(c, box):
            return False
    for o in obstacles:
        if overlaps(box, o, MARGIN):
            return False
    grown = Bounds(box.x - MARGIN / 2, box.y - MARGIN / 2, box.width + MARGIN, box.height + MARGIN)
    return not any(_segment_hits(grown, p, q) for p, q in segments)


def connect(target: Bounds, note: Bounds) -> List[Point]:
    """Two waypoints from the target's border to the note's bracket.

    bpmn-js draws a text annotation as a bracket on its left side only, so the
    line ends on that bracket (or, for a note left of the target, on its right
    side) rather than on an invisible top or bottom border.
    """
    def clamp(value: float, low: float, high: float) -> float:
        return max(low, min(high, value))

    if note.bottom <= target.y:  # above: the bracket's lower end
        end = Point(note.x, note.bottom)
    elif note.y >= target.bottom:  # below: the bracket's upper end
        end = Point(note.x, note.y)
    elif note.x >= target.right:  # beside, to the right: the bracket itself
        end = Point(note.x, clamp(target.cy, note.y, note.bottom))
    else:  # beside, to the left: its right side (the line must not cross the text)
        end = Point(note.right, clamp(target.cy, note.y, note.bottom))
    end = Point(round(end.x, 1), round(end.y, 1))
    return [_border_point(target, end.x, end.y), end]


def _border_point(box: Bounds, towards_x: float, towards_y: float) -> Point:
    dx, dy = towards_x - box.cx, towards_y - box.cy
    if dx == 0 and dy == 0:
        return Point(box.cx, box.y)
    scale = min(
        (box.width / 2) / abs(dx) if dx else float("inf"),
        (box.height / 2) / abs(dy) if dy else float("inf"),
    )
    return Point(round(box.cx + dx * scale, 1), round(box.cy + dy * scale, 1))


def row_above(
    items: Sequence[Tuple[float, float]], shapes: Sequence[Bounds], gap: float = 20.0
) -> List[Bounds]:
    """Boxes of the given (width, height) side by side in a row above all shapes."""
    if not items:
        return []
    left = min((s.x for s in shapes), default=0.0)
    top = min((s.y for s in shapes), default=0.0)
    tallest = max(h for _, h in items)
    y = top - tallest - 2 * gap
    boxes: List[Bounds] = []
    x = left
    for w, h in items:
        boxes.append(Bounds(x, y, w, h))
        x += w + gap
    return boxes

