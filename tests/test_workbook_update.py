"""--update: the model changed; every cell the owners typed survives."""

import os

import pytest

import bpmncx
from bpmncx.annotations import ElementRef
from bpmncx.errors import OutputError, WorkbookError
from bpmncx.workbook import files, read_annotations, update_workbook, write_template
from bpmncx.workbook.columns import STATUS_NEW, STATUS_REMOVED

from test_workbook import fill
from workbook_support import SHOP, headers, load, row_of, set_tp


def changed_model(directory):
    """v2 of the shop: Check order renamed, Charge card deleted, Wrap gift added."""
    text = SHOP.read_text()
    text = text.replace('name="Check order"', 'name="Check the order"')
    text = text.replace('<bpmn:serviceTask id="Task_charge" name="Charge card">',
                        '<bpmn:serviceTask id="Task_wrap" name="Wrap gift">')
    for attr in ("<bpmn:flowNodeRef>{}</bpmn:flowNodeRef>", 'targetRef="{}"', 'sourceRef="{}"',
                 'bpmnElement="{}"'):
        text = text.replace(attr.format("Task_charge"), attr.format("Task_wrap"))
    path = directory / "v2" / "shop.bpmn"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    return bpmncx.load_model(path)


def owner_cells(path):
    """Every non-empty cell an owner can type into: (sheet, row key, header) -> value."""
    wb = load(path)
    found = {}
    for title in ("Personas", "Journey"):
        ws = wb[title]
        cols = {c: v for v, c in headers(ws).items()}
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if cell.value is not None:
                    found[(title, row[0].row, cols.get(cell.column) or f"Column {cell.column_letter}")] = cell.value
    ws = wb["Touchpoints"]
    cols = {c: v for v, c in headers(ws).items()}
    read_only = {"Model", "Pool", "Lane", "Element ID", "Element name", "Type", "Suggestion", "Status"}
    id_col = headers(ws)["Element ID"]
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            header = cols.get(cell.column) or f"Column {cell.column_letter}"
            if cell.value is not None and header not in read_only:
                found[("Touchpoints", row[id_col - 1].value, header)] = cell.value
    return found


@pytest.fixture
def filled(tmp_path):
    model = bpmncx.load_model(SHOP)
    path = tmp_path / "shop-cx.xlsx"
    write_template([model], path, personas=["Busy parent", "Student"])
    fill(path)
    wb = load(path)
    tp = wb["Touchpoints"]
    set_tp(tp, "Task_charge", "Touchpoint", "I pay by card")
    set_tp(tp, "Task_charge", "Emotion: Student", "anxious")
    set_tp(tp, "Task_check", "Pain point", "Nobody tells me it is being checked")
    tp[f"U{row_of(tp, 'Task_check')}"] = "owner note with no header"
    wb["Personas"]["G1"] = "Age band"
    wb["Personas"]["G2"] = "30-45"
    wb["Journey"]["L1"] = "Owner"
    wb["Journey"]["L3"] = "Ana"
    wb["Journey"]["L30"] = "a stray note far below, in the owner's column"
    wb.save(path)
    return path


def test_update_keeps_every_typed_cell_and_marks_changes(tmp_path, filled):
    before = owner_cells(filled)
    old_bytes = filled.read_bytes()
    model = changed_model(tmp_path)
    result = update_workbook(filled, [model], filled)

    assert result.backup == str(tmp_path / "shop-cx.bak.xlsx")
    assert (tmp_path / "shop-cx.bak.xlsx").read_bytes() == old_bytes
    assert result.new == ["shop:Task_wrap"]
    assert result.removed == ["shop:Task_charge"]
    assert result.renamed == ["shop:Task_check"]

    after = owner_cells(filled)
    lost = {k: v for k, v in before.items() if after.get(k) != v}
    assert lost == {}
    assert result.kept_cells == len(before)

    wb = load(filled)
    tp = wb["Touchpoints"]
    cols = headers(tp)
    removed = row_of(tp, "Task_charge")
    assert tp.cell(row=removed, column=cols["Status"]).value == STATUS_REMOVED
    assert tp.cell(row=removed, column=cols["Touchpoint"]).value == "I pay by card"
    new = row_of(tp, "Task_wrap")
    assert tp.cell(row=new, column=cols["Status"]).value == STATUS_NEW
    assert tp.cell(row=new, column=cols["Element name"]).fill.fgColor.rgb.endswith("FFF2CC")
    renamed = row_of(tp, "Task_check")
    assert tp.cell(row=renamed, column=cols["Element name"]).value == "Check the order"
    assert tp.cell(row=renamed, column=cols["Status"]).value == "renamed (was \u201cCheck order\u201d)"
    assert "Column U" in cols  # an owner's column without a title keeps its data under a name

    annotations = read_annotations(filled, [model])
    # The journey still points at the removed element: reported, with the row that keeps it.
    assert [(p.severity, str(p)) for p in annotations.problems] == [
        ("warning", f"Touchpoints!{tp.cell(row=removed, column=cols['Status']).coordinate}: this row "
                    "is marked \u201celement removed from model\u201d, so it is kept for reference and "
                    "ignored; move what still matters to the element's current row"),
        ("warning", "Journey!H3: \u201cCheck order\u201d was renamed to \u201cCheck the order\u201d "
                    "(Task_check) in the model; read as that element, update the name here"),
        ("error", f"Journey!H3: \u201cTask_charge\u201d is an element that no longer exists in shop.bpmn "
                  f"(see Touchpoints!D{removed}); point to the element that replaced it, or leave it empty"),
        ("warning", "Journey!A3: step 1 comes after a higher step number on the sheet; the journey follows the Step numbers, not the order of the rows"),
    ]
    tps = {t.element_id: t for t in annotations.touchpoints}
    assert "Task_charge" not in tps and "Task_wrap" in tps
    assert tps["Start_order"].emotions == {"Busy parent": -1, "Student": 2}
    assert tps["Task_check"].pain_point == "Nobody tells me it is being checked"
    assert [s.customer_step for s in annotations.journey] == [
        "Place the order", "Get a confirmation", "Track the parcel online"]
    assert annotations.journey[0].supported_by == [ElementRef("shop", "Start_order"),
                                                   ElementRef("shop", "Task_check"),
                                                   ElementRef("shop", "Task_pack")]


def test_update_twice_changes_nothing_more(tmp_path, filled):
    model = changed_model(tmp_path)
    first = tmp_path / "first.xlsx"
    second = tmp_path / "second.xlsx"
    update_workbook(filled, [model], first)
    update_workbook(filled, [model], second)
    assert first.read_bytes() == second.read_bytes()  # deterministic
    again = update_workbook(first, [model], tmp_path / "third.xlsx")
    assert again.new == [] and again.removed == ["shop:Task_charge"]  # still kept, still marked
    assert owner_cells(tmp_path / "third.xlsx") == owner_cells(first)


def test_update_adds_new_personas_and_keeps_old_ones(tmp_path, filled):
    model = bpmncx.load_model(SHOP)
    result = update_workbook(filled, [model], tmp_path / "new.xlsx", personas=["Pensioner"])
    assert result.personas == ["Busy parent", "Student", "Pensioner"]
    tp = load(tmp_path / "new.xlsx")["Touchpoints"]
    assert {"Emotion: Busy parent", "Emotion: Student", "Emotion: Pensioner"} <= set(headers(tp))
    assert result.new == [] and result.removed == []


def test_interrupted_write_leaves_the_old_file_intact(tmp_path, filled, monkeypatch):
    old_bytes = filled.read_bytes()

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", disk_full)
    with pytest.raises(OutputError, match="No space left on device"):
        update_workbook(filled, [changed_model(tmp_path)], filled)
    assert filled.read_bytes() == old_bytes
    assert sorted(os.listdir(tmp_path)) == ["shop-cx.xlsx", "v2"]  # no temp files left behind


def test_update_of_something_else_is_refused(tmp_path):
    csv = tmp_path / "old.csv"
    csv.write_text("a,b\n1,2\n")
    with pytest.raises(WorkbookError, match="CSV"):
        update_workbook(csv, [bpmncx.load_model(SHOP)], tmp_path / "new.xlsx")
    assert not (tmp_path / "new.xlsx").exists()


def test_update_keeps_old_stages_unless_given(tmp_path):
    model = bpmncx.load_model(SHOP)
    old = tmp_path / "old.xlsx"
    write_template([model], old, stages=["Plan", "Go"])
    update_workbook(old, [model], tmp_path / "a.xlsx")
    update_workbook(old, [model], tmp_path / "b.xlsx", stages=["One", "Two"])
    assert [c.value for c in load(tmp_path / "a.xlsx")["Lists"]["C"][1:] if c.value] == ["Plan", "Go"]
    assert [c.value for c in load(tmp_path / "b.xlsx")["Lists"]["C"][1:] if c.value] == ["One", "Two"]


def test_update_keeps_rows_above_the_header_and_moved_columns(tmp_path, filled):
    wb = load(filled)
    for title in ("Journey", "Personas", "Touchpoints"):
        ws = wb[title]
        ws.protection.sheet = False
        ws.insert_rows(1)
        ws["A1"] = f"{title}: draft of 3 March"
    journey = wb["Journey"]
    journey.move_range("L1:L200", cols=1)  # the owner's "Owner" column, one further right
    wb.save(filled)
    before = read_annotations(filled, [bpmncx.load_model(SHOP)])
    assert [str(p) for p in before.problems] == ["Journey!A4: step 1 comes after a higher step number on the sheet; the journey follows the Step numbers, not the order of the rows"]
    result = update_workbook(filled, [bpmncx.load_model(SHOP)], tmp_path / "new.xlsx")
    assert result.new == [] and result.removed == []
    new = load(tmp_path / "new.xlsx")
    for title in ("Journey", "Personas", "Touchpoints"):
        assert new[title]["A1"].value == f"{title}: draft of 3 March"
    assert new["Journey"].freeze_panes == "A3"
    assert new["Journey"]["M1"].value is None and new["Journey"]["M2"].value == "Owner"
    assert new["Journey"]["M4"].value == "Ana"
    after = read_annotations(tmp_path / "new.xlsx", [bpmncx.load_model(SHOP)])
    assert [str(p) for p in after.problems] == [str(p) for p in before.problems]  # the same, carried over
    assert [(s.customer_step, s.supported_by, s.cell) for s in after.journey] == [
        (s.customer_step, s.supported_by, s.cell) for s in before.journey]
    assert [(t.element_id, t.customer_facing, t.emotions, t.touchpoint) for t in after.touchpoints] == [
        (t.element_id, t.customer_facing, t.emotions, t.touchpoint) for t in before.touchpoints]


def test_persona_and_emotion_column_added_by_owners(tmp_path, filled):
    model = bpmncx.load_model(SHOP)
    wb = load(filled)
    wb["Personas"]["A4"] = "Pensioner"
    tp = wb["Touchpoints"]
    tp["V1"] = "emotion: pensioner"
    tp[f"V{row_of(tp, 'Task_pack')}"] = "worried"
    wb.save(filled)
    annotations = read_annotations(filled, [model])
    assert [str(p) for p in annotations.problems] == ["Journey!A3: step 1 comes after a higher step number on the sheet; the journey follows the Step numbers, not the order of the rows"]
    packed = next(t for t in annotations.touchpoints if t.element_id == "Task_pack")
    assert packed.emotions == {"Pensioner": -1}
    update_workbook(filled, [model], tmp_path / "new.xlsx")
    tp = load(tmp_path / "new.xlsx")["Touchpoints"]
    cols = headers(tp)
    assert "Emotion: Pensioner" in cols and "emotion: pensioner" not in cols
    assert tp.cell(row=row_of(tp, "Task_pack"), column=cols["Emotion: Pensioner"]).value == "worried"
    again = read_annotations(tmp_path / "new.xlsx", [model])
    assert [t.emotions for t in again.touchpoints] == [t.emotions for t in annotations.touchpoints]


def test_update_with_one_model_of_two_keeps_the_other_models_rows(tmp_path):
    from workbook_support import write_model

    shop = bpmncx.load_model(SHOP)
    returns = bpmncx.load_model(write_model(tmp_path, "returns", [("R1", "Take back"), ("R2", "Refund")]))
    both = tmp_path / "both.xlsx"
    write_template([shop, returns], both)
    wb = load(both)
    set_tp(wb["Touchpoints"], "R1", "Touchpoint", "I bring it back")
    wb.save(both)
    result = update_workbook(both, [shop], tmp_path / "shop-only.xlsx")
    assert result.removed == ["returns:R1", "returns:R2"]
    tp = load(tmp_path / "shop-only.xlsx")["Touchpoints"]
    cols = headers(tp)
    row = row_of(tp, "R1")
    assert tp.cell(row=row, column=cols["Touchpoint"]).value == "I bring it back"
    assert tp.cell(row=row, column=cols["Status"]).value == "model not included in the last update"
    annotations = read_annotations(tmp_path / "shop-only.xlsx", [shop])
    assert [(p.severity, p.place) for p in annotations.problems] == [
        ("warning", f"Touchpoints!{tp.cell(row=row, column=cols['Status']).coordinate}")]


def test_update_from_another_models_workbook_warns_and_names_it(tmp_path):
    from workbook_support import write_model

    shop = bpmncx.load_model(SHOP)
    returns = bpmncx.load_model(write_model(tmp_path, "returns", [("R1", "Take back"), ("R2", "Refund")]))
    other = tmp_path / "returns-cx.xlsx"
    write_template([returns], other)
    wb = load(other)
    set_tp(wb["Touchpoints"], "R1", "Touchpoint", "I bring it back")
    wb.save(other)
    result = update_workbook(other, [shop], tmp_path / "shop.xlsx")
    assert len(result.warnings) == 1
    warning = result.warnings[0]
    assert "other model" in warning and "returns" in warning and returns.sha256[:12] in warning
    assert "none of its 2 touchpoint rows matched" in warning and "shop.bpmn" in warning
    tp = load(tmp_path / "shop.xlsx")["Touchpoints"]
    row = row_of(tp, "R1")
    assert tp.cell(row=row, column=headers(tp)["Touchpoint"]).value == "I bring it back"


def test_update_of_the_same_models_workbook_does_not_warn(tmp_path, filled):
    result = update_workbook(filled, [changed_model(tmp_path)], tmp_path / "new.xlsx")
    assert result.warnings == []
