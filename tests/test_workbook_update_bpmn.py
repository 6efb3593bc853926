"""--update from an annotated BPMN file: workbook -> .cx.bpmn -> workbook keeps every annotation."""

import dataclasses
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

import bpmncx
from bpmncx.bpmn.write import annotate_file
from bpmncx.cli import cli
from bpmncx.errors import BpmncxError, WorkbookError
from bpmncx.workbook import read_annotations, update_workbook, write_template
from bpmncx.workbook.columns import STATUS_NEW, STATUS_REMOVED

from conftest import SAMPLES
from test_workbook import fill
from test_workbook_update import changed_model
from workbook_support import SHOP, headers, load, row_of, set_row, set_tp, write_model

SAMPLE_NAMES = ["online-order", "insurance-claim"]


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def assert_same_annotations(expected, got):
    """Field by field, so a failure names the field that changed."""
    for name in ("personas", "touchpoints", "journey"):
        want, have = getattr(expected, name), getattr(got, name)
        assert len(have) == len(want), name
        for a, b in zip(want, have):
            for f in dataclasses.fields(a):
                value = getattr(b, f.name)
                if f.name == "cells" and "device" not in a.cells:
                    # a workbook remade from annotations has every column of the template,
                    # also the Device column the original workbook did not have yet
                    value = {k: v for k, v in value.items() if k != "device"}
                assert value == getattr(a, f.name), (name, getattr(a, "cell", ""), f.name)
    assert got.channels == expected.channels
    assert got.stages == expected.stages


@pytest.fixture
def shop_workbook(tmp_path):
    """The shop workbook filled with messy but clear values, one more touchpoint on Task_charge."""
    model = bpmncx.load_model(SHOP)
    path = tmp_path / "shop-cx.xlsx"
    write_template([model], path, personas=["Busy parent", "Student"])
    fill(path)
    wb = load(path)
    tp = wb["Touchpoints"]
    set_tp(tp, "Task_charge", "Touchpoint", "I pay by card")
    set_tp(tp, "Task_charge", "Emotion: Student", "anxious")
    set_tp(tp, "Task_charge", "Opportunity", "+1+2")
    set_row(wb["Journey"], 4, {"Step": "3a", "Customer step": '=HYPERLINK("http://x","click")',
                               "Supported by": "Task_pack"})
    wb["Journey"]["C4"].data_type = "s"  # typed as text (Excel keeps it so after a leading ')
    wb.save(path)
    return path


def annotated(model, workbook, directory):
    annotations = read_annotations(workbook, [model])
    assert annotations.errors == []
    return annotate_file(model, bpmncx.analyse([model], annotations), str(directory / f"{model.name}.cx.bpmn"))


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_samples_round_trip_through_annotated_bpmn(tmp_path, name):
    model = bpmncx.load_model(SAMPLES / name / f"{name}.bpmn")
    workbook = SAMPLES / name / f"{name}-cx.xlsx"
    original = read_annotations(workbook, [model])
    assert original.problems == [] and original.journey and original.personas
    source = annotated(model, workbook, tmp_path)
    source_bytes = open(source, "rb").read()

    result = update_workbook(source, [model], tmp_path / "back.xlsx")
    assert result.new == [] and result.removed == [] and result.renamed == []
    assert result.warnings == []
    assert result.backup is None
    assert open(source, "rb").read() == source_bytes  # the annotated file is only read

    back = read_annotations(tmp_path / "back.xlsx", [model])
    assert back.problems == []
    assert_same_annotations(original, back)


def test_messy_workbook_round_trip_keeps_what_was_typed_as_text(tmp_path, shop_workbook):
    model = bpmncx.load_model(SHOP)
    original = read_annotations(shop_workbook, [model])
    source = annotated(model, shop_workbook, tmp_path)
    update_workbook(source, [model], tmp_path / "back.xlsx")
    back = read_annotations(tmp_path / "back.xlsx", [model])
    assert [str(p) for p in back.problems] == [str(p) for p in original.problems]
    assert_same_annotations(original, back)

    wb = load(tmp_path / "back.xlsx")
    tp = wb["Touchpoints"]
    cell = tp[f"{get_col(tp, 'Opportunity')}{row_of(tp, 'Task_charge')}"]
    assert (cell.value, cell.data_type) == ("+1+2", "s")  # text, not a formula
    journey = wb["Journey"]
    assert (journey["C4"].value, journey["C4"].data_type) == ('=HYPERLINK("http://x","click")', "s")
    assert (journey["J3"].value, journey["J3"].data_type) == ("=not a formula", "s")
    assert journey["A4"].value == "3a" and journey["A2"].value == 2  # numbers stay numbers
    assert tp[f"{get_col(tp, 'Emotion: Student')}{row_of(tp, 'Start_order')}"].value == (
        "+2 very positive \U0001F604")


def get_col(ws, header):
    from openpyxl.utils import get_column_letter

    return get_column_letter(headers(ws)[header])


def test_changed_model_keeps_removed_rows_and_adds_new_ones_as_a_workbook_source_does(
        tmp_path, shop_workbook):
    v1 = bpmncx.load_model(SHOP)
    source = annotated(v1, shop_workbook, tmp_path)
    v2 = changed_model(tmp_path)
    from_bpmn = update_workbook(source, [v2], tmp_path / "from-bpmn.xlsx")
    from_xlsx = update_workbook(shop_workbook, [v2], tmp_path / "from-xlsx.xlsx")

    assert from_bpmn.new == ["shop:Task_wrap"] == from_xlsx.new
    assert from_bpmn.removed == ["shop:Task_charge"] == from_xlsx.removed
    assert from_bpmn.renamed == ["shop:Task_check"] == from_xlsx.renamed

    tp = load(tmp_path / "from-bpmn.xlsx")["Touchpoints"]
    cols = headers(tp)
    removed = row_of(tp, "Task_charge")
    assert tp.cell(row=removed, column=cols["Status"]).value == STATUS_REMOVED
    assert tp.cell(row=removed, column=cols["Touchpoint"]).value == "I pay by card"
    assert tp.cell(row=removed, column=cols["Element name"]).value == "Charge card"
    new = row_of(tp, "Task_wrap")
    assert tp.cell(row=new, column=cols["Status"]).value == STATUS_NEW
    assert tp.cell(row=new, column=cols["Element name"]).fill.fgColor.rgb.endswith("FFF2CC")
    renamed = row_of(tp, "Task_check")
    assert tp.cell(row=renamed, column=cols["Status"]).value == "renamed (was \u201cCheck order\u201d)"

    # read back, both updated workbooks say the same (the owners' extra columns aside)
    a = read_annotations(tmp_path / "from-xlsx.xlsx", [v2])
    b = read_annotations(tmp_path / "from-bpmn.xlsx", [v2])
    assert [str(p) for p in b.problems] == [str(p) for p in a.problems]
    assert any("Task_charge" in p.message and "no longer exists" in p.message for p in b.errors)
    assert_same_annotations(a, b)


def test_other_models_get_new_rows_and_new_personas_are_added(tmp_path):
    a = bpmncx.load_model(write_model(tmp_path, "apply", [("T_form", "Fill in form"),
                                                          ("T_pay", "Pay fee")]))
    b = bpmncx.load_model(write_model(tmp_path, "decide", [("T_check", "Check application")]))
    workbook = tmp_path / "both.xlsx"
    write_template([a, b], workbook, personas=["Applicant"])
    wb = load(workbook)
    set_tp(wb["Touchpoints"], "T_form", "Touchpoint", "I fill in the form")
    set_tp(wb["Touchpoints"], "T_check", "Notes", "decided elsewhere")
    set_row(wb["Journey"], 2, {"Step": 1, "Customer step": "Apply",
                               "Supported by": "Fill in form; Check application"})
    wb.save(workbook)
    original = read_annotations(workbook, [a, b])
    assert original.problems == []
    source = annotated(a, workbook, tmp_path)

    result = update_workbook(source, [a, b], tmp_path / "new.xlsx", personas=["Agent"])
    assert result.personas == ["Applicant", "Agent"]
    assert result.new == ["decide:T_check"]  # decide's data is not in apply's annotated file
    back = read_annotations(tmp_path / "new.xlsx", [a, b])
    assert back.problems == []
    tps = {t.element_id: t for t in back.touchpoints}
    assert tps["T_form"].touchpoint == "I fill in the form"
    assert tps["T_check"].notes == ""
    assert [p.name for p in back.personas] == ["Applicant", "Agent"]
    assert back.journey[0].supported_by == original.journey[0].supported_by


def test_updating_from_the_same_annotated_file_twice_gives_the_same_bytes(tmp_path, shop_workbook):
    model = bpmncx.load_model(SHOP)
    source = annotated(model, shop_workbook, tmp_path)
    update_workbook(source, [model], tmp_path / "a.xlsx")
    update_workbook(source, [model], tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_the_annotated_file_is_never_the_output(tmp_path, shop_workbook):
    model = bpmncx.load_model(SHOP)
    source = annotated(model, shop_workbook, tmp_path)
    before = open(source, "rb").read()
    with pytest.raises(WorkbookError, match="is the annotated BPMN file being read"):
        update_workbook(source, [model], source)
    assert open(source, "rb").read() == before


def test_a_bpmn_file_without_bpmncx_data_is_refused(tmp_path):
    out = tmp_path / "new.xlsx"
    with pytest.raises(WorkbookError, match=r"shop\.bpmn: has no bpmncx data"):
        update_workbook(SHOP, [bpmncx.load_model(SHOP)], out)
    broken = tmp_path / "broken.cx.bpmn"
    broken.write_text("<definitions><process>")
    with pytest.raises(BpmncxError, match="broken.cx.bpmn"):
        update_workbook(broken, [bpmncx.load_model(SHOP)], out)
    assert not out.exists()


def test_command_line_annotate_update_validate_gaps(tmp_path):
    model = SAMPLES / "online-order" / "online-order.bpmn"
    workbook = SAMPLES / "online-order" / "online-order-cx.xlsx"
    result = run("annotate", model, workbook, "-o", tmp_path, "--format", "bpmn")
    assert result.exit_code == 0, result.output
    source = tmp_path / "online-order.cx.bpmn"

    out = tmp_path / "online-order-cx.xlsx"
    result = run("template", model, "-o", out, "--update", source)
    assert result.exit_code == 0, result.output
    assert result.stderr == (f"wrote {out}: 30 touchpoint rows, 212 filled cells carried over "
                             f"from {source}; 0 new, 0 removed (kept, marked), 0 renamed\n")

    result = run("validate", source, model)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "0 errors, 0 warnings; 2 personas, 11 customer-facing touchpoints, 12 journey" in (
        result.stderr)

    # the same findings, with the same cells, from the workbook, the annotated file and
    # the workbook made from it
    findings = []
    for source_file in (workbook, source, out):
        result = run("gaps", model, source_file, "--format", "json")
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert data.pop("workbook") == str(source_file)
        findings.append(data)
    assert "Journey!H5" in json.dumps(findings[0])
    assert findings[1] == findings[0] and findings[2] == findings[0]


def test_command_line_error_for_a_plain_bpmn_source(tmp_path):
    out = tmp_path / "new.xlsx"
    done = subprocess.run([sys.executable, "-m", "bpmncx", "template", str(SHOP), "-o", str(out),
                           "--update", str(SHOP)], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.startswith(f"error: {SHOP}: has no bpmncx data")
    assert "Traceback" not in done.stderr
    assert not out.exists()
