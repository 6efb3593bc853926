"""The visual diff: the new version's diagram with what the change did marked on it.

From a :class:`~bpmncx.diff.ModelDiff` (its process changes, and its journey
changes when there is a workbook) the new version is drawn in its modeller's
layout, annotated with its customer journey when it has one, and named layers
add:

* :class:`ChangeMarks` - a green outline with a "+" round every element added,
  an amber one with a "~" round every element changed (renamed, retyped, moved);
* :class:`RemovedGhosts` - every removed element as a red dashed ghost with a
  "\u2212" and its name, where it was in the old version;
* :class:`JourneyChanges` - on the journey band, the steps whose support
  changed (added with support, or re-pointed) outlined the same way;
* :class:`DiffLegend` - above everything, what changed and what the marks mean.

Colour is never the only cue (every mark has its glyph, the legend names both).
Each marked element's group in the SVG carries ``data-diff="added|changed|removed"``
and each marked journey step ``data-journey-diff="added|repointed"``. Pure: same
input, same scene.
"""

from __future__ import annotations

from typing import List, Optional, Sequence, Tuple

from .. import palette
from ..diff.result import ElementChange, ModelDiff, StepChange
from ..model import Bounds
from . import icons, styles
from .graph import ID_SEPARATOR, Builder, Overlay, Scene
from .overlay import JOURNEY_ID, JourneyBand, annotated_scene
from .text import text_width, wrap

DIFF_PART = "diff"  # SVG ids of the marks: "Task_1::diff", "journey-step-3::diff"
COLOUR = {"added": palette.DIFF_ADDED, "changed": palette.DIFF_CHANGED,
          "removed": palette.DIFF_REMOVED}
GLYPH = {"added": "+", "changed": "~", "removed": "\u2212"}
# The glyph's colour on its badge: white reads on green and red, not on amber.
_GLYPH_TEXT = {"added": "#FFFFFF", "changed": styles.TEXT, "removed": "#FFFFFF"}
_HALO = 5.0  # gap between an element and its outline
_BADGE = 15.0  # diameter of the glyph badge
_ASPECT_WORDS = {"renamed": "renamed", "retyped": "type changed", "moved": "moved"}


def _badge(change: str, x: float, y: float) -> icons.etree._Element:
    """The glyph on a round badge centred on (x, y), in picture coordinates."""
    g = icons.el("g")
    g.append(icons.el("circle", cx=x, cy=y, r=_BADGE / 2, fill=COLOUR[change],
                      stroke="#FFFFFF", stroke_width=1.2))
    g.append(icons.text_lines([GLYPH[change]], x, y - 0.5, 12.0, _GLYPH_TEXT[change], bold=True))
    return g


def _outline_picture(builder: Builder, svg_id: str, b: Bounds, change: str,
                     dashed: bool = False, fill: str = "none",
                     lines: Sequence[str] = ()) -> Optional[str]:
    """An outline round ``b`` (``_HALO`` away) with the change's glyph at its top-left."""
    pad = _HALO + _BADGE / 2
    box = Bounds(b.x - pad, b.y - pad, b.width + 2 * pad, b.height + 2 * pad)
    inner = _BADGE / 2
    parts = [icons.el("rect", x=inner, y=inner, width=b.width + 2 * _HALO,
                      height=b.height + 2 * _HALO, rx=6, ry=6, fill=fill, stroke=COLOUR[change],
                      stroke_width=2.0 if dashed else 3.0,
                      stroke_dasharray="6,3" if dashed else None)]
    if lines:
        parts.append(icons.text_lines(list(lines), box.width / 2, box.height / 2,
                                      styles.LABEL_SIZE, COLOUR[change]))
    parts.append(_badge(change, inner, inner))
    return builder.picture(svg_id, box, parts, top=True)


def _add_tooltip(builder: Builder, element_id: str, line: str) -> None:
    """Add a line to an element's tooltip (the overlay's, which wins, else the plain one)."""
    tips = builder.overlay.tooltips if element_id in builder.overlay.tooltips else builder.tooltips
    text = tips.get(element_id, "")
    if line not in text.split("\n"):
        tips[element_id] = f"{text}\n{line}" if text else line


def change_words(change: ElementChange) -> str:
    """``added in this version``, ``changed: renamed (was “Assess”), moved (from Desk)``."""
    if change.change == "added":
        return "added in this version"
    if change.change == "removed":
        return "removed in this version"
    old, new = change.old, change.new
    words = []
    for aspect in change.aspects:
        text = _ASPECT_WORDS.get(aspect, aspect)
        if aspect == "renamed":
            text += f" (was \u201c{old.name}\u201d)"
        elif aspect == "retyped":
            text += f" (was {old.kind})"
        elif aspect == "moved":
            text += f" (from {old.lane or old.pool or 'no lane'} to {new.lane or new.pool or 'no lane'})"
        words.append(text)
    return "changed: " + ", ".join(words)


class ChangeMarks:
    """A green "+" outline round each added element, an amber "~" one round each changed
    element, on the diagram being drawn (elements not on it are counted as elsewhere)."""

    def __init__(self, changes: Sequence[ElementChange]):
        self.changes = [c for c in changes if c.change in ("added", "changed")]
        self.elsewhere: List[ElementChange] = []  # set by draw(): not on this diagram

    def draw(self, builder: Builder) -> None:
        shape_of = builder.plane.shape_of
        self.elsewhere = []
        for change in self.changes:
            shape = shape_of.get(change.id)
            if shape is None:
                self.elsewhere.append(change)
                continue
            svg_id = _outline_picture(builder, f"{change.id}{ID_SEPARATOR}{DIFF_PART}",
                                      shape.bounds, change.change)
            builder.attributes[svg_id] = {"data-diff": change.change}
            _add_tooltip(builder, change.id, change_words(change))


class RemovedGhosts:
    """Each removed element as a dashed red ghost with its name, at its old place."""

    def __init__(self, changes: Sequence[ElementChange]):
        self.changes = [c for c in changes if c.change == "removed"]
        self.unplaced = [c for c in self.changes if c.old.bounds is None]

    def draw(self, builder: Builder) -> None:
        for change in self.changes:
            old = change.old
            if old.bounds is None:
                continue  # the old version had no layout: listed in the legend instead
            b = old.bounds
            name = old.name or old.id
            big = old.kind in ("participant", "lane")
            lines = [] if big else wrap(name, max(b.width, 60), styles.LABEL_SIZE)[:3]
            # Unfilled: drawn on top, a filled ghost would hide what the new version put there.
            svg_id = _outline_picture(builder, f"{old.id}{ID_SEPARATOR}{DIFF_PART}", b,
                                      "removed", dashed=True, lines=lines)
            builder.attributes[svg_id] = {"data-diff": "removed"}
            if big:  # a pool's or lane's name at its top-left, inside the ghost
                builder.text(f"{old.id}{ID_SEPARATOR}{DIFF_PART}-label", [name], 0,
                             b.y + _HALO, styles.LABEL_SIZE, palette.DIFF_REMOVED,
                             left=b.x + _BADGE)
            tip = f"{name} ({old.kind}, {old.id})\nremoved in this version"
            if old.lane or old.pool:
                tip += f"; was in {old.lane or old.pool}"
            builder.tooltips.setdefault(old.id, tip)


def _step_change(change: StepChange) -> str:
    return "added" if change.change == "added" else "repointed"


class JourneyChanges:
    """On the journey band (drawn before, by :class:`~bpmncx.render.overlay.JourneyBand`):
    the steps whose support changed, outlined green "+" (added) or amber "~" (re-pointed)."""

    def __init__(self, steps: Sequence[StepChange]):
        self.steps = [s for s in steps if s.new is not None]
        self.removed = [s for s in steps if s.new is None]  # not on the new band: in the legend

    def draw(self, builder: Builder) -> None:
        band = next((layer for layer in builder.overlay.layers
                     if isinstance(layer, JourneyBand)), None)
        if band is None:
            return
        chips = {chip.step.number: chip for chip in band.chips}
        for change in self.steps:
            chip = chips.get(change.new.number)
            if chip is None:
                continue
            b = Bounds(chip.x - styles.CHIP_WIDTH / 2, chip.y - chip.height / 2,
                       styles.CHIP_WIDTH, chip.height)
            kind = _step_change(change)
            svg_id = _outline_picture(builder, f"{JOURNEY_ID}-step-{chip.step.number}"
                                               f"{ID_SEPARATOR}{DIFF_PART}", b,
                                      "added" if kind == "added" else "changed")
            builder.attributes[svg_id] = {"data-journey-diff": kind}
            old = ", ".join(change.old.supported_by_names) if change.old else ""
            new = ", ".join(change.new.supported_by_names) or "nothing"
            words = (f"support changed: {old or 'nothing'} \u2192 {new}" if kind == "repointed"
                     else f"step added, supported by {new}")
            builder.tooltips[svg_id.partition(ID_SEPARATOR)[0]] = words


class DiffLegend:
    """Above everything drawn before it: the title, the counts, what the marks mean, and
    what could not be drawn (removed journey steps, elements not on this diagram)."""

    def __init__(self, title: str, marks: ChangeMarks, ghosts: RemovedGhosts,
                 journey: Optional[JourneyChanges]):
        self.title = title
        self.marks = marks
        self.ghosts = ghosts
        self.journey = journey

    def notes(self) -> List[str]:
        notes = []
        if self.ghosts.unplaced:
            names = ", ".join(f"\u201c{c.old.name or c.old.id}\u201d" for c in self.ghosts.unplaced)
            notes.append(f"removed, without a position in the old version: {names}")
        if self.marks.elsewhere:
            names = ", ".join(f"\u201c{(c.new.name or c.new.id)}\u201d" for c in self.marks.elsewhere)
            notes.append(f"{len(self.marks.elsewhere)} changed element(s) not on this diagram: {names}")
        if self.journey is not None and self.journey.removed:
            names = ", ".join(f"\u201c{s.old.text}\u201d ({', '.join(s.old.supported_by_names)})"
                              for s in self.journey.removed)
            notes.append(f"journey step(s) removed with their support: {names}")
        return notes

    def draw(self, builder: Builder) -> None:
        counts = {"added": 0, "changed": 0, "removed": 0}
        for change in self.marks.changes:
            counts[change.change] += 1
        counts["removed"] = len(self.ghosts.changes)
        left = min(builder.xs) if builder.xs else 0.0
        top = min(builder.ys) if builder.ys else 0.0
        notes = self.notes()
        size = styles.LEGEND_SIZE
        row = 22.0
        height = row * (1 + len(notes)) + 8
        legend_top = top - 12 - height
        title_top = legend_top - 6 - styles.TITLE_SIZE * styles.LINE_HEIGHT
        summary = ", ".join(f"{counts[k]} {k}" for k in ("added", "changed", "removed"))
        builder.text("diff-title", [f"{self.title} \u2014 {summary}"], 0, title_top,
                     styles.TITLE_SIZE, styles.TITLE_COLOUR, left=left, bold=True)
        parts, width = _legend_parts(self.journey is not None, notes, row, size)
        svg_id = builder.picture("diff-legend", Bounds(left, legend_top, width, height), parts,
                                 top=True)
        builder.tooltips[svg_id] = "What the marks mean"


def _legend_parts(journey: bool, notes: Sequence[str], row: float,
                  size: float) -> Tuple[list, float]:
    parts = []
    x, y = 4.0, row / 2 + 2

    def label(text: str, at: float) -> float:
        parts.append(icons.text_lines([text], at, y, size, styles.TEXT, anchor="start"))
        return at + text_width(text, size) + 16

    for change, text in (("added", "added"), ("changed", "changed (renamed, moved, retyped)"),
                         ("removed", "removed (at its old place)")):
        parts.append(icons.el("rect", x=x + 4, y=y - 7, width=26, height=14, rx=3, fill="#FFFFFF",
                              stroke=COLOUR[change], stroke_width=2.0 if change == "removed" else 3.0,
                              stroke_dasharray="6,3" if change == "removed" else None))
        parts.append(_badge(change, x + 4, y - 7))
        x = label(text, x + 36)
    if journey:
        parts.append(icons.pill(30, 14, palette.NO_EMOTION_FILL, palette.DIFF_CHANGED,
                                radius=6, stroke_width=2.0))
        parts[-1].set("x", icons.num(x + 1))
        parts[-1].set("y", icons.num(y - 7))
        x = label("journey step whose support changed (+ added, ~ re-pointed)", x + 36)
    width = x
    for index, note in enumerate(notes):
        at = y + row * (index + 1)
        parts.append(icons.text_lines([note], 4.0, at, size, palette.DIFF_REMOVED, anchor="start"))
        width = max(width, 8 + text_width(note, size))
    return parts, width


def diff_layers(diff: ModelDiff, title: str, journey: bool) -> list:
    """The layers of the visual diff, in drawing order (the legend last: it goes above
    everything the others drew)."""
    marks = ChangeMarks(diff.process.elements)
    ghosts = RemovedGhosts(diff.process.elements)
    steps = JourneyChanges(diff.journey.support_changed()) if journey and diff.journey else None
    layers = [ghosts, marks] + ([steps] if steps is not None else [])
    return layers + [DiffLegend(title, marks, ghosts, steps)]


def diff_scene(diff: ModelDiff, title: str, diagram: Optional[str] = None) -> Scene:
    """The Graphviz scene of the visual diff of one model (its new version must exist).

    With a workbook for the new version the diagram is annotated as ``bpmncx
    annotate`` draws it (emotions, journey band) and the journey changes are
    marked too; without one the plain diagram carries the marks.
    """
    from . import scene_for

    model = diff.new_model
    if model is None:
        raise ValueError(f"{diff.model}: deleted in the new version; nothing to draw")
    shown = diff.new_annotations  # an empty one when only the old version had a workbook
    annotated = (diff.consequences is not None and shown is not None
                 and bool(shown.journey or shown.touchpoints))
    layers = diff_layers(diff, title, journey=annotated)
    if annotated:
        return annotated_scene(model, diff.consequences.new, diagram, layers=layers)
    return scene_for(model, diagram, Overlay(layers=layers))


__all__ = ["COLOUR", "GLYPH", "ChangeMarks", "DiffLegend", "JourneyChanges", "RemovedGhosts",
           "change_words", "diff_layers", "diff_scene"]
