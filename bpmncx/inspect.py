"""What a model contains, counted the way the README documents."""

from __future__ import annotations

from typing import Dict, List

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
        "data_objects": sum(a.kind in ("dataObject", "dataObjectReference") for a in model.artifacts),
        "data_stores": sum(a.kind in ("dataStore", "dataStoreReference") for a in model.artifacts),
        "annotations": sum(a.kind == "textAnnotation" for a in model.artifacts),
        "diagrams": len(model.planes),
        "has_di": model.has_di,
        "warnings": list(model.warnings),
    }


def _counts(model: Model, nodes) -> str:
    activities = sum(n.kind in ACTIVITY_KINDS for n in nodes)
    events = sum(n.kind in EVENT_KINDS for n in nodes)
    gateways = sum(n.kind in GATEWAY_KINDS for n in nodes)
    return f"{activities} activities, {events} events, {gateways} gateways"


def tree(model: Model) -> List[str]:
    """Pools and lanes as an indented tree with element counts, one string per line."""
    lines: List[str] = []
    shown_processes = set()

    def lanes_under(process_id, parent_id, depth):
        for lane in model.lanes:
            if lane.process_id == process_id and lane.parent_id == parent_id:
                members = [model.node[i] for i in lane.flow_node_ids if i in model.node]
                # Only nodes whose innermost lane is this one, so counts add up.
                own = [n for n in members if n.lane_id == lane.id]
                label = lane.name or f"(unnamed lane {lane.id})"
                lines.append("  " * depth + f"lane {label}: {_counts(model, own)}")
                lanes_under(process_id, lane.id, depth + 1)

    def process_block(process_id, title, depth):
        nodes = [n for n in model.nodes if n.process_id == process_id]
        lines.append("  " * depth + f"{title}: {_counts(model, nodes)}")
        lanes_under(process_id, None, depth + 1)
        unlaned = [n for n in nodes if n.lane_id is None]
        if unlaned and any(l.process_id == process_id for l in model.lanes):
            lines.append("  " * (depth + 1) + f"(no lane): {_counts(model, unlaned)}")

    for pool in model.participants:
        name = pool.name or f"(unnamed pool {pool.id})"
        if pool.is_black_box:
            lines.append(f"pool {name} (black box)")
        else:
            process_block(pool.process_id, f"pool {name}", 0)
            shown_processes.add(pool.process_id)
    for process in model.processes:
        if process.id not in shown_processes:
            process_block(process.id, f"process {process.name or process.id}", 0)
    return lines
