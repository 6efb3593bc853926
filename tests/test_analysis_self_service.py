"""A journey step supported only by the customer's own tasks is not covered by operations:
'Choose a pizza' backed by 'Select a pizza' in the customer's pool is the customer alone."""

from __future__ import annotations

import json
import subprocess
import sys

import openpyxl

from bpmncx import analyse, load_model
from bpmncx.annotations import Annotations, ElementRef, JourneyStep
from bpmncx.workbook import write_template
from conftest import FIXTURES, ROOT

PIZZA = FIXTURES / "analysis" / "pizza.bpmn"


def journey(*steps):
    return Annotations("pizza-cx.xlsx", journey=[
        JourneyStep(number, str(number), customer_step=text, moment_of_truth=mot,
                    supported_by=[ElementRef("pizza", i) for i in ids], cell=f"Journey!A{number + 1}",
                    supported_by_cell=f"Journey!H{number + 1}")
        for number, (text, ids, mot) in enumerate(steps, start=1)])


def test_a_step_backed_only_by_the_customers_own_task_is_self_service_and_not_covered():
    model = load_model(PIZZA)
    analysis = analyse([model], journey(("Choose a pizza", ["T_select"], False),
                                        ("Order by phone", ["T_call", "T_take"], True),
                                        ("Eat", ["T_eat"], True)))
    found = analysis.of_kind("self-service-only")
    assert [(f.steps, f.severity, f.element_ids, f.cell) for f in found] == [
        ((3,), "critical", ("T_eat",), "Journey!H4"),  # a moment of truth
        ((1,), "warning", ("T_select",), "Journey!H2")]
    assert found[1].message == (
        'Step 1 "Choose a pizza" is supported only by "Select a pizza" on the customer\'s own side '
        "(Customer): the customer does this alone; nothing in operations backs it.")
    assert analysis.of_kind("missing-support") == ()
    # step 2 has operations support (the counter takes the call): covered
    assert (analysis.metrics.supported_steps, analysis.metrics.coverage) == (1, round(1 / 3, 4))
    steps = analysis.steps
    assert [analysis.is_self_service(s) for s in steps] == [True, False, True]
    assert [analysis.is_covered(s) for s in steps] == [False, True, False]
    assert [analysis.is_missing(s) for s in steps] == [False, False, False]


def test_gaps_reports_self_service_only_from_a_filled_workbook(tmp_path):
    model = load_model(PIZZA)
    book = tmp_path / "pizza-cx.xlsx"
    write_template([model], book)
    wb = openpyxl.load_workbook(book)
    ws = wb["Journey"]
    header = {c.value: c.column for c in ws[1]}
    for row, (text, support) in enumerate([("Choose a pizza", "Select a pizza"),
                                           ("Get the pizza", "Deliver the pizza")], start=2):
        ws.cell(row, header["Step"], row - 1)
        ws.cell(row, header["Customer step"], text)
        ws.cell(row, header["Supported by"], support)
    wb.save(book)
    done = subprocess.run([sys.executable, "-m", "bpmncx", "gaps", str(PIZZA), str(book),
                           "--format", "json", "--fail-on", "warning"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 3, done.stderr
    doc = json.loads(done.stdout)
    kinds = [(f["kind"], f["steps"], f["cell"]) for f in doc["findings"]]
    assert ("self-service-only", [1], "Journey!H2") in kinds
    assert doc["metrics"]["coverage"] == 0.5
    assert doc["metrics"]["findings_per_kind"]["self-service-only"] == 1
