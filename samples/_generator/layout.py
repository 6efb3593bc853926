"""Geometry shared by the two sample builders: shapes placed by their centre,
orthogonal flows between side mid-points, and label boxes measured with the
Arial/Helvetica advance widths that bpmn-js uses for external labels.

This is a throwaway authoring aid for the hand-drawn samples; the committed
artefacts are the .bpmn files next to it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

Point = Tuple[float, float]

# Helvetica/Arial advance widths (1/1000 em), the standard AFM metrics.
_WIDTHS = {
    " ": 278, "!": 278, '"': 355, "#": 556, "$": 556, "%": 889, "&": 667,
    "'": 191, "(": 333, ")": 333, "*": 389, "+": 584, ",": 278, "-": 333,
    ".": 278, "/": 278, ":": 278, ";": 278, "<": 584, "=": 584, ">": 584,
    "?": 556, "@": 1015,
    "A": 667, "B": 667, "C": 722, "D": 722, "E": 667, "F": 611, "G": 778,
    "H": 722, "I": 278, "J": 500, "K": 667, "L": 556, "M": 833, "N": 722,
    "O": 778, "P": 667, "Q": 778, "R": 722, "S": 667, "T": 611, "U": 722,
    "V": 667, "W": 944, "X": 667, "Y": 667, "Z": 611,
    "a": 556, "b": 556, "c": 500, "d": 556, "e": 556, "f": 278, "g": 556,
    "h": 556, "i": 222, "j": 222, "k": 500, "l": 222, "m": 833, "n": 556,
    "o": 556, "p": 556, "q": 556, "r": 333, "s": 500, "t": 278, "u": 556,
    "v": 500, "w": 722, "x": 500, "y": 500, "z": 500,
}


def text_width(text: str, size: float) -> float:
    return sum(_WIDTHS.get(ch, 556) for ch in text) * size / 1000.0


def wrap(text: str, size: float, max_width: float) -> List[str]:
    """Greedy word wrap, honouring explicit line breaks (as bpmn-js does)."""
    lines: List[str] = []
    for para in text.split("\n"):
        current = ""
        for word in para.split():
            candidate = f"{current} {word}" if current else word
            if current and text_width(candidate, size) > max_width:
                lines.append(current)
                current = word
            else:
                current = candidate
        lines.append(current)
    return lines


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    def side(self, name: str, offset: float = 0.0) -> Point:
        """Mid-point of a side ('l', 'r', 't', 'b'), shifted along it by offset."""
        if name == "l":
            return (self.x, self.cy + offset)
        if name == "r":
            return (self.x + self.w, self.cy + offset)
        if name == "t":
            return (self.cx + offset, self.y)
        if name == "b":
            return (self.cx + offset, self.y + self.h)
        raise ValueError(name)


@dataclass
class Node:
    key: str
    id: str
    kind: str
    name: Optional[str]
    box: Box
    lane: Optional[str] = None
    pool: Optional[str] = None
    event: Optional[str] = None           # message, timer, error, terminate
    attached_to: Optional[str] = None
    cancel: bool = True
    attrs: Dict[str, str] = field(default_factory=dict)
    label: Optional[Box] = None
    colour: Optional[Tuple[str, str]] = None   # (stroke, fill)
    text: Optional[str] = None            # text annotation body
    extra: Dict[str, str] = field(default_factory=dict)


@dataclass
class Flow:
    id: str
    kind: str                 # sequenceFlow, messageFlow, association, dataIn, dataOut
    src: str
    dst: str
    points: List[Point]
    name: Optional[str] = None
    label: Optional[Box] = None
    condition: Optional[str] = None
    is_default: bool = False


def route(start: Point, end: Point, out: str, into: str,
          via: Optional[Sequence[Point]] = None, mid: Optional[float] = None) -> List[Point]:
    """Orthogonal waypoints from a side of the source to a side of the target."""
    if via:
        return [start, *via, end]
    sx, sy = start
    ex, ey = end
    if sx == ex or sy == ey:
        return [start, end]
    horizontal_out = out in "lr"
    horizontal_in = into in "lr"
    if horizontal_out and horizontal_in:
        m = (sx + ex) / 2 if mid is None else mid
        return [start, (m, sy), (m, ey), end]
    if not horizontal_out and not horizontal_in:
        m = (sy + ey) / 2 if mid is None else mid
        return [start, (sx, m), (ex, m), end]
    if horizontal_out:
        return [start, (ex, sy), end]
    return [start, (sx, ey), end]


def clip_line(a: Box, b: Box) -> List[Point]:
    """Straight centre-to-centre line cut at both boxes' borders (associations)."""
    def cut(box: Box, towards: Point) -> Point:
        dx, dy = towards[0] - box.cx, towards[1] - box.cy
        if dx == 0 and dy == 0:
            return (box.cx, box.cy)
        tx = (box.w / 2) / abs(dx) if dx else math.inf
        ty = (box.h / 2) / abs(dy) if dy else math.inf
        t = min(tx, ty)
        return (round(box.cx + dx * t), round(box.cy + dy * t))
    return [cut(a, (b.cx, b.cy)), cut(b, (a.cx, a.cy))]


def fmt(value: float) -> str:
    """Coordinates as integers when they are whole, as exporters write them."""
    if abs(value - round(value)) < 1e-9:
        return str(int(round(value)))
    return f"{value:.1f}"
