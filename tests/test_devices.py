"""The device per journey step (Journey's Device column): read tolerantly, carried by
--update, judged by one rule against the supporting touchpoints' channels, shown in
the reports."""

from __future__ import annotations

import json
import subprocess
import sys

import openpyxl
import pytest

from bpmncx import load_model
from bpmncx.analysis.result import channel_usable_on
from bpmncx.vocabulary import DEVICES, device
from bpmncx.workbook import write_template
from conftest import FIXTURES, ROOT

PIZZA = FIXTURES / "analysis" / "pizza.bpmn"
LIST = ", ".join(DEVICES)


def bpmncx(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "bpmncx", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=180)


@pytest.mark.parametrize("typed, meant", [
    ("smartphone", "Mobile"), ("Mobile phone", "Mobile"), ("HANDY", "Mobile"),
    ("PC", "Desktop"), ("laptop", "Desktop"), ("desk-top", "Desktop"),
    ("face-to-face", "In person"), ("iPad", "Tablet"), ("Telefon", "Phone call"),
    ("letter", "Paper"), ("Kiosk ", "Kiosk"), ("Smartwatch", None), ("", None),
])
def test_devices_are_read_tolerantly(typed, meant):
    assert device(typed) == meant


@pytest.mark.parametrize("channel, on, usable", [
    ("Web", "Mobile", True), ("Mobile app", "Mobile", True), ("mobile  APP", "Desktop", False),
    ("Phone", "Desktop", False), ("Post", "Mobile", False), ("Post", "Paper", True),
    ("Phone", "Phone call", True), ("Email", "Phone call", False),
    ("In person", "In person", True), ("Web", "In person", False),
    ("Carrier pigeon", "Mobile", True),  # the owners' own channel: not judged
    ("Post", "Other", True), ("Post", "", True), ("Post", "Smartwatch", True),
])
def test_one_rule_says_which_channels_a_device_can_use(channel, on, usable):
    assert channel_usable_on(channel, on) is usable


TOUCHPOINTS = {"T_take": {"Customer-facing?": "Yes", "Channel": "Phone"},
               "T_deliver": {"Customer-facing?": "Yes", "Channel": "In person"}}
JOURNEY = [
    {"Step": 1, "Customer step": "Order by phone", "Channel": "Phone", "Device": "Handy",
     "Supported by": "Take the order"},
    {"Step": 2, "Customer step": "Order on my laptop", "Device": "Laptop",
     "Supported by": "Take the order"},
    {"Step": 3, "Customer step": "Get the pizza", "Channel": "In person", "Device": "Smartwach",
     "Supported by": "Deliver the pizza"},
    {"Step": 4, "Customer step": "Pay", "Channel": "Web", "Device": "Desktop",
     "Supported by": "Deliver the pizza"},
]


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = tmp_path_factory.mktemp("devices") / "pizza-cx.xlsx"
    write_template([load_model(PIZZA)], path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Touchpoints"]
    header = {c.value: c.column for c in ws[1] if c.value}
    rows = {ws.cell(r, header["Element ID"]).value: r for r in range(2, ws.max_row + 1)}
    for element_id, values in TOUCHPOINTS.items():
        for name, value in values.items():
            ws.cell(rows[element_id], header[name], value)
    ws = wb["Journey"]
    header = {c.value: c.column for c in ws[1] if c.value}
    for row, values in enumerate(JOURNEY, start=2):
        for name, value in values.items():
            ws.cell(row, header[name], value)
    wb.save(path)
    return path


def test_template_puts_a_device_column_with_a_list_last_on_the_journey(book):
    wb = openpyxl.load_workbook(book)
    ws = wb["Journey"]
    headers = [c.value for c in ws[1] if c.value]
    # last: the letters of the columns owners know stay where they were
    assert headers[-2:] == ["Evidence", "Device"] and headers.index("Device") + 1 == 12
    assert [dv.formula1 for dv in ws.data_validations.dataValidation
            if "L2" in str(dv.sqref)] == ["Lists!$F$2:$F$9"]
    assert [wb["Lists"].cell(r, 6).value for r in range(1, 10)] == ["Devices", *DEVICES]


def test_an_unknown_device_is_a_warning_naming_its_cell(book):
    done = bpmncx("validate", PIZZA, book)
    assert done.returncode == 0, done.stderr
    assert (f"warning: Journey!L4: device \u201cSmartwach\u201d is not one of {LIST}; kept as "
            "typed, and channels are not checked against it") in done.stdout.splitlines()


def test_channel_mismatch_says_when_the_channel_cannot_be_used_on_the_steps_device(book):
    done = bpmncx("gaps", PIZZA, book, "--format", "json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    found = [(f["steps"], f["cell"], f["message"]) for f in doc["findings"]
             if f["kind"] == "channel-mismatch"]
    assert sorted(found) == [
        ([2], "Journey!L3", 'Step 2 "Order on my laptop" happens on Desktop for the customer, '
                            'but operations answers "Take the order" by Phone, which cannot be '
                            "used on Desktop."),
        ([4], "Journey!L5", 'Step 4 "Pay" happens by Web on Desktop for the customer, but '
                            'operations answers "Deliver the pizza" by In person, which cannot '
                            "be used on Desktop."),
    ]
    assert doc["metrics"]["steps_per_device"] == [
        {"device": "Desktop", "count": 2}, {"device": "Mobile", "count": 1},
        {"device": "Smartwach", "count": 1}]
    table = bpmncx("gaps", PIZZA, book)
    assert "journey steps per device: Desktop 2, Mobile 1, Smartwach 1" in table.stdout


def test_the_channel_alone_still_mismatches_and_names_the_device(tmp_path):
    from bpmncx import analyse
    from bpmncx.annotations import Annotations, ElementRef, JourneyStep, Touchpoint

    annotations = Annotations("pizza-cx.xlsx", touchpoints=[
        Touchpoint("pizza", "T_take", customer_facing=True, channel="Phone")], journey=[
        JourneyStep(1, "1", customer_step="Order", channel="Chat", device="Mobile",
                    supported_by=[ElementRef("pizza", "T_take")],
                    cells={"channel": "Journey!D2", "device": "Journey!E2"})])
    [finding] = analyse([load_model(PIZZA)], annotations).of_kind("channel-mismatch")
    assert (finding.cell, finding.message) == (
        "Journey!D2", 'Step 1 "Order" happens by Chat on Mobile for the customer, but '
                      'operations answers "Take the order" by Phone.')


def test_reports_show_the_device_and_update_carries_it(book, tmp_path):
    out = tmp_path / "out"
    done = bpmncx("annotate", PIZZA, book, "-o", out, "--format", "html,xlsx,bpmn")
    assert done.returncode == 0, done.stderr
    page = (out / "pizza.html").read_text(encoding="utf-8")
    assert "<th" in page and ">Device<" in page and "<td>Desktop</td>" in page
    summary = openpyxl.load_workbook(out / "pizza-report.xlsx")["Summary"]
    texts = [c.value for row in summary.iter_rows() for c in row if c.value is not None]
    assert "Journey steps per device" in texts
    assert 'device="Desktop"' in (out / "pizza.cx.bpmn").read_text(encoding="utf-8")

    copy = tmp_path / "pizza-cx.xlsx"
    copy.write_bytes(book.read_bytes())
    done = bpmncx("template", PIZZA, "-o", copy, "--update", copy)
    assert done.returncode == 0, done.stderr
    ws = openpyxl.load_workbook(copy)["Journey"]
    column = [c.value for c in ws[1]].index("Device") + 1
    # as the owners typed them
    assert [ws.cell(r, column).value for r in range(2, 6)] == [
        "Handy", "Laptop", "Smartwach", "Desktop"]


def test_update_of_a_workbook_made_before_devices_adds_the_column_last(tmp_path):
    sample = ROOT / "samples" / "online-order"
    old = tmp_path / "old.xlsx"  # the sample as a workbook made before devices
    wb = openpyxl.load_workbook(sample / "online-order-cx.xlsx")
    journey = wb["Journey"]
    headers = [c.value for c in journey[1]]
    journey.delete_cols(headers.index("Device") + 1)
    wb.save(old)
    before = [c.value for c in openpyxl.load_workbook(old)["Journey"][1] if c.value]
    assert "Device" not in before
    done = bpmncx("template", sample / "online-order.bpmn", "-o", tmp_path / "new.xlsx",
                  "--update", old)
    assert done.returncode == 0, done.stderr
    after = [c.value for c in openpyxl.load_workbook(tmp_path / "new.xlsx")["Journey"][1] if c.value]
    assert after == before + ["Device"]
