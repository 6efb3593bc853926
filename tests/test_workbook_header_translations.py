"""Headers an owner translated to German, French or Spanish read like the template's own."""

from __future__ import annotations

import openpyxl
import pytest

from bpmncx import load_model
from bpmncx.workbook import read_annotations, write_template
from conftest import FIXTURES

PIZZA = FIXTURES / "analysis" / "pizza.bpmn"

JOURNEY = {"Step": 1, "Customer step": "Order by phone", "Channel": "Phone", "Emotion": -1,
           "Moment of truth": "Yes", "Supported by": "Take the order", "Pain point": "Busy line"}

TRANSLATIONS = {
    "de": {"Journey": {"Step": "Schritt", "Customer step": "Kundenschritt", "Channel": "Kanal",
                       "Emotion": "Gefühl", "Moment of truth": "Moment der Wahrheit",
                       "Supported by": "Unterstützt durch", "Pain point": "Schmerzpunkt"},
           "Touchpoints": {"Customer-facing?": "Kundensichtbar?", "Channel": "Kanal",
                           "Emotion: Customer": "Gefühl: Customer"}},
    "fr": {"Journey": {"Step": "Étape", "Customer step": "Action du client", "Channel": "Canal",
                       "Emotion": "Émotion", "Moment of truth": "Moment de vérité",
                       "Supported by": "Soutenu par", "Pain point": "Point de friction"},
           "Touchpoints": {"Customer-facing?": "Visible par le client ?", "Channel": "Canal",
                           "Emotion: Customer": "Émotion : Customer"}},
    "es": {"Journey": {"Step": "Paso", "Customer step": "Paso del cliente", "Channel": "Canal",
                       "Emotion": "Emoción", "Moment of truth": "Momento de la verdad",
                       "Supported by": "Soportado por", "Pain point": "Punto de dolor"},
           "Touchpoints": {"Customer-facing?": "Visible para el cliente?", "Channel": "Canal",
                           "Emotion: Customer": "Emoción: Customer"}},
}


@pytest.mark.parametrize("language", sorted(TRANSLATIONS))
def test_translated_headers_are_read_without_a_word(tmp_path, language):
    model = load_model(PIZZA)
    path = tmp_path / "pizza-cx.xlsx"
    write_template([model], path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Touchpoints"]
    header = {c.value: c.column for c in ws[1] if c.value}
    row = next(r for r in range(2, ws.max_row + 1)
               if ws.cell(r, header["Element ID"]).value == "T_take")
    for name, value in {"Customer-facing?": "Yes", "Channel": "Phone",
                        "Emotion: Customer": -2}.items():
        ws.cell(row, header[name], value)
    ws = wb["Journey"]
    journey_header = {c.value: c.column for c in ws[1] if c.value}
    for name, value in JOURNEY.items():
        ws.cell(2, journey_header[name], value)
    for sheet, renamed in TRANSLATIONS[language].items():
        cells = {c.value: c for c in wb[sheet][1] if c.value}
        for old, new in renamed.items():
            cells[old].value = new
    wb.save(path)

    annotations = read_annotations(path, [model])
    assert [str(p) for p in annotations.problems] == []
    [step] = annotations.journey
    assert (step.step, step.customer_step, step.channel, step.emotion, step.moment_of_truth,
            [r.element_id for r in step.supported_by], step.pain_point) == (
        "1", "Order by phone", "Phone", -1, True, ["T_take"], "Busy line")
    [tp] = [t for t in annotations.touchpoints if t.element_id == "T_take"]
    assert (tp.customer_facing, tp.channel, tp.emotions) == (True, "Phone", {"Customer": -2})
