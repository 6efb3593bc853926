"""Gap analysis findings, one kind at a time: where it appears and where it must not.

The model is tests/fixtures/analysis/claim.bpmn (see the comment at its top);
the annotations are built here, as the workbook reader would fill them.
"""

import pytest

from bpmncx import analyse, load_model
from bpmncx.annotations import (Annotations, ElementRef, JourneyStep, Persona, Touchpoint,
                                UnknownPersonaError)
from conftest import FIXTURES

MODEL = load_model(FIXTURES / "analysis" / "claim.bpmn")


def ref(element_id):
    return ElementRef("claim", element_id)


def step(number, text, *elements, **fields):
    return JourneyStep(
        number=number,
        step=str(number),
        customer_step=text,
        supported_by=[ref(e) for e in elements],
        row=number + 1,
        cell=f"Journey!A{number + 1}",
        supported_by_cell=f"Journey!H{number + 1}",
        **fields,
    )


def touchpoint(element_id, row, **fields):
    fields.setdefault("customer_facing", True)
    return Touchpoint(model="claim", element_id=element_id, row=row,
                      cell=f"Touchpoints!A{row}", **fields)


def notes(journey=(), touchpoints=(), personas=("Customer",)):
    return Annotations(
        source="claim-cx.xlsx",
        personas=[Persona(name) for name in personas],
        journey=list(journey),
        touchpoints=list(touchpoints),
        channels=("Web", "Email", "Phone", "Chat", "Post"),
        stages=("Buy/Apply", "Use", "Get help"),
    )


# A journey every step of which is carried out, in the process's order, by the
# same department, in the channel the customer expects.
GOOD_JOURNEY = [
    step(1, "Tell us about the damage", "i_register", channel="Web", stage="Get help"),
    step(2, "Hear that we are on it", "i_update", channel="Email", stage="Get help"),
]
GOOD_TOUCHPOINTS = [
    touchpoint("i_register", 5, channel="Web"),
    touchpoint("i_update", 6, channel="Email"),
]


def kinds(analysis):
    return [f.kind for f in analysis.findings]


def of_kind(analysis, kind):
    return [f for f in analysis.findings if f.kind == kind]


def test_a_supported_journey_in_order_gives_no_findings():
    analysis = analyse([MODEL], notes(GOOD_JOURNEY, GOOD_TOUCHPOINTS))
    assert analysis.findings == ()
    assert analysis.metrics.coverage == 1.0


# -- missing-support ---------------------------------------------------------


def test_missing_support_for_a_step_no_element_carries_out():
    analysis = analyse(MODEL, notes(GOOD_JOURNEY + [
        step(3, "Track the repair online", channel="Web"),
        step(4, "Get my money", moment_of_truth=True),
    ], GOOD_TOUCHPOINTS))
    missing = of_kind(analysis, "missing-support")
    assert [(f.step, f.severity, f.cell) for f in missing] == [
        (4, "critical", "Journey!H5"),
        (3, "warning", "Journey!H4"),
    ]
    assert missing[1].message == (
        'Step 3 "Track the repair online" has no support in the process: '
        "no task or event carries it out for the customer."
    )
    assert "moment of truth" in missing[0].message
    assert missing[0].persona == "Customer"
    assert analysis.metrics.coverage == 0.5


def test_missing_support_when_the_named_element_is_not_in_the_model():
    analysis = analyse(MODEL, notes([step(1, "Chat with us", "gone_task")]))
    (finding,) = analysis.findings
    assert finding.kind == "missing-support"
    assert finding.elements == (ref("gone_task"),)
    assert "gone_task" in finding.message


def test_no_missing_support_when_every_step_is_supported():
    journey = [step(i + 1, f"step {i}", e) for i, e in enumerate(
        ["c_submit", "i_register", "i_verify", "i_assess", "i_pay", "c_receive"])]
    analysis = analyse(MODEL, notes(journey))
    assert of_kind(analysis, "missing-support") == []
    # c_submit and c_receive are the customer's own tasks: supported, but not by operations
    assert [f.steps for f in of_kind(analysis, "self-service-only")] == [(1,), (6,)]
    assert analysis.metrics.coverage == round(4 / 6, 4)


# -- unmapped-touchpoint -----------------------------------------------------


def test_unmapped_touchpoint_for_a_customer_facing_element_no_step_mentions():
    analysis = analyse(MODEL, notes(GOOD_JOURNEY, GOOD_TOUCHPOINTS + [
        touchpoint("i_reject", 9, channel="Post"),
        touchpoint("i_pay", 10, moment_of_truth=True),
    ]))
    found = of_kind(analysis, "unmapped-touchpoint")
    assert [(f.element_ids, f.severity, f.cell) for f in found] == [
        (("i_pay",), "warning", "Touchpoints!A10"),
        (("i_reject",), "info", "Touchpoints!A9"),
    ]
    assert found[1].message == (
        '"Send rejection letter" (Post) is marked customer-facing but no journey step '
        "mentions it: the journey was not designed around it."
    )


def test_no_unmapped_touchpoint_when_undecided_not_facing_mentioned_or_gone():
    analysis = analyse(MODEL, notes(GOOD_JOURNEY, GOOD_TOUCHPOINTS + [
        touchpoint("i_reject", 9, customer_facing=None),
        touchpoint("i_pay", 10, customer_facing=False),
        touchpoint("deleted_task", 11),
    ]))
    assert of_kind(analysis, "unmapped-touchpoint") == []


def test_a_touchpoint_on_another_personas_journey_is_not_unmapped():
    journey = GOOD_JOURNEY + [step(3, "Get paid", "i_pay", persona="Fleet manager")]
    analysis = analyse(MODEL, notes(journey, GOOD_TOUCHPOINTS + [touchpoint("i_pay", 10)],
                                    personas=("Customer", "Fleet manager")),
                       persona="Customer")
    assert of_kind(analysis, "unmapped-touchpoint") == []


# -- pain-point --------------------------------------------------------------


def test_pain_points_on_steps_and_touchpoints():
    journey = [
        step(1, "Tell us about the damage", "i_register", channel="Web", emotion=-1,
             pain_point="The form times out"),
        step(2, "Hear that we are on it", "i_update", channel="Email", emotion=-2),
        step(3, "Get my money", "i_pay", emotion=-1, moment_of_truth=True),
    ]
    touchpoints = GOOD_TOUCHPOINTS + [
        touchpoint("i_pay", 7, emotions={"Customer": -1, "Fleet manager": 1}),
    ]
    analysis = analyse(MODEL, notes(journey, touchpoints, personas=("Customer", "Fleet manager")))
    pains = of_kind(analysis, "pain-point")
    assert [(f.severity, f.steps, f.cell) for f in pains] == [
        ("critical", (2,), "Journey!A3"),
        ("critical", (3,), "Journey!A4"),
        ("warning", (1,), "Journey!A2"),
        ("warning", (3,), "Touchpoints!A7"),
    ]
    assert pains[2].message == (
        'The customer feels negative (-1) at step 1 "Tell us about the damage": The form times out.'
    )
    assert pains[3].persona == "Customer"
    assert pains[3].message == 'Customer feels negative (-1) at "Pay out".'


def test_a_typed_pain_point_without_negative_emotion_is_info():
    journey = [step(1, "Tell us about the damage", "i_register", emotion=1,
                    pain_point="Too many  fields")]
    touchpoints = [
        touchpoint("i_register", 5, emotions={"Customer": 1}, pain_point="Slow"),
        touchpoint("i_update", 6, emotions={"Customer": -1}, pain_point="Vague"),
    ]
    pains = of_kind(analyse(MODEL, notes(journey, touchpoints)), "pain-point")
    assert [(f.severity, f.element_ids, f.cell) for f in pains] == [
        ("warning", ("i_update",), "Touchpoints!A6"),
        ("info", ("i_register",), "Touchpoints!A5"),  # no persona: sorts first
        ("info", ("i_register",), "Journey!A2"),
    ]
    assert pains[2].message == (
        'Step 1 "Tell us about the damage" has a pain point but no negative emotion: '
        "Too many fields."
    )
    assert pains[1].message == '"Register claim" has a pain point but no negative emotion: Slow.'


def test_no_pain_point_for_neutral_or_positive_emotions():
    journey = [
        step(1, "Tell us about the damage", "i_register", channel="Web", emotion=0),
        step(2, "Hear that we are on it", "i_update", channel="Email", emotion=2,
             moment_of_truth=True),
    ]
    touchpoints = [touchpoint("i_register", 5, channel="Web", emotions={"Customer": 1}),
                   touchpoint("i_update", 6, channel="Email", emotions={"Customer": 0})]
    assert of_kind(analyse(MODEL, notes(journey, touchpoints)), "pain-point") == []


def test_persona_filter_keeps_only_that_personas_pain():
    touchpoints = GOOD_TOUCHPOINTS + [
        touchpoint("i_reject", 8, channel="Post", emotions={"Customer": 2, "Fleet manager": -2}),
    ]
    journey = GOOD_JOURNEY + [step(3, "Wait", "i_pay", persona="Customer", emotion=-1)]
    personas = ("Customer", "Fleet manager")
    fleet = analyse(MODEL, notes(journey, touchpoints, personas), persona="fleet MANAGER")
    assert fleet.persona == "Fleet manager"
    assert [(f.persona, f.cell) for f in of_kind(fleet, "pain-point")] == [
        ("Fleet manager", "Touchpoints!A8")]
    customer = analyse(MODEL, notes(journey, touchpoints, personas), persona="Customer")
    assert [(f.persona, f.cell) for f in of_kind(customer, "pain-point")] == [
        ("Customer", "Journey!A4")]


def test_an_unknown_persona_is_an_error_naming_the_workbook():
    with pytest.raises(UnknownPersonaError, match=r"claim-cx.xlsx: persona 'Nobody' is not in the "
                                            r"workbook \(personas: Customer\)"):
        analyse(MODEL, notes(GOOD_JOURNEY), persona="Nobody")


# -- channel-mismatch ----------------------------------------------------------


def test_channel_mismatch_when_operations_answers_in_another_channel():
    journey = [step(1, "Ask where my claim is", "i_update", channel="Chat")]
    analysis = analyse(MODEL, notes(journey, [touchpoint("i_update", 6, channel="Post")]))
    (finding,) = of_kind(analysis, "channel-mismatch")
    assert finding.severity == "warning"
    assert finding.message == (
        'Step 1 "Ask where my claim is" happens by Chat for the customer, '
        'but operations answers "Send status update" by Post.'
    )
    assert finding.elements == (ref("i_update"),)


def test_no_channel_mismatch_when_one_support_matches_or_channels_are_blank():
    journey = [
        step(1, "Report", "i_register", "i_update", channel=" web "),
        step(2, "Hear back", "i_update", channel=""),
        step(3, "Pay", "i_pay", channel="Phone"),
    ]
    touchpoints = [touchpoint("i_register", 5, channel="Web"),
                   touchpoint("i_update", 6, channel="Post"),
                   touchpoint("i_pay", 7, channel="")]
    assert of_kind(analyse(MODEL, notes(journey, touchpoints)), "channel-mismatch") == []


# -- not-customer-facing -------------------------------------------------------


def test_not_customer_facing_when_only_back_office_elements_support_a_step():
    journey = [step(1, "Get my money", "i_pay", "i_assess")]
    touchpoints = [touchpoint("i_pay", 7, customer_facing=False),
                   touchpoint("i_assess", 8, customer_facing=False)]
    (finding,) = of_kind(analyse(MODEL, notes(journey, touchpoints)), "not-customer-facing")
    assert finding.message == (
        'Step 1 "Get my money" is supported only by "Pay out" and "Assess damage", all marked '
        "not customer-facing: at this step the customer meets no one."
    )


def test_no_not_customer_facing_when_one_support_faces_the_customer_or_is_undecided():
    journey = [step(1, "Get my money", "i_pay", "i_assess"), step(2, "Hear", "i_update")]
    touchpoints = [touchpoint("i_pay", 7, customer_facing=False),
                   touchpoint("i_assess", 8, customer_facing=True),
                   touchpoint("i_update", 9, customer_facing=None)]
    assert of_kind(analyse(MODEL, notes(journey, touchpoints)), "not-customer-facing") == []


# -- handoff -------------------------------------------------------------------


def test_handoffs_between_lanes_and_between_pools_are_each_reported_and_counted():
    journey = [
        step(1, "Report", "i_register"),        # Claims intake
        step(2, "Be assessed", "i_assess"),     # Assessment
        step(3, "Repair booked", "i_order_repair"),  # Assessment
        step(4, "Car repaired", "g_repair"),    # Partner garage pool
    ]
    analysis = analyse(MODEL, notes(journey))
    found = of_kind(analysis, "handoff")
    assert [(f.steps, f.severity) for f in found] == [((3, 4), "warning"), ((1, 2), "info")]
    assert found[1].message == (
        'Between step 1 "Report" and step 2 "Be assessed" the customer is passed from '
        "Claims intake (Insurer) to Assessment (Insurer)."
    )
    assert found[0].message.endswith("from Assessment (Insurer) to Partner garage.")
    assert analysis.handoffs == 2 == analysis.metrics.handoffs


def test_no_handoff_within_one_lane_or_to_the_customers_own_side():
    journey = [
        step(1, "Send my claim", "c_submit"),   # the customer's own pool
        step(2, "Report", "i_register"),        # Claims intake
        step(3, "Hear back", "i_update"),       # Claims intake
        step(4, "Nothing yet"),                 # unsupported: skipped
        step(5, "Rejected", "i_reject"),        # Claims intake
    ]
    analysis = analyse(MODEL, notes(journey))
    assert of_kind(analysis, "handoff") == []
    assert analysis.handoffs == 0


def test_inner_elements_and_boundary_events_belong_to_their_hosts_lane():
    journey = [step(1, "Show my ID", "i_verify"), step(2, "Be assessed", "i_assess"),
               step(3, "Reminder", "i_timer")]
    assert of_kind(analyse(MODEL, notes(journey)), "handoff") == []


# -- order-mismatch ------------------------------------------------------------


def test_order_mismatch_when_the_next_step_can_only_happen_before():
    journey = [
        step(1, "Be assessed", "i_assess"),
        step(2, "Report", "i_register"),
        step(3, "Car repaired", "g_repair"),
        step(4, "Claim accepted", "i_order_repair"),   # only before g_repair (message flow)
    ]
    analysis = analyse(MODEL, notes(journey))
    found = of_kind(analysis, "order-mismatch")
    assert [(f.steps, f.element_ids) for f in found] == [
        ((1, 2), ("i_assess", "i_register")),
        ((3, 4), ("g_repair", "i_order_repair")),
    ]
    assert found[0].message == (
        'Step 2 "Report" comes after step 1 "Be assessed" in the journey, but in the process '
        '"Register claim" can only happen before "Assess damage".'
    )


def test_no_order_mismatch_in_process_order_for_parallel_nested_or_boundary_paths():
    journey = [
        step(1, "Report", "i_register"),
        step(2, "Show my ID", "i_verify"),   # inside i_check
        step(3, "Documents checked", "i_check"),  # contains step 2's element
        step(4, "Be assessed", "i_assess"),
        step(5, "Reminder", "i_update"),     # boundary path of i_assess
        step(6, "Rejected", "i_reject"),     # neither before nor after i_update
        step(7, "Cancel", "ev_confirm"),     # event sub-process: unordered
        step(8, "Pay", "i_register", "i_pay"),  # i_pay may follow i_reject? no, but one unordered pair is enough
    ]
    analysis = analyse(MODEL, notes(journey))
    assert of_kind(analysis, "order-mismatch") == []


# -- unreachable-support -------------------------------------------------------


def test_unreachable_support_when_no_start_event_leads_to_the_element():
    journey = [step(1, "Get a call", "i_callback"), step(2, "Call again", "i_callback")]
    (finding,) = of_kind(analyse(MODEL, notes(journey)), "unreachable-support")
    assert finding.steps == (1, 2)
    assert finding.cell == "Journey!H2"
    assert finding.message == (
        '"Call customer back" supports step 1 "Get a call" and step 2 "Call again" but no '
        "start event of the process leads to it, so it never happens."
    )


def test_no_unreachable_support_for_boundary_nested_event_subprocess_or_message_paths():
    journey = [step(n + 1, e, e) for n, e in enumerate(
        ["i_update", "i_verify", "ev_confirm", "g_repair", "c_receive", "i_timer"])]
    assert of_kind(analyse(MODEL, notes(journey)), "unreachable-support") == []


# -- ordering, personas, metrics -----------------------------------------------


def test_findings_are_sorted_worst_first_then_by_journey_order():
    journey = [
        step(1, "Report", "i_register", emotion=-1),
        step(2, "Be assessed", "i_assess"),
        step(3, "Get paid", moment_of_truth=True),
        step(4, "Get a call", "i_callback"),
    ]
    analysis = analyse(MODEL, notes(journey, [touchpoint("i_reject", 9)]))
    assert [(f.severity, f.kind, f.step) for f in analysis.findings] == [
        ("critical", "missing-support", 3),
        ("warning", "pain-point", 1),
        ("warning", "evidence-missing", 3),  # a moment of truth without physical evidence
        ("warning", "unreachable-support", 4),
        ("info", "handoff", 1),  # Claims intake -> Assessment
        ("info", "handoff", 2),  # Assessment -> Claims intake (step 3 unsupported)
        ("info", "unmapped-touchpoint", None),
    ]


def test_the_journey_is_one_sequence_and_persona_narrows_it():
    journey = [
        step(1, "Report", "i_register", persona="Customer"),     # Claims intake
        step(2, "Fleet report", "i_assess", persona="Fleet manager"),  # Assessment
        step(3, "Hear back", "i_update", persona="Customer"),    # Claims intake
        step(4, "Everyone is paid", "i_pay"),                    # Finance
    ]
    personas = ("Customer", "Fleet manager")
    analysis = analyse(MODEL, notes(journey, personas=personas))
    assert [(f.steps, f.persona) for f in of_kind(analysis, "handoff")] == [
        ((1, 2), None), ((2, 3), None), ((3, 4), "Customer")]
    customer = analyse(MODEL, notes(journey, personas=personas), persona="Customer")
    assert [(f.steps, f.persona) for f in of_kind(customer, "handoff")] == [
        ((3, 4), "Customer")]  # 1 -> 3 stay in Claims intake
    fleet = analyse(MODEL, notes(journey, personas=personas), persona="Fleet manager")
    assert [(f.steps, f.persona) for f in of_kind(fleet, "handoff")] == [
        ((2, 4), "Fleet manager")]
    assert fleet.metrics.steps == 2


def test_metrics():
    journey = [
        step(1, "Report", "i_register", stage="Get help", emotion=-1, persona="Customer"),
        step(2, "Hear back", "i_update", stage="Get help", emotion=1),
        step(3, "Get paid", stage="Use", emotion=2, moment_of_truth=True),
        step(4, "Repair", "g_repair", stage="Use", moment_of_truth=True),
    ]
    touchpoints = [
        touchpoint("i_register", 5, channel="Web", stage="Get help",
                   emotions={"Customer": -2, "Fleet manager": 0}),
        touchpoint("i_update", 6, channel="email", moment_of_truth=True),
        touchpoint("i_reject", 7, channel="Post"),
        touchpoint("i_pay", 8, channel="Web"),
        touchpoint("i_assess", 9, channel="Phone", customer_facing=False),
        touchpoint("i_callback", 10),
    ]
    m = analyse(MODEL, notes(journey, touchpoints, personas=("Customer", "Fleet manager"))).metrics
    assert (m.steps, m.supported_steps, m.coverage) == (4, 3, 0.75)
    assert m.touchpoints_per_channel == (("Web", 2), ("Email", 1), ("Post", 1),
                                         ("(no channel)", 1))
    assert [(e.label, e.mean, e.count) for e in m.emotion_per_persona] == [
        ("Customer", 0.0, 4),  # -1, 1, 2 (steps 2 and 3 are everyone's), -2 (touchpoint)
        ("Fleet manager", 1.0, 3),  # 1, 2 (shared steps), 0
    ]
    assert [(e.label, e.mean, e.count) for e in m.emotion_per_stage] == [
        ("Use", 2.0, 1), ("Get help", -0.5, 4)]
    assert m.moments_of_truth == 3
    assert [(r.step, r.element, r.kinds) for r in m.moments_of_truth_at_risk] == [
        (3, None, ("evidence-missing", "missing-support")),
        (4, None, ("evidence-missing",)),  # no physical evidence at a moment of truth
    ]
    assert m.handoffs == 1  # i_update (Claims intake) -> g_repair (Partner garage)
    assert dict(m.findings_per_severity)["critical"] == 2  # step 3 missing, Customer -2


def test_analysis_is_deterministic_and_does_not_depend_on_input_order():
    journey = [step(1, "Report", "i_register", emotion=-1), step(2, "Assess", "i_assess"),
               step(3, "Nothing")]
    touchpoints = [touchpoint("i_reject", 9), touchpoint("i_pay", 10),
                   touchpoint("i_register", 11, emotions={"Customer": -2, "B": -1})]
    first = analyse(MODEL, notes(journey, touchpoints, ("Customer", "B")))
    second = analyse(MODEL, notes(list(reversed(journey)), list(reversed(touchpoints)),
                                  ("Customer", "B")))
    assert first.findings == second.findings
    assert first.metrics == second.metrics


def test_several_models_in_one_analysis():
    other = load_model(FIXTURES / "analysis" / "reach.bpmn")
    journey = [
        step(1, "Report", "i_register"),
        JourneyStep(number=2, step="2", customer_step="Book",
                    supported_by=[ElementRef("reach", "b_end"), ElementRef("reach", "b_dead_inner")],
                    cell="Journey!A3", supported_by_cell="Journey!H3"),
        step(3, "Be assessed", "i_assess"),
    ]
    analysis = analyse([MODEL, other], notes(journey))
    assert [m.name for m in analysis.models] == ["claim", "reach"]
    # another model is another organisation's process: a hand-off between pools
    assert [(f.steps, f.severity) for f in of_kind(analysis, "handoff")] == [
        ((1, 2), "warning"), ((2, 3), "warning")]
    # no order across models; reachability is per model
    assert of_kind(analysis, "order-mismatch") == []
    assert [f.elements for f in of_kind(analysis, "unreachable-support")] == [
        (ElementRef("reach", "b_dead_inner"),)]
    # the analysis of the claim alone does not know the other model's elements
    alone = analyse([MODEL], notes(journey))
    assert [f.step for f in of_kind(alone, "missing-support")] == [2]
