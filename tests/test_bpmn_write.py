"""Annotated BPMN (issue 6): lossless, coloured for three tools, notes that cover
nothing, machine-readable data, idempotent, and stripped back to the original."""

from __future__ import annotations

import difflib

import pytest
from click.testing import CliRunner
from lxml import etree

import bpmncx
from bpmncx.bpmn import model_from_bytes
from bpmncx.annotations import Annotations, ElementRef, JourneyStep, Persona, Touchpoint
from bpmncx.bpmn.placement import contains, overlaps
from bpmncx.bpmn.xml import parse_document
from bpmncx.cli import cli
from bpmncx.errors import BpmnReadError
from bpmncx.vocabulary import emotion
from conftest import FIXTURES

from bpmn_write_support import (
    BIOC_NS,
    BPMNDI_NS,
    COLOR_NS,
    CX_NS,
    DC_NS,
    MODEL_NS,
    SIGNAVIO_NS,
    additions_only,
    moddle,
    new_warnings,
)

TRICKY = FIXTURES / "bpmn_write" / "tricky.bpmn"
M = "{%s}" % MODEL_NS
RED = emotion(-2).colour


def tricky_annotations() -> Annotations:
    return Annotations(
        source="cafe-cx.xlsx",
        personas=[Persona("Anna", "regular"), Persona("Ben", preferred_channels=["Phone"])],
        touchpoints=[
            Touchpoint("tricky", "Start", element_name="Bestellung\neingegangen",
                       touchpoint="", notes="decide later", row=5, cell="Touchpoints!A5"),
            Touchpoint("tricky", "T_order", element_name="Take order", customer_facing=True,
                       touchpoint="Orders at the counter", channel="In person", stage="Buy/Apply",
                       moment_of_truth=True, emotions={"Anna": -2, "Ben": 1},
                       pain_point="Queue & noise", row=6, cell="Touchpoints!A6"),
            Touchpoint("tricky", "T_pay", customer_facing=True, touchpoint="Pays \U0001F4B3",
                       channel="In person", emotions={"Anna": 1, "Ben": -1}, row=7),
            Touchpoint("tricky", "T_mail", customer_facing=False, row=8),
            Touchpoint("other-model", "X1", customer_facing=True, emotions={"Anna": 2}),
        ],
        journey=[
            JourneyStep(1, "1", customer_step="Finds the café", channel="Web", persona="Anna",
                        emotion=0, cell="Journey!A7"),
            JourneyStep(2, "2", customer_step="Orders", persona="Anna", emotion=-2,
                        supported_by=[ElementRef("tricky", "T_order")], supported_by_text="Take order"),
            JourneyStep(3, "3", customer_step="Waits for the coffee", persona="Ben", emotion=-2,
                        moment_of_truth=True, pain_point="No idea how long"),
        ],
        channels=("Web", "In person"),
        stages=("Buy/Apply",),
    )


@pytest.fixture(scope="module")
def tricky():
    data = TRICKY.read_bytes()
    model = bpmncx.load_model(TRICKY)
    out = bpmncx.annotate_bpmn(model, data, bpmncx.analyse([model], tricky_annotations()))
    return data, model, out


def tree(data: bytes):
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def by_id(root, element_id):
    found = root.xpath("//*[@id=$id]", id=element_id)
    assert len(found) == 1, element_id
    return found[0]


def shape_of(root, element_id):
    return root.xpath("//bpmndi:BPMNShape[@bpmnElement=$id]", id=element_id,
                      namespaces={"bpmndi": BPMNDI_NS})[0]


def lines_only_grew(before: str, after: str) -> bool:
    """A line diff has no deletions, and every changed line only gained characters."""
    a, b = before.splitlines(), after.splitlines()
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "delete":
            return False
        if op == "replace":
            new = iter("\n".join(b[j1:j2]))
            if not all(ch in new for ch in "\n".join(a[i1:i2])):  # subsequence test
                return False
    return True


# -- lossless ---------------------------------------------------------------------


def test_strip_gives_back_the_original_bytes(tricky):
    data, _, out = tricky
    assert out != data
    assert bpmncx.strip_bpmn(out) == data


def test_everything_of_the_original_is_still_there(tricky):
    data, _, out = tricky
    assert additions_only(data, out) == []
    # the declaration, the comment and the PI before the root, byte for byte
    head = data[: data.index(b"<bpmn:definitions")]
    assert out.startswith(head)
    assert b"<![CDATA[amount > 0 && paid]]>" in out
    assert b'name="Bestellung&#10;eingegangen">' in out
    assert b"<!-- keep this comment -->" in out
    assert b"isExecutable='false'" in out
    assert b'cx:revision="7"' in out  # the file's own cx prefix, untouched


def test_encoding_and_line_ends_are_kept(tricky):
    data, _, out = tricky
    assert out.count(b"\n") == out.count(b"\r\n")  # CRLF file stays CRLF
    assert "Café shop".encode("iso-8859-1") in out
    assert "Café shop".encode("utf-8") not in out
    # an emoji has no ISO-8859-1 byte: it is written as a character reference
    assert b"&#128179;" in out
    assert tree(out).xpath("string(//*[local-name()='text'][contains(., 'Pays')])").startswith("Pays \U0001F4B3")


def test_the_only_changed_text_is_recorded_colours():
    """A file without colours of its own: the text diff only ever adds."""
    path = FIXTURES / "bpmn_write" / "tricky.bpmn"
    data = path.read_bytes().replace(b' c:background-color="#FFEEDD" c:border-color=\'#884400\'', b"")
    model = model_from_bytes(data, "tricky.bpmn")
    out = bpmncx.annotate_bpmn(model, data, bpmncx.analyse([model], tricky_annotations()))
    assert lines_only_grew(data.decode("iso-8859-1"), out.decode("iso-8859-1"))


# -- colours ---------------------------------------------------------------------------


def test_customer_facing_shapes_coloured_in_all_three_dialects(tricky):
    _, _, out = tricky
    root = tree(out)
    order = shape_of(root, "T_order")  # Anna -2, Ben +1: the lowest wins
    assert order.get("{%s}fill" % BIOC_NS) == RED
    assert order.get("{%s}background-color" % COLOR_NS) == RED
    assert order.get("{%s}stroke" % BIOC_NS) == order.get("{%s}border-color" % COLOR_NS)
    meta = by_id(root, "T_order").xpath(".//s:signavioMetaData[@metaKey='bgcolor']/@metaValue",
                                        namespaces={"s": SIGNAVIO_NS})
    assert meta == [RED]
    label = order.find("{%s}BPMNLabel" % BPMNDI_NS)
    assert label.get("{%s}color" % COLOR_NS) == emotion(-2).text_colour
    pay = shape_of(root, "T_pay")  # Anna +1, Ben -1
    assert pay.get("{%s}fill" % BIOC_NS) == emotion(-1).colour
    for quiet in ("T_mail", "End", "Start"):
        assert shape_of(root, quiet).get("{%s}fill" % BIOC_NS) is None


def test_persona_chooses_the_colour():
    model = bpmncx.load_model(TRICKY)
    out = bpmncx.annotate_bpmn(model, TRICKY.read_bytes(), bpmncx.analyse([model], tricky_annotations(), "Anna"))
    assert shape_of(tree(out), "T_pay").get("{%s}fill" % BIOC_NS) == emotion(1).colour


def test_existing_colours_are_replaced_and_restored(tricky):
    data, _, out = tricky
    order = shape_of(tree(out), "T_order")
    # the file's own color: prefix "c" is reused, the value replaced in place
    assert b'c:background-color="#D7191C"' in out
    assert order.get("{%s}background-color" % COLOR_NS) == RED
    stripped = tree(bpmncx.strip_bpmn(out))
    assert shape_of(stripped, "T_order").get("{%s}background-color" % COLOR_NS) == "#FFEEDD"
    assert shape_of(stripped, "T_order").get("{%s}border-color" % COLOR_NS) == "#884400"


def test_prefixes_the_file_uses_for_other_namespaces_are_not_reused(tricky):
    _, _, out = tricky
    root = tree(out)
    assert root.nsmap["cx"] == "urn:example:not-bpmncx"
    assert root.nsmap["bioc"] == "urn:example:not-biocolor"
    assert root.get("{urn:example:not-bpmncx}revision") == "7"
    assert root.xpath("//c:touchpoint", namespaces={"c": CX_NS})
    assert not root.xpath("//*[@*[namespace-uri()='urn:example:not-biocolor']]")
    assert shape_of(root, "T_order").get("{%s}fill" % BIOC_NS) == RED


def test_empty_element_is_opened_for_its_data_and_closed_again(tricky):
    data, _, out = tricky
    assert b'camunda:assignee="cashier"/>' in data
    assert b'camunda:assignee="cashier">' in out and b"</bpmn:userTask>" in out
    assert b"</bpmn:userTask>" not in bpmncx.strip_bpmn(out)


# -- notes -----------------------------------------------------------------------------


def test_a_note_per_customer_facing_touchpoint_with_di(tricky):
    _, _, out = tricky
    root = tree(out)
    for element_id in ("T_order", "T_pay"):
        links = root.xpath("//b:association[@sourceRef=$id]", id=element_id, namespaces={"b": MODEL_NS})
        assert len(links) == 1
        link = links[0]
        assert link.get("associationDirection") == "None"
        note = by_id(root, link.get("targetRef"))
        assert note.tag == M + "textAnnotation"
        assert note.getparent().get("id") == "Proc"  # in the element's own process
        assert shape_of(root, note.get("id")).find("{%s}Bounds" % DC_NS) is not None
        edge = root.xpath("//bpmndi:BPMNEdge[@bpmnElement=$id]", id=link.get("id"),
                          namespaces={"bpmndi": BPMNDI_NS})
        assert len(edge) == 1 and len(edge[0]) == 2  # two waypoints
    text = by_id(root, "cx_note_T_order").findtext(M + "text")
    for expected in ("Orders at the counter", "In person", "Anna: -2 very negative",
                     "Ben: +1 positive", "Moment of truth"):
        assert expected in " ".join(text.split()), expected
    # not customer-facing, or undecided: no note
    assert not root.xpath("//b:association[@sourceRef='T_mail' or @sourceRef='Start']",
                          namespaces={"b": MODEL_NS})


def test_notes_cover_no_shape_and_no_other_note(tricky):
    _, model, out = tricky
    check_notes_placement(model, model_from_bytes(out, "annotated.bpmn"))


def check_notes_placement(original, annotated) -> None:
    """Every added note overlaps no original shape (pools/expanded sub-processes it
    sits in excepted, but it must not straddle their border) and no other note."""
    containers = {p.id for p in original.participants} | {
        n.id for n in original.nodes if n.kind in ("subProcess", "transaction", "adHocSubProcess")
    }
    lanes = {lane.id for lane in original.lanes}
    for before, after in zip(original.planes, annotated.planes):
        old = {s.id for s in before.shapes}
        notes = [s for s in after.shapes if s.id not in old and s.element_id.startswith("cx_note_")]
        for i, note in enumerate(notes):
            for s in before.shapes:
                if s.element_id in lanes:
                    continue
                if s.element_id in containers and contains(s.bounds, note.bounds):
                    continue
                assert not overlaps(note.bounds, s.bounds), (note.element_id, s.element_id)
            for other in notes[i + 1:]:
                assert not overlaps(note.bounds, other.bounds), (note.element_id, other.element_id)


def test_missing_journey_steps_are_red_notes_above_the_diagram(tricky):
    _, model, out = tricky
    root = tree(out)
    top = min(s.bounds.y for s in model.main_plane.shapes)
    notes = root.xpath("//b:textAnnotation[starts-with(@id, 'cx_missing_step_')]", namespaces={"b": MODEL_NS})
    assert sorted(n.get("id") for n in notes) == ["cx_missing_step_1", "cx_missing_step_3"]
    assert all(n.getparent().get("id") == "Collab" for n in notes)  # free-standing
    assert "Waits for the coffee" in by_id(root, "cx_missing_step_3").findtext(M + "text")
    boxes = []
    for n in notes:
        shape = shape_of(root, n.get("id"))
        b = shape.find("{%s}Bounds" % DC_NS)
        y, h = float(b.get("y")), float(b.get("height"))
        assert y + h < top
        boxes.append(float(b.get("x")))
        assert shape.get("{%s}stroke" % BIOC_NS) == RED
        assert shape.get("{%s}border-color" % COLOR_NS) == RED
        assert shape.find("{%s}BPMNLabel" % BPMNDI_NS).get("{%s}color" % COLOR_NS) == RED
        assert not root.xpath("//b:association[@targetRef=$id]", id=n.get("id"), namespaces={"b": MODEL_NS})
    assert len(set(boxes)) == 2  # side by side in a row


# -- machine-readable data, round trip, idempotence -----------------------------------


def test_annotations_round_trip_through_the_bpmn_file(tricky):
    _, model, out = tricky
    given = tricky_annotations()
    back = bpmncx.annotations_from_bpmn(out, [model])
    assert back.errors == []
    assert back.personas == given.personas
    assert back.journey == given.journey
    assert back.channels == given.channels and back.stages == given.stages
    assert back.touchpoints == [tp for tp in given.touchpoints if tp.model == "tricky"]


def test_touchpoints_whose_element_is_gone_are_kept():
    model = bpmncx.load_model(TRICKY)
    given = tricky_annotations()
    given.touchpoints.append(Touchpoint("tricky", "T_removed", customer_facing=True, touchpoint="Old step",
                                        emotions={"Ben": 0}, row=9))
    out = bpmncx.annotate_bpmn(model, TRICKY.read_bytes(), bpmncx.analyse([model], given))
    back = bpmncx.annotations_from_bpmn(out, [model])
    assert back.touchpoints[-1] == given.touchpoints[-1]
    assert any("T_removed" in p.message for p in back.errors)


def test_annotating_again_replaces_instead_of_stacking(tmp_path, tricky):
    _, _, out = tricky
    again_path = tmp_path / "tricky.cx.bpmn"
    again_path.write_bytes(out)
    model_of_annotated = bpmncx.load_model(again_path)
    assert bpmncx.annotate_bpmn(model_of_annotated, out, bpmncx.analyse([model_of_annotated], tricky_annotations())) == out
    changed = tricky_annotations()
    changed.touchpoints[1].emotions = {"Anna": 2}
    out2 = bpmncx.annotate_bpmn(model_of_annotated, out, bpmncx.analyse([model_of_annotated], changed))
    root = tree(out2)
    assert len(root.xpath("//c:touchpoint", namespaces={"c": CX_NS})) == 4
    assert shape_of(root, "T_order").get("{%s}fill" % BIOC_NS) == emotion(2).colour
    assert bpmncx.strip_bpmn(out2) == TRICKY.read_bytes()


def test_strip_of_a_plain_file_changes_nothing():
    data = TRICKY.read_bytes()
    assert bpmncx.strip_bpmn(data) == data


def test_garbage_is_refused_with_the_file_name():
    with pytest.raises(BpmnReadError, match="broken.bpmn"):
        bpmncx.strip_bpmn(b"<definitions><oops></definitions>", "broken.bpmn")


# -- CLI ---------------------------------------------------------------------------------


def test_strip_command(tmp_path, tricky):
    _, _, out = tricky
    annotated = tmp_path / "tricky.cx.bpmn"
    annotated.write_bytes(out)
    result = CliRunner().invoke(cli, ["strip", str(annotated), "-o", str(tmp_path / "plain.bpmn")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "plain.bpmn").read_bytes() == TRICKY.read_bytes()
    folder = tmp_path / "out"
    folder.mkdir()
    result = CliRunner().invoke(cli, ["strip", str(annotated), "-o", str(folder)])
    assert result.exit_code == 0
    assert (folder / "tricky.bpmn").read_bytes() == TRICKY.read_bytes()


def test_strip_command_errors(tmp_path):
    from bpmncx.cli import main
    import subprocess
    import sys

    missing = tmp_path / "nope.bpmn"
    done = subprocess.run([sys.executable, "-m", "bpmncx", "strip", str(missing), "-o", str(tmp_path / "x.bpmn")],
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.startswith("error: ") and "nope.bpmn" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "x.bpmn").exists()
    assert main  # the entry point the console script uses


# -- bpmn-moddle (the model layer of bpmn-js) --------------------------------------------


def test_bpmn_moddle_reads_the_annotated_fixture_with_colours(tmp_path, tricky):
    data, _, out = tricky
    annotated = tmp_path / "tricky.cx.bpmn"
    annotated.write_bytes(out)
    before, after = moddle([TRICKY, annotated])
    assert after["ok"], after["error"]
    assert new_warnings(before, after) == []
    shapes = {s["element"]: s for s in after["shapes"]}
    assert shapes["T_order"]["fill"] == RED and shapes["T_order"]["background"] == RED
    assert shapes["T_order"]["label"] == emotion(-2).text_colour
    assert shapes["cx_note_T_order"]["element_type"] == "bpmn:TextAnnotation"
    assert shapes["cx_link_T_order"]["waypoints"] == 2
    assert shapes["cx_missing_step_3"]["stroke"] == RED


# -- an annotated BPMN file as a source of annotations -----------------------------------


def test_read_annotations_takes_an_annotated_bpmn_file(tmp_path, tricky):
    _, model, out = tricky
    annotated = tmp_path / "tricky.cx.bpmn"
    annotated.write_bytes(out)
    back = bpmncx.read_annotations(annotated, [model])
    assert back.source == str(annotated)
    assert back.journey == tricky_annotations().journey
    assert [tp.element_id for tp in back.touchpoints] == ["Start", "T_order", "T_pay", "T_mail"]


def test_the_annotated_file_itself_as_the_model(tmp_path, tricky):
    """`gaps out/x.cx.bpmn out/x.cx.bpmn`: the data follows the file's model name."""
    _, _, out = tricky
    annotated = tmp_path / "tricky.lowest.bpmn"
    annotated.write_bytes(out)
    model = bpmncx.load_model(annotated)
    back = bpmncx.annotations_from_bpmn(annotated, [model])
    assert {tp.model for tp in back.touchpoints} == {"tricky.lowest"}
    assert back.journey[1].supported_by == [ElementRef("tricky.lowest", "T_order")]
    # and annotating it again with what was read gives the same file
    again = bpmncx.annotate_bpmn(model, out, bpmncx.analyse([model], back))
    assert again.replace(b'source="tricky.lowest.bpmn"', b'source="cafe-cx.xlsx"') == out


def test_annotate_command_writes_annotated_bpmn(tmp_path):
    from bpmncx.pipeline import annotate
    samples = sorted((FIXTURES.parent.parent / "samples").glob("*/*-cx.xlsx"))
    if not samples:
        pytest.skip("no sample workbook")
    workbook = samples[0]
    model_path = sorted(workbook.parent.glob("*.bpmn"))[0]
    result = annotate.annotate([str(model_path)], str(workbook), str(tmp_path), formats=("bpmn",))
    (written,) = result.paths
    assert written == str(tmp_path / f"{model_path.stem}.cx.bpmn")
    data = open(written, "rb").read()
    assert bpmncx.strip_bpmn(data) == model_path.read_bytes()
    assert b"cx:journeyMap" in data and b"bioc:fill" in data


# -- after a modeller saved the file ----------------------------------------------------


def test_strip_after_a_modeller_save(tmp_path, tricky):
    """Camunda Modeler saves through bpmn-moddle's toXML: every byte changes, but
    strip still removes exactly bpmncx's additions and restores the colours."""
    import shutil
    import subprocess

    from bpmn_write_support import JS_DIR

    moddle([TRICKY])  # skips when node or tests/js/node_modules is missing
    _, model, out = tricky
    annotated, saved = tmp_path / "tricky.cx.bpmn", tmp_path / "saved.bpmn"
    annotated.write_bytes(out)
    subprocess.run([shutil.which("node"), str(JS_DIR / "moddle-roundtrip.mjs"), str(annotated), str(saved)],
                   check=True, capture_output=True, timeout=120)
    root = tree(bpmncx.strip_bpmn(saved.read_bytes()))
    assert CX_NS not in root.nsmap.values()
    assert not root.xpath("//*[namespace-uri()=$ns or @*[namespace-uri()=$ns]]", ns=CX_NS)
    assert not root.xpath("//*[starts-with(@id, 'cx_')]")
    assert shape_of(root, "T_order").get("{%s}background-color" % COLOR_NS) == "#FFEEDD"
    assert shape_of(root, "T_order").get("{%s}fill" % BIOC_NS) is None
    assert shape_of(root, "T_pay").get("{%s}fill" % BIOC_NS) is None
    assert len(root.xpath("//b:task | //b:userTask | //b:serviceTask", namespaces={"b": MODEL_NS})) == 3
    assert root.xpath("string(//zeebe:taskDefinition/@type)",
                      namespaces={"zeebe": "http://camunda.org/schema/zeebe/1.0"}) == "mail"


def test_strip_keeps_a_namespace_the_user_went_on_using(tricky):
    _, _, out = tricky
    prefix = next(p for p, u in tree(out).nsmap.items() if u == BIOC_NS)  # "bioc2" here
    edited = out.replace(b'bpmnElement="End"', b'bpmnElement="End" %s:fill="#00FF00"' % prefix.encode())
    root = tree(bpmncx.strip_bpmn(edited))  # still well-formed
    assert shape_of(root, "End").get("{%s}fill" % BIOC_NS) == "#00FF00"
    assert shape_of(root, "T_order").get("{%s}fill" % BIOC_NS) is None


def test_text_xml_cannot_carry_is_replaced_not_fatal():
    model = bpmncx.load_model(TRICKY)
    given = tricky_annotations()
    given.touchpoints[1].touchpoint = "Bell\x07 rings\x0b"
    given.journey[0].notes = "tab\tand\nnewline & <b>"
    out = bpmncx.annotate_bpmn(model, TRICKY.read_bytes(), bpmncx.analyse([model], given))
    back = bpmncx.annotations_from_bpmn(out, [model])
    assert back.touchpoints[1].touchpoint == "Bell\ufffd rings\ufffd"
    assert back.journey[0].notes == "tab\tand\nnewline & <b>"


# -- messy real-world files -------------------------------------------------------------


MESSY = sorted(p for p in FIXTURES.glob("*/*.bpmn") if p.parent.name not in ("hostile",))


@pytest.mark.parametrize("path", MESSY, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_messy_files_annotate_and_strip_exactly(path):
    """Recovered namespaces, wrong encodings, no diagram, broken references: the
    writer still adds only its own things and strips back to the same bytes."""
    from bpmn_write_support import generated_annotations

    model = bpmncx.load_model(path)
    data = path.read_bytes()
    annotations = generated_annotations(model) if any(n.is_activity for n in model.nodes) else Annotations("x")
    out = bpmncx.annotate_bpmn(model, data, bpmncx.analyse([model], annotations))
    # bytes invalid in the declared UTF-8 come back repaired (as read: Windows-1252), so
    # the annotated file is well-formed; every other byte is the original's
    repaired = parse_document(data, str(path))[2]
    assert (repaired != data) == (path.stem == "latin1-in-utf8")
    assert bpmncx.strip_bpmn(out) == repaired
    assert bpmncx.annotate_bpmn(model_from_bytes(out, str(path)), out, bpmncx.analyse([model_from_bytes(out, str(path))], annotations)) == out


def test_critical_findings_of_the_analysis_go_into_the_note():
    model = bpmncx.load_model(TRICKY)
    given = tricky_annotations()
    analysis = bpmncx.analyse([model], given)
    critical = [f for f in analysis.findings if f.severity == "critical"
                and any(r.element_id == "T_order" for r in f.elements)]
    assert critical, [(f.kind, f.severity, f.element_ids) for f in analysis.findings]
    out = bpmncx.annotate_bpmn(model, TRICKY.read_bytes(), analysis)
    text = " ".join(by_id(tree(out), "cx_note_T_order").findtext(M + "text").split())
    assert "⚠ " + " ".join(critical[0].message.split())[:30] in text


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be-bom"])
def test_byte_order_marks_and_utf16_are_kept(encoding):
    import codecs

    from bpmn_write_support import generated_annotations

    text = (FIXTURES / "workbook" / "shop.bpmn").read_text("utf-8")
    if encoding == "utf-8-sig":
        data = text.encode("utf-8-sig")
    else:
        text = text.replace('encoding="UTF-8"', 'encoding="UTF-16"')
        data = text.encode("utf-16") if encoding == "utf-16" else codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    model = model_from_bytes(data, "shop.bpmn")
    out = bpmncx.annotate_bpmn(model, data, bpmncx.analyse([model], generated_annotations(model)))
    assert out[:2] == data[:2]
    assert bpmncx.strip_bpmn(out) == data
    again = model_from_bytes(out, "shop.cx.bpmn")
    assert again.warnings == []
    assert sum(1 for a in again.artifacts if a.id.startswith("cx_note_")) >= 2


def test_two_touchpoint_rows_for_one_element_through_the_api_is_a_clear_error():
    """The CLI's reader refuses a second row; a library caller gets the same refusal, never
    a file with an attribute written twice."""
    import dataclasses

    model = bpmncx.load_model(TRICKY)
    given = tricky_annotations()
    twice = dataclasses.replace(given.touchpoints[0], cell="Touchpoints!A9", touchpoint="again")
    given.touchpoints.append(twice)
    analysis = bpmncx.analyse([model], given)
    first = given.touchpoints[0]
    with pytest.raises(bpmncx.BpmncxError) as raised:
        bpmncx.annotate_bpmn(model, TRICKY.read_bytes(), analysis, str(TRICKY))
    where = " and ".join(x for x in (first.cell, "Touchpoints!A9") if x)
    assert str(raised.value) == (f"{TRICKY}: element {first.element_id!r} has two touchpoint "
                                 f"rows ({where}); merge them into one before annotating")
