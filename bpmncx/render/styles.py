"""Every drawing convention in one place: shapes, strokes, colours, fonts, sizes.

Keyed by BPMN kind (the model's local tag names). Nothing else in
:mod:`bpmncx.render` names a Graphviz shape, a colour or a font size; it looks
them up here. The look follows bpmn-js, the renderer inside Camunda Modeler,
because that is the picture users know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, Optional

from .. import palette
from ..model import EVENT_KINDS, GATEWAY_KINDS, SUBPROCESS_KINDS, TASK_KINDS

# -- text -------------------------------------------------------------------

FONT = "Liberation Sans"  # metric-compatible with Arial, which bpmn-js asks for
SVG_FONT_FAMILY = "Liberation Sans, Arial, Helvetica, sans-serif"
FONT_SIZE = 12.0  # labels inside shapes
LABEL_SIZE = 11.0  # labels outside shapes (events, gateways, flows, data)
TITLE_SIZE = 16.0
LINE_HEIGHT = 1.2
TEXT_PADDING = 7.0  # between a shape's border and its text (bpmn-js: 7)
EXTERNAL_LABEL_WIDTH = 90.0  # bpmn-js's default for a label without DI bounds
POOL_HEADER = 30.0  # the band holding a pool's or lane's vertical name

# -- colours (hex only: Graphviz writes colour names into SVG literally) ------

STROKE = "#22242A"
FILL = "#FFFFFF"
TEXT = palette.NO_EMOTION_TEXT  # the same dark grey
BACKGROUND = "#FFFFFF"
GROUP_STROKE = "#22242A"

# -- diagram ----------------------------------------------------------------

MARGIN = 10.0  # blank border around the diagram, in points
ARROW_SIZE = 1.0  # Graphviz arrowsize: 1.0 is a 10 pt long head, as in bpmn-js
ARROW_BASE_LENGTH = 10.0
# How long Graphviz draws each arrow shape, as a multiple of ARROW_BASE_LENGTH.
ARROW_LENGTH_FACTOR = {"normal": 1.0, "onormal": 1.0, "vee": 1.0, "odiamond": 1.2,
                       "odot": 0.8, "dot": 0.8, "none": 0.0}


@dataclass(frozen=True)
class ShapeStyle:
    """How one kind of element is drawn as a Graphviz node or cluster."""

    shape: str  # Graphviz node shape; "cluster" for bands and expanded sub-processes
    style: str = "filled"
    penwidth: float = 2.0
    fill: Optional[str] = FILL
    stroke: str = STROKE
    font_size: float = FONT_SIZE
    label_inside: bool = True  # False: the name is drawn below or at the BPMNLabel


@dataclass(frozen=True)
class EdgeStyle:
    style: str = "solid"
    penwidth: float = 1.5
    arrowhead: str = "normal"
    arrowtail: str = "none"
    stroke: str = STROKE


_TASK = ShapeStyle("box", "rounded,filled", 2.0)
_EVENT = ShapeStyle("ellipse", "filled", 1.5, label_inside=False, font_size=LABEL_SIZE)
_GATEWAY = ShapeStyle("diamond", "filled", 2.0, label_inside=False, font_size=LABEL_SIZE)

SHAPE_STYLES: Dict[str, ShapeStyle] = {
    **{kind: _TASK for kind in TASK_KINDS},
    **{kind: _TASK for kind in SUBPROCESS_KINDS},
    "callActivity": ShapeStyle("box", "rounded,filled", 4.0),
    # expanded sub-processes are clusters drawn under their content
    "subProcess:expanded": ShapeStyle("cluster", "rounded,filled", 2.0),
    "adHocSubProcess:expanded": ShapeStyle("cluster", "rounded,filled", 2.0),
    "transaction:expanded": ShapeStyle("cluster", "rounded,filled", 2.0),
    "callActivity:expanded": ShapeStyle("cluster", "rounded,filled", 4.0),
    "eventSubProcess:expanded": ShapeStyle("cluster", "rounded,dotted,filled", 2.0),
    "eventSubProcess": ShapeStyle("box", "rounded,dotted,filled", 2.0),
    **{kind: _EVENT for kind in EVENT_KINDS},
    "startEvent": ShapeStyle("ellipse", "filled", 2.0, label_inside=False, font_size=LABEL_SIZE),
    "startEvent:non-interrupting": ShapeStyle("ellipse", "dashed,filled", 2.0,
                                              label_inside=False, font_size=LABEL_SIZE),
    "endEvent": ShapeStyle("ellipse", "filled", 4.0, label_inside=False, font_size=LABEL_SIZE),
    "boundaryEvent:non-interrupting": ShapeStyle("ellipse", "dashed,filled", 1.5,
                                                 label_inside=False, font_size=LABEL_SIZE),
    **{kind: _GATEWAY for kind in GATEWAY_KINDS},
    "dataObject": ShapeStyle("note", "filled", 1.5, label_inside=False, font_size=LABEL_SIZE),
    "dataObjectReference": ShapeStyle("note", "filled", 1.5, label_inside=False,
                                      font_size=LABEL_SIZE),
    "dataInput": ShapeStyle("note", "filled", 1.5, label_inside=False, font_size=LABEL_SIZE),
    "dataOutput": ShapeStyle("note", "filled", 1.5, label_inside=False, font_size=LABEL_SIZE),
    "dataStoreReference": ShapeStyle("cylinder", "filled", 1.5, label_inside=False,
                                     font_size=LABEL_SIZE),
    "dataStore": ShapeStyle("cylinder", "filled", 1.5, label_inside=False,
                            font_size=LABEL_SIZE),
    # drawn as pictures (bracket, dash-dot frame) plus a text node
    "textAnnotation": ShapeStyle("none", "", 1.0, fill=None, font_size=FONT_SIZE),
    "group": ShapeStyle("none", "", 1.0, fill=None, font_size=LABEL_SIZE, label_inside=False),
    "participant": ShapeStyle("cluster", "filled", 1.5),
    "lane": ShapeStyle("cluster", "", 1.0, fill=None),
}
FALLBACK_SHAPE = ShapeStyle("box", "filled,dashed", 1.0)

EDGE_STYLES: Dict[str, EdgeStyle] = {
    "sequenceFlow": EdgeStyle(),
    "messageFlow": EdgeStyle("dashed", 1.5, "onormal", "odot"),
    "association": EdgeStyle("dotted", 1.5, "none"),
    "association:One": EdgeStyle("dotted", 1.5, "vee"),
    "association:Both": EdgeStyle("dotted", 1.5, "vee", "vee"),
    "dataInputAssociation": EdgeStyle("dotted", 1.5, "vee"),
    "dataOutputAssociation": EdgeStyle("dotted", 1.5, "vee"),
    "sequenceFlow:conditional": EdgeStyle("solid", 1.5, "normal", "odiamond"),
}
FALLBACK_EDGE = EdgeStyle("dashed", 1.0, "none")

# Icons and markers (see icons.py for their geometry).
ICON_STROKE_WIDTH = 1.5
TASK_ICON_BOX = (5.0, 5.0, 17.0)  # x, y offset from the task's top-left, size
MARKER_SIZE = 14.0  # loop, multi-instance, "+" ... at the bottom centre
MARKER_GAP = 3.0
INNER_RING_GAP = 3.0  # intermediate events: gap between the two rings


def shape_style(key: str) -> ShapeStyle:
    return SHAPE_STYLES.get(key, FALLBACK_SHAPE)


def edge_style(key: str) -> EdgeStyle:
    return EDGE_STYLES.get(key, FALLBACK_EDGE)


# -- colour values from the file ------------------------------------------------

_NAMED = {
    "black": "#000000", "white": "#FFFFFF", "red": "#FF0000", "green": "#008000",
    "blue": "#0000FF", "yellow": "#FFFF00", "orange": "#FFA500", "purple": "#800080",
    "gray": "#808080", "grey": "#808080", "silver": "#C0C0C0", "maroon": "#800000",
    "olive": "#808000", "lime": "#00FF00", "aqua": "#00FFFF", "cyan": "#00FFFF",
    "teal": "#008080", "navy": "#000080", "fuchsia": "#FF00FF", "magenta": "#FF00FF",
    "pink": "#FFC0CB", "brown": "#A52A2A", "gold": "#FFD700", "beige": "#F5F5DC",
    "lightgray": "#D3D3D3", "lightgrey": "#D3D3D3", "darkgray": "#A9A9A9",
    "darkgrey": "#A9A9A9", "lightblue": "#ADD8E6", "lightgreen": "#90EE90",
    "lightyellow": "#FFFFE0", "darkgreen": "#006400", "darkblue": "#00008B",
    "darkred": "#8B0000", "transparent": None, "none": None,
}
_HEX = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_RGB = re.compile(r"^rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,\s*[\d.]+\s*)?\)$")


def hex_colour(value: Optional[str]) -> Optional[str]:
    """``#RRGGBB`` for a CSS colour the file stored, or None if it is not one we know."""
    if not value:
        return None
    value = value.strip()
    match = _HEX.match(value)
    if match:
        digits = match.group(1)
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return "#" + digits.upper()
    match = _RGB.match(value)
    if match:
        parts = [min(255, int(p)) for p in match.groups()]
        return "#" + "".join(f"{p:02X}" for p in parts)
    return _NAMED.get(value.lower())


# -- the annotation overlay ------------------------------------------------------------

# The colours that carry meaning (emotions, pain points, missing steps) come from
# bpmncx.palette, shared with the annotated BPMN file and the reports.
PAIN_STROKE = palette.PAIN_STROKE
PAIN_WIDTH = 4.0
MISSING_STROKE = palette.MISSING_STROKE
NO_EMOTION_FILL = palette.NO_EMOTION_FILL
fill_for = palette.emotion_fill
text_for = palette.emotion_text
darker = palette.darker


STAR_FILL = "#FFC107"
STAR_STROKE = "#7A5C00"
STAR_SIZE = 18.0
BADGE_FILL = "#3B4A5A"
BADGE_TEXT = "#FFFFFF"
BADGE_SIZE = 9.0  # font size of the channel badge
FACE_SIZE = 13.0
CONNECTOR = "#7B8794"  # dashed line from a journey step to the elements supporting it
CONNECTOR_AT = 0.3  # ... meeting the element's top edge this far from its left
CURVE = "#3B4A5A"  # the emotion curve
CHIP_WIDTH = 112.0
CHIP_SIZE = 10.0  # font size in the journey chips
CHIP_GAP = 10.0
LEVEL_STEP = 30.0  # vertical distance between two emotion levels in the journey band
CHART_STEP = 14.0  # the same in the chart of personas under the steps (--persona compare)
MISSING_ZONE = 18.0  # the hatched strip with the "not supported" glyph of a missing step
CHIP_LINES = 4  # a step's text is cut (with an ellipsis) after this many lines
MARK_HEIGHT = 26.0  # a hand-off or order mark between two steps (two lines)
MARK_SIZE = 9.0  # its font size
TAG_SIZE = 8.0  # font size of the step numbers on supporting elements (wrapped journeys)
PAIN_RING = 1.5  # the ink line inside a pain point's red outline, readable on its fill
# Line styles of the personas' curves side by side (with palette.PERSONA_COLOURS and
# icons.persona_point): never only a colour.
PERSONA_DASHES = ("", "7,3", "2,2.5", "9,3,2,3", "4,4", "1,3", "12,3,3,3,3,3", "6,2,1,2")
BAND_FILL = "#F7F9FB"
BAND_STROKE = "#C8D0D8"
TITLE_COLOUR = "#22242A"
LEGEND_SIZE = 10.0
