"""The service blueprint (issue 16): blueprint rows per pool, lane and element, the
Pools and lanes sheet, physical evidence, the four blueprint findings and the drawing.

The pizza vendor (tests/blueprint_support.py) has a customer pool and a vendor pool with
clerk, kitchen, delivery and IT lanes, and a second model; neither has a diagram.
"""

import shutil

import openpyxl
import pytest
from click.testing import CliRunner
from lxml import etree

import bpmncx
from bpmncx.analysis.blueprint import bands, suggest_sides
from bpmncx.annotations import ElementRef
from bpmncx.bpmn.extension import annotations_from_bpmn
from bpmncx.cli import cli

from blueprint_support import FEEDBACK, VENDOR, make_workbook, set_side
from workbook_support import set_tp

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    return make_workbook(tmp_path_factory.mktemp("blueprint") / "pizza-cx.xlsx")


@pytest.fixture(scope="module")
def models():
    return [bpmncx.load_model(VENDOR), bpmncx.load_model(FEEDBACK)]


@pytest.fixture(scope="module")
def analysis(workbook, models):
    annotations = bpmncx.read_annotations(workbook, models)
    assert annotations.problems == []
    return bpmncx.analyse(models, annotations)


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def ref(element_id, model="pizza-vendor"):
    return ElementRef(model, element_id)


# -- suggested rows ---------------------------------------------------------------------


def test_suggested_rows_of_every_pool_and_lane(models):
    vendor = models[0]
    suggested = suggest_sides(vendor)
    assert [(b.id, suggested[b.id].row) for b in bands(vendor)] == [
        ("pool_customer", "customer"),
        ("pool_vendor", "backstage"),
        ("lane_clerk", "frontstage"),  # 3 of its 7 elements exchange messages with the customer
        ("lane_kitchen", "backstage"),  # one call to the customer: an exception, not its work
        ("lane_delivery", "backstage"),
        ("lane_it", "support"),
    ]
    assert suggested["pool_customer"].why == "its name mentions \u201ccustomer\u201d"
    assert suggested["lane_it"].why == "a system lane (its name mentions \u201cIT\u201d)"
    assert suggested["lane_clerk"].why == (
        "3 of its 7 elements exchange messages with the customer, e.g. \u201cOrder received\u201d "
        "receives a message from the customer")
    assert suggested["lane_kitchen"].why == (
        "a lane of \u201cPizza vendor\u201d, out of the customer's sight; its elements that meet "
        "the customer (\u201cCall the customer about toppings\u201d) are frontstage")
    feedback = suggest_sides(models[1])  # nobody meets the customer: the organisation's own
    assert feedback["p_feedback"].row == feedback["lane_desk"].row == "backstage"


def test_the_pools_and_lanes_sheet_lists_them_with_suggestion_and_dropdown(workbook):
    ws = openpyxl.load_workbook(workbook)["Pools and lanes"]
    rows = [r[:6] for r in ws.iter_rows(min_row=1, max_row=9, values_only=True)]
    assert rows[0] == ("Model", "Pool", "Lane", "Pool/lane ID", "Suggestion (why)", "Blueprint row")
    assert [(r[0], r[1], r[2], r[3], r[4].split(":")[0], r[5]) for r in rows[1:]] == [
        ("pizza-vendor", "Customer", None, "pool_customer", "customer", None),
        ("pizza-vendor", "Pizza vendor", None, "pool_vendor", "backstage", None),
        ("pizza-vendor", "Pizza vendor", "Clerk", "lane_clerk", "frontstage", "Front stage"),
        ("pizza-vendor", "Pizza vendor", "Kitchen", "lane_kitchen", "backstage", "backstage"),
        ("pizza-vendor", "Pizza vendor", "Delivery", "lane_delivery", "backstage", None),
        ("pizza-vendor", "Pizza vendor", "IT systems", "lane_it", "support", None),
        ("pizza-feedback", "Feedback handling", None, "p_feedback", "backstage", None),
        ("pizza-feedback", "Feedback handling", "Service desk", "lane_desk", "backstage", None),
    ]
    assert ws["D2"].protection.locked and not ws["F2"].protection.locked
    assert ws["D2"].fill.fgColor.rgb.endswith("E7E6E6")  # read-only and grey
    (validation,) = [dv for dv in ws.data_validations.dataValidation if "F2" in str(dv.sqref)]
    assert validation.formula1 == "Lists!$E$2:$E$5"
    lists = openpyxl.load_workbook(workbook)["Lists"]
    assert [lists.cell(row=r, column=5).value for r in range(1, 6)] == [
        "Blueprint rows", "customer", "frontstage", "backstage", "support"]


# -- reading ---------------------------------------------------------------------------------


def test_settings_overrides_and_evidence_are_read_with_their_cells(workbook, models):
    annotations = bpmncx.read_annotations(workbook, models)
    assert annotations.sides == {("pizza-vendor", "lane_clerk"): "frontstage",
                                 ("pizza-vendor", "lane_kitchen"): "backstage"}
    assert annotations.side_cells[("pizza-vendor", "lane_kitchen")] == "Pools and lanes!F5"
    assert [(t.element_id, t.blueprint_row) for t in annotations.touchpoints
            if t.blueprint_row] == [("v_sms", "frontstage")]
    assert [(s.number, s.evidence, s.evidence_cell) for s in annotations.journey][:2] == [
        (1, "", "Journey!K2"), (2, "Order confirmation email", "Journey!K3")]


def test_a_value_that_is_no_blueprint_row_is_an_error_naming_its_cell(workbook, models, tmp_path):
    path = tmp_path / "bad.xlsx"
    shutil.copy(workbook, path)
    wb = openpyxl.load_workbook(path)
    place = set_side(wb["Pools and lanes"], "lane_delivery", "on stage please")
    tp_place = set_tp(wb["Touchpoints"], "v_collect", "Blueprint row", "the kitchen")
    wb.save(path)
    problems = [(p.severity, str(p)) for p in bpmncx.read_annotations(path, models).problems]
    assert problems == [
        ("error", f"{tp_place}: \u201cthe kitchen\u201d is not a blueprint row; pick customer, "
                  "frontstage, backstage or support, or leave it empty for the suggestion"),
        ("error", f"{place}: \u201con stage please\u201d is not a blueprint row; pick customer, "
                  "frontstage, backstage or support, or leave it empty for the suggestion"),
    ]
    result = run("blueprint", VENDOR, FEEDBACK, path, "-o", tmp_path / "x.svg")
    assert result.exit_code == 1
    assert not (tmp_path / "x.svg").exists()


def test_a_workbook_from_before_the_blueprint_reads_without_complaint(tmp_path, models):
    path = tmp_path / "old.xlsx"
    bpmncx.write_template(models, path)
    wb = openpyxl.load_workbook(path)
    del wb["Pools and lanes"]
    wb["Journey"].delete_cols(11)  # Evidence
    tp = wb["Touchpoints"]
    tp.delete_cols(tp.max_column)  # Blueprint row
    tp.cell(row=1, column=tp.max_column + 1, value="Our own column")
    tp.cell(row=2, column=tp.max_column, value="kept")
    wb.save(path)
    annotations = bpmncx.read_annotations(path, models)
    assert annotations.problems == []
    analysis = bpmncx.analyse(models, annotations)
    assert analysis.blueprint_row(ref("v_check")) == "support"  # the suggestions hold


# -- the one rule -------------------------------------------------------------------------------


def test_each_element_is_in_one_row(analysis):
    rows = {e: analysis.blueprint_row(ref(e)) for e in (
        "c_order", "v_take", "v_answer", "v_check", "v_toppings", "v_sms", "v_deliver", "v_collect")}
    assert rows == {
        "c_order": "customer",      # the customer's pool
        "v_take": "frontstage",     # the owners: the Clerk lane is frontstage
        "v_answer": "frontstage",
        "v_check": "support",       # the IT lane (suggested)
        "v_toppings": "backstage",  # the owners: the whole Kitchen is backstage
        "v_sms": "frontstage",      # its own Blueprint row overrides the IT lane's
        "v_deliver": "frontstage",  # a blank Delivery lane: meets the customer, so frontstage
        "v_collect": "backstage",   # ... and the rest of it backstage
    }
    assert analysis.blueprint_row(ref("f_read", "pizza-feedback")) == "backstage"
    assert analysis.is_customer_side(ref("c_received"))
    assert not analysis.is_customer_side(ref("v_deliver"))


def test_the_owners_customer_setting_drives_the_handoffs(workbook, models, tmp_path):
    def handoffs(path):
        analysis = bpmncx.analyse(models, bpmncx.read_annotations(path, models))
        return [f.steps for f in analysis.of_kind("handoff")]

    assert handoffs(workbook) == [(5, 7), (2, 3), (3, 4), (4, 5)]
    path = tmp_path / "delivery-is-the-customer.xlsx"
    shutil.copy(workbook, path)
    wb = openpyxl.load_workbook(path)
    set_side(wb["Pools and lanes"], "lane_delivery", "customer")
    wb.save(path)
    # step 5 is now supported by the customer's side alone: no department to pass on to
    assert handoffs(path) == [(4, 7), (2, 3), (3, 4)]


# -- findings ------------------------------------------------------------------------------------


def test_each_blueprint_finding_once_with_severity_message_and_cell(analysis):
    found = {kind: analysis.of_kind(kind) for kind in (
        "backstage-exposed", "frontstage-unbacked", "visibility-crossings", "evidence-missing")}
    assert {kind: len(f) for kind, f in found.items()} == {
        "backstage-exposed": 1, "frontstage-unbacked": 1, "visibility-crossings": 1,
        "evidence-missing": 1}
    (exposed,) = found["backstage-exposed"]
    assert (exposed.severity, exposed.steps, exposed.element_ids, exposed.cell) == (
        "warning", (3,), ("v_toppings",), "Pools and lanes!F5")
    assert exposed.message == (
        '"Call the customer about toppings" in Kitchen (Pizza vendor) is backstage work but '
        "sends a message to the customer: the customer is pulled behind the line of visibility.")
    (unbacked,) = found["frontstage-unbacked"]
    assert (unbacked.severity, unbacked.steps, unbacked.element_ids, unbacked.cell) == (
        "warning", (1,), ("v_answer",), "Journey!H2")
    assert unbacked.message == (
        '"Answer the question" faces the customer at step 1 "Ask about allergens", but no '
        "backstage or support work is connected to it: a promise nobody fulfils.")
    (crossing,) = found["visibility-crossings"]
    assert (crossing.severity, crossing.steps, crossing.cell) == ("warning", (2,), "Journey!H3")
    assert crossing.message == (
        'Step 2 "Order and pay", a moment of truth, crosses the line of visibility 5 times '
        "(Ask for another card \u2192 Check the payment; Check the payment \u2192 Ask for another "
        "card; Check the payment \u2192 Confirm the order; Confirm the order \u2192 Bake the "
        "pizza; Take the order \u2192 Check the payment): effort the customer can see.")
    (evidence,) = found["evidence-missing"]
    assert (evidence.severity, evidence.steps, evidence.cell) == ("warning", (5,), "Journey!K6")
    assert evidence.message == (
        'Step 5 "Receive the pizza" is a moment of truth but has no physical evidence: '
        "nothing the customer sees or gets shows it happened.")


def test_the_crossings_threshold_is_configurable(workbook, models):
    annotations = bpmncx.read_annotations(workbook, models)
    assert bpmncx.analyse(models, annotations, max_crossings=5).of_kind("visibility-crossings") == ()
    strict = bpmncx.analyse(models, annotations, max_crossings=0)
    assert [f.steps for f in strict.of_kind("visibility-crossings")] == [(2,)]
    result = run("gaps", VENDOR, FEEDBACK, workbook, "--format", "json")
    assert '"visibility-crossings": 1' in result.stdout
    result = run("gaps", VENDOR, FEEDBACK, workbook, "--format", "json", "--max-crossings", "5")
    assert '"visibility-crossings": 0' in result.stdout


def test_persona_narrows_the_blueprint_findings(workbook, models):
    annotations = bpmncx.read_annotations(workbook, models)
    student = bpmncx.analyse(models, annotations, persona="hungry student")
    assert student.of_kind("frontstage-unbacked") == ()  # step 1 is the parent's
    assert [s.number for s in student.steps] == [2, 3, 4, 5, 6, 7]


# -- the drawing -------------------------------------------------------------------------------


def test_blueprint_svg_has_a_group_per_row_and_per_column(workbook, tmp_path):
    out = tmp_path / "pizza.svg"
    result = run("blueprint", VENDOR, FEEDBACK, workbook, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote {out}: 7 journey step(s), 1 missing from operations\n"
    root = etree.parse(str(out)).getroot()
    rows = [g.get("data-blueprint-row") for g in root.iter(SVG + "g") if g.get("data-blueprint-row")]
    assert rows == ["evidence", "customer", "frontstage", "backstage", "support"]
    columns = {g.get("data-journey-step"): g for g in root.iter(SVG + "g")
               if g.get("data-journey-step")}
    assert list(columns) == ["1", "2", "3", "4", "5", "6", "7"]
    assert [n for n, g in columns.items() if g.get("data-missing")] == ["6"]

    def elements(row):
        group = next(g for g in root.iter(SVG + "g") if g.get("data-blueprint-row") == row)
        return [(cell.get("data-step"), e.get("data-element"))
                for cell in group.iter(SVG + "g") if cell.get("class") == "cell"
                for e in cell if e.get("class") == "element"]

    assert elements("customer") == [("2", "pizza-vendor:c_order"), ("5", "pizza-vendor:c_received")]
    # under each step, the work it sets going that no step names: the kitchen bakes
    # after the order is confirmed; the cash is collected after the delivery
    assert elements("backstage") == [("2", "pizza-vendor:v_bake"), ("3", "pizza-vendor:v_toppings"),
                                     ("5", "pizza-vendor:v_collect"), ("5", "pizza-vendor:v_done"),
                                     ("7", "pizza-feedback:f_read"), ("7", "pizza-feedback:f_end")]
    behind = {e.get("data-element") for e in root.iter(SVG + "g") if e.get("data-behind")}
    assert behind == {"pizza-vendor:v_bake", "pizza-vendor:v_collect", "pizza-vendor:v_done",
                      "pizza-feedback:f_end", "pizza-vendor:v_answered"}  # not the order the customer sends
    assert elements("support") == [("2", "pizza-vendor:v_check")]
    counts = {n: (g.find(f"{SVG}g[@class='counts']").get("data-handoffs"),
                  g.find(f"{SVG}g[@class='counts']").get("data-crossings"))
              for n, g in columns.items()}
    # the footer counts what the finding counts: Confirm the order -> Bake the pizza too
    assert counts["2"] == ("0", "5") and counts["7"] == ("1", "0")
    flows = {(f.get("data-from"), f.get("data-to"), f.get("data-flow"))
             for f in root.iter(SVG + "path") if f.get("class") == "flow"}
    assert ("pizza-vendor:v_deliver", "pizza-vendor:c_received", "messageFlow") in flows
    assert ("pizza-vendor:v_toppings", "pizza-vendor:v_sms", "sequenceFlow") in flows
    assert {g.get("data-line") for g in root.iter(SVG + "path") if g.get("data-line")} == {
        "interaction", "visibility", "internal"}
    # the owners' emotion colours the element: Deliver the pizza +2
    deliver = next(e for e in root.iter(SVG + "g") if e.get("data-element") == "pizza-vendor:v_deliver")
    assert deliver.find(SVG + "rect").get("fill") == "#2C7BB6"
    again = tmp_path / "again.svg"
    run("blueprint", VENDOR, FEEDBACK, workbook, "-o", again)
    assert again.read_bytes() == out.read_bytes()


@pytest.mark.parametrize("fmt, magic", [("png", b"\x89PNG"), ("pdf", b"%PDF"),
                                        ("html", b"<!DOCTYPE html>")])
def test_blueprint_as_png_pdf_and_html(workbook, tmp_path, fmt, magic):
    out = tmp_path / f"pizza.{fmt}"
    result = run("blueprint", VENDOR, FEEDBACK, workbook, "-o", out, "--persona", "Hungry student")
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(magic)
    if fmt == "html":
        page = out.read_text(encoding="utf-8")
        assert "persona: Hungry student" in page and 'data-journey-step="1"' not in page
    again = tmp_path / f"again.{fmt}"
    run("blueprint", VENDOR, FEEDBACK, workbook, "-o", again, "--persona", "Hungry student")
    assert again.read_bytes() == out.read_bytes()


def test_blueprint_errors_are_one_line(workbook, tmp_path):
    result = run("blueprint", VENDOR, workbook, "-o", tmp_path / "x.gif")
    assert result.exit_code == 1
    assert result.stderr == f"error: {tmp_path / 'x.gif'}: write the blueprint to a .svg, .png, " \
                            ".pdf or .html file\n"
    result = run("blueprint", VENDOR, FEEDBACK, workbook, "-o", tmp_path / "x.svg",
                 "--persona", "Nobody")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {workbook}: persona 'Nobody' is not in the workbook")


def test_batch_and_report_carry_the_blueprint(workbook, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(VENDOR, folder / "pizza-vendor.bpmn")
    shutil.copy(workbook, folder / "pizza-vendor-cx.xlsx")
    out = tmp_path / "out"
    result = run("batch", folder, "-o", out, "--format", "blueprint,html")
    assert result.exit_code == 0, result.output
    svg = (out / "pizza-vendor.blueprint.svg").read_bytes()
    assert b'data-blueprint-row="backstage"' in svg
    page = (out / "pizza-vendor.html").read_text(encoding="utf-8")
    assert "<h2>Service blueprint</h2>" in page and 'data-journey-step="2"' in page


# -- carried over -----------------------------------------------------------------------------


def test_template_update_carries_the_settings_and_the_owners_columns(workbook, models, tmp_path):
    old = tmp_path / "old.xlsx"
    shutil.copy(workbook, old)
    wb = openpyxl.load_workbook(old)
    ws = wb["Pools and lanes"]
    ws.cell(row=1, column=ws.max_column + 1, value="Owner")
    ws.cell(row=5, column=ws.max_column, value="Head chef")
    wb.save(old)
    new = tmp_path / "new.xlsx"
    result = run("template", VENDOR, FEEDBACK, "-o", new, "--update", old)
    assert result.exit_code == 0, result.output
    before = bpmncx.read_annotations(old, models)
    after = bpmncx.read_annotations(new, models)
    assert after.problems == []
    assert after.sides == before.sides and after.side_cells == before.side_cells
    assert [(t.element_id, t.blueprint_row) for t in after.touchpoints if t.blueprint_row] == \
        [("v_sms", "frontstage")]
    assert [s.evidence for s in after.journey] == [s.evidence for s in before.journey]
    sheet = openpyxl.load_workbook(new)["Pools and lanes"]
    assert sheet["H1"].value == "Owner" and sheet["H5"].value == "Head chef"


def test_the_annotated_bpmn_keeps_the_settings_round_trip(workbook, models, tmp_path):
    result = run("annotate", VENDOR, FEEDBACK, workbook, "-o", tmp_path, "--format", "bpmn")
    assert result.exit_code == 0, result.output
    annotated = tmp_path / "pizza-vendor.cx.bpmn"
    back = annotations_from_bpmn(annotated, [models[0]])
    assert back.sides == {("pizza-vendor", "lane_clerk"): "frontstage",
                          ("pizza-vendor", "lane_kitchen"): "backstage"}
    assert back.side_cells[("pizza-vendor", "lane_clerk")] == "Pools and lanes!F4"
    assert [(t.element_id, t.blueprint_row) for t in back.touchpoints if t.blueprint_row] == \
        [("v_sms", "frontstage")]
    assert [s.evidence for s in back.journey][:2] == ["", "Order confirmation email"]
    book = tmp_path / "from-bpmn.xlsx"
    assert run("template", VENDOR, "-o", book, "--update", annotated).exit_code == 0
    again = bpmncx.read_annotations(book, [models[0]])
    assert again.sides == back.sides
    assert [s.evidence for s in again.journey] == [s.evidence for s in back.journey]
