"""The workbook: what the template looks like, reading it back, every messy and wrong input."""

import hashlib
import shutil
import zipfile

import openpyxl
import pytest

import bpmncx
from bpmncx.annotations import ElementRef
from bpmncx.errors import WorkbookError
from bpmncx.vocabulary import DEFAULT_CHANNELS, DEFAULT_STAGES, EMOTION_SCALE, emotion_choice
from bpmncx.workbook import read_annotations, write_template

from workbook_support import SHOP, column, headers, load, row_of, set_row, set_tp, shop_model, write_model

PERSONAS = ["Busy parent", "Student"]


@pytest.fixture
def shop():
    return shop_model()


@pytest.fixture
def blank(tmp_path, shop):
    path = tmp_path / "shop-cx.xlsx"
    write_template([shop], path, personas=PERSONAS)
    return path


def problems(annotations):
    return [(p.severity, str(p)) for p in annotations.problems]


# -- the template -----------------------------------------------------------


def test_sheets_and_headers(blank):
    wb = load(blank)
    assert wb.sheetnames == ["Instructions", "Personas", "Touchpoints", "Journey",
                             "Pools and lanes", "Event log", "Settings", "Lists"]
    assert wb["Lists"].sheet_state == "hidden"
    assert list(headers(wb["Touchpoints"])) == [
        "Model", "Pool", "Lane", "Element ID", "Element name", "Type", "Suggestion",
        "Customer-facing?", "Touchpoint", "Channel", "Journey stage", "Moment of truth",
        "Emotion: Busy parent", "Emotion: Student", "Pain point", "Opportunity", "Notes",
        "Blueprint row",
    ]
    assert list(headers(wb["Journey"])) == [
        "Step", "Stage", "Customer step", "Channel", "Persona", "Emotion", "Moment of truth",
        "Supported by", "Pain point", "Notes", "Evidence", "Device",
    ]
    assert list(headers(wb["Pools and lanes"])) == [
        "Model", "Pool", "Lane", "Pool/lane ID", "Suggestion (why)", "Blueprint row", "Notes"]
    assert list(headers(wb["Personas"])) == [
        "Persona", "Description", "Goals", "Frustrations", "Preferred channels", "Negative persona?"]
    assert [wb["Personas"].cell(row=r, column=1).value for r in (2, 3, 4)] == PERSONAS + [None]


def test_journey_has_no_prefilled_rows(blank):
    ws = load(blank)["Journey"]
    assert all(cell.value is None for row in ws.iter_rows(min_row=2) for cell in row)


def test_touchpoint_rows_are_read_only_where_they_come_from_the_model(blank):
    ws = load(blank)["Touchpoints"]
    assert ws.protection.sheet is True
    assert not ws.protection.password
    row = row_of(ws, "Task_confirm")
    cols = headers(ws)
    assert ws.cell(row=row, column=cols["Element name"]).value == "Send confirmation"
    assert ws.cell(row=row, column=cols["Type"]).value == "Send task"
    assert ws.cell(row=row, column=cols["Pool"]).value == "Web shop"
    assert ws.cell(row=row, column=cols["Lane"]).value == "Sales"
    for header in ("Model", "Element ID", "Element name", "Suggestion"):
        cell = ws.cell(row=row, column=cols[header])
        assert cell.protection.locked is True
        assert cell.fill.fgColor.rgb.endswith("E7E6E6")  # visibly grey
    for header in ("Customer-facing?", "Touchpoint", "Emotion: Student", "Notes"):
        cell = ws.cell(row=row, column=cols[header])
        assert cell.protection.locked is False
        assert cell.value is None  # nothing pre-filled the owner could mistake for theirs
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref.startswith("A1:")


def test_dropdowns_point_at_the_lists(blank):
    wb = load(blank)
    lists = wb["Lists"]
    assert [c.value for c in lists["B"][1:] if c.value] == list(DEFAULT_CHANNELS)
    assert [c.value for c in lists["C"][1:] if c.value] == list(DEFAULT_STAGES)
    assert [c.value for c in lists["D"][1:] if c.value] == [emotion_choice(e) for e in EMOTION_SCALE]
    ws = wb["Touchpoints"]
    formulas = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            formulas[rng.coord.split(":")[0].rstrip("0123456789")] = dv.formula1
    assert formulas[column(ws, "Customer-facing?")] == "Lists!$A$2:$A$3"
    assert formulas[column(ws, "Channel")] == f"Lists!$B$2:$B${len(DEFAULT_CHANNELS) + 1}"
    assert formulas[column(ws, "Emotion: Student")] == "Lists!$D$2:$D$6"
    journey = wb["Journey"]
    jformulas = {next(iter(dv.sqref.ranges)).coord[0]: dv.formula1 for dv in journey.data_validations.dataValidation}
    assert jformulas["E"].startswith("Personas!$A$2:")
    assert jformulas["B"].startswith("Lists!$C$2")
    # emotion cells are coloured by value: one rule per scale step
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    assert len(rules) == len(EMOTION_SCALE) * len(PERSONAS)


def test_instructions_record_models_and_hash(blank, shop):
    ws = load(blank)["Instructions"]
    cells = [[c.value for c in row[:3]] for row in ws.iter_rows()]
    assert ["Model", "File", "SHA-256"] in cells
    assert ["shop", "shop.bpmn", shop.sha256] in cells
    text = " ".join(str(v) for row in cells for v in row if v)
    for e in EMOTION_SCALE:
        assert e.emoji in text and e.label in text
    for channel in DEFAULT_CHANNELS:
        assert channel in text


def test_stages_and_personas_options(tmp_path, shop):
    path = tmp_path / "x.xlsx"
    write_template([shop], path, personas=None, stages=["Plan", "Travel", "Return"])
    wb = load(path)
    assert [c.value for c in wb["Lists"]["C"][1:] if c.value] == ["Plan", "Travel", "Return"]
    assert [c.value for c in wb["Personas"]["A"][1:] if c.value] == ["Customer"]
    assert "Emotion: Customer" in headers(wb["Touchpoints"])


def test_same_inputs_give_the_same_bytes(tmp_path, shop):
    one, two = tmp_path / "one.xlsx", tmp_path / "two.xlsx"
    write_template([shop], one, personas=PERSONAS)
    write_template([shop], two, personas=PERSONAS)
    assert one.read_bytes() == two.read_bytes()
    with zipfile.ZipFile(one) as archive:
        core = archive.read("docProps/core.xml").decode()
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in archive.infolist())
    assert "2000-01-01T00:00:00Z" in core


def test_element_names_are_written_as_text_not_formulas(tmp_path):
    hostile = ['=HYPERLINK("http://x","click")', "+1+2", "-2+3", "@SUM(A1:A2)", "=1+1"]
    path = write_model(tmp_path, "hostile", [(f"T{i}", name) for i, name in enumerate(hostile)])
    model = bpmncx.load_model(path)
    out = tmp_path / "hostile.xlsx"
    write_template([model], out)
    ws = load(out)["Touchpoints"]
    names = headers(ws)["Element name"]
    for i, name in enumerate(hostile):
        cell = ws.cell(row=row_of(ws, f"T{i}"), column=names)
        assert cell.value == name
        assert cell.data_type == "s"
    with zipfile.ZipFile(out) as archive:
        sheet = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(n) and b"HYPERLINK" in archive.read(n) for n in sheet)
    # read back, the names are data and match as such
    wb = load(out)
    set_row(wb["Journey"], 2, {"Step": 1, "Customer step": "Click", "Supported by": "+1+2"})
    wb.save(out)
    annotations = read_annotations(out, [model])
    assert annotations.journey[0].supported_by == [ElementRef("hostile", "T1")]


def test_two_models_in_one_workbook(tmp_path, shop):
    other = bpmncx.load_model(write_model(tmp_path, "returns", [("R1", "Check order"), ("R2", "Refund")]))
    out = tmp_path / "both.xlsx"
    write_template([shop, other], out)
    ws = load(out)["Touchpoints"]
    models = [r[0] for r in ws.iter_rows(min_row=2, values_only=True) if r[0]]
    assert models.count("shop") == 9 and models.count("returns") == 2


def test_models_with_the_same_file_name_are_refused(tmp_path, shop):
    (tmp_path / "b").mkdir()
    copy = tmp_path / "b" / "shop.bpmn"
    shutil.copy(SHOP, copy)
    with pytest.raises(WorkbookError, match="same name"):
        write_template([shop, bpmncx.load_model(copy)], tmp_path / "x.xlsx")


# -- reading back --------------------------------------------------------------


def fill(path):
    """Fill the workbook as a business owner would, with messy but clear values."""
    wb = load(path)
    personas = wb["Personas"]
    set_row(personas, 2, {"Description": "Two kids, orders in the evening",
                          "Goals": "Get it right first time", "Frustrations": "Hidden costs",
                          "Preferred channels": "app, E-mail"})
    set_row(personas, 3, {"Description": "Tight budget", "Preferred channels": "Web"})
    tp = wb["Touchpoints"]
    set_tp(tp, "Start_order", "Customer-facing?", " y ")
    set_tp(tp, "Start_order", "Touchpoint", "I place my order")
    set_tp(tp, "Start_order", "Channel", "website")
    set_tp(tp, "Start_order", "Journey stage", "buy/apply ")
    set_tp(tp, "Start_order", "Moment of truth", "x")
    set_tp(tp, "Start_order", "Emotion: Busy parent", "frustrated")
    set_tp(tp, "Start_order", "Emotion: Student", "\U0001F604")
    set_tp(tp, "Start_order", "Pain point", "The form is long")
    set_tp(tp, "Start_order", "Opportunity", "Remember my address")
    set_tp(tp, "Task_confirm", "Customer-facing?", True)
    set_tp(tp, "Task_confirm", "Channel", "E-mail")
    set_tp(tp, "Task_confirm", "Moment of truth", "No")
    set_tp(tp, "Task_confirm", "Emotion: Busy parent", 1)
    set_tp(tp, "Task_confirm", "Emotion: Student", "+2 very positive \U0001F604")
    set_tp(tp, "Task_check", "Customer-facing?", "N")
    set_tp(tp, "Task_check", "Notes", "Internal only")
    set_tp(tp, "Task_pack", "Customer-facing?", 0)
    set_tp(tp, "End_shipped", "Customer-facing?", "TRUE")
    set_tp(tp, "End_shipped", "Moment of truth", 1)
    set_tp(tp, "End_shipped", "Emotion: Busy parent", "relieved")
    set_tp(tp, "End_shipped", "Emotion: Student", emotion_choice(EMOTION_SCALE[1]))
    tp["T1"] = "Owner's own column"  # extra columns are ignored
    tp[f"T{row_of(tp, 'Task_pack')}"] = "whatever"
    journey = wb["Journey"]
    set_row(journey, 2, {"Step": 2, "Stage": "Buy/Apply", "Customer step": "Get a confirmation",
                         "Channel": "email", "Persona": "busy parent", "Emotion": "relieved",
                         "Supported by": "send confirmation"})
    set_row(journey, 3, {"Step": 1, "Stage": "Choose", "Customer step": "Place the order",
                         "Channel": "app", "Persona": "Student", "Emotion": "anxious",
                         "Moment of truth": "yes",
                         "Supported by": "Start_order; Check order\nTask_charge, task_pack",
                         "Pain point": "Too many fields", "Notes": "=not a formula"})
    journey["J3"].data_type = "s"  # typed text starting with '=' (Excel stores it as text)
    # row 4 left blank on purpose
    set_row(journey, 5, {"Step": 3, "Customer step": "Track the parcel online",
                         "Emotion": "\U0001F621"})
    set_row(journey, 7, {"Step": 4})  # a pre-typed step number alone is not a step
    wb.save(path)
    return path


def test_round_trip_gives_exactly_what_was_typed(blank, shop):
    annotations = read_annotations(fill(blank), [shop])
    # the owner typed step 2 above step 1: read in Step order, with a word about it
    assert problems(annotations) == [("warning", "Journey!A3: step 1 comes after a higher step number on the sheet; the journey follows the Step numbers, not the order of the rows")]
    assert [(p.name, p.description, p.goals, p.frustrations, p.preferred_channels, p.cell)
            for p in annotations.personas] == [
        ("Busy parent", "Two kids, orders in the evening", "Get it right first time",
         "Hidden costs", ["Mobile app", "Email"], "Personas!A2"),
        ("Student", "Tight budget", "", "", ["Web"], "Personas!A3"),
    ]
    tps = {t.element_id: t for t in annotations.touchpoints}
    assert len(tps) == 9
    start = tps["Start_order"]
    assert (start.customer_facing, start.touchpoint, start.channel, start.stage,
            start.moment_of_truth, start.emotions, start.pain_point, start.opportunity) == (
        True, "I place my order", "Web", "Buy/Apply", True,
        {"Busy parent": -1, "Student": 2}, "The form is long", "Remember my address")
    assert start.element_name == "Order received" and start.pool == "Web shop"
    assert start.cell == f"Touchpoints!A{start.row}"
    confirm = tps["Task_confirm"]
    assert (confirm.customer_facing, confirm.channel, confirm.moment_of_truth, confirm.emotions) == (
        True, "Email", False, {"Busy parent": 1, "Student": 2})
    assert tps["Task_check"].customer_facing is False and tps["Task_check"].notes == "Internal only"
    assert tps["Task_pack"].customer_facing is False
    assert tps["End_shipped"].customer_facing is True and tps["End_shipped"].moment_of_truth is True
    assert tps["End_shipped"].emotions == {"Busy parent": 1, "Student": -1}
    assert tps["Timer_late"].customer_facing is None and tps["Timer_late"].emotions == {}

    steps = annotations.journey
    assert [(s.number, s.step, s.customer_step) for s in steps] == [
        (1, "1", "Place the order"), (2, "2", "Get a confirmation"), (3, "3", "Track the parcel online")]
    first = steps[0]
    assert (first.stage, first.channel, first.persona, first.emotion, first.moment_of_truth) == (
        "Choose", "Mobile app", "Student", -1, True)
    assert first.supported_by == [ElementRef("shop", i) for i in
                                  ("Start_order", "Task_check", "Task_charge", "Task_pack")]
    assert first.supported_by_text == "Start_order; Check order\nTask_charge, task_pack"
    assert (first.pain_point, first.notes) == ("Too many fields", "=not a formula")
    assert (first.cell, first.supported_by_cell) == ("Journey!A3", "Journey!H3")
    assert steps[1].supported_by == [ElementRef("shop", "Task_confirm")]
    assert steps[1].persona == "Busy parent" and steps[1].channel == "Email"
    assert steps[2].supported_by == [] and steps[2].emotion == -2
    assert annotations.stages == DEFAULT_STAGES and annotations.channels == DEFAULT_CHANNELS


def test_columns_found_by_name_when_moved(blank, shop):
    wb = load(fill(blank))
    journey = wb["Journey"]
    journey.move_range("A1:J10", cols=3)  # the owner inserted three columns in front
    journey.insert_rows(1)
    journey["A1"] = "Our customer journey (draft)"
    wb.save(blank)
    annotations = read_annotations(blank, [shop])
    assert problems(annotations) == [("warning", "Journey!D4: step 1 comes after a higher step number on the sheet; the journey follows the Step numbers, not the order of the rows")]
    assert annotations.journey[0].supported_by_cell == "Journey!K4"
    assert [s.customer_step for s in annotations.journey][0] == "Place the order"


# -- every wrong input, with its cell ------------------------------------------


def test_misspelt_element_name_in_supported_by(blank, shop):
    wb = load(blank)
    set_row(wb["Journey"], 7, {"Step": 1, "Customer step": "Get mail",
                                "Supported by": "Send confirmaton"})
    wb.save(blank)
    annotations = read_annotations(blank, [shop])
    assert problems(annotations) == [(
        "error",
        'Journey!H7: \u201cSend confirmaton\u201d matches no element in shop.bpmn '
        '(did you mean \u201cSend confirmation\u201d?)',
    )]


def test_ambiguous_name_across_models(tmp_path, shop):
    other = bpmncx.load_model(write_model(tmp_path, "returns", [("R1", "Check order")]))
    out = tmp_path / "both.xlsx"
    write_template([shop, other], out)
    wb = load(out)
    set_row(wb["Journey"], 2, {"Step": 1, "Customer step": "Wait", "Supported by": "check order"})
    set_row(wb["Journey"], 3, {"Step": 2, "Customer step": "Wait",
                               "Supported by": "returns: Check order"})
    wb.save(out)
    annotations = read_annotations(out, [shop, other])
    assert problems(annotations) == [(
        "error",
        "Journey!H2: \u201ccheck order\u201d matches 2 elements (Task_check in shop, R1 in returns); "
        "use the Element ID instead of the name",
    )]
    assert annotations.journey[1].supported_by == [ElementRef("returns", "R1")]


def test_unknown_personas(blank, shop):
    wb = load(blank)
    set_row(wb["Journey"], 4, {"Step": 1, "Customer step": "Browse", "Persona": "Studnet"})
    tp = wb["Touchpoints"]
    tp[f"{column(tp, 'Emotion: Student')}1"] = "Emotion: Pensioner"
    wb.save(blank)
    annotations = read_annotations(blank, [shop])
    assert problems(annotations) == [
        ("error", f"Touchpoints!{column(tp, 'Emotion: Pensioner')}1: the column's persona "
                  "\u201cPensioner\u201d is not on the Personas sheet; add the persona there or "
                  "correct the name"),
        ("warning", "Personas!A3: persona \u201cStudent\u201d has no \u201cEmotion: Student\u201d "
                    "column on the Touchpoints sheet, so no touchpoint emotion of theirs is read; "
                    "add the column (bpmncx template ... --update adds it)"),
        ("error", "Journey!E4: persona \u201cStudnet\u201d is not on the Personas sheet (did you "
                  "mean \u201cStudent\u201d?); add the persona there or correct the name"),
    ]


def test_bad_values_each_reported_at_its_cell(blank, shop):
    wb = load(blank)
    tp = wb["Touchpoints"]
    a = set_tp(tp, "Task_check", "Emotion: Student", 3)
    b = set_tp(tp, "Task_pack", "Emotion: Busy parent", "purple")
    c = set_tp(tp, "Task_pack", "Customer-facing?", "maybe")
    d = set_tp(tp, "Task_charge", "Channel", "Carrier pigeon")
    e = set_tp(tp, "Task_charge", "Journey stage", "Pay")
    set_row(wb["Journey"], 9, {"Step": 1, "Customer step": "Pay", "Emotion": "-5",
                               "Moment of truth": "perhaps"})
    wb.save(blank)
    found = problems(read_annotations(blank, [shop]))
    assert found == [
        ("error", f"{a}: emotion \u201c3\u201d is out of range; use -2 (very negative) to +2 (very positive)"),
        ("warning", f"{d}: channel \u201cCarrier pigeon\u201d is not in the channel list; kept as typed"),
        ("warning", f"{e}: stage \u201cPay\u201d is not in the stage list; kept as typed"),
        ("error", f"{c}: \u201cmaybe\u201d is not Yes or No; type Yes or No (or leave empty)"),
        ("error", f"{b}: \u201cpurple\u201d is not an emotion; pick from the list (-2 very negative "
                  "\U0001F621, -1 negative \U0001F641, 0 neutral \U0001F610, +1 positive \U0001F642, "
                  "+2 very positive \U0001F604)"),
        ("error", "Journey!F9: emotion \u201c-5\u201d is out of range; use -2 (very negative) to +2 (very positive)"),
        ("error", "Journey!G9: \u201cperhaps\u201d is not Yes or No; type Yes or No (or leave empty)"),
    ]


def test_element_id_that_no_longer_exists(blank, shop):
    wb = load(blank)
    tp = wb["Touchpoints"]
    tp.protection.sheet = False  # the owner unprotected the sheet and edited an id
    row = row_of(tp, "Task_pack")
    tp[f"D{row}"] = "Task_pakc"
    tp[f"I{row}"] = "Box arrives"
    set_row(wb["Journey"], 2, {"Step": 1, "Customer step": "Receive box", "Supported by": "Task_pakc"})
    wb.save(blank)
    found = problems(read_annotations(blank, [shop]))
    assert found == [
        ("error", f"Touchpoints!D{row}: element \u201cTask_pakc\u201d does not exist in shop.bpmn "
                  "(did you mean \u201cTask_pack\u201d, named \u201cPack goods\u201d?); if it was "
                  "removed from the model, run 'bpmncx template --update'"),
        ("warning", "Touchpoints: 1 element(s) of shop.bpmn have no row, e.g. \u201cPack goods\u201d "
                    "(Task_pack); add them with 'bpmncx template ... --update'"),
        ("error", f"Journey!H2: \u201cTask_pakc\u201d is an element that no longer exists in "
                  f"shop.bpmn (see Touchpoints!D{row}); point to the element that replaced it, or "
                  "leave it empty"),
    ]


def test_duplicate_persona_and_nameless_persona(blank, shop):
    wb = load(blank)
    set_row(wb["Personas"], 4, {"Persona": " student ", "Description": "again"})
    set_row(wb["Personas"], 5, {"Description": "who?"})
    wb.save(blank)
    assert problems(read_annotations(blank, [shop])) == [
        ("error", "Personas!A4: persona \u201cstudent\u201d is listed twice (first at Personas!A3); "
                  "merge the two rows or rename one"),
        ("error", "Personas!A5: this persona has no name; type a short name in the Persona column"),
    ]


def test_workbook_for_a_different_model(tmp_path, blank):
    other = bpmncx.load_model(write_model(tmp_path, "payroll", [("P1", "Pay")]))
    annotations = read_annotations(blank, [other])
    ws = load(blank)["Instructions"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "shop")
    assert problems(annotations) == [(
        "error",
        f"Instructions!A{row}: this workbook was made for shop.bpmn, not for payroll.bpmn. If "
        "payroll.bpmn is that model renamed or edited, carry the workbook over: 'bpmncx template "
        f"payroll.bpmn -o NEW.xlsx --update {blank.name}' keeps everything the owners typed; "
        "otherwise give the model it was made for",
    )]
    assert annotations.touchpoints == [] and annotations.journey == []


def test_workbook_for_another_version_of_the_model(tmp_path, blank):
    changed = tmp_path / "v2" / "shop.bpmn"
    changed.parent.mkdir()
    changed.write_text(SHOP.read_text().replace("Check order", "Check the order"))
    model = bpmncx.load_model(changed)
    ws = load(blank)["Instructions"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "shop")
    found = problems(read_annotations(blank, [model]))
    assert found == [(
        "warning",
        f"Instructions!C{row}: the workbook was made from a different version of shop.bpmn (its "
        "SHA-256 differs); rows may be missing or stale: run 'bpmncx template shop.bpmn -o "
        "NEW.xlsx --update shop-cx.xlsx'",
    )]


def test_a_row_without_element_id_but_with_data(blank, shop):
    wb = load(blank)
    tp = wb["Touchpoints"]
    last = tp.max_row + 1
    tp[f"I{last}"] = "Something I noticed"
    wb.save(blank)
    assert problems(read_annotations(blank, [shop])) == [
        ("error", f"Touchpoints!D{last}: this row has no Element ID; bpmncx needs it to know which "
                  "element the row is about"),
    ]


# -- files that are not what we expect ------------------------------------------


def test_csv_file(tmp_path, shop):
    path = tmp_path / "shop-cx.csv"
    path.write_text("Step,Customer step\n1,Order\n", encoding="utf-8")
    with pytest.raises(WorkbookError, match=r"shop-cx.csv: this is a text \(CSV\) file, not an Excel workbook"):
        read_annotations(path, [shop])


def test_corrupt_file(tmp_path, blank, shop):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(blank.read_bytes()[:3000])
    with pytest.raises(WorkbookError, match="broken.xlsx: the workbook is damaged or incomplete"):
        read_annotations(broken, [shop])
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(WorkbookError, match="the file is empty"):
        read_annotations(empty, [shop])


def test_password_protected_file(tmp_path, blank, shop):
    msoffcrypto = pytest.importorskip("msoffcrypto", reason="msoffcrypto-tool makes the encrypted file")
    from msoffcrypto.format.ooxml import OOXMLFile

    locked = tmp_path / "locked.xlsx"
    with open(blank, "rb") as source, open(locked, "wb") as target:
        OOXMLFile(source).encrypt("secret", target)
    with pytest.raises(WorkbookError, match="locked.xlsx: the workbook is password-protected; open it "
                                            "in Excel, remove the password"):
        read_annotations(locked, [shop])
    assert msoffcrypto


def test_not_a_bpmncx_workbook(tmp_path, shop):
    path = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "budget"
    wb.save(path)
    with pytest.raises(WorkbookError, match="not a bpmncx workbook"):
        read_annotations(path, [shop])


def test_missing_file(tmp_path, shop):
    with pytest.raises(WorkbookError, match="no such file"):
        read_annotations(tmp_path / "nope.xlsx", [shop])


def test_existing_output_is_backed_up_not_lost(tmp_path, blank, shop):
    filled = fill(blank)
    before = filled.read_bytes()
    result = write_template([shop], filled, personas=["Customer"])
    assert result.backup == str(tmp_path / "shop-cx.bak.xlsx")
    assert (tmp_path / "shop-cx.bak.xlsx").read_bytes() == before
    again = write_template([shop], filled, personas=["Customer"])  # same bytes: nothing to back up
    assert again.backup is None
    assert hashlib.sha256(before).hexdigest() != hashlib.sha256(filled.read_bytes()).hexdigest()


def test_entity_bomb_inside_the_workbook_is_refused_before_expansion(tmp_path, blank, shop):
    entities = "".join(
        f'<!ENTITY e{i} "{("&e%d;" % (i - 1)) * 10 if i else "ha"}">' for i in range(10))
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(blank) as source, zipfile.ZipFile(bomb, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/workbook.xml":
                body = data.decode("utf-8")
                body = body[body.index("<workbook"):].replace('name="Instructions"', 'name="&e9;"')
                data = f'<?xml version="1.0"?><!DOCTYPE workbook [{entities}]>{body}'.encode()
            target.writestr(info, data)
    # refused before any entity is expanded: the message names the declaration itself
    with pytest.raises(WorkbookError) as refused:
        read_annotations(bomb, [shop])
    assert str(refused.value) == (
        f"{bomb}: refused: xl/workbook.xml is an XML part with a DTD or entity declaration, "
        "which Excel never writes; open the workbook in Excel or LibreOffice and save it again, "
        "or use your last good copy")


def test_update_of_an_untouched_workbook_changes_no_byte(tmp_path, blank, shop):
    from bpmncx.workbook import update_workbook

    result = update_workbook(blank, [shop], tmp_path / "again.xlsx")
    assert (tmp_path / "again.xlsx").read_bytes() == blank.read_bytes()
    assert result.new == [] and result.removed == [] and result.backup is None


def test_names_with_commas_semicolons_and_line_breaks(tmp_path):
    path = write_model(tmp_path, "claims", [("T1", "Check, then approve claim"), ("T2", "Pay; notify"),
                                            ("T3", "Close\nfile"), ("T4", "Archive")])
    model = bpmncx.load_model(path)
    out = tmp_path / "claims.xlsx"
    write_template([model], out)
    wb = load(out)
    set_row(wb["Journey"], 2, {"Step": 1, "Customer step": "All of it",
                               "Supported by": "check, then approve claim, Pay; notify; close file\nT4"})
    set_row(wb["Journey"], 3, {"Step": 2, "Customer step": "Typed with a line break",
                               "Supported by": "Close\nfile"})
    wb.save(out)
    annotations = read_annotations(out, [model])
    assert problems(annotations) == []
    assert annotations.journey[0].supported_by == [ElementRef("claims", t) for t in ("T1", "T2", "T3", "T4")]
    assert annotations.journey[1].supported_by == [ElementRef("claims", "T3")]


def test_references_to_a_model_not_given_are_warnings(tmp_path, shop):
    other = bpmncx.load_model(write_model(tmp_path, "returns", [("R1", "Take back")]))
    out = tmp_path / "both.xlsx"
    write_template([shop, other], out)
    wb = load(out)
    set_row(wb["Journey"], 2, {"Step": 1, "Customer step": "Return it",
                               "Supported by": "Take back; returns: R1; Pack goods"})
    wb.save(out)
    ws = load(out)["Instructions"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "returns")
    annotations = read_annotations(out, [shop])
    assert problems(annotations) == [
        ("warning", f"Instructions!A{row}: the workbook also covers returns.bpmn, which was not "
                    "given; its rows are skipped"),
        ("warning", "Journey!H2: \u201cTake back\u201d is in the model \u201creturns\u201d, which was "
                    "not given; not counted as support here"),
        ("warning", "Journey!H2: \u201creturns: R1\u201d is in the model \u201creturns\u201d, which "
                    "was not given; not counted as support here"),
    ]
    assert annotations.journey[0].supported_by == [ElementRef("shop", "Task_pack")]


def test_journey_order_follows_the_step_column(blank, shop):
    wb = load(blank)
    journey = wb["Journey"]
    for row, (step, what) in enumerate([("Step 3", "c"), (2.5, "b2"), ("", "b3"), ("1", "a"),
                                        ("2", "b"), ("later", "z")], start=2):
        set_row(journey, row, {"Step": step or None, "Customer step": what})
    wb.save(blank)
    annotations = read_annotations(blank, [shop])
    # a row without a number (empty or text) stays right after the row above it
    assert [s.customer_step for s in annotations.journey] == ["a", "b", "z", "b2", "b3", "c"]
    assert [s.number for s in annotations.journey] == [1, 2, 3, 4, 5, 6]
    then = "; until every step has a number of its own, the outputs number the steps 1, 2, 3 ... in order"
    assert problems(annotations) == [
        ("warning", "Journey!A2: step \u201cStep 3\u201d is read as 3 for the order; type a whole "
                    "number alone" + then),
        ("warning", "Journey!A3: step \u201c2.5\u201d is read as 2.5 for the order; type a whole "
                    "number alone" + then),
        ("warning", "Journey!A4: this step has no number; it stays right after the row above it" + then),
        ("warning", "Journey!A7: step \u201clater\u201d is not a number; the row stays right after the "
                    "row above it" + then)]


def test_the_owners_step_numbers_are_the_journeys_numbers(blank, shop):
    """Gaps in the numbering are kept ("step 4" everywhere is the row numbered 4); rows out
    of order, a number used twice: a warning at the cell."""
    wb = load(blank)
    journey = wb["Journey"]
    for row, (step, what) in enumerate([(1, "a"), (2, "b"), (4, "d"), (5, "e")], start=2):
        set_row(journey, row, {"Step": step, "Customer step": what})
    wb.save(blank)
    annotations = read_annotations(blank, [shop])
    assert [(s.number, s.customer_step) for s in annotations.journey] == [
        (1, "a"), (2, "b"), (4, "d"), (5, "e")]
    assert problems(annotations) == []
    set_row(journey, 6, {"Step": 3, "Customer step": "c"})
    set_row(journey, 7, {"Step": 4, "Customer step": "d again"})
    wb.save(blank)
    annotations = read_annotations(blank, [shop])
    assert [(s.number, s.customer_step) for s in annotations.journey] == [
        (1, "a"), (2, "b"), (3, "c"), (4, "d"), (5, "d again"), (6, "e")]
    assert problems(annotations) == [
        ("warning", "Journey!A7: step 4 is used twice (also at Journey!A4); until every step has "
                    "a number of its own, the outputs number the steps 1, 2, 3 ... in order")]
    set_row(journey, 7, {"Step": 6, "Customer step": "f"})
    wb.save(blank)
    annotations = read_annotations(blank, [shop])
    assert [s.number for s in annotations.journey] == [1, 2, 3, 4, 5, 6]
    assert problems(annotations) == [
        ("warning", "Journey!A6: step 3 comes after a higher step number on the sheet; the "
                    "journey follows the Step numbers, not the order of the rows")]


def test_odd_cell_values_never_crash_the_reader(blank, shop):
    import datetime

    odd = [datetime.datetime(2026, 1, 2, 3, 4), datetime.date(2026, 1, 2), 3.75, -0.0, True,
           "#N/A", "\u00a0", "x" * 5000, "\U0001F4A9", "=SUM(1,2)", 10**20, "0x1F", "  -  "]
    wb = load(blank)
    for title in ("Touchpoints", "Journey", "Personas"):
        ws = wb[title]
        cols = headers(ws)
        for i, (header, column) in enumerate(sorted(cols.items())):
            if title == "Touchpoints" and header in ("Model", "Element ID"):
                continue
            for r in range(2, 6):
                ws.cell(row=r, column=column, value=odd[(i + r) % len(odd)])
    wb.save(blank)
    annotations = read_annotations(blank, [shop])
    assert annotations.errors  # plenty to complain about, each with a cell
    assert all("!" in p.place for p in annotations.errors)
