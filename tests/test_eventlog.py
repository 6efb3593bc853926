"""Measuring event logs: the numbers equal what the simulator knows happened,
whether the log is CSV, Parquet or XES."""

from collections import defaultdict

import pytest

from bpmncx import load_model, read_annotations
from bpmncx.annotations import ElementRef
from bpmncx.errors import EventLogError
from bpmncx.eventlog import (
    CustomerEvent,
    Scenario,
    Thresholds,
    load_log,
    log_findings,
    measure,
    read_survey,
    simulate,
)
from conftest import SAMPLES

ORDER = SAMPLES / "online-order"
CLAIM = SAMPLES / "insurance-claim"
PAYMENT_GATEWAY = "sid-4260CE86-CA96-FD78-3A56-9EE452A5D423"
PICK = "sid-7AA1CAA0-66DE-2E96-C867-119277832F1D"
CANCEL = "sid-23CC390C-9354-D0E3-CE1F-39485D23D1F3"
CONFIRMATION = "sid-5A3C1FBD-F9DA-0BF3-E816-96A68AFE2312"
TRACKING = "sid-9200A15F-69FF-0A7B-EEBD-C582C1CA746A"
DELIVER = "sid-D757A0A7-238C-7822-16DF-7DFA02238784"

ORDER_SCENARIO = Scenario(
    cases=240, seed=11,
    customer_events=(
        CustomerEvent("Compare delivery options and costs"),
        CustomerEvent("Track the parcel online", after=TRACKING, probability=0.7),
    ),
    branches={PAYMENT_GATEWAY: {PICK: 8, CANCEL: 2}},
    drop={DELIVER: 0.1},
    skip={CONFIRMATION: 0.3},
)


@pytest.fixture(scope="module")
def order():
    model = load_model(str(ORDER / "online-order.bpmn"))
    annotations = read_annotations(str(ORDER / "online-order-cx.xlsx"), [model])
    return model, annotations


@pytest.fixture(scope="module")
def simulated(order):
    return simulate(order[0], ORDER_SCENARIO)


@pytest.fixture(scope="module", params=["csv", "parquet", "xes"])
def measured(request, order, simulated, tmp_path_factory):
    path = tmp_path_factory.mktemp("logs") / f"orders.{request.param}"
    getattr(simulated, f"write_{request.param}")(path)
    model, annotations = order
    with load_log(path) as log:
        yield log.format, measure([model], annotations, log)


# -- the truth, computed in plain Python from what the simulator played --------------


def quantile(values, q):
    """Linear interpolation between the two nearest ranks (numpy's default)."""
    values = sorted(values)
    position = (len(values) - 1) * q
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def truth(simulated, annotations):
    steps = sorted(annotations.journey, key=lambda s: s.number)
    direct = {" ".join(s.customer_step.split()).casefold(): s.number for s in steps}
    logged_elements = {e.element for c in simulated.cases for e in c.events if e.element}
    logged_direct = {direct[e.activity.casefold()] for c in simulated.cases for e in c.events
                     if e.element is None}
    observed = [s.number for s in steps
                if s.number in logged_direct or set(s.supported_by) & logged_elements]
    per_case = {}
    for case in simulated.cases:
        times = defaultdict(list)  # step -> [(start, complete)]
        for step in steps:
            for e in case.events:
                if step.number in logged_direct:
                    if e.element is None and direct[e.activity.casefold()] == step.number:
                        times[step.number].append((e.start, e.complete))
                elif e.element in step.supported_by:
                    times[step.number].append((e.start, e.complete))
        spans = {n: (min(s for s, _ in t), max(c for _, c in t)) for n, t in times.items()}
        ops = [e for e in case.events if e.element is not None]
        per_case[case.case_id] = {
            "spans": spans,
            "process": (max(e.complete for e in ops) - min(e.start for e in ops)) if ops else None,
            "customer": (max(l for _, l in spans.values()) - min(f for f, _ in spans.values()))
            if spans else None,
            "elements": {e.element for e in ops},
        }
    return steps, observed, per_case


def test_the_log_formats_carry_the_same_events(measured, simulated):
    _, m = measured
    events = sum(2 if e.is_activity else 1 for c in simulated.cases for e in c.events)
    assert (m.log.events, m.log.cases, m.log.bad_rows) == (events, 240, 0)


def test_the_two_clocks_equal_the_truth(measured, simulated, order):
    _, m = measured
    _, _, per_case = truth(simulated, order[1])
    process = [c["process"] for c in per_case.values() if c["process"] is not None]
    customer = [c["customer"] for c in per_case.values() if c["customer"] is not None]
    assert m.process_clock.count == len(process)
    assert m.customer_clock.count == len(customer)
    for q, got in ((0.5, m.process_clock.median), (0.9, m.process_clock.p90),
                   (0.0, m.process_clock.minimum), (1.0, m.process_clock.maximum)):
        assert abs(got - quantile(process, q)) <= 1
    for q, got in ((0.5, m.customer_clock.median), (0.9, m.customer_clock.p90)):
        assert abs(got - quantile(customer, q)) <= 1
    assert m.clock_ratio == pytest.approx(m.customer_clock.median / m.process_clock.median,
                                          abs=0.001)


def test_funnel_waits_and_drop_offs_equal_the_truth(measured, simulated, order):
    _, m = measured
    steps, observed, per_case = truth(simulated, order[1])
    assert [s.number for s in m.steps if s.observed != "none"] == observed
    for number in observed:
        got = m.step(number)
        reached = [c for c in per_case.values() if number in c["spans"]]
        assert got.cases == len(reached), number
        assert got.reach == round(len(reached) / 240, 4)
        waits = []
        for c in reached:
            earlier = [n for n in c["spans"] if n < number]
            if earlier:
                waits.append(max(0, c["spans"][number][0] - c["spans"][max(earlier)][1]))
        assert got.wait.count == len(waits), number
        if waits:
            assert abs(got.wait.median - quantile(waits, 0.5)) <= 1
            assert abs(got.wait.p90 - quantile(waits, 0.9)) <= 1
        position = observed.index(number)
        if position + 1 < len(observed):
            following = observed[position + 1]
            lost = sum(1 for c in reached if following not in c["spans"])
            assert (got.next_step, got.lost) == (following, lost), number
        else:
            assert (got.next_step, got.lost) == (None, None)


def test_conformance_equals_the_truth(measured, simulated, order):
    _, m = measured
    steps, _, per_case = truth(simulated, order[1])
    compared = 0
    for step in steps:
        got = m.step(step.number)
        reached = [c for c in per_case.values() if step.number in c["spans"]]
        for support in got.support:
            skipped = sum(1 for c in reached if support.element not in c["elements"])
            assert support.skipped == skipped, (step.number, support.element)
            compared += 1
    assert compared == sum(len(s.supported_by) for s in steps)
    confirmation = m.step(3)
    assert confirmation.observed == "support"
    assert confirmation.cases == sum(
        1 for c in simulated.cases
        if any(e.element == ElementRef("online-order", CONFIRMATION) for e in c.events))


def test_skipped_tasks_and_branches_show_in_element_counts(measured, simulated):
    _, m = measured
    confirmation = m.element(ElementRef("online-order", CONFIRMATION))
    played = [c for c in simulated.cases
              if any(e.element and e.element.element_id == CONFIRMATION for e in c.events)]
    assert (confirmation.cases, confirmation.occurrences) == (len(played), len(played))
    # About 30% skipped (seeded: the exact count is the simulator's).
    assert 0.6 < confirmation.cases / 240 < 0.8
    durations = [e.complete - e.start for c in simulated.cases for e in c.events
                 if e.element and e.element.element_id == CONFIRMATION]
    assert confirmation.duration.count == len(durations)
    assert abs(confirmation.duration.median - quantile(durations, 0.5)) <= 1


def test_ambiguous_names_are_logged_by_id_and_mapped(measured):
    _, m = measured
    by_activity = {a.activity: a for a in m.activities}
    # "Delivery confirmed" names two elements: the simulator logs their ids.
    assert by_activity["sid-370325FC-7DC2-F7F1-DEFC-114008A8D6B1"].how == "id"
    assert by_activity["Send order confirmation"].how == "name"
    assert by_activity["Compare delivery options and costs"].step == 1
    assert m.unmapped == ()


def test_findings_from_the_measurement(measured):
    _, m = measured
    findings = log_findings(m, thresholds=Thresholds(drop_off=0.25))
    kinds = {(f.kind, f.steps) for f in findings}
    # 20% of payments are declined: step 2 -> 3 loses those plus the skipped confirmations.
    assert ("drop-off", (2, 3)) in kinds
    assert all(f.kind in ("voice-gap", "long-wait", "drop-off", "skipped-support",
                          "emotion-drift") for f in findings)
    assert findings == sorted(findings, key=lambda f: f.sort_key())


def test_simulator_is_deterministic(order, tmp_path):
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    simulate(order[0], ORDER_SCENARIO).write_csv(one)
    simulate(order[0], ORDER_SCENARIO).write_csv(two)
    assert one.read_bytes() == two.read_bytes()
    simulate(order[0], ORDER_SCENARIO).write_xes(tmp_path / "one.xes")
    simulate(order[0], ORDER_SCENARIO).write_xes(tmp_path / "two.xes")
    assert (tmp_path / "one.xes").read_bytes() == (tmp_path / "two.xes").read_bytes()


def test_insurance_claim_loops_repeat_and_boundaries_fire(tmp_path):
    model = load_model(str(CLAIM / "insurance-claim.bpmn"))
    annotations = read_annotations(str(CLAIM / "insurance-claim-cx.xlsx"), [model])
    complete = "Gateway_1ufpbms"
    scenario = Scenario(cases=60, seed=3, branches={complete: {"Activity_0y1nsbs": 1,
                                                               "Gateway_0cy1i0q": 1}},
                        boundary={"Event_1gtx8v7": 0.5}, lifecycle=False)
    sim = simulate(model, scenario)
    sim.write_csv(tmp_path / "claims.csv", delimiter=";")
    with load_log(tmp_path / "claims.csv") as log:
        m = measure(model, annotations, log)
    requests = ElementRef("insurance-claim", "Activity_0y1nsbs")
    played = defaultdict(int)
    for case in sim.cases:
        for e in case.events:
            if e.element == requests:
                played[case.case_id] += 1
    assert m.element(requests).occurrences == sum(played.values())
    assert m.step(5).repeated == sum(1 for n in played.values() if n > 1)
    assert m.element(requests).duration.count == 0  # no start events: no durations


def test_mapping_and_unmapped_activities(order, tmp_path):
    model, annotations = order
    path = tmp_path / "log.csv"
    path.write_text("Order ID;Event;Time\n"
                    "1;Web visit;2024-03-01 09:00\n"
                    "1;Order received;2024-03-01 10:00\n"
                    "1;Printer jam;2024-03-01 10:05\n"
                    "2;Printer jam;2024-03-01 11:05\n"
                    "2;Order received;2024-03-01 12:00\n", encoding="utf-8")
    with load_log(path) as log:
        m = measure(model, annotations, log, mapping={"web visit": 1})
        assert [(a.activity, a.events, a.cases, a.how) for a in m.unmapped] == [
            ("Printer jam", 2, 2, "matches no element or journey step")]
        assert m.step(1).observed == "direct" and m.step(1).cases == 1
        assert m.customer_clock.maximum == 3600.0
        named = measure(model, annotations, log, mapping={
            "Printer jam": ElementRef("online-order", PICK), "Web visit": "Compare delivery "
            "options and costs"})
        assert named.unmapped == ()
        assert named.element(ElementRef("online-order", PICK)).cases == 2


def test_survey_scores_become_measured_emotions(order, tmp_path):
    model, annotations = order
    log_path = tmp_path / "log.csv"
    log_path.write_text("case,activity,timestamp\n"
                        "1,Order received,2024-03-01 10:00\n"
                        "1,Send order confirmation,2024-03-01 10:05\n"
                        "2,Order received,2024-03-01 11:00\n", encoding="utf-8")
    survey_path = tmp_path / "survey.csv"
    survey_path.write_text("case id,step,element,score,scale,comment\n"
                           "1,,,1,CSAT,slow\n"          # case 1 ended at step 3: -2
                           "2,,,10,NPS,\n"              # case 2 ended at step 2: +2
                           ",Get the order confirmation,,7,CES,\n"  # step 3: +2
                           ",,Send order confirmation,0,NPS,\n"     # element: -2
                           "3,,,11,NPS,\n", encoding="utf-8")       # out of range
    survey = read_survey(survey_path)
    assert (survey.bad_rows, survey.bad_examples) == (1, ("line 6: score 11 is outside NPS 0..10",))
    with load_log(log_path) as log:
        m = measure(model, annotations, log, survey=survey)
    assert (m.step(3).measured_emotion.mean, m.step(3).measured_emotion.count) == (0.0, 2)
    assert (m.step(2).measured_emotion.mean, m.step(2).measured_emotion.count) == (2.0, 1)
    confirmation = m.element(ElementRef("online-order", CONFIRMATION))
    assert confirmation.measured_emotion.mean == -2.0
    assert m.survey_scores == 4
    drift = [f for f in log_findings(m, annotations) if f.kind == "emotion-drift"]
    # Step 3: stated +1, measured 0; the confirmation touchpoint: stated +1, measured -2;
    # step 2: stated 0, measured +2 (better than believed: info).
    assert [(f.severity, f.steps, f.element_ids) for f in drift] == [
        ("warning", (3,), ()), ("warning", (), (CONFIRMATION,)), ("info", (2,), ())]


def test_a_survey_field_past_the_csv_limit_is_one_error_naming_its_line(tmp_path):
    # found by the fuzz suite: a quote left open swallowed the rest of the file into one
    # field of more than 131,072 characters, and csv.Error escaped as an internal error
    survey_path = tmp_path / "survey.csv"
    survey_path.write_text("case id,score,scale,comment\n1,5,CSAT,ok\n"
                           '2,1,CSAT,"' + "slow " * 30_000 + "\n", encoding="utf-8")
    with pytest.raises(EventLogError) as raised:
        read_survey(survey_path)
    assert str(raised.value) == (f"{survey_path}, line 3: a field longer than 131,072 "
                                 "characters (a quote left open?)")


def test_support_happening_after_the_step_equals_the_truth(order, tmp_path):
    """The customer says the parcel arrived (an app event) before operations
    logged the delivery: the support happened after the step."""
    model, annotations = order
    pack = "sid-D4E9FA63-3313-F3F0-1FA0-57702E2677A6"
    scenario = Scenario(cases=80, seed=5, branches={PAYMENT_GATEWAY: {PICK: 1}},
                        drop={DELIVER: 0.25},
                        customer_events=(CustomerEvent("Receive the parcel at home", after=pack,
                                                       delay=(60, 400000)),))
    sim = simulate(model, scenario)
    sim.write_xes(tmp_path / "orders.xes")
    with load_log(tmp_path / "orders.xes") as log:
        m = measure(model, annotations, log)
    step = m.step(7)
    assert step.observed == "direct"
    reached = after = skipped = 0
    for case in sim.cases:
        said = [e.complete for e in case.events if e.activity == "Receive the parcel at home"]
        if not said:
            continue
        reached += 1
        delivered = [e.start for e in case.events
                     if e.element == ElementRef("online-order", DELIVER)]
        if not delivered:
            skipped += 1
        elif min(delivered) > max(said):
            after += 1
    (support,) = step.support
    assert (step.cases, support.skipped, support.after) == (reached, skipped, after)
    assert 0 < after < reached and skipped > 0
    assert support.after_share == round(after / reached, 4)


def test_repeated_occurrences_pair_the_nth_start_with_the_nth_complete(order, tmp_path):
    model, annotations = order
    path = tmp_path / "log.csv"
    path.write_text("case,activity,timestamp,lifecycle\n"
                    "1,Pick items,2024-03-01 10:00,start\n"
                    "1,Pick items,2024-03-01 10:30,complete\n"
                    "1,Pick items,2024-03-01 11:00,START\n"
                    "1,Pick items,2024-03-01 12:00,complete\n"
                    "2,Pick items,2024-03-01 10:00,start\n"
                    "2,Pick items,2024-03-01 10:10,complete\n"
                    "3,Pick items,2024-03-01 10:00,\n", encoding="utf-8")
    with load_log(path) as log:
        m = measure(model, annotations, log)
    pick = m.element(ElementRef("online-order", PICK))
    assert (pick.occurrences, pick.cases) == (4, 3)
    assert (pick.duration.count, pick.duration.median, pick.duration.maximum) == (
        3, 1800.0, 3600.0)
    assert m.process_clock.count == 3 and m.process_clock.maximum == 7200.0


def test_the_event_table_is_written_as_parquet_and_read_back(order, simulated, tmp_path):
    with load_log(_written(simulated, tmp_path, "csv")) as log:
        log.write_parquet(tmp_path / "events.parquet")
        rows = log.connection.execute("SELECT count(*), min(ts), max(ts) FROM events").fetchone()
    with load_log(tmp_path / "events.parquet", columns={"timestamp": "ts"}) as again:
        assert again.connection.execute(
            "SELECT count(*), min(ts), max(ts) FROM events").fetchone() == rows
        assert again.time_zones == "given"


def _written(simulated, folder, kind):
    path = folder / f"log.{kind}"
    getattr(simulated, f"write_{kind}")(path)
    return path
