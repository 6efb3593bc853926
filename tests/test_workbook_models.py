"""One workbook for several models that share element ids (the same process exported twice,
two versions side by side), and a workbook given with a renamed or edited model."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import openpyxl
import pytest

from bpmncx import load_model
from bpmncx.annotations import ElementRef
from bpmncx.workbook import read_annotations, write_template
from conftest import ROOT, SAMPLES

ORDER = SAMPLES / "online-order" / "online-order.bpmn"
ORDER_BOOK = SAMPLES / "online-order" / "online-order-cx.xlsx"
TASK = "sid-B459071A-FB8A-DF9E-FF72-C46DCA8FBE35"


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "bpmncx", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


@pytest.fixture(params=["same bytes", "edited copy"])
def twins(tmp_path, request):
    """Two files of one process: byte for byte the same, or one edited (a comment added)."""
    first, second = tmp_path / "shop.bpmn", tmp_path / "shop-v2.bpmn"
    shutil.copy(ORDER, first)
    data = ORDER.read_bytes()
    if request.param == "edited copy":
        data = data.replace(b"?>", b"?>\n<!-- version 2 -->", 1)
    second.write_bytes(data)
    models = [load_model(first), load_model(second)]
    book = tmp_path / "shop-cx.xlsx"
    write_template(models, book)
    return models, book


def test_a_template_for_models_sharing_ids_validates_without_errors(twins):
    models, book = twins
    annotations = read_annotations(book, models)
    assert annotations.problems == []
    rows = {(tp.model, tp.element_id) for tp in annotations.touchpoints}
    assert ("shop", TASK) in rows and ("shop-v2", TASK) in rows
    result = run_cli("validate", book, *[m.path for m in models])
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith(f"{book}: 0 errors, 0 warnings")


def test_batch_with_one_workbook_over_models_sharing_ids(twins, tmp_path):
    models, book = twins
    out = tmp_path / "out"
    result = run_cli("batch", book.parent, "--workbook", book, "-o", out, "-q", "-j", "1",
                     "--format", "svg")
    assert result.returncode == 0, result.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert [(m["model"], m["status"], m["analysed"]) for m in summary["models"]] == [
        ("shop", "ok", True), ("shop-v2", "ok", True)]


def test_an_id_of_several_models_says_how_to_name_one(twins):
    models, book = twins
    wb = openpyxl.load_workbook(book)
    ws = wb["Journey"]
    header = {c.value: c.column for c in ws[1]}
    ws.cell(2, header["Step"], 1)
    ws.cell(2, header["Customer step"], "Order")
    ws.cell(2, header["Supported by"], TASK)
    ws.cell(3, header["Step"], 2)
    ws.cell(3, header["Customer step"], "Order again")
    ws.cell(3, header["Supported by"], f"shop-v2: {TASK}")
    wb.save(book)
    annotations = read_annotations(book, models)
    column = openpyxl.utils.get_column_letter(header["Supported by"])
    assert [(p.severity, p.place, p.message) for p in annotations.problems] == [
        ("error", f"Journey!{column}2", f"“{TASK}” is an element of several models (shop, "
                                        f"shop-v2); write “shop: {TASK}” to say which one")]
    assert annotations.journey[1].supported_by == [ElementRef("shop-v2", TASK)]


def test_a_renamed_model_is_told_how_to_carry_the_workbook_over(tmp_path):
    renamed = tmp_path / "webshop.bpmn"
    renamed.write_bytes(ORDER.read_bytes().replace(b"?>", b"?>\n<!-- edited -->", 1))
    result = run_cli("validate", ORDER_BOOK, renamed)
    assert result.returncode == 1
    assert (f"this workbook was made for online-order.bpmn, not for webshop.bpmn. If "
            f"webshop.bpmn is that model renamed or edited, carry the workbook over: 'bpmncx "
            f"template webshop.bpmn -o NEW.xlsx --update online-order-cx.xlsx' keeps everything "
            "the owners typed; otherwise give the model it was made for") in result.stdout + result.stderr
