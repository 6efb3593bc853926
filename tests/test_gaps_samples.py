"""The bundled samples: the findings match the gaps the workbooks were written to contain.

The expected lists are written by hand from samples/*/EXPECTED-GAPS.md, the
filled workbooks (which steps and touchpoints carry what) and the rules in the
README; they are not copied from the tool's output. Each entry is
(severity, kind, steps, element ids, persona, sheet of the cell).
"""

import json

import pytest
from click.testing import CliRunner

from bpmncx import analyse, load_model
from bpmncx.cli import cli
from bpmncx.workbook import read_annotations
from conftest import SAMPLES

CLAIM = SAMPLES / "insurance-claim"
ORDER = SAMPLES / "online-order"


# -- insurance-claim --------------------------------------------------------------

FTC, SBO = "First-time claimant", "Small business owner"
CLAIM_RECEIVED = "Event_081tnbz"
CONFIRM_RECEIPT = "Activity_0pzvqtr"
CHECK_COMPLETE = "Activity_09xycg0"
REQUEST_DOCS = "Activity_0y1nsbs"
RECEIVE_DOCS = "Activity_0qwo5qx"
REMINDER = "Activity_0kj0fzg"
INSPECT = "Activity_0pb2xku"
REJECTION = "Activity_008ba83"
CLARIFY_BANK = "Activity_1ec4gxc"
TRANSFER = "Activity_1idwh2z"

CLAIM_EXPECTED = [
    # journey steps no task supports: 6 and 9 are moments of truth
    ("critical", "missing-support", (6,), (), SBO, "Journey"),
    ("critical", "missing-support", (9,), (), SBO, "Journey"),
    ("warning", "missing-support", (1,), (), FTC, "Journey"),
    ("warning", "missing-support", (7,), (), SBO, "Journey"),
    # customer-facing touchpoints no step mentions (bank details is a moment of truth)
    ("warning", "unmapped-touchpoint", (), (CLARIFY_BANK,), None, "Touchpoints"),
    ("info", "unmapped-touchpoint", (), (REMINDER,), None, "Touchpoints"),
    # step 5: Mobile app, but operations answers by Post and Email
    ("warning", "channel-mismatch", (5,), (REQUEST_DOCS, RECEIVE_DOCS), SBO, "Journey"),
    # step 4 is supported only by "Check claim for completeness" (Customer-facing? No)
    ("warning", "not-customer-facing", (4,), (CHECK_COMPLETE,), FTC, "Journey"),
    # hand-offs: Claims intake (steps 2-5) -> Assessment (8, 10) -> Payments (11, 12);
    # the steps belong to different personas, so no single persona
    ("info", "handoff", (5, 8), (REQUEST_DOCS, RECEIVE_DOCS, INSPECT), None, "Journey"),
    ("info", "handoff", (10, 11), (REJECTION, TRANSFER), None, "Journey"),
    # pain on journey steps: -2 at 6, 9, 10 (all moments of truth); -1 at 1, 4, 5, 7
    ("critical", "pain-point", (6,), (), SBO, "Journey"),
    ("critical", "pain-point", (9,), (), SBO, "Journey"),
    ("critical", "pain-point", (10,), (REJECTION,), SBO, "Journey"),
    ("warning", "pain-point", (1,), (), FTC, "Journey"),
    ("warning", "pain-point", (4,), (CHECK_COMPLETE,), FTC, "Journey"),
    ("warning", "pain-point", (5,), (REQUEST_DOCS, RECEIVE_DOCS), SBO, "Journey"),
    ("warning", "pain-point", (7,), (), SBO, "Journey"),
    # pain on touchpoints, per persona (moments of truth or -2: critical)
    ("critical", "pain-point", (2,), (CLAIM_RECEIVED,), SBO, "Touchpoints"),
    ("critical", "pain-point", (5,), (REQUEST_DOCS,), SBO, "Touchpoints"),
    ("warning", "pain-point", (5,), (REQUEST_DOCS,), FTC, "Touchpoints"),
    ("warning", "pain-point", (5,), (RECEIVE_DOCS,), FTC, "Touchpoints"),
    ("warning", "pain-point", (5,), (RECEIVE_DOCS,), SBO, "Touchpoints"),
    ("critical", "pain-point", (), (REMINDER,), SBO, "Touchpoints"),
    ("warning", "pain-point", (), (REMINDER,), FTC, "Touchpoints"),
    ("critical", "pain-point", (8,), (INSPECT,), SBO, "Touchpoints"),
    ("critical", "pain-point", (10,), (REJECTION,), FTC, "Touchpoints"),
    ("critical", "pain-point", (10,), (REJECTION,), SBO, "Touchpoints"),
    ("critical", "pain-point", (), (CLARIFY_BANK,), FTC, "Touchpoints"),
    ("critical", "pain-point", (), (CLARIFY_BANK,), SBO, "Touchpoints"),
    # a pain point typed on "Confirm receipt of claim", both personas +1
    ("info", "pain-point", (3,), (CONFIRM_RECEIPT,), None, "Touchpoints"),
    # the promised call-back (a moment of truth) leaves the customer with nothing in hand
    ("warning", "evidence-missing", (9,), (), SBO, "Journey"),
]

# -- online-order -----------------------------------------------------------------

FTB, RC = "First-time buyer", "Regular customer"
ORDER_RECEIVED = "sid-B459071A-FB8A-DF9E-FF72-C46DCA8FBE35"
ORDER_CONFIRMATION = "sid-5A3C1FBD-F9DA-0BF3-E816-96A68AFE2312"
CANCEL_ORDER = "sid-23CC390C-9354-D0E3-CE1F-39485D23D1F3"
REFUND = "sid-61C4DB4E-041B-9662-22F1-82E3F8347DCA"
REFUND_CONFIRMATION = "sid-4D85B65D-AE04-A439-0B2B-23F67341CED8"
RETURN_REQUEST = "sid-CE358446-31ED-BAC9-63DE-D197792EA85E"
REGISTER_RETURN = "sid-3297C969-A12D-B82B-23F5-8C30E0E29095"
RETURN_LABEL = "sid-0F9A713B-24C8-365F-67DD-91CF8DA28193"
RETURNED_PARCEL = "sid-5B76F589-A141-6A71-0BC8-7D84B9E83EA3"
EXPLAIN_REJECTION = "sid-DDF1239D-7103-EAC6-DFDE-9E8A2C43DD58"
SEND_ITEMS_BACK = "sid-01A1845A-CB27-0F40-87A3-51AA2CEF94D6"
TRACKING_LINK = "sid-9200A15F-69FF-0A7B-EEBD-C582C1CA746A"
DELIVER = "sid-D757A0A7-238C-7822-16DF-7DFA02238784"

ORDER_EXPECTED = [
    ("critical", "missing-support", (4,), (), RC, "Journey"),
    ("critical", "missing-support", (8,), (), FTB, "Journey"),
    ("warning", "missing-support", (1,), (), FTB, "Journey"),
    ("warning", "missing-support", (6,), (), RC, "Journey"),
    # cancel and explain-rejection are moments of truth; items-back is not
    ("warning", "unmapped-touchpoint", (), (CANCEL_ORDER,), None, "Touchpoints"),
    ("warning", "unmapped-touchpoint", (), (EXPLAIN_REJECTION,), None, "Touchpoints"),
    ("info", "unmapped-touchpoint", (), (SEND_ITEMS_BACK,), None, "Touchpoints"),
    # step 5: SMS/messaging, but the tracking link goes by Email
    ("warning", "channel-mismatch", (5,), (TRACKING_LINK,), RC, "Journey"),
    # step 11 is supported only by "Returned parcel received" (Customer-facing? No)
    ("warning", "not-customer-facing", (11,), (RETURNED_PARCEL,), FTB, "Journey"),
    # hand-offs: Sales (2, 3) -> Shipping (5) -> Parcel service, other pool (7)
    # -> Customer service, back in the Webshop pool (9-11) -> Sales (12)
    ("info", "handoff", (3, 5), (ORDER_CONFIRMATION, TRACKING_LINK), None, "Journey"),
    ("warning", "handoff", (5, 7), (TRACKING_LINK, DELIVER), RC, "Journey"),
    ("warning", "handoff", (7, 9), (DELIVER, RETURN_REQUEST, REGISTER_RETURN), None, "Journey"),
    ("info", "handoff", (11, 12), (RETURNED_PARCEL, REFUND, REFUND_CONFIRMATION), FTB, "Journey"),
    # pain on journey steps: -2 at 4 and 8 (moments of truth); -1 at 1, 6, 9, 10
    ("critical", "pain-point", (4,), (), RC, "Journey"),
    ("critical", "pain-point", (8,), (), FTB, "Journey"),
    ("warning", "pain-point", (1,), (), FTB, "Journey"),
    ("warning", "pain-point", (6,), (), RC, "Journey"),
    ("warning", "pain-point", (9,), (RETURN_REQUEST, REGISTER_RETURN), FTB, "Journey"),
    ("warning", "pain-point", (10,), (RETURN_LABEL,), FTB, "Journey"),
    # pain on touchpoints, per persona
    ("critical", "pain-point", (), (CANCEL_ORDER,), FTB, "Touchpoints"),
    ("critical", "pain-point", (), (CANCEL_ORDER,), RC, "Touchpoints"),
    ("critical", "pain-point", (), (EXPLAIN_REJECTION,), FTB, "Touchpoints"),
    ("critical", "pain-point", (), (EXPLAIN_REJECTION,), RC, "Touchpoints"),
    ("warning", "pain-point", (9,), (RETURN_REQUEST,), RC, "Touchpoints"),
    ("warning", "pain-point", (10,), (RETURN_LABEL,), FTB, "Touchpoints"),
    ("warning", "pain-point", (), (SEND_ITEMS_BACK,), FTB, "Touchpoints"),
    ("warning", "pain-point", (), (SEND_ITEMS_BACK,), RC, "Touchpoints"),
    # pain points typed where nobody scored a negative emotion
    ("info", "pain-point", (2,), (ORDER_RECEIVED,), None, "Touchpoints"),
    ("info", "pain-point", (7,), (DELIVER,), None, "Touchpoints"),
]


def _load(folder):
    model = load_model(folder / f"{folder.name}.bpmn")
    annotations = read_annotations(folder / f"{folder.name}-cx.xlsx", [model])
    return model, annotations


@pytest.fixture(scope="module")
def claim():
    return _load(CLAIM)


@pytest.fixture(scope="module")
def order():
    return _load(ORDER)


def _facts(analysis):
    return [
        (f.severity, f.kind, f.steps, f.element_ids, f.persona, f.cell.split("!")[0])
        for f in analysis.findings
    ]


def _rank(entry):
    return ("critical", "warning", "info").index(entry[0])


@pytest.mark.parametrize("sample, expected", [("claim", CLAIM_EXPECTED), ("order", ORDER_EXPECTED)])
def test_findings_are_exactly_the_gaps_the_workbook_was_written_with(sample, expected, request):
    model, annotations = request.getfixturevalue(sample)
    assert annotations.problems == []
    facts = _facts(analyse([model], annotations))
    assert sorted(facts, key=repr) == sorted(expected, key=repr)
    ranks = [_rank(f) for f in facts]
    assert ranks == sorted(ranks)  # worst first


def test_missing_support_cells_are_the_ones_in_the_notes(claim, order):
    for (model, annotations), cells in ((claim, ["Journey!H7", "Journey!H10", "Journey!H2",
                                                 "Journey!H8"]),
                                        (order, ["Journey!H5", "Journey!H9", "Journey!H2",
                                                 "Journey!H7"])):
        analysis = analyse([model], annotations)
        assert [f.cell for f in analysis.of_kind("missing-support")] == cells


def test_sample_metrics(claim, order):
    m = analyse([claim[0]], claim[1]).metrics
    assert (m.steps, m.supported_steps, m.coverage, m.handoffs) == (12, 8, 0.6667, 2)
    # moments of truth: steps 2, 6, 8, 9, 10, 11 and 5 touchpoints; at risk: steps 2 (Claim
    # received hurts the business owner), 6, 8, 9, 10 and the touchpoints Claim received,
    # Inspect damage, Send rejection letter, Clarify bank details (not Transfer payout)
    assert m.moments_of_truth == 11
    assert [r.step for r in m.moments_of_truth_at_risk if r.step] == [2, 6, 8, 9, 10]
    assert [r.element.element_id for r in m.moments_of_truth_at_risk if r.element] == sorted(
        [CLAIM_RECEIVED, INSPECT, REJECTION, CLARIFY_BANK])
    m = analyse([order[0]], order[1]).metrics
    assert (m.steps, m.supported_steps, m.coverage, m.handoffs) == (12, 8, 0.6667, 4)


def test_persona_narrows_the_sample_to_that_personas_steps(order):
    model, annotations = order
    analysis = analyse([model], annotations, persona="regular customer")
    assert analysis.persona == RC
    assert {s for f in analysis.findings for s in f.steps} <= {4, 5, 6, 7}
    assert [f.step for f in analysis.of_kind("missing-support")] == [4, 6]
    assert [f.steps for f in analysis.of_kind("handoff")] == [(5, 7)]
    assert all(f.persona in (RC, None) for f in analysis.findings)


@pytest.mark.parametrize("folder", [CLAIM, ORDER], ids=["insurance-claim", "online-order"])
def test_json_for_the_samples_is_byte_identical_across_runs(folder):
    args = ["gaps", str(folder / f"{folder.name}.bpmn"), str(folder / f"{folder.name}-cx.xlsx"),
            "--format", "json"]
    first = CliRunner().invoke(cli, args)
    second = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert first.stdout_bytes == second.stdout_bytes
    doc = json.loads(first.stdout)
    assert doc["metrics"]["findings_per_severity"]["critical"] > 0
    gate = CliRunner().invoke(cli, args[:3] + ["--fail-on", "critical"])
    assert gate.exit_code == 3
