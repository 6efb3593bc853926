"""The fuzz suite's fixed-seed slice run by ``make test`` (``make fuzz`` runs thousands),
and property-based structure tests: random nestings of lanes and sub-processes, with ids
drawn from a tiny alphabet so that duplicates and cycles are common."""

import os
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fuzz_run  # noqa: E402

from bpmncx.bpmn.read import model_from_bytes  # noqa: E402
from bpmncx.errors import BpmncxError  # noqa: E402
from bpmncx.inspect import summary, tree  # noqa: E402
from bpmncx.render import render_svg  # noqa: E402

SLICE_BPMN = int(os.environ.get("FUZZ_SLICE_CASES", "200"))
SLICE_XLSX = int(os.environ.get("FUZZ_SLICE_XLSX_CASES", "60"))
SLICE_LOG = int(os.environ.get("FUZZ_SLICE_LOG_CASES", "30"))


def test_a_fixed_slice_of_fuzz_cases_ends_in_success_or_a_one_line_error():
    found = fuzz_run.run(seed=20260, bpmn_cases=SLICE_BPMN, xlsx_cases=SLICE_XLSX, jobs=2,
                         timeout=60, cli_every=20, quiet=True, log_cases=SLICE_LOG)
    assert found["cases"] == SLICE_BPMN + SLICE_XLSX + SLICE_LOG
    assert not fuzz_run.failed(found), fuzz_run.report(found)


IDS = st.sampled_from(["a", "b", "c", "t"])


def lanes(depth=3):
    """A lane tree as nested tuples (id, [children], [flowNodeRefs])."""
    leaf = st.tuples(IDS, st.just([]), st.lists(IDS, max_size=2))
    if depth == 0:
        return leaf
    return st.one_of(leaf, st.tuples(IDS, st.lists(lanes(depth - 1), max_size=3),
                                     st.lists(IDS, max_size=2)))


def lane_xml(lane) -> str:
    lane_id, children, refs = lane
    inner = "".join(f"<flowNodeRef>{ref}</flowNodeRef>" for ref in refs)
    if children:
        inner += "<childLaneSet>" + "".join(map(lane_xml, children)) + "</childLaneSet>"
    return f'<lane id="{lane_id}">{inner}</lane>'


def nodes(depth=3):
    """Flow nodes: (kind, id, attached-to id, [children]) with sub-processes nesting."""
    task = st.tuples(st.sampled_from(["task", "boundaryEvent", "startEvent"]), IDS,
                     st.one_of(st.none(), IDS), st.just([]))
    if depth == 0:
        return task
    return st.one_of(task, st.tuples(st.just("subProcess"), IDS, st.none(),
                                     st.lists(nodes(depth - 1), max_size=3)))


def node_xml(node) -> str:
    kind, node_id, attached, children = node
    extra = f' attachedToRef="{attached}"' if attached and kind == "boundaryEvent" else ""
    return f'<{kind} id="{node_id}"{extra}>' + "".join(map(node_xml, children)) + f"</{kind}>"


@settings(max_examples=60, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(lanes(), max_size=3), st.lists(nodes(), min_size=1, max_size=4),
       st.one_of(st.none(), IDS))
def test_any_nesting_of_lanes_and_sub_processes_by_any_ids_reads_and_draws(lane_trees, flow,
                                                                          pool_process):
    pool = (f'<collaboration id="k"><participant id="a" processRef="{pool_process}"/>'
            "</collaboration>" if pool_process else "")
    data = ('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">'
            + pool + '<process id="p"><laneSet>' + "".join(map(lane_xml, lane_trees))
            + "</laneSet>" + "".join(map(node_xml, flow)) + "</process></definitions>").encode()
    try:
        model = model_from_bytes(data, "nest.bpmn")
    except BpmncxError as error:
        assert "\n" not in str(error)
        return
    summary(model)
    tree(model)
    for node in model.nodes:
        model.effective_lane_path(node)
    try:
        svg = render_svg(model)
    except BpmncxError as error:
        assert "\n" not in str(error)
        return
    assert svg.startswith(b"<?xml") or b"<svg" in svg[:500]
