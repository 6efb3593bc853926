"""Why an element looks customer-facing: plain-language reasons for the Suggestion column.

Pure functions over the Model. The reasons only help the business owner decide;
bpmncx never marks a row customer-facing by itself.
"""

from __future__ import annotations

from typing import List

from ..model import FlowNode, Model, Participant
from ..vocabulary import customer_word


def _quote(name: str) -> str:
    return "\u201c" + " ".join(name.split()) + "\u201d"


def _pool_label(pool: Participant) -> str:
    return f"pool {_quote(pool.name)}" if pool.name else f"pool {pool.id}"


def _other_end(model: Model, node: FlowNode, flow):
    """For a message flow touching ``node``: (direction, pool, lane names) of the other end."""
    if flow.source_id == node.id:
        direction, other_id = "to", flow.target_id
    else:
        direction, other_id = "from", flow.source_id
    if other_id in model.participant:
        return direction, model.participant[other_id], []
    other = model.node.get(other_id or "")
    if other is None:
        return direction, None, []
    return direction, model.pool_of(other), [lane.name for lane in model.effective_lane_path(other)]


def _is_message_node(node: FlowNode) -> bool:
    return node.kind in ("sendTask", "receiveTask") or (
        node.is_event and "message" in node.event_definitions
    )


def reasons(model: Model, node: FlowNode) -> List[str]:
    """Every reason, most telling first; empty when nothing suggests a customer."""
    found: List[str] = []
    pool = model.pool_of(node)
    if pool is not None and customer_word(pool.name):
        found.append(f"in the customer-like {_pool_label(pool)}")
    for lane in model.effective_lane_path(node):
        if customer_word(lane.name):
            found.append(f"in the customer-like lane {_quote(lane.name)}")
    for flow in model.message_flows_at.get(node.id, ()):
        direction, other_pool, other_lanes = _other_end(model, node, flow)
        if other_pool is None or other_pool is pool:
            continue
        verb = "sends a message" if direction == "to" else "receives a message"
        if not _is_message_node(node):
            verb = "exchanges messages"
            direction = "with"
        customer_lane = next((name for name in other_lanes if customer_word(name)), None)
        if customer_word(other_pool.name):
            what = f"the customer-like {_pool_label(other_pool)}"
        elif customer_lane:
            what = f"the customer-like lane {_quote(customer_lane)}"
        elif other_pool.is_black_box:
            what = f"the external (black-box) {_pool_label(other_pool)}"
        else:
            continue
        reason = f"{verb} {direction} {what}"
        if reason not in found:
            found.append(reason)
    word = customer_word(node.name)
    if word and not found:
        found.append(f"its name mentions {_quote(word)}")
    return found


def suggestion(model: Model, node: FlowNode) -> str:
    """The Suggestion cell: reasons joined by '; ', or ''."""
    return "; ".join(reasons(model, node))
