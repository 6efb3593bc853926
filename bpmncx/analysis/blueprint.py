"""The service blueprint's one rule: which row (customer, frontstage, backstage, support)
each pool, lane and element is in, and the flows between the elements a journey names.

Pure functions over the Model and the owners' annotations. The workbook's *Pools and
lanes* sheet shows :func:`suggest_sides` as its Suggestion column; :class:`Sides`
answers for the analysis, the hand-offs, the blueprint drawing and the reports alike.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Callable, Container, Dict, Iterable, List, Optional, Sequence, Set, Tuple

from ..annotations import Annotations, ElementRef
from ..model import FlowNode, Model
from ..vocabulary import BLUEPRINT_ROWS, customer_word, system_word

CUSTOMER, FRONTSTAGE, BACKSTAGE, SUPPORT = BLUEPRINT_ROWS
# Rows above the line of visibility: what the customer does and sees.
VISIBLE = frozenset({CUSTOMER, FRONTSTAGE})
# Flows a blueprint follows between elements (and through gateways no step names).
FLOW_KINDS = frozenset({"sequenceFlow", "messageFlow"})


def _quote(name: str) -> str:
    return "\u201c" + " ".join(name.split()) + "\u201d"


@dataclass(frozen=True)
class Band:
    """A pool (or a process without a pool) or a lane: one row of the Pools and lanes sheet."""

    model: str
    id: str
    name: str  # as modelled, may be empty
    pool_id: str  # the enclosing pool's id (its own for a pool)
    pool_name: str
    parent_id: Optional[str]  # the enclosing lane, or the pool for a top-level lane; None for a pool
    is_lane: bool
    lane_path: str = ""  # "Outer / Inner" as the Touchpoints sheet shows lanes

    @property
    def label(self) -> str:
        return " ".join((self.name or self.id).split())


@dataclass(frozen=True)
class SideSuggestion:
    row: str  # one of BLUEPRINT_ROWS
    why: str  # plain language, for the Suggestion column


def bands(model: Model) -> List[Band]:
    """Every pool of ``model`` (processes without a pool too), each followed by its lanes
    depth-first, in document order."""
    found: List[Band] = []
    pools: List[Tuple[str, str, Optional[str]]] = []  # (id, name, process id)
    pooled = set()
    for participant in model.participants:
        pools.append((participant.id, participant.name, participant.process_id))
        if participant.process_id:
            pooled.add(participant.process_id)
    for process in model.processes:
        if process.id not in pooled:
            pools.append((process.id, process.name, process.id))
    children: Dict[Optional[str], List] = {}
    for lane in model.lanes:
        children.setdefault(lane.parent_id, []).append(lane)
    # A lane id the file repeats is one band: walking both copies' children by id would
    # fan out twice per level (100 nested copies: 2**100 bands).
    seen: Set[str] = set()
    for pool_id, pool_name, process_id in pools:
        pool_label = " ".join((pool_name or pool_id).split())
        found.append(Band(model.name, pool_id, pool_name, pool_id, pool_label, None, False))

        def add(lane, parent: str, path: str) -> None:
            if lane.id in seen:
                return
            seen.add(lane.id)
            label = path + (" / " if path else "") + (lane.name.strip() or lane.id)
            found.append(Band(model.name, lane.id, lane.name, pool_id, pool_label, parent, True,
                              " ".join(label.split())))
            for child in children.get(lane.id, []):
                add(child, lane.id, label)

        if process_id:
            for lane in children.get(None, []):
                if lane.process_id == process_id:
                    add(lane, pool_id, "")
    return found


class _ModelBands:
    """A model's bands and which band holds which element (its innermost lane, else its pool)."""

    def __init__(self, model: Model):
        self.model = model
        self.list = bands(model)
        self.by_id: Dict[str, Band] = {b.id: b for b in self.list}
        self.pool_of_process: Dict[str, str] = {}
        self._members: Optional[Dict[str, List[FlowNode]]] = None
        for band in self.list:
            if not band.is_lane:
                process = model.participant[band.id].process_id if band.id in model.participant \
                    else band.id
                if process:
                    self.pool_of_process.setdefault(process, band.id)

    def path(self, node: FlowNode) -> List[Band]:
        """The bands holding ``node``, innermost first: lanes, then the pool."""
        lanes = [self.by_id[lane.id] for lane in reversed(self.model.effective_lane_path(node))
                 if lane.id in self.by_id]
        pool = self.by_id.get(self.pool_of_process.get(node.process_id, ""))
        return lanes + ([pool] if pool is not None else [])

    def ancestors(self, band: Band) -> List[Band]:
        """``band`` and the bands enclosing it, innermost first."""
        out = [band]
        while out[-1].parent_id and out[-1].parent_id in self.by_id:
            out.append(self.by_id[out[-1].parent_id])
        return out

    def members(self, band: Band) -> List[FlowNode]:
        """The elements a band holds: in a lane or its sub-lanes; in a pool, those in no lane."""
        if self._members is None:
            self._members = {}
            for node in self.model.nodes:
                path = self.path(node)
                for holder in path[:-1] if len(path) > 1 else path:
                    self._members.setdefault(holder.id, []).append(node)
        return self._members.get(band.id, [])


def _customer_bands(index: "_ModelBands") -> Dict[str, str]:
    """Band id -> why it is the customer's (its name, or an enclosing one's, has a customer word)."""
    customer: Dict[str, str] = {}
    for band in index.list:
        for outer in index.ancestors(band):
            word = customer_word(outer.name)
            if word:
                what = "its name" if outer is band else f"the enclosing {_quote(outer.label)}"
                customer[band.id] = f"{what} mentions {_quote(word)}"
                break
    return customer


def customer_contact(model: Model, customer_facing: Callable[[str], bool] = lambda element_id: False,
                     index: Optional["_ModelBands"] = None) -> Dict[str, str]:
    """Element id -> how it meets the customer: a message flow with the customer's pool,
    lane or elements, or ``customer_facing`` (the owners' mark). Customer-side elements
    themselves are not listed."""
    index = index or _ModelBands(model)
    customer = _customer_bands(index)

    def on_customer_side(element_id: Optional[str]) -> bool:
        if element_id in model.participant:
            return element_id in customer
        node = model.node.get(element_id or "")
        return node is not None and any(b.id in customer for b in index.path(node))

    contact: Dict[str, str] = {}
    for flow in model.connections:
        if flow.kind != "messageFlow":
            continue
        for mine, other in ((flow.source_id, flow.target_id), (flow.target_id, flow.source_id)):
            if mine in model.node and not on_customer_side(mine) and on_customer_side(other):
                verb = "sends a message to" if mine == flow.source_id else "receives a message from"
                contact.setdefault(mine, f"{_quote(model.node[mine].name or mine)} {verb} "
                                         "the customer")
    for node in model.nodes:
        if node.id not in contact and not on_customer_side(node.id) and customer_facing(node.id):
            contact[node.id] = f"{_quote(node.name or node.id)} is marked customer-facing"
    return contact


# The share of a lane's activities and events that must exchange messages with the
# customer for the lane to be suggested frontstage: a clerk who takes, confirms and
# answers orders among other work.
FRONTSTAGE_SHARE = 1 / 3


def _works_onstage(meeting: int, held: int) -> bool:
    """Whether a lane whose ``meeting`` of ``held`` elements exchange messages with the
    customer is frontstage: all of them do, or at least two and :data:`FRONTSTAGE_SHARE`
    (a single call to the customer stays an exception of a backstage lane)."""
    return meeting > 0 and (meeting == held or (meeting >= 2 and meeting >= FRONTSTAGE_SHARE * held))


def suggest_sides(model: Model,
                  customer_facing: Callable[[str], bool] = lambda element_id: False
                  ) -> Dict[str, SideSuggestion]:
    """The suggested blueprint row of every pool and lane of ``model`` (by id), and why.

    The customer's pool or lane (its name, or an enclosing one's, has a customer word)
    is the customer's row. The organisation is the pools holding an element that meets
    the customer (a message flow with the customer's side, or ``customer_facing``), or
    every pool with a process when none does. Its system or IT lanes (by their name) are
    support; a lane (or a pool without lanes) whose work is exchanging messages with the
    customer (:func:`_works_onstage`) is frontstage; its other lanes are backstage, their
    elements that meet the customer frontstage (:meth:`Sides.row`). Other pools and their
    lanes are support.
    """
    index = _ModelBands(model)
    customer = _customer_bands(index)
    contact = customer_contact(model, customer_facing, index)
    # A lane's own row is judged by the model's message flows alone: owners mark most
    # elements customers notice (waits included) customer-facing, which would put every
    # department onstage and leave no backstage.
    exchanges = customer_contact(model, index=index)
    organisation = {index.path(model.node[e])[-1].pool_id for e in contact
                    if index.path(model.node[e])}
    if not organisation:  # nobody meets the customer: every working pool is the organisation's
        organisation = {b.id for b in index.list if not b.is_lane and b.id not in customer
                        and _has_process(model, b.id)}
    suggested: Dict[str, SideSuggestion] = {}
    for band in index.list:
        word = system_word(band.name)
        held = [n for n in index.members(band) if n.is_activity or n.is_event]
        meeting = [n for n in held if n.id in contact]
        messaging = [n for n in held if n.id in exchanges]
        if band.id in customer:
            suggested[band.id] = SideSuggestion(CUSTOMER, customer[band.id])
        elif band.is_lane and word:
            suggested[band.id] = SideSuggestion(SUPPORT, f"a system lane (its name mentions "
                                                         f"{_quote(word.upper() if len(word) <= 3 else word)})")
        elif band.pool_id not in organisation:
            what = "a lane of another pool" if band.is_lane else "another pool"
            suggested[band.id] = SideSuggestion(SUPPORT, f"{what}, with no contact with the customer")
        elif _works_onstage(len(messaging), len(held)):
            share = ("all its" if len(messaging) == len(held)
                     else f"{len(messaging)} of its {len(held)}")
            suggested[band.id] = SideSuggestion(FRONTSTAGE, f"{share} elements exchange messages "
                                                            "with the customer, e.g. "
                                                            + exchanges[messaging[0].id])
        else:
            where = f"a lane of {_quote(band.pool_name)}" if band.is_lane else "the organisation's pool"
            why = f"{where}, out of the customer's sight"
            if meeting:
                names = ", ".join(_quote(n.name or n.id) for n in meeting[:3])
                more = ", ..." if len(meeting) > 3 else ""
                why += f"; its elements that meet the customer ({names}{more}) are frontstage"
            suggested[band.id] = SideSuggestion(BACKSTAGE, why)
    return suggested


def _has_process(model: Model, pool_id: str) -> bool:
    participant = model.participant.get(pool_id)
    return participant is None or participant.process_id is not None


def suggestion_text(suggestion: SideSuggestion) -> str:
    """The Suggestion cell: 'frontstage: “Take order” receives a message from the customer'."""
    return f"{suggestion.row}: {suggestion.why}"


class Sides:
    """Which blueprint row each pool, lane and element of the models analysed is in.

    An element's row is its own (the Touchpoints sheet's Blueprint row), else its
    innermost lane's setting (then the enclosing lanes', then its pool's), else the
    suggestion for its innermost lane (its pool when it is in none), where an element of
    a backstage lane that meets the customer is frontstage. The suggestion counts the
    owners' customer-facing marks as meeting the customer.
    """

    def __init__(self, models: Dict[str, Model], annotations: Annotations,
                 customer_facing: Callable[[ElementRef], bool]):
        self._models = models
        self._annotations = annotations
        self._customer_facing = customer_facing
        self._index: Dict[str, _ModelBands] = {}
        self._suggested: Dict[str, Dict[str, SideSuggestion]] = {}
        self._contact: Dict[str, Dict[str, str]] = {}
        self._override: Dict[ElementRef, str] = {}
        for tp in annotations.touchpoints:
            if tp.blueprint_row in BLUEPRINT_ROWS:
                self._override.setdefault(tp.ref, tp.blueprint_row)
        self._rows: Dict[ElementRef, str] = {}
        # per journey (its support, step by step): the work behind each step and the
        # elements leading on to a later contact
        self._journeys: Dict[Tuple[Tuple[ElementRef, ...], ...], Dict[str, object]] = {}
        self._last_journey: Tuple[object, Dict[str, object]] = (None, {})

    def _bands(self, model_name: str) -> _ModelBands:
        if model_name not in self._index:
            self._index[model_name] = _ModelBands(self._models[model_name])
        return self._index[model_name]

    def suggestions(self, model_name: str) -> Dict[str, SideSuggestion]:
        if model_name not in self._suggested:
            model = self._models[model_name]
            self._suggested[model_name] = suggest_sides(
                model, lambda element_id: self._customer_facing(ElementRef(model_name, element_id)))
        return self._suggested[model_name]

    def contact(self, model_name: str) -> Dict[str, str]:
        """Element id -> how it meets the customer (see :func:`customer_contact`)."""
        if model_name not in self._contact:
            self._contact[model_name] = customer_contact(
                self._models[model_name],
                lambda element_id: self._customer_facing(ElementRef(model_name, element_id)),
                self._bands(model_name))
        return self._contact[model_name]

    def _setting(self, model_name: str, band: Band) -> Optional[str]:
        """The owners' row for ``band`` or the nearest band enclosing it, else None."""
        for outer in self._bands(model_name).ancestors(band):
            row = self._annotations.sides.get((model_name, outer.id))
            if row in BLUEPRINT_ROWS:
                return row
        return None

    def bands(self, model_name: str) -> List[Band]:
        return list(self._bands(model_name).list)

    def band_row(self, model_name: str, band_id: str) -> str:
        """A pool's or lane's row: the owners' setting, else the enclosing lanes' and pool's,
        else the suggestion."""
        band = self._bands(model_name).by_id.get(band_id)
        if band is None:
            return SUPPORT
        return self._setting(model_name, band) or self.suggestions(model_name)[band_id].row

    def row(self, ref: ElementRef) -> str:
        """The blueprint row of one element (see the class)."""
        if ref in self._rows:
            return self._rows[ref]
        found = self._override.get(ref)
        if found is None:
            model = self._models.get(ref.model)
            node = model.node.get(ref.element_id) if model is not None else None
            if node is None:
                found = SUPPORT
            else:
                path = self._bands(ref.model).path(node)
                if not path:
                    found = BACKSTAGE
                else:
                    found = self._setting(ref.model, path[0])
                    if found is None:  # the suggestion: per element in a backstage lane
                        found = self.suggestions(ref.model)[path[0].id].row
                        if found == BACKSTAGE and ref.element_id in self.contact(ref.model):
                            found = FRONTSTAGE
        self._rows[ref] = found
        return found

    def crossings(self, refs: Sequence[ElementRef]) -> List[Tuple[ElementRef, ElementRef]]:
        """The links among ``refs`` that cross the line of visibility (see :func:`crossings`)."""
        return crossings(refs, self._models, self.row)

    def behind(self, support: Sequence[Sequence[ElementRef]]) -> List[Tuple[ElementRef, ...]]:
        """The work behind each step, given every step's supporting elements in journey
        order (see :func:`work_behind`); computed once per journey."""
        known = self._journey(support)
        if "behind" not in known:
            known["behind"] = work_behind(self._models, support, self.row, self._from_customer())
        return known["behind"]  # type: ignore[return-value]

    def _from_customer(self) -> Set[ElementRef]:
        """The elements a message from the customer's side reaches: each starts an
        interaction of its own, not work behind an earlier step."""
        found: Set[ElementRef] = set()
        for name, model in self._models.items():
            for flow in model.connections:
                if flow.kind != "messageFlow" or flow.target_id not in model.node:
                    continue
                source = ElementRef(name, flow.source_id or "")
                side = (self.participant_row(name, source.element_id)
                        if source.element_id in model.participant else self.row(source))
                if side == CUSTOMER:
                    found.add(ElementRef(name, flow.target_id))
        return found

    def step_crossings(self, support: Sequence[Sequence[ElementRef]],
                       position: int) -> List[Tuple[ElementRef, ElementRef]]:
        """The flows that cross the line of visibility among the elements supporting the
        step at ``position`` and the work behind it that leads on to a later contact:
        counted by the blueprint's footer and the visibility-crossings finding alike."""
        on_path = self._leading_to_support(support)
        return self.crossings(tuple(support[position])
                              + tuple(r for r in self.behind(support)[position] if r in on_path))

    def _leading_to_support(self, support: Sequence[Sequence[ElementRef]]) -> Set[ElementRef]:
        """The elements from which flows lead on to an element supporting a step: the work
        between steps. Work after the journey's last contact (closing the file) is drawn
        behind its step but is no effort the customer sees on the way. Computed once per
        journey: every step asks (a walk of the whole model per step was quadratic)."""
        known = self._journey(support)
        if "on_path" not in known:
            known["on_path"] = self._walk_to_support(support)
        return known["on_path"]  # type: ignore[return-value]

    def _journey(self, support: Sequence[Sequence[ElementRef]]) -> Dict[str, object]:
        """What is known of the journey whose steps ``support``. Every step of a journey
        asks with the same object: its key is built and hashed once, not per step (per
        step that was quadratic: 10 million hashes at 1,000 steps). The object is held,
        so its id cannot be reused while it is compared."""
        last, known = self._last_journey
        if support is not last or not isinstance(support, tuple):  # a list may change
            known = self._journeys.setdefault(tuple(tuple(refs) for refs in support), {})
            self._last_journey = (support, known)
        return known

    def _walk_to_support(self, support: Sequence[Sequence[ElementRef]]) -> Set[ElementRef]:
        targets = {ref for refs in support for ref in refs}
        incoming: Dict[ElementRef, List[ElementRef]] = {}
        for name, model in self._models.items():
            for flow in model.connections:
                if flow.kind in FLOW_KINDS and flow.source_id and flow.target_id:
                    incoming.setdefault(ElementRef(name, flow.target_id), []).append(
                        ElementRef(name, flow.source_id))
        found: Set[ElementRef] = set()
        queue = deque(targets)
        while queue:
            for source in incoming.get(queue.popleft(), ()):
                if source not in found and source not in targets:
                    found.add(source)
                    queue.append(source)
        return found

    def participant_row(self, model_name: str, participant_id: str) -> Optional[str]:
        """The row of a pool itself (a message flow may end on a black-box pool)."""
        if participant_id not in self._bands(model_name).by_id:
            return None
        return self.band_row(model_name, participant_id)


def links(model: Model, element_ids: Iterable[str]) -> List[Tuple[str, str, str]]:
    """(source, target, flow kind) between the given elements of ``model``: a sequence or
    message flow from one to the other, directly or through gateways none of them is.
    Sorted, each pair once (a message flow wins over a sequence path)."""
    wanted: Set[str] = set(element_ids)
    flows_from = model.flows_from  # indexed once per model: this runs once per journey step

    def outgoing(source: str) -> List[Tuple[str, str]]:
        return [(f.target_id, f.kind) for f in flows_from.get(source, ()) if f.kind in FLOW_KINDS]

    found: Dict[Tuple[str, str], str] = {}
    for start in sorted(wanted):
        stack = outgoing(start)
        seen: Set[str] = set()
        while stack:
            target, kind = stack.pop()
            if target in seen:
                continue
            seen.add(target)
            if target in wanted:
                if target != start and (found.get((start, target)) != "messageFlow"):
                    found[(start, target)] = kind
                continue
            node = model.node.get(target)
            if node is not None and node.is_gateway:
                stack.extend(outgoing(target))
    return sorted((a, b, kind) for (a, b), kind in found.items())


def crossings(refs: Sequence[ElementRef], models: Dict[str, Model],
              row: Callable[[ElementRef], str]) -> List[Tuple[ElementRef, ElementRef]]:
    """The links among ``refs`` that cross the line of visibility (one end seen by the
    customer, the other not), in a fixed order."""
    found = []
    by_model: Dict[str, List[ElementRef]] = {}
    for ref in refs:
        by_model.setdefault(ref.model, []).append(ref)
    for model_name in sorted(by_model):
        model = models.get(model_name)
        if model is None:
            continue
        for source, target, _kind in links(model, (r.element_id for r in by_model[model_name])):
            a, b = ElementRef(model_name, source), ElementRef(model_name, target)
            if (row(a) in VISIBLE) != (row(b) in VISIBLE):
                found.append((a, b))
    return found


def work_behind(models: Dict[str, Model], support: Sequence[Sequence[ElementRef]],
                row: Callable[[ElementRef], str],
                from_customer: Container[ElementRef] = frozenset()) -> List[Tuple[ElementRef, ...]]:
    """For each step (its supporting elements, in journey order): the operations' work it
    sets going that the journey does not name - the activities and named events reached
    from its supporting elements by sequence flows, and by message flows to other pools,
    before any element that supports a step or receives a message from the customer (a
    new interaction the journey does not name). The customer's own side is not followed.
    Work reached from several steps is behind the last of them in journey order: the
    assessment that both the claim check and the assessor's visit lead to happens after
    the visit. In the order reached (breadth first, successors by id), so the same model
    gives the same blueprint."""
    supporting = {ref for refs in support for ref in refs}
    outgoing: Dict[str, Dict[str, List[str]]] = {}
    for name, model in models.items():
        table = outgoing.setdefault(name, {})
        for flow in model.connections:
            if flow.kind in FLOW_KINDS and flow.source_id and flow.target_id:
                table.setdefault(flow.source_id, []).append(flow.target_id)
        for targets in table.values():
            targets.sort()
    reached: List[List[ElementRef]] = []
    last: Dict[ElementRef, int] = {}
    for position, refs in enumerate(support):
        found: List[ElementRef] = []
        queue = deque(r for r in refs if r.model in models)
        seen = set(queue)
        while queue:
            ref = queue.popleft()
            model = models[ref.model]
            for target in outgoing[ref.model].get(ref.element_id, ()):
                nxt = ElementRef(ref.model, target)
                node = model.node.get(target)
                if (nxt in seen or node is None or nxt in supporting or nxt in from_customer
                        or row(nxt) == CUSTOMER):
                    continue
                seen.add(nxt)
                queue.append(nxt)
                if node.is_activity or (node.is_event and bool((node.name or "").strip())):
                    found.append(nxt)
                    last[nxt] = position
        reached.append(found)
    return [tuple(r for r in found if last[r] == position)
            for position, found in enumerate(reached)]
