"""Process changes between two versions of a model: elements and flows.

Elements are matched by id first. Exporters sometimes give every element a new
id on each save, so the rest are then matched by kind and name near the same
place on the diagram, then by a kind and name that occur only once among the
rest (wherever they are, or without a layout), and last by kind and identical
bounds (a renamed element with a new id).
Flows are matched by their kind and (matched) ends, whatever their ids.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from ..model import Bounds, Model
from .result import ElementChange, ElementState, FlowChange, ProcessDiff

# How far (diagram units, between centres) an element may have moved on the
# diagram and still be matched by its name when its id changed.
NEAR = 50.0
FLOW_KINDS = ("sequenceFlow", "messageFlow")


def tidy(text: str) -> str:
    return " ".join((text or "").split())


def _fold(text: str) -> str:
    return tidy(text).casefold()


@dataclass(frozen=True)
class _Item:
    """An element reduced to what matching looks at."""

    id: str
    group: str  # "node" | "participant" | "lane" | "process": only matched within a group
    kind: str
    name: str  # folded
    bounds: Optional[Bounds]


def bounds_of(model: Model) -> Dict[str, Bounds]:
    """Element id -> its bounds: the main plane first, then the others (collapsed
    sub-processes); empty when the layout is not the modeller's own."""
    if not model.has_di:
        return {}
    found: Dict[str, Bounds] = {}
    main = model.main_plane
    for plane in [main] + [p for p in model.planes if p is not main]:
        for shape in plane.shapes:
            found.setdefault(shape.element_id, shape.bounds)
    return found


def _items(model: Model, bounds: Dict[str, Bounds]) -> List[_Item]:
    items = [_Item(p.id, "process", "process", _fold(p.name), None) for p in model.processes]
    items += [_Item(p.id, "participant", "participant", _fold(p.name), bounds.get(p.id))
              for p in model.participants]
    items += [_Item(l.id, "lane", "lane", _fold(l.name), bounds.get(l.id)) for l in model.lanes]
    items += [_Item(n.id, "node", n.kind, _fold(n.name), bounds.get(n.id)) for n in model.nodes]
    return items


def _distance(a: Bounds, b: Bounds) -> float:
    return math.hypot(a.cx - b.cx, a.cy - b.cy)


def match_elements(old: Model, new: Model) -> Dict[str, str]:
    """Old element id -> new element id for every element found in both versions
    (processes, pools, lanes and flow nodes)."""
    old_items = _items(old, bounds_of(old))
    new_items = _items(new, bounds_of(new))
    new_by_id = {item.id: item for item in new_items}
    mapping: Dict[str, str] = {}
    for item in old_items:
        other = new_by_id.get(item.id)
        if other is not None and other.group == item.group:
            mapping[item.id] = other.id

    def rest():
        taken = set(mapping.values())
        return ([i for i in old_items if i.id not in mapping],
                [i for i in new_items if i.id not in taken])

    # Same kind and name, close on the diagram: nearest pairs first.
    old_rest, new_rest = rest()
    candidates: List[Tuple[float, int, int]] = []
    by_name: Dict[Tuple[str, str, str], List[int]] = {}
    for index, item in enumerate(new_rest):
        by_name.setdefault((item.group, item.kind, item.name), []).append(index)
    for o_index, item in enumerate(old_rest):
        for n_index in by_name.get((item.group, item.kind, item.name), ()):
            other = new_rest[n_index]
            if item.bounds is not None and other.bounds is not None:
                distance = _distance(item.bounds, other.bounds)
                if distance <= NEAR:
                    candidates.append((distance, o_index, n_index))
    _assign(candidates, old_rest, new_rest, mapping)

    # Farther away, or without a layout: a kind and name that occur once on each side.
    old_rest, new_rest = rest()
    _pair_unique(old_rest, new_rest, mapping,
                 lambda i: (i.group, i.kind, i.name) if i.name else None)

    # A new id and a new name, but the same kind in exactly the same place.
    old_rest, new_rest = rest()
    candidates = []
    for o_index, item in enumerate(old_rest):
        for n_index, other in enumerate(new_rest):
            if (item.group == other.group and item.kind == other.kind
                    and item.bounds is not None and other.bounds is not None
                    and _distance(item.bounds, other.bounds) < 1.0
                    and abs(item.bounds.width - other.bounds.width) < 1.0
                    and abs(item.bounds.height - other.bounds.height) < 1.0):
                candidates.append((0.0, o_index, n_index))
    _assign(candidates, old_rest, new_rest, mapping)

    # A single process each side (a renamed pool's process with a new id) is the same one.
    old_rest, new_rest = rest()
    _pair_unique(old_rest, new_rest, mapping,
                 lambda i: ("process",) if i.group == "process" else None)
    return mapping


def _assign(candidates, old_rest: Sequence[_Item], new_rest: Sequence[_Item],
            mapping: Dict[str, str]) -> None:
    """Greedy, best candidate first; ties keep model order (deterministic)."""
    used_old, used_new = set(), set()
    for _distance_, o_index, n_index in sorted(candidates):
        if o_index in used_old or n_index in used_new:
            continue
        used_old.add(o_index)
        used_new.add(n_index)
        mapping[old_rest[o_index].id] = new_rest[n_index].id


def _pair_unique(old_rest, new_rest, mapping, key) -> None:
    def once(items):
        counts: Dict[tuple, List[_Item]] = {}
        for item in items:
            k = key(item)
            if k is not None:
                counts.setdefault(k, []).append(item)
        return {k: v[0] for k, v in counts.items() if len(v) == 1}

    old_once, new_once = once(old_rest), once(new_rest)
    for k, item in old_once.items():
        if k in new_once:
            mapping[item.id] = new_once[k].id


# -- element states and changes ------------------------------------------------


def _pool_key(model: Model, process_id: str) -> str:
    pool = model.pool_of_process.get(process_id)
    return pool.id if pool is not None else process_id


def _pool_name(model: Model, process_id: str) -> str:
    pool = model.pool_of_process.get(process_id)
    if pool is not None:
        return tidy(pool.name) or pool.id
    process = model.process.get(process_id)
    return (tidy(process.name) if process is not None else "") or process_id


def _states(model: Model) -> Dict[str, Tuple[ElementState, Optional[str], Optional[str]]]:
    """Element id -> (state, pool key, lane id), for pools, lanes and flow nodes,
    in model order."""
    bounds = bounds_of(model)
    states: Dict[str, Tuple[ElementState, Optional[str], Optional[str]]] = {}
    for pool in model.participants:
        states[pool.id] = (ElementState(pool.id, "participant", tidy(pool.name), "", "",
                                        bounds.get(pool.id)), None, None)
    for lane in model.lanes:
        parent = model.lane.get(lane.parent_id) if lane.parent_id else None
        states[lane.id] = (ElementState(lane.id, "lane", tidy(lane.name),
                                        _pool_name(model, lane.process_id),
                                        tidy(parent.name) if parent is not None else "",
                                        bounds.get(lane.id)), None, None)
    for node in model.nodes:
        lane = model.effective_lane(node)
        states[node.id] = (
            ElementState(node.id, node.kind, tidy(node.name), _pool_name(model, node.process_id),
                         (tidy(lane.name) or lane.id) if lane is not None else "",
                         bounds.get(node.id)),
            _pool_key(model, node.process_id),
            lane.id if lane is not None else None,
        )
    return states


def compare_process(old: Model, new: Model, mapping: Dict[str, str]) -> ProcessDiff:
    """The element and flow changes from ``old`` to ``new`` given the matching."""
    old_states, new_states = _states(old), _states(new)
    matched_new = set(mapping.values())
    removed = [ElementChange("removed", state, None)
               for element_id, (state, _p, _l) in old_states.items() if element_id not in mapping]
    added = [ElementChange("added", None, state)
             for element_id, (state, _p, _l) in new_states.items()
             if element_id not in matched_new]
    back = {new_id: old_id for old_id, new_id in mapping.items()}
    changed = []
    for new_id, (state, pool, lane) in new_states.items():
        old_id = back.get(new_id)
        if old_id is None or old_id not in old_states:
            continue
        old_state, old_pool, old_lane = old_states[old_id]
        aspects = []
        if old_state.name != state.name:
            aspects.append("renamed")
        if old_state.kind != state.kind:
            aspects.append("retyped")
        if pool is not None and (_mapped(mapping, old_pool) != pool
                                 or _mapped(mapping, old_lane) != lane):
            aspects.append("moved")
        if aspects:
            changed.append(ElementChange("changed", old_state, state, tuple(aspects)))
    regenerated = tuple((old_id, new_id) for old_id, new_id in mapping.items()
                        if old_id != new_id and old_id in old_states)
    return ProcessDiff(
        elements=tuple(removed + added + changed),
        flows=_compare_flows(old, new, mapping),
        regenerated_ids=regenerated,
    )


def _mapped(mapping: Dict[str, str], old_id: Optional[str]):
    """The new id of an old element; something no new id equals when it has none."""
    if old_id is None:
        return None
    return mapping.get(old_id, ("only in the old version", old_id))


def _flow(model: Model, change: str, connection) -> FlowChange:
    return FlowChange(
        change, connection.kind, connection.id, tidy(connection.name),
        connection.source_id or "", tidy(model.lookup_name(connection.source_id or "")),
        connection.target_id or "", tidy(model.lookup_name(connection.target_id or "")),
    )


def _compare_flows(old: Model, new: Model, mapping: Dict[str, str]) -> Tuple[FlowChange, ...]:
    waiting: Dict[tuple, List] = {}
    for connection in new.connections:
        if connection.kind in FLOW_KINDS:
            key = (connection.kind, connection.source_id, connection.target_id)
            waiting.setdefault(key, []).append(connection)
    # An end that is none of the elements matched (a dangling reference, an element
    # bpmncx does not read) is compared by its id as it is.
    matched = set(old.node) | set(old.participant) | set(old.lane) | set(old.process)

    def end(element_id):
        return _mapped(mapping, element_id) if element_id in matched else element_id

    removed = []
    for connection in old.connections:
        if connection.kind not in FLOW_KINDS:
            continue
        key = (connection.kind, end(connection.source_id), end(connection.target_id))
        if waiting.get(key):
            waiting[key].pop(0)
        else:
            removed.append(_flow(old, "removed", connection))
    left = {id(c) for group in waiting.values() for c in group}
    added = [_flow(new, "added", c) for c in new.connections if id(c) in left]
    return tuple(removed + added)
