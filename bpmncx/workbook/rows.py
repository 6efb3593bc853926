"""Which elements get a Touchpoints row, in which order, and what the read-only cells say."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List

from ..model import FlowNode, Model
from .suggest import suggestion


@dataclass(frozen=True)
class ElementRow:
    """The read-only part of one Touchpoints row."""

    model: str
    pool: str
    lane: str
    element_id: str
    element_name: str
    type: str
    suggestion: str


_SPECIAL = {"subProcess": "Sub-process", "adHocSubProcess": "Ad-hoc sub-process"}


def _words(kind: str) -> str:
    if kind in _SPECIAL:
        return _SPECIAL[kind]
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", kind).lower()
    return spaced[:1].upper() + spaced[1:]


def type_label(node: FlowNode) -> str:
    """'userTask' -> 'User task'; 'boundaryEvent' + timer -> 'Boundary event (timer)'."""
    label = _words(node.kind)
    if node.is_event and node.event_definitions:
        label += f" ({', '.join(node.event_definitions)})"
    return label


def listed_nodes(model: Model) -> List[FlowNode]:
    """Every activity and every named event, in a stable, readable order.

    Pool by pool, lane by lane, then left to right on the diagram (document
    order when there is no diagram).
    """
    pool_rank = {p.process_id: i for i, p in enumerate(model.participants) if p.process_id}
    lane_rank = {lane.id: i for i, lane in enumerate(model.lanes)}
    shape_of = {}
    if model.has_di:
        for p in model.planes:
            for element_id, shape in p.shape_of.items():
                shape_of.setdefault(element_id, shape)
    chosen = [n for n in model.nodes if n.is_activity or (n.is_event and n.name.strip())]

    def sort_key(item):
        index, node = item
        lanes = model.effective_lane_path(node)
        shape = shape_of.get(node.id)
        position = (shape.bounds.x, shape.bounds.y) if shape else (float("inf"), float("inf"))
        return (
            pool_rank.get(node.process_id, len(pool_rank)),
            lane_rank.get(lanes[-1].id, -1) if lanes else -1,
            position if model.has_di else (0.0, 0.0),
            index,
        )

    return [node for _, node in sorted(enumerate(chosen), key=sort_key)]


def element_rows(model: Model) -> List[ElementRow]:
    rows = []
    for node in listed_nodes(model):
        rows.append(
            ElementRow(
                model=model.name,
                pool=model.pool_label(node),
                lane=" / ".join(lane.name or lane.id for lane in model.effective_lane_path(node)),
                element_id=node.id,
                element_name=" ".join(node.name.split()),
                type=type_label(node),
                suggestion=suggestion(model, node),
            )
        )
    return rows


@dataclass(frozen=True)
class BandRow:
    """The read-only part of one Pools and lanes row."""

    model: str
    pool: str
    lane: str
    band_id: str
    suggestion: str


def band_rows(model: Model) -> List[BandRow]:
    """One row per pool and lane, each pool followed by its lanes; the Suggestion from the
    model alone (the owners' customer-facing marks are not known yet)."""
    from ..analysis.blueprint import bands, suggest_sides, suggestion_text

    suggested = suggest_sides(model)
    return [BandRow(model.name, band.pool_name, band.lane_path if band.is_lane else "",
                    band.id, suggestion_text(suggested[band.id])) for band in bands(model)]
