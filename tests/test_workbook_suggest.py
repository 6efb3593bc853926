"""Why an element looks customer-facing (the read-only Suggestion column)."""

import pytest

import bpmncx
from bpmncx.workbook.rows import element_rows, type_label
from bpmncx.workbook.suggest import customer_word, reasons

from workbook_support import shop_model, write_model


def test_customer_words_are_whole_words_case_insensitive():
    assert customer_word("CUSTOMER") == "customer"
    assert customer_word("New customers") == "customer"
    assert customer_word("Customer service") is None  # the organisation's team
    assert customer_word("Client support team") is None
    assert customer_word("Service client") is None
    assert customer_word("Customer service calls the customer") == "customer"
    assert customer_word("Kunden") == "kunden"
    assert customer_word("Policyholders") == "policyholder"
    assert customer_word("Patient intake") == "patient"
    assert customer_word("Asegurado") == "asegurado"
    assert customer_word("Userland tools") is None
    assert customer_word("Clientele") is None
    assert customer_word("Back office") is None
    assert customer_word("") is None


def test_message_flows_with_the_customer_pool_are_explained():
    model = shop_model()
    by_id = {r.element_id: r.suggestion for r in element_rows(model)}
    assert by_id["Start_order"] == "receives a message from the customer-like pool \u201cCustomer\u201d"
    assert by_id["Task_confirm"] == "sends a message to the customer-like pool \u201cCustomer\u201d"
    assert by_id["Task_check"] == ""
    assert by_id["Task_refund"] == "its name mentions \u201ccustomer\u201d"


def test_black_box_pool_and_customer_lane(tmp_path):
    path = tmp_path / "bank.bpmn"
    path.write_text(
        """<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="x">
  <collaboration id="C">
    <participant id="P_bank" name="Partner bank" />
    <participant id="P_org" name="Lender" processRef="Pr" />
    <messageFlow id="M1" sourceRef="T_ask" targetRef="P_bank" />
  </collaboration>
  <process id="Pr">
    <laneSet id="LS"><lane id="L_app" name="Applicant"><flowNodeRef>T_fill</flowNodeRef></lane>
      <lane id="L_back" name="Credit desk"><flowNodeRef>T_ask</flowNodeRef></lane></laneSet>
    <userTask id="T_fill" name="Fill in the form" />
    <task id="T_ask" name="Ask for a statement" />
  </process>
</definitions>""",
        encoding="utf-8",
    )
    model = bpmncx.load_model(path)
    assert reasons(model, model.node["T_fill"]) == ["in the customer-like lane \u201cApplicant\u201d"]
    assert reasons(model, model.node["T_ask"]) == [
        "exchanges messages with the external (black-box) pool \u201cPartner bank\u201d"
    ]


def test_rows_cover_activities_and_named_events_only():
    model = shop_model()
    ids = [r.element_id for r in element_rows(model)]
    # the gateway and the unnamed throw event get no row; the nested task does
    assert "Gateway_ok" not in ids and "Throw_1" not in ids
    assert set(ids) == {"Start_order", "Task_check", "Task_confirm", "Task_charge", "Sub_return",
                        "Task_pack", "Timer_late", "End_shipped", "Task_refund"}
    # pool by pool, lane by lane, left to right
    assert ids.index("Start_order") < ids.index("Task_check") < ids.index("Task_confirm")
    assert ids.index("Task_charge") < ids.index("Task_pack")
    assert type_label(model.node["Timer_late"]) == "Boundary event (timer)"
    assert type_label(model.node["Sub_return"]) == "Sub-process"


def test_a_pool_named_like_a_customer_marks_its_tasks(tmp_path):
    path = write_model(tmp_path, "m", [("T1", "Do it")])
    text = path.read_text().replace('name="Back office"', 'name="Citizen"')
    path.write_text(text)
    model = bpmncx.load_model(path)
    assert reasons(model, model.node["T1"]) == ["in the customer-like pool \u201cCitizen\u201d"]


_POOL_AND_LANE = """<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="x">
  <collaboration id="C"><participant id="P" name={pool} processRef="Pr" /></collaboration>
  <process id="Pr">
    <laneSet id="LS"><lane id="L" name={lane}><flowNodeRef>T</flowNodeRef></lane></laneSet>
    <task id="T" name="Do it" />
  </process>
</definitions>"""


@pytest.mark.parametrize("pool, lane, customer", [
    ("Customers", "Online", True),                  # plural
    ("Shop", "Customer (Office)", True),            # a remark in brackets is not a team
    ("Shop", "Customer office", False),             # the shop's own office
    ("Shop", "Customer service", False),
    ("Shop", "Client support team", False),
    ("Hospital", "Atención al cliente", False),
    ("Ayuntamiento", "Ciudadanos", True),           # plural of a Spanish word
    ("Versicherung", "Versicherungsnehmer", True),
    ("Insurer", "Claims intake", False),
    ("Policyholders", "Claims intake", True),
    ("Back office", "Patient intake", True),
    ("Userland tools", "Desk", False),              # not a whole word
])
def test_suggestion_and_analysis_agree_on_the_customer_side(tmp_path, pool, lane, customer):
    from xml.sax.saxutils import quoteattr

    from bpmncx.analysis.context import Context
    from bpmncx.annotations import Annotations, ElementRef

    path = tmp_path / "m.bpmn"
    path.write_text(_POOL_AND_LANE.format(pool=quoteattr(pool), lane=quoteattr(lane)),
                    encoding="utf-8")
    model = bpmncx.load_model(path)
    suggested = any("customer-like" in r for r in reasons(model, model.node["T"]))
    owner = Context([model], Annotations(source="w.xlsx"), None).owner(ElementRef(model.name, "T"))
    # the workbook suggests the task, and the analysis skips hand-offs there, for the same names
    assert suggested is customer
    assert owner.is_customer is customer


def test_a_boundary_event_sits_in_the_lane_of_its_task(tmp_path):
    from bpmncx.workbook import write_template
    from workbook_support import headers, load, row_of

    path = tmp_path / "claims.bpmn"
    path.write_text(
        """<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="x">
  <collaboration id="C">
    <participant id="P_cust" name="Policyholder" />
    <participant id="P_ins" name="Insurer" processRef="Pr" />
    <messageFlow id="M1" sourceRef="P_cust" targetRef="B_msg" />
  </collaboration>
  <process id="Pr">
    <laneSet id="LS">
      <lane id="L_in" name="Claims intake"><flowNodeRef>T_check</flowNodeRef></lane>
      <lane id="L_pay" name="Payments"><flowNodeRef>T_pay</flowNodeRef></lane>
    </laneSet>
    <task id="T_check" name="Check the claim" />
    <boundaryEvent id="B_msg" name="Documents arrive" attachedToRef="T_check">
      <messageEventDefinition /></boundaryEvent>
    <task id="T_pay" name="Pay out" />
  </process>
</definitions>""",
        encoding="utf-8",
    )
    model = bpmncx.load_model(path)
    out = tmp_path / "claims.xlsx"
    write_template([model], out)
    ws = load(out)["Touchpoints"]
    cols = headers(ws)
    row = row_of(ws, "B_msg")
    assert ws.cell(row=row, column=cols["Lane"]).value == "Claims intake"
    assert ws.cell(row=row, column=cols["Pool"]).value == "Insurer"
    # listed with its task's lane, before the Payments lane
    assert row_of(ws, "T_check") < row < row_of(ws, "T_pay")
