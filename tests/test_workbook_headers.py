"""Owners rename headers: add units, line breaks, typos, their own words. Every renaming is
either read as the column it means (a near miss with a warning naming the cell and the
header it was taken for) or reported with the cells whose values are not used: no value an
owner typed is ever dropped without a word."""

from __future__ import annotations

import dataclasses
import re

import openpyxl
import pytest

from bpmncx import load_model
from bpmncx.workbook import read_annotations
from conftest import SAMPLES

ORDER = SAMPLES / "online-order" / "online-order.bpmn"
BOOK = SAMPLES / "online-order" / "online-order-cx.xlsx"
OWNER_COLUMNS = {
    "Journey": ["Step", "Stage", "Customer step", "Channel", "Persona", "Emotion",
                "Moment of truth", "Supported by", "Pain point", "Notes"],
    "Touchpoints": ["Customer-facing?", "Touchpoint", "Channel", "Journey stage",
                    "Moment of truth", "Emotion: First-time buyer", "Emotion: Regular customer",
                    "Pain point", "Opportunity", "Notes"],
    "Personas": ["Persona", "Description", "Goals", "Frustrations", "Preferred channels"],
}


@pytest.fixture(scope="module")
def model():
    return load_model(ORDER)


@pytest.fixture(scope="module")
def original(model):
    annotations = read_annotations(BOOK, [model])
    assert not annotations.errors
    return annotations


def renamed(tmp_path, sheet: str, old: str, new: str):
    """The sample workbook with one header cell renamed; (path, column letter)."""
    book = openpyxl.load_workbook(BOOK)
    ws = book[sheet]
    cell = next(c for c in ws[1] if c.value == old)
    cell.value = new
    path = tmp_path / "renamed-cx.xlsx"
    book.save(path)
    return path, cell.column_letter


def data(annotations):
    """What the owners told, without where it came from (cells) and the problems."""
    def plain(items):
        return [dataclasses.replace(x, cell="", **({"supported_by_cell": ""}
                                                   if hasattr(x, "supported_by_cell") else {}))
                for x in items]
    return (plain(annotations.personas), plain(annotations.touchpoints),
            plain(annotations.journey))


def owner_cells(sheet: str, letter: str):
    ws = openpyxl.load_workbook(BOOK)[sheet]
    return {f"{sheet}!{letter}{c.row}" for c in ws[letter][1:] if c.value not in (None, "")}


def covered(cell: str, problems) -> bool:
    """Whether a problem names ``cell``, alone or inside a range (Journey!F2:F9)."""
    sheet, _, ref = cell.partition("!")
    letter, row = re.match(r"([A-Z]+)(\d+)", ref).groups()
    for p in problems:
        text = f"{p.place} {p.message}"
        if cell in re.findall(r"[A-Za-z]+![A-Z]+\d+", text):
            return True
        for a, first, b, last in re.findall(rf"{sheet}!([A-Z]+)(\d+):([A-Z]+)(\d+)", text):
            if a == letter == b and int(first) <= int(row) <= int(last):
                return True
    return False


RENAMINGS = [
    # (sheet, header, renamed to, how it must be read: "same" silently, "guess" with a warning
    #  at the header cell, "reported" with the cells of its values named)
    ("Journey", "Supported by", "Supported by (IDs)", "same"),
    ("Journey", "Supported by", "Supported by\n(element IDs or names)", "same"),
    ("Journey", "Supported by", "SUPPORTED-BY", "same"),
    ("Journey", "Supported by", "Supprted by", "guess"),
    ("Journey", "Supported by", "Who does it", "reported"),
    ("Journey", "Emotion", "Feeling", "same"),
    ("Journey", "Emotion", "Emotion [-2 .. +2]", "same"),
    ("Journey", "Emotion", "Emotoin", "guess"),
    ("Journey", "Emotion", "Vibe", "reported"),
    ("Journey", "Customer step", "Customer step\n(what they do)", "same"),
    ("Journey", "Customer step", "Custmer step", "guess"),
    ("Journey", "Channel", "Channel (web, phone, ...)", "same"),
    ("Journey", "Channel", "Chanel", "guess"),
    ("Journey", "Moment of truth", "Moment of truth?", "same"),
    ("Journey", "Moment of truth", "MoT", "same"),
    ("Journey", "Pain point", "Pain-points", "same"),
    ("Journey", "Persona", "Persona name", "same"),
    ("Journey", "Step", "Step #", "same"),
    ("Journey", "Stage", "Stgae", "guess"),
    ("Journey", "Notes", "Remarks from the workshop", "reported"),
    ("Touchpoints", "Emotion: First-time buyer", "Emotion First-time buyer", "same"),
    ("Touchpoints", "Emotion: First-time buyer", "Emotion - First-time buyer", "same"),
    ("Touchpoints", "Customer-facing?", "Customer facing (Yes/No)", "same"),
    ("Touchpoints", "Customer-facing?", "Custmer-facing?", "guess"),
    ("Touchpoints", "Touchpoint", "Touch point", "same"),
    ("Touchpoints", "Pain point", "Pain point(s)", "same"),
    ("Touchpoints", "Opportunity", "Ideas to improve", "reported"),
    ("Personas", "Goals", "Goal", "same"),
    ("Personas", "Description", "Descripton", "guess"),
]


@pytest.mark.parametrize("sheet, old, new, how", RENAMINGS,
                         ids=[f"{s}:{n!r}" for s, _o, n, _h in RENAMINGS])
def test_a_renamed_header_is_read_or_reported(tmp_path, model, original, sheet, old, new, how):
    path, letter = renamed(tmp_path, sheet, old, new)
    annotations = read_annotations(path, [model])
    header_cell = f"{sheet}!{letter}1"
    new_problems = [p for p in annotations.problems if p not in original.problems]
    if how == "same":
        assert data(annotations) == data(original)
        assert new_problems == []
    elif how == "guess":
        assert data(annotations) == data(original)
        assert [(p.severity, p.place) for p in new_problems] == [("warning", header_cell)]
        assert "read as" in new_problems[0].message and old.rstrip("?") in new_problems[0].message
    else:
        assert any(p.place == header_cell and p.severity == "warning"
                   and "not one bpmncx reads" in p.message for p in new_problems), new_problems
        assert all(covered(cell, new_problems) for cell in owner_cells(sheet, letter))


def test_the_message_of_a_column_not_read_names_its_cells_and_the_missing_header(tmp_path, model):
    path, letter = renamed(tmp_path, "Journey", "Emotion", "Vibe")
    annotations = read_annotations(path, [model])
    (problem,) = [p for p in annotations.problems if p.place == f"Journey!{letter}1"]
    assert problem.severity == "warning"
    assert problem.message.startswith(f"column “Vibe” is not one bpmncx reads, so its values "
                                      f"(Journey!{letter}2:{letter}")
    assert "missing here: “Emotion”" in problem.message


def test_a_near_miss_says_what_it_was_taken_for(tmp_path, model):
    path, letter = renamed(tmp_path, "Journey", "Supported by", "Supprted by")
    annotations = read_annotations(path, [model])
    (problem,) = [p for p in annotations.problems if p.place == f"Journey!{letter}1"]
    assert problem.message == ("header “Supprted by” read as “Supported by”; name it "
                               "“Supported by” to silence this warning")


def test_the_owners_own_extra_column_is_not_a_warning(tmp_path, model, original):
    book = openpyxl.load_workbook(BOOK)
    ws = book["Journey"]
    column = ws.max_column + 1
    ws.cell(1, column, "Owner")
    ws.cell(2, column, "Maria")
    path = tmp_path / "extra-cx.xlsx"
    book.save(path)
    annotations = read_annotations(path, [model])
    assert annotations.problems == original.problems


@pytest.mark.parametrize("sheet", sorted(OWNER_COLUMNS))
def test_property_any_single_renamed_header_drops_no_value_silently(tmp_path, model, original,
                                                                    sheet):
    """For every owner column, renamed to words bpmncx cannot know: the values are read
    (the column is found anyway) or every one of its non-empty cells is named."""
    for index, old in enumerate(OWNER_COLUMNS[sheet]):
        folder = tmp_path / str(index)
        folder.mkdir()
        path, letter = renamed(folder, sheet, old, f"Column {index} of ours")
        annotations = read_annotations(path, [model])
        if data(annotations) == data(original):
            continue
        problems = [p for p in annotations.problems if p not in original.problems]
        lost = [c for c in owner_cells(sheet, letter) if not covered(c, problems)]
        assert lost == [], (old, problems)
