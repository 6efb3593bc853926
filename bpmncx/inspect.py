"""What a model contains, counted the way the README documents."""

from __future__ import annotations

from typing import Dict, List, Optional

from .model import ACTIVITY_KINDS, EVENT_KINDS, GATEWAY_KINDS, Model


def summary(model: Model) -> Dict[str, object]:
    """Counts and warnings for one model, as printed by ``bpmncx inspect --json``."""
    kinds = [n.kind for n in model.nodes]
    return {
        "file": model.path,
        "processes": len(model.processes),
        "participants": len(model.participants),
        "lanes": len(model.lanes),
        "activities": sum(k in ACTIVITY_KINDS for k in kinds),
        "events": sum(k in EVENT_KINDS for k in kinds),
        "gateways": sum(k in GATEWAY_KINDS for k in kinds),
        "sequence_flows": len(model.connections_of_kind("sequenceFlow")),
        "message_flows": len(model.connections_of_kind("messageFlow")),
        "data_objects": _data_count(model, "dataObject", "dataObjectReference"),
        "data_stores": _data_count(model, "dataStore", "dataStoreReference"),
        "annotations": sum(a.kind == "textAnnotation" for a in model.artifacts),
        "diagrams": len(model.planes),
        "diagram_names": [plane.label for plane in model.planes],
        "has_di": model.has_di,
        "warnings": list(model.warnings),
    }


def _data_count(model: Model, kind: str, reference_kind: str) -> int:
    """Data objects (or stores) as a reader of the diagram sees them.

    Each reference is one symbol on the diagram; a definition that no
    reference points to (older tools draw those directly) counts once too,
    so a data object with its reference is not counted twice.
    """
    references = [a for a in model.artifacts if a.kind == reference_kind]
    referenced = {a.ref_id for a in references}
    unreferenced = [a for a in model.artifacts if a.kind == kind and a.id not in referenced]
    return len(references) + len(unreferenced)


def _lane_id(lane) -> Optional[str]:
    return lane.id if lane is not None else None


def _counts(model: Model, nodes) -> str:
    activities = sum(n.kind in ACTIVITY_KINDS for n in nodes)
    events = sum(n.kind in EVENT_KINDS for n in nodes)
    gateways = sum(n.kind in GATEWAY_KINDS for n in nodes)
    return (f"{_plural(activities, 'activity', 'activities')}, {_plural(events, 'event')}, "
            f"{_plural(gateways, 'gateway')}")


def _plural(count: int, one: str, many: str = "") -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def tree(model: Model) -> List[str]:
    """Pools and lanes as an indented tree with element counts, one string per line."""
    lines: List[str] = []
    shown_processes = set()
    lane_ids = {n.id: _lane_id(model.effective_lane(n)) for n in model.nodes}

    # Only nodes whose innermost lane is this one (nodes inside a sub-process go
    # with the sub-process), so counts add up.
    nodes_in_lane: Dict[Optional[str], list] = {}
    for node in model.nodes:
        nodes_in_lane.setdefault(lane_ids[node.id], []).append(node)
    lanes_in: Dict[tuple, list] = {}
    for lane in model.lanes:
        lanes_in.setdefault((lane.process_id, lane.parent_id), []).append(lane)

    def lanes_under(process_id, parent_id, depth):
        # Depth first with a stack, not recursion, and each lane shown once: a
        # nesting cycle in a model built by hand (the reader breaks them) still ends.
        shown = set()
        work = [(lane, depth) for lane in reversed(lanes_in.get((process_id, parent_id), []))]
        while work:
            lane, level = work.pop()
            if id(lane) in shown:
                continue
            shown.add(id(lane))
            label = _one_line(lane.name) or f"(unnamed lane {lane.id})"
            own = nodes_in_lane.get(lane.id, [])
            lines.append("  " * level + f"lane {label}: {_counts(model, own)}")
            work.extend((child, level + 1)
                        for child in reversed(lanes_in.get((process_id, lane.id), [])))

    nodes_in_process: Dict[str, list] = {}
    for node in model.nodes:
        nodes_in_process.setdefault(node.process_id, []).append(node)
    flows_in_process: Dict[Optional[str], int] = {}
    for flow in model.connections:
        if flow.kind == "sequenceFlow":
            flows_in_process[flow.process_id] = flows_in_process.get(flow.process_id, 0) + 1
    laned_processes = {lane.process_id for lane in model.lanes}

    blocks: Dict[Optional[str], List[str]] = {}  # many pools may show one process

    def process_block(process_id, title, depth):
        if process_id not in blocks:
            start = len(lines)
            nodes = nodes_in_process.get(process_id, [])
            flows = flows_in_process.get(process_id, 0)
            lines.append(f"{_counts(model, nodes)}, {_plural(flows, 'sequence flow')}")
            lanes_under(process_id, None, depth + 1)
            unlaned = [n for n in nodes if lane_ids[n.id] is None]
            if unlaned and process_id in laned_processes:
                lines.append("  " * (depth + 1) + f"(no lane): {_counts(model, unlaned)}")
            blocks[process_id] = lines[start:]
            del lines[start:]
        first, *rest = blocks[process_id]
        lines.append("  " * depth + f"{title}: {first}")
        lines.extend(rest)

    for pool in model.participants:
        name = _one_line(pool.name) or f"(unnamed pool {pool.id})"
        if pool.is_black_box:
            lines.append(f"pool {name} (black box)")
        else:
            process_block(pool.process_id, f"pool {name}", 0)
            shown_processes.add(pool.process_id)
    for process in model.processes:
        if process.id not in shown_processes:
            process_block(process.id, f"process {_one_line(process.name) or process.id}", 0)
    return lines


def _one_line(name: str) -> str:
    """Multi-line names (kept in the model) on one line for the tree."""
    return " ".join(name.split())
