"""A seeded simulator: plays cases through a BPMN model and writes the log it would leave.

For tests and the demo: the measures computed from the written log must equal
what the simulator knows happened (:attr:`SimulatedCase.events`). Deterministic:
the same model, scenario and seed give the same cases and byte-identical files.

How a case is played: from the start event of the process no other process
starts, along sequence flows; exclusive, inclusive and event-based gateways
take one outgoing flow (weights from ``Scenario.branches``, else equal);
parallel splits run their branches one after another up to their join; a
message flow from a task to another process's start event plays that process
there and then; boundary events fire with ``Scenario.boundary`` probabilities.
Before each named activity or event, the case may end (``drop``: the customer
left) or the element may not happen (``skip``: no event, no time). A node
visited ``max_visits`` times ends the case (a loop that will not end).
Gateways and unnamed events leave no event. Times are whole seconds.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from ..annotations import ElementRef
from ..files import write_atomic
from ..model import ElementIndex, FlowNode, Model, name_key

Range = Tuple[int, int]


@dataclass(frozen=True)
class CustomerEvent:
    """An event on the customer's side no model has (a web visit, a call), logged
    under ``activity``: ``lead`` seconds before the case's first event, or ``delay``
    seconds after the element ``after`` completes (only when it happened), with
    probability ``probability``."""

    activity: str
    after: Optional[str] = None  # element id
    lead: Range = (3600, 86400)
    delay: Range = (600, 7200)
    probability: float = 1.0


@dataclass(frozen=True)
class Scenario:
    cases: int = 100
    seed: int = 1
    start: datetime = datetime(2024, 3, 1, 8, 0, tzinfo=timezone.utc)
    arrival: Range = (600, 7200)  # seconds between two cases' starts
    duration: Range = (300, 7200)  # an activity's start to complete
    wait: Range = (60, 86400)  # before each activity or event
    durations: Mapping[str, Range] = field(default_factory=dict)  # element id -> range
    waits: Mapping[str, Range] = field(default_factory=dict)
    # gateway id -> target node id -> weight
    branches: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    boundary: Mapping[str, float] = field(default_factory=dict)  # boundary event id -> probability
    drop: Mapping[str, float] = field(default_factory=dict)  # element id -> probability
    skip: Mapping[str, float] = field(default_factory=dict)
    customer_events: Sequence[CustomerEvent] = ()
    lifecycle: bool = True  # activities log start and complete; events complete only
    max_visits: int = 3


@dataclass(frozen=True)
class SimulatedEvent:
    """What happened: an element (or a customer event) from ``start`` to ``complete``
    (seconds since the scenario start; equal for events)."""

    activity: str
    element: Optional[ElementRef]
    start: int
    complete: int
    is_activity: bool
    resource: str = ""


@dataclass(frozen=True)
class SimulatedCase:
    case_id: str
    events: Tuple[SimulatedEvent, ...]  # in time order
    dropped_before: Optional[str] = None  # element id where the customer left


@dataclass(frozen=True)
class SimulatedLog:
    model: str
    scenario: Scenario
    cases: Tuple[SimulatedCase, ...]

    def rows(self, zone: Optional[str] = None) -> List[Tuple[str, str, str, str, str]]:
        """(case id, activity, timestamp text, lifecycle, resource) rows in case order,
        the order the files list them in. ``zone``: None writes naive UTC times, "Z"
        or "+02:00" writes that offset (shifting the wall clock)."""
        out = []
        for case in self.cases:
            for ev in case.events:
                if ev.is_activity and self.scenario.lifecycle:
                    out.append((case.case_id, ev.activity, self.time(ev.start, zone), "start",
                                ev.resource))
                out.append((case.case_id, ev.activity, self.time(ev.complete, zone), "complete",
                            ev.resource))
        return out

    def time(self, seconds: int, zone: Optional[str] = None) -> str:
        moment = self.scenario.start + timedelta(seconds=seconds)
        if zone is None:
            return moment.strftime("%Y-%m-%d %H:%M:%S")
        if zone == "Z":
            return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        sign = 1 if zone[0] == "+" else -1
        hours, minutes = int(zone[1:3]), int(zone[-2:])
        offset = timezone(sign * timedelta(hours=hours, minutes=minutes))
        return moment.astimezone(offset).isoformat()

    def write_csv(self, path, delimiter: str = ",", zone: Optional[str] = None) -> None:
        lines = [delimiter.join(("case_id", "activity", "timestamp", "lifecycle", "resource"))]
        for row in self.rows(zone):
            lines.append(delimiter.join(_csv_field(v, delimiter) for v in row))
        write_atomic(path, ("\n".join(lines) + "\n").encode("utf-8"))

    def write_xes(self, path, zone: str = "Z") -> None:
        # Imported here: it pulls in urllib and http.client, which measuring a log
        # never needs.
        from xml.sax.saxutils import quoteattr

        out = ['<?xml version="1.0" encoding="UTF-8"?>',
               '<log xes.version="1849-2016" xmlns="http://www.xes-standard.org/">']
        for name, prefix in (("Concept", "concept"), ("Time", "time"),
                             ("Lifecycle", "lifecycle"), ("Organizational", "org")):
            out.append(f'  <extension name="{name}" prefix="{prefix}" '
                       f'uri="http://www.xes-standard.org/{prefix}.xesext"/>')
        by_case: Dict[str, List[tuple]] = {}
        for row in self.rows(zone):
            by_case.setdefault(row[0], []).append(row)
        for case in self.cases:
            out.append(f'  <trace><string key="concept:name" value={quoteattr(case.case_id)}/>')
            for _, activity, ts, lifecycle, resource in by_case.get(case.case_id, []):
                org = (f'<string key="org:resource" value={quoteattr(resource)}/>'
                       if resource else "")
                out.append(f'    <event><string key="concept:name" value={quoteattr(activity)}/>'
                           f'<date key="time:timestamp" value="{ts}"/>'
                           f'<string key="lifecycle:transition" value="{lifecycle}"/>{org}</event>')
            out.append("  </trace>")
        out.append("</log>")
        write_atomic(path, ("\n".join(out) + "\n").encode("utf-8"))

    def write_parquet(self, path) -> None:
        """Parquet through DuckDB: real TIMESTAMP WITH TIME ZONE values."""
        from .log import connect, write_query_parquet  # DuckDB only when asked

        rows = self.rows("Z")
        con = connect()
        try:
            con.execute("CREATE TABLE sim (case_id VARCHAR, activity VARCHAR, t VARCHAR, "
                        "lifecycle VARCHAR, resource VARCHAR, n BIGINT)")
            if rows:
                columns = [list(c) for c in zip(*rows)] + [list(range(len(rows)))]
                con.execute("INSERT INTO sim SELECT UNNEST(?), UNNEST(?), UNNEST(?), UNNEST(?), "
                            "UNNEST(?), UNNEST(?)", columns)
            write_query_parquet(con, "SELECT case_id, activity, CAST(t AS TIMESTAMPTZ) AS "
                                "timestamp, lifecycle, nullif(resource, '') AS resource "
                                "FROM sim ORDER BY n", path)
        finally:
            con.close()


def _csv_field(value: str, delimiter: str) -> str:
    if any(c in value for c in (delimiter, '"', "\n", "\r")):
        return '"' + value.replace('"', '""') + '"'
    return value


def activity_names(model: Model) -> Dict[str, str]:
    """Element id -> the activity name a log shows: the name on one line, or the id
    when the name is empty or several elements share it."""
    index = ElementIndex([model])
    names = {}
    for node in model.nodes:
        name = " ".join(node.name.split())
        shared = len(index.by_name.get(name_key(name), [])) > 1
        names[node.id] = node.id if (not name or shared) else name
    return names


def simulate(model: Model, scenario: Scenario = Scenario()) -> SimulatedLog:
    """Play ``scenario.cases`` cases through ``model``."""
    rng = random.Random(scenario.seed)
    player = _Player(model, scenario, rng)
    cases = []
    clock = 0
    width = len(str(scenario.cases))
    for number in range(1, scenario.cases + 1):
        clock += rng.randint(*scenario.arrival)
        cases.append(player.play(f"case-{number:0{width}d}", clock))
    return SimulatedLog(model.name, scenario, tuple(cases))


class _Ended(Exception):
    def __init__(self, dropped_before: Optional[str] = None):
        self.dropped_before = dropped_before


class _Player:
    def __init__(self, model: Model, scenario: Scenario, rng: random.Random):
        self.model = model
        self.scenario = scenario
        self.rng = rng
        self.names = activity_names(model)
        flows = model.connections_of_kind("sequenceFlow")
        self.outgoing: Dict[str, List[str]] = {}
        self.incoming: Dict[str, int] = {}
        for flow in sorted(flows, key=lambda f: f.id):
            if flow.source_id and flow.target_id:
                self.outgoing.setdefault(flow.source_id, []).append(flow.target_id)
                self.incoming[flow.target_id] = self.incoming.get(flow.target_id, 0) + 1
        self.boundaries: Dict[str, List[FlowNode]] = {}
        for node in model.nodes:
            if node.attached_to:
                self.boundaries.setdefault(node.attached_to, []).append(node)
        self.messages: Dict[str, List[str]] = {}
        started_by_process = set()
        for flow in model.connections_of_kind("messageFlow"):
            target = model.node.get(flow.target_id or "")
            source = model.node.get(flow.source_id or "")
            if target is not None and source is not None and target.kind == "startEvent":
                self.messages.setdefault(source.id, []).append(target.id)
                started_by_process.add(target.id)
        starts = [n for n in model.nodes if n.kind == "startEvent" and not n.parent_id
                  and n.id not in started_by_process]
        if not starts:
            raise ValueError(f"{model.path}: no start event to play cases from")
        self.start = starts[0]

    def play(self, case_id: str, clock: int) -> SimulatedCase:
        self.events: List[SimulatedEvent] = []
        self.visits: Dict[str, int] = {}
        dropped = None
        try:
            self.walk(self.start.id, clock, None)
        except _Ended as end:
            dropped = end.dropped_before
        events = self.events
        for extra in self.scenario.customer_events:
            if self.rng.random() >= extra.probability or not events:
                continue
            if extra.after is None:
                t = events[0].start - self.rng.randint(*extra.lead)
            else:
                done = [e for e in events if e.element and e.element.element_id == extra.after]
                if not done:
                    continue
                t = done[0].complete + self.rng.randint(*extra.delay)
            events.append(SimulatedEvent(extra.activity, None, t, t, False))
        events.sort(key=lambda e: (e.start, e.complete))
        return SimulatedCase(case_id, tuple(events), dropped)

    def walk(self, node_id: str, t: int, stop_at: Optional[str]) -> int:
        while True:
            if node_id == stop_at:
                return t
            node = self.model.node[node_id]
            seen = self.visits.get(node_id, 0) + 1
            self.visits[node_id] = seen
            if seen > self.scenario.max_visits:
                raise _Ended()
            t = self.perform(node, t)
            for started in self.messages.get(node_id, []):
                t = self.walk(started, t, None)
            fired = self.boundary(node)
            if fired is not None:
                t += self.rng.randint(*self.scenario.wait)
                self.record(fired, t, t, False)
                if fired.cancel_activity:
                    node = fired
            targets = self.outgoing.get(node.id, [])
            if not targets:
                return t
            if node.kind == "parallelGateway" and len(targets) > 1:
                join = self.join_of(targets[0])
                for target in targets:
                    t = self.walk(target, t, join)
                if join is None:
                    return t
                node_id = self.outgoing.get(join, [None])[0]
                if node_id is None:
                    return t
                continue
            node_id = targets[0] if len(targets) == 1 else self.choose(node.id, targets)

    def perform(self, node: FlowNode, t: int) -> int:
        if node.is_gateway or not node.name.strip() or node.kind == "boundaryEvent":
            return t
        if self.rng.random() < self.scenario.drop.get(node.id, 0.0):
            raise _Ended(node.id)
        if self.rng.random() < self.scenario.skip.get(node.id, 0.0):
            return t
        start = t + self.rng.randint(*self.scenario.waits.get(node.id, self.scenario.wait))
        complete = start
        if node.is_activity:
            complete = start + self.rng.randint(
                *self.scenario.durations.get(node.id, self.scenario.duration))
        self.record(node, start, complete, node.is_activity)
        return complete

    def record(self, node: FlowNode, start: int, complete: int, is_activity: bool) -> None:
        lane = self.model.effective_lane(node)
        self.events.append(SimulatedEvent(
            self.names[node.id], ElementRef(self.model.name, node.id), start, complete,
            is_activity, lane.name.strip() if lane is not None else ""))

    def boundary(self, node: FlowNode) -> Optional[FlowNode]:
        for event in self.boundaries.get(node.id, []):
            if self.rng.random() < self.scenario.boundary.get(event.id, 0.0):
                return event
        return None

    def choose(self, gateway: str, targets: List[str]) -> str:
        weights = self.scenario.branches.get(gateway, {})
        chosen = [weights.get(t, 0.0 if weights else 1.0) for t in targets]
        if not any(chosen):
            chosen = [1.0] * len(targets)
        return self.rng.choices(targets, weights=chosen)[0]

    def join_of(self, first: str) -> Optional[str]:
        """The parallel join a split's branch runs into (breadth first)."""
        queue, seen = [first], set()
        while queue:
            current = queue.pop(0)
            if current in seen:
                continue
            seen.add(current)
            node = self.model.node.get(current)
            if node is not None and node.kind == "parallelGateway" and \
                    self.incoming.get(current, 0) > 1:
                return current
            queue.extend(self.outgoing.get(current, []))
        return None
