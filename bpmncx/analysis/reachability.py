"""What can happen after what in one model: a flow graph, its starts, its closure.

The graph is built once per model. Its edges are the ways control or a message
gets from one element to the next:

- sequence flows; flows leaving a sub-process leave from its *exit*, reached
  when the content of the sub-process is done;
- message flows between flow nodes;
- an activity to each of its boundary events;
- a compensation boundary event to its compensation activity (association);
- a link throw event to the link catch events of the same name (ignoring
  case, spaces and line breaks, which exports change);
- a sub-process to what runs first inside it: its start events, else (no
  start event) its children without incoming sequence flow, every child of an
  ad-hoc sub-process, and the start events of event sub-processes inside it.

Starts are the start events at the top of each process, the event
sub-processes at the top of a process (entered at their start events), and
instantiating receive tasks and event-based gateways; a process without any top-level start event starts at
its top-level nodes without incoming sequence flow, as BPMN says.

``reached`` is one search from all starts together; ``reaches(a, b)`` reads a
transitive closure computed once (strongly connected components, then one
bit set per component), so asking about many pairs never walks the graph again.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Dict, FrozenSet, List, Optional, Set

from ..model import SUBPROCESS_KINDS, FlowNode, Model

_EXIT = " exit"  # suffix of a sub-process's exit node; ids (NCNames) hold no space


class Reachability:
    """Reachability over one model's flow graph."""

    def __init__(self, model: Model):
        self.model = model
        self.successors: Dict[str, List[str]] = _graph(model)
        self.starts: List[str] = _starts(model)
        self.reached: FrozenSet[str] = self._search(self.starts)
        self._closure: Optional[Dict[str, int]] = None
        self._bit: Dict[str, int] = {}

    def is_reached(self, node_id: str) -> bool:
        """True when some start event (or implicit start) leads to the node."""
        return node_id in self.reached

    def reaches(self, source: str, target: str) -> bool:
        """True when a path of at least one step leads from ``source`` to ``target``."""
        if self._closure is None:
            self._closure = self._compute_closure()
        bits = self._closure.get(source)
        if bits is None or target not in self._bit:
            return False
        return bool(bits >> self._bit[target] & 1)

    def contains(self, outer: str, inner: str) -> bool:
        """True when ``inner`` sits (at any depth) inside the sub-process ``outer``."""
        node = self.model.node.get(inner)
        while node is not None and node.parent_id:
            if node.parent_id == outer:
                return True
            node = self.model.node.get(node.parent_id)
        return False

    # -- internals --------------------------------------------------------

    def _search(self, roots: List[str]) -> FrozenSet[str]:
        seen: Set[str] = set(roots)
        stack = list(roots)
        while stack:
            for nxt in self.successors.get(stack.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return frozenset(n for n in seen if not n.endswith(_EXIT))

    def _compute_closure(self) -> Dict[str, int]:
        """Node -> bit set of the nodes reachable from it (one or more steps)."""
        nodes = sorted(set(self.successors) | {t for ts in self.successors.values() for t in ts})
        self._bit = {n: i for i, n in enumerate(nodes)}
        components = _strongly_connected(nodes, self.successors)
        # Tarjan yields components in reverse topological order: successors first.
        component_of: Dict[str, int] = {}
        for index, members in enumerate(components):
            for member in members:
                component_of[member] = index
        closure_of_component: List[int] = []
        for index, members in enumerate(components):
            bits = 0
            member_bits = 0
            for member in members:
                member_bits |= 1 << self._bit[member]
            cyclic = len(members) > 1
            for member in members:
                for nxt in self.successors.get(member, ()):
                    other = component_of[nxt]
                    if other == index:
                        cyclic = True
                    else:
                        bits |= closure_of_component[other] | (1 << self._bit[nxt])
            if cyclic:
                bits |= member_bits
            closure_of_component.append(bits)
        return {n: closure_of_component[component_of[n]] for n in nodes}


def _strongly_connected(nodes: List[str], successors: Dict[str, List[str]]) -> List[List[str]]:
    """Tarjan's algorithm without recursion; components come successors-first."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    on_stack: Set[str] = set()
    stack: List[str] = []
    components: List[List[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(successors.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(successors.get(child, ()))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    return components


def _children(model: Model) -> Dict[Optional[str], List[FlowNode]]:
    found: Dict[Optional[str], List[FlowNode]] = defaultdict(list)
    for node in model.nodes:
        found[node.parent_id].append(node)
    return found


def _graph(model: Model) -> Dict[str, List[str]]:
    nodes = model.node
    children = _children(model)
    has_content = {n.id for n in model.nodes if n.kind in SUBPROCESS_KINDS and children.get(n.id)}
    edges: Dict[str, Set[str]] = defaultdict(set)
    incoming: Set[str] = set()
    outgoing: Set[str] = set()

    def exit_of(node_id: str) -> str:
        return node_id + _EXIT if node_id in has_content else node_id

    for flow in model.connections:
        source, target = flow.source_id, flow.target_id
        if source not in nodes or target not in nodes:
            continue
        if flow.kind == "sequenceFlow":
            edges[exit_of(source)].add(target)
            outgoing.add(source)
            incoming.add(target)
        elif flow.kind == "messageFlow":
            edges[source].add(target)
        elif flow.kind == "association":
            if nodes[source].kind == "boundaryEvent" and nodes[target].is_for_compensation:
                edges[source].add(target)
                incoming.add(target)
    for node in model.nodes:
        if node.kind == "boundaryEvent" and node.attached_to in nodes:
            edges[node.attached_to].add(node.id)
    # Link events: a throw continues at the catch events of the same name.
    catches: Dict[tuple, List[str]] = defaultdict(list)
    for node in model.nodes:
        if node.kind == "intermediateCatchEvent" and "link" in node.event_definitions:
            catches[(node.process_id, node.parent_id, _link_name(node))].append(node.id)
    for node in model.nodes:
        if node.kind == "intermediateThrowEvent" and "link" in node.event_definitions:
            key = (node.process_id, node.parent_id, _link_name(node))
            for catch in catches.get(key, ()):
                edges[node.id].add(catch)
                incoming.add(catch)
    # Sub-processes: enter the content, leave through the exit.
    for node in model.nodes:
        if node.kind not in SUBPROCESS_KINDS:
            continue
        inner = children.get(node.id, [])
        if not inner:
            continue
        for first in _entries(node, inner, incoming):
            edges[node.id].add(first.id)
        for child in inner:
            if child.triggered_by_event:
                # An event sub-process can fire while its parent runs.
                edges[node.id].add(child.id)
            elif child.id not in outgoing:
                edges[exit_of(child.id)].add(node.id + _EXIT)
    return {source: sorted(targets) for source, targets in sorted(edges.items())}


def _link_name(node: FlowNode) -> str:
    """Link events pair by name; exports disagree on spaces and line breaks in it."""
    return "".join(node.name.split()).casefold()


def _entries(sub: FlowNode, inner: List[FlowNode], incoming: Set[str]) -> List[FlowNode]:
    """What runs first when the sub-process ``sub`` starts."""
    if sub.kind == "adHocSubProcess":
        return [n for n in inner if n.kind != "boundaryEvent" and not n.triggered_by_event]
    starts = [n for n in inner if n.kind == "startEvent"]
    if starts:
        return starts
    return [n for n in inner if _implicit_start(n, incoming)]


def _implicit_start(node: FlowNode, incoming: Set[str]) -> bool:
    return (
        node.id not in incoming
        and node.kind != "boundaryEvent"
        and not node.is_for_compensation
        and not node.triggered_by_event
    )


def _starts(model: Model) -> List[str]:
    graph_incoming: Set[str] = set()
    for flow in model.connections:
        if flow.kind == "sequenceFlow" and flow.target_id:
            graph_incoming.add(flow.target_id)
        elif flow.kind == "association" and flow.target_id in model.node:
            if model.node[flow.target_id].is_for_compensation:
                graph_incoming.add(flow.target_id)
    for node in model.nodes:
        if node.kind == "intermediateCatchEvent" and "link" in node.event_definitions:
            graph_incoming.add(node.id)
    starts: List[str] = []
    top_by_process: Dict[str, List[FlowNode]] = defaultdict(list)
    for node in _children(model).get(None, []):
        top_by_process[node.process_id].append(node)
    for process_id in sorted(top_by_process):
        top = top_by_process[process_id]
        has_start_event = any(n.kind == "startEvent" for n in top)
        for node in top:
            if (
                node.kind == "startEvent"
                # an event sub-process starts when its event happens; its
                # start events are entered from it
                or node.triggered_by_event
                or (node.instantiate and node.kind in ("receiveTask", "eventBasedGateway"))
                or (not has_start_event and _implicit_start(node, graph_incoming))
            ):
                starts.append(node.id)
    return sorted(set(starts))
