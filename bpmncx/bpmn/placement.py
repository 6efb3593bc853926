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


class Grid:
    """Items by position: a query returns every item whose box may touch a region.

    Checking a box against only what lies in the grid cells it touches, instead
    of against everything on the plane, keeps placing one mark per element near
    linear in the size of the model. A query returns a superset (closed boxes,
    whole cells); the caller's exact test decides, so answers do not change.
    """

    CELL = 256.0
    WIDE = 1 << 16  # an item over this many cells goes to a list every query sees

    def __init__(self):
        self._cells = {}  # (column, row) -> [item]
        self._wide: list = []

    def _span(self, x0, y0, x1, y1):
        cell = self.CELL
        x0, x1 = min(x0, x1), max(x0, x1)  # a box of negative width or height
        y0, y1 = min(y0, y1), max(y0, y1)
        try:
            c0, c1 = int(x0 // cell), int(x1 // cell)
            r0, r1 = int(y0 // cell), int(y1 // cell)
        except (OverflowError, ValueError):  # inf or nan: seen by every query
            return None
        if (c1 - c0 + 1) * (r1 - r0 + 1) > self.WIDE:
            return None
        return c0, c1, r0, r1

    def add(self, item, x0, y0, x1, y1) -> None:
        span = self._span(x0, y0, x1, y1)
        if span is None:
            self._wide.append(item)
            return
        c0, c1, r0, r1 = span
        cells = self._cells
        for column in range(c0, c1 + 1):
            for row in range(r0, r1 + 1):
                cells.setdefault((column, row), []).append(item)

    def add_box(self, item, box: Bounds) -> None:
        self.add(item, box.x, box.y, box.right, box.bottom)

    def near(self, x0, y0, x1, y1):
        """Every item whose box may touch the region, each once."""
        span = self._span(x0, y0, x1, y1)
        if span is None:
            found = [item for cell in self._cells.values() for item in cell]
        else:
            c0, c1, r0, r1 = span
            cells = self._cells
            found = []
            for column in range(c0, c1 + 1):
                for row in range(r0, r1 + 1):
                    found.extend(cells.get((column, row), ()))
        seen = set()
        for item in found + self._wide:
            if id(item) not in seen:
                seen.add(id(item))
                yield item

    def near_box(self, box: Bounds, margin: float = 0.0):
        return self.near(box.x - margin, box.y - margin, box.right + margin, box.bottom + margin)


class Surroundings:
    """What a note must keep clear of on one plane, in a :class:`Grid`.

    ``boxes`` are pools and expanded sub-processes: a note may sit inside the one
    around its element (a container) but not straddle its border; any other box
    is an obstacle like a shape.
    """

    def __init__(self, obstacles: Iterable[Bounds] = (), segments: Iterable[Segment] = (),
                 boxes: Iterable[Bounds] = ()):
        self._grid = Grid()
        self.top = float("inf")  # the smallest y of any obstacle (boxes not counted)
        self.boxes: List[Bounds] = []
        for b in obstacles:
            self.add_obstacle(b)
        for b in boxes:
            self.add_box(b)
        for p, q in segments:
            self.add_segment(p, q)

    def add_obstacle(self, b: Bounds) -> None:
        self.top = min(self.top, b.y)
        self._grid.add_box(("obstacle", b), b)

    def add_box(self, b: Bounds) -> None:
        self.boxes.append(b)
        self._grid.add_box(("box", b), b)

    def add_segment(self, p: Point, q: Point) -> None:
        self._grid.add(("segment", (p, q)), min(p.x, q.x), min(p.y, q.y), max(p.x, q.x),
                       max(p.y, q.y))

    def near(self, x0, y0, x1, y1):
        """Every (kind, item) whose bounding box may touch the region (each once)."""
        return self._grid.near(x0, y0, x1, y1)

    def containers(self, target: Bounds) -> List[Bounds]:
        """The boxes around ``target`` (a note may be inside them)."""
        return [b for kind, b in self.near(target.x, target.y, target.right, target.bottom)
                if kind == "box" and contains(b, target) and b != target]


def place(
    target: Bounds,
    width: float,
    height: float,
    obstacles,
    segments: Sequence[Segment] = (),
    containers: Sequence[Bounds] = (),
) -> Bounds:
    """The nearest box that overlaps no obstacle (with a margin) and crosses no segment.

    ``obstacles`` is a list of boxes (then ``segments`` and ``containers`` are
    lists too) or a :class:`Surroundings`, which knows the segments and finds
    the containers itself. ``containers`` (the pool or expanded sub-process
    around the target) may hold the box but it must not straddle their border.
    If nothing fits, the box goes above everything.
    """
    if isinstance(obstacles, Surroundings):
        around = obstacles
        containers = around.containers(target)
    else:
        around = Surroundings(obstacles, segments)
    # strict first (no flow crossed, the link crosses no shape), then looser
    for strict in (True, False):
        for box in candidates(target, width, height):
            if _fits(box, around, target, containers, strict) and (
                not strict or not _link_crosses(target, box, around, containers)
            ):
                return box
    # above every obstacle: the shapes, and the boxes that are not around the target
    top = min([around.top, target.y] + [b.y for b in around.boxes if b not in containers])
    top = top - height - 2 * MARGIN
    return Bounds(target.x, top, width, height)


def _is_obstacle(kind: str, b, containers) -> bool:
    return kind == "obstacle" or (kind == "box" and b not in containers)


def _link_crosses(target: Bounds, box: Bounds, around: Surroundings, containers) -> bool:
    p, q = connect(target, box)
    for kind, o in around.near(min(p.x, q.x), min(p.y, q.y), max(p.x, q.x), max(p.y, q.y)):
        if _is_obstacle(kind, o, containers) and not overlaps(o, target) and \
                _segment_hits(o, p, q):
            return True
    return False


def _fits(box, around: Surroundings, target, containers, with_segments: bool) -> bool:
    for c in containers:
        if not contains(c, box) and overlaps(c, box):
            return False
    grown = Bounds(box.x - MARGIN / 2, box.y - MARGIN / 2, box.width + MARGIN, box.height + MARGIN)
    near = around.near(box.x - MARGIN, box.y - MARGIN, box.right + MARGIN, box.bottom + MARGIN)
    hits_segment = False
    for kind, item in near:
        if kind == "segment":
            if with_segments and not hits_segment:
                hits_segment = _segment_hits(grown, *item)
        elif _is_obstacle(kind, item, containers) and overlaps(box, item, MARGIN):
            return False
    return not hits_segment


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

