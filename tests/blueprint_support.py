"""The pizza vendor of the service blueprint tests: two models without a diagram and a
workbook made with bpmncx.write_template and filled with openpyxl, as owners fill it."""

from pathlib import Path

import openpyxl

import bpmncx

from workbook_support import headers, set_row, set_tp

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "blueprint"
VENDOR = FIXTURES / "pizza-vendor.bpmn"
FEEDBACK = FIXTURES / "pizza-feedback.bpmn"
PERSONAS = ["Hungry student", "Family parent"]

# Step, Stage, Customer step, Channel, Persona, Emotion, Moment of truth, Supported by, Evidence
JOURNEY = [
    (1, "Choose", "Ask about allergens", "Phone", "Family parent", "0", None,
     "Answer the question", None),
    (2, "Buy/Apply", "Order and pay", "Web", None, "-1", "Yes",
     "c_order, v_take, v_check, v_card, Confirm the order", "Order confirmation email"),
    (3, "Buy/Apply", "Choose toppings on the phone", "Phone", None, "0", None,
     "v_toppings", None),
    (4, "Use", "Wait for the pizza", "SMS/messaging", None, "0", None, "v_sms",
     "SMS with the arrival time"),
    (5, "Use", "Receive the pizza", "In person", None, "+2", "Yes", "v_deliver; c_received",
     None),
    (6, "Use", "Tip the driver", "In person", None, "+1", None, None, None),
    (7, "Use", "Rate the pizza", "Web", "Hungry student", "+1", None, "f_read",
     "Rating page"),
]


def side_row(ws, band_id) -> int:
    col = headers(ws)["Pool/lane ID"]
    for row in range(2, ws.max_row + 1):
        if ws.cell(row=row, column=col).value == band_id:
            return row
    raise KeyError(band_id)


def set_side(ws, band_id, value) -> str:
    """Type a Blueprint row on the Pools and lanes sheet; returns 'Pools and lanes!F5'."""
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(headers(ws)["Blueprint row"])
    ref = f"{letter}{side_row(ws, band_id)}"
    ws[ref] = value
    return f"{ws.title}!{ref}"


def make_workbook(path: Path, models=(VENDOR, FEEDBACK)) -> Path:
    loaded = [bpmncx.load_model(m) for m in models]
    bpmncx.write_template(loaded, path, personas=PERSONAS)
    wb = openpyxl.load_workbook(path)
    tp = wb["Touchpoints"]
    for element in ("v_take", "v_confirm", "v_deliver", "v_sms", "v_answer"):
        set_tp(tp, element, "Customer-facing?", "Yes")
    set_tp(tp, "v_deliver", "Emotion: Hungry student", "+2")
    set_tp(tp, "v_take", "Emotion: Hungry student", "-1")
    set_tp(tp, "v_take", "Emotion: Family parent", "0")
    set_tp(tp, "v_sms", "Blueprint row", "frontstage")  # the IT lane's one message the customer reads
    sides = wb["Pools and lanes"]
    set_side(sides, "lane_kitchen", "backstage")  # the owners: the kitchen is out of sight
    set_side(sides, "lane_clerk", "Front stage")
    journey = wb["Journey"]
    for row, values in enumerate(JOURNEY, start=2):
        step, stage, text, channel, persona, emotion, moment, support, evidence = values
        set_row(journey, row, {
            "Step": step, "Stage": stage, "Customer step": text, "Channel": channel,
            "Persona": persona, "Emotion": emotion, "Moment of truth": moment,
            "Supported by": support, "Evidence": evidence,
        })
    wb.save(path)
    return path
