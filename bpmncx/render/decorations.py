"""Where the annotation's small marks go so that none hides another.

A decoration (channel badge, faces, star, a journey step's number tag) belongs to
one element, its owner. It may sit on its owner, but never on another element, a
boundary event, an element's label, the end of a flow (where its arrowhead or
its message circle is drawn), a flow's line, or another decoration. :class:`Placer` knows what
is drawn where on a plane and tries each decoration's candidate places in turn,
then the same places at smaller sizes; the first free one wins. Same plane, same
requests, same places: pure and deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from ..bpmn.placement import Grid
from ..model import Bounds, Model, Plane
from . import styles
from .graph import is_container
from .text import text_height, wrap

SHRINK = (1.0, 0.8, 0.65)  # sizes tried, in order, when no place is free at full size
GAP = 2.0  # between a decoration and what it must not touch
_END = 12.0  # the square kept free round each end of a flow


@dataclass(frozen=True)
class Obstacle:
    owner: str  # the element it belongs to ("" for a flow's end: nobody's)
    box: Bounds


def overlaps(a: Bounds, b: Bounds, slack: float = 0.0) -> bool:
    """Whether two boxes share more than ``slack`` points in both directions."""
    return (min(a.right, b.right) - max(a.x, b.x) > slack
            and min(a.bottom, b.bottom) - max(a.y, b.y) > slack)


def obstacles_of(model: Model, plane: Plane) -> List[Obstacle]:
    """Everything drawn on ``plane`` that a decoration must not cover: every shape that
    is not a frame round others (pools, lanes, groups and expanded sub-processes hold
    their decorations' neighbours), its label, and both ends of every flow."""
    shapes = plane.shapes
    found: List[Obstacle] = []
    for shape in shapes:
        b = shape.bounds
        if b.width < 1 or b.height < 1:
            continue
        if shape.element_id in model.participant or shape.element_id in model.process \
                or shape.element_id in model.lane:
            # the band holding a pool's or lane's name
            header = Bounds(b.x, b.y, styles.POOL_HEADER, b.height) \
                if shape.is_horizontal is not False else Bounds(b.x, b.y, b.width, styles.POOL_HEADER)
            found.append(Obstacle("#header", header))
            continue
        if is_container(model, shape, shapes):
            continue
        found.append(Obstacle(shape.element_id, b))
        label = _label_box(model, shape)
        if label is not None:
            found.append(Obstacle(f"{shape.element_id}#label", label))
    for edge in plane.edges:
        points = edge.waypoints
        if len(points) < 2:
            continue
        for end in (points[0], points[-1]):
            found.append(Obstacle("", Bounds(end.x - _END / 2, end.y - _END / 2, _END, _END)))
    return found


def _label_box(model: Model, shape) -> Optional[Bounds]:
    """Where an element's name is drawn outside it (events, gateways, data): the DI
    label bounds, else below the shape as the painter puts it."""
    node = model.node.get(shape.element_id)
    if node is not None and node.is_activity:
        return None  # the name is inside
    name = model.lookup_name(shape.element_id) if node is not None else ""
    if not name.strip() or name == shape.element_id:
        return None
    if shape.label is not None and shape.label.width > 1:
        return shape.label
    lines = wrap(name, styles.EXTERNAL_LABEL_WIDTH, styles.LABEL_SIZE)
    width = max(min(styles.EXTERNAL_LABEL_WIDTH, shape.bounds.width * 3), 20.0)
    return Bounds(shape.bounds.cx - width / 2, shape.bounds.bottom + 5, width,
                  text_height(len(lines), styles.LABEL_SIZE))


# A candidate place: (owner bounds, width, height) -> top-left corner.
Candidate = Callable[[Bounds, float, float], Tuple[float, float]]


class Placer:
    """Places decorations on one plane; each one placed is an obstacle for the next."""

    def __init__(self, model: Model, plane: Plane):
        self.obstacles = obstacles_of(model, plane)
        # a mark lying on a flow would hide where it runs: the flows' segments too
        self.lines = [Bounds(min(a.x, b.x) - 1.5, min(a.y, b.y) - 1.5, abs(a.x - b.x) + 3,
                             abs(a.y - b.y) + 3)
                      for edge in plane.edges for a, b in zip(edge.waypoints, edge.waypoints[1:])]
        self.placed: List[Tuple[str, Bounds]] = []  # (owner, box) of every decoration
        self.crowded: List[str] = []  # owners of decorations that found no free place
        # all three by position: a decoration is checked against what is near it only
        self.near = Grid()
        for obstacle in self.obstacles:
            self.near.add_box(("obstacle", obstacle.owner, obstacle.box), obstacle.box)
        for line in self.lines:
            self.near.add_box(("line", None, line), line)
        self.boxes_of: Dict[str, List[Bounds]] = {}  # owner -> its obstacles, in order
        for obstacle in self.obstacles:
            self.boxes_of.setdefault(obstacle.owner, []).append(obstacle.box)

    def is_free(self, box: Bounds, owner: str) -> bool:
        for kind, whose, other in self.near.near_box(box):
            if overlaps(box, other) and (kind != "obstacle" or whose != owner):
                return False
        return True

    def _placed(self, owner: str, box: Bounds) -> None:
        self.placed.append((owner, box))
        self.near.add_box(("placed", owner, box), box)

    def place(self, owner: str, at: Bounds, size: Tuple[float, float],
              candidates: Sequence[Candidate]) -> Tuple[Bounds, float]:
        """The first free box of ``size`` among ``candidates`` round ``at`` (the owner's
        bounds), shrinking when none is; returns (box, scale). When nothing is free it
        takes the first place at the smallest size and notes the owner as crowded."""
        w, h = size
        for scale in SHRINK:
            for candidate in candidates:
                x, y = candidate(at, w * scale, h * scale)
                box = Bounds(x, y, w * scale, h * scale)
                if self.is_free(box, owner):
                    self._placed(owner, box)
                    return box, scale
        # crowded: further out round the element and its label, ring by ring, at the
        # smallest size
        scale = SHRINK[-1]
        sw, sh = w * scale, h * scale
        around = at
        for b in self.boxes_of.get(f"{owner}#label", ()):
            x0, y0 = min(around.x, b.x), min(around.y, b.y)
            around = Bounds(x0, y0, max(around.right, b.right) - x0,
                            max(around.bottom, b.bottom) - y0)
        for distance in range(2, 200, 6):
            for x, y in _ring(around, sw, sh, float(distance)):
                box = Bounds(x, y, sw, sh)
                if self.is_free(box, owner):
                    self._placed(owner, box)
                    return box, scale
        x, y = candidates[0](at, sw, sh)
        box = Bounds(x, y, sw, sh)
        self._placed(owner, box)
        self.crowded.append(owner)
        return box, scale


def _ring(b: Bounds, w: float, h: float, d: float) -> List[Tuple[float, float]]:
    """Eight places ``d`` away from ``b``: right, left, above, below, then the corners."""
    return [(b.right + d, b.cy - h / 2), (b.x - w - d, b.cy - h / 2),
            (b.cx - w / 2, b.y - h - d), (b.cx - w / 2, b.bottom + d),
            (b.right + d, b.y - h - d), (b.x - w - d, b.y - h - d),
            (b.right + d, b.bottom + d), (b.x - w - d, b.bottom + d)]


# -- the candidate places of each decoration, best first ---------------------------------
# Activities are big enough to carry their marks on their corners; events, gateways and
# data are not, so theirs go round them.


def _around(gap: float = GAP) -> List[Candidate]:
    """Eight places round a small shape: right, top-right, top, left, ..."""
    return [
        lambda b, w, h: (b.right + gap, b.cy - h / 2),
        lambda b, w, h: (b.right - 2, b.y - h + 2),
        lambda b, w, h: (b.cx - w / 2, b.y - h - gap),
        lambda b, w, h: (b.x - w - gap, b.cy - h / 2),
        lambda b, w, h: (b.x - w + 2, b.y - h + 2),
        lambda b, w, h: (b.right - 2, b.bottom - 2),
        lambda b, w, h: (b.x - w + 2, b.bottom - 2),
        lambda b, w, h: (b.right + gap, b.y - h - gap),
        lambda b, w, h: (b.x - w - gap, b.bottom + gap),
    ]


def badge_places(big: bool) -> List[Candidate]:
    if not big:
        return _around()[1:2] + _around()[2:3] + _around()[0:1] + _around()[3:]
    return [
        lambda b, w, h: (b.right - w + 6, b.y - h / 2),  # straddling the top-right corner
        lambda b, w, h: (b.right - w - 3, b.y + 3),  # inside it
        lambda b, w, h: (b.right - w + 6, b.y - h - 1),  # above it
        lambda b, w, h: (b.right + GAP, b.y + 2),  # right of it
        lambda b, w, h: (b.cx - w / 2, b.y + 3),
        lambda b, w, h: (b.x + 25, b.y + 3),  # right of the task-type icon
    ] + _around()


def face_places(big: bool) -> List[Candidate]:
    if not big:
        return _around()
    return [
        lambda b, w, h: (b.right - w - 4, b.bottom - h / 2),  # straddling the bottom edge
        lambda b, w, h: (b.right - w - 4, b.bottom - h - 3),  # inside the bottom-right corner
        lambda b, w, h: (b.x + 4, b.bottom - h - 3),  # inside the bottom-left corner
        lambda b, w, h: (b.x + 4, b.bottom - h / 2),
        lambda b, w, h: (b.right - w - 4, b.bottom + GAP),  # below
        lambda b, w, h: (b.right + GAP, b.bottom - h - 3),  # right of it
        lambda b, w, h: (b.right - w - 4, b.cy - h / 2),
    ] + _around()


def star_places(big: bool) -> List[Candidate]:
    if not big:
        return [lambda b, w, h: (b.x - w + 3, b.y - h + 3)] + _around()[3:] + _around()[:3]
    return [
        lambda b, w, h: (b.x - w + 5, b.y - h + 5),  # on the top-left corner, clear of the icon
        lambda b, w, h: (b.x - w / 2 + 2, b.y - h / 2 + 2),
        lambda b, w, h: (b.x + 2, b.y + 2),  # inside it
        lambda b, w, h: (b.x - w - GAP, b.y + 2),  # left of it
        lambda b, w, h: (b.x + 24, b.y - h / 2),  # on the top edge, right of the icon
    ] + _around()


def tag_places(big: bool) -> List[Candidate]:
    """A journey step number tag: along the top edge, else round the shape."""
    first = [
        lambda b, w, h: (b.x + 2, b.y - h - 1),
        lambda b, w, h: (b.cx - w / 2, b.y - h - 1),
        lambda b, w, h: (b.x + 24, b.y + 2),
    ] if big else []
    return first + _around()


def is_big(b: Bounds) -> bool:
    """Whether a shape is an activity-sized box that carries marks on its corners."""
    return b.width >= 60 and b.height >= 40


def owners_of(placed: Sequence[Tuple[str, Bounds]]) -> Dict[str, List[Bounds]]:
    found: Dict[str, List[Bounds]] = {}
    for owner, box in placed:
        found.setdefault(owner, []).append(box)
    return found
