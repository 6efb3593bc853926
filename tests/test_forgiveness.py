"""Messy real-world exports load with a warning; hostile input is refused.

Fixtures are small hand-written files in tests/fixtures/messy/ and
tests/fixtures/hostile/. Every refusal is one line that names the file; via
the CLI the other files are still processed and the exit code is 1.
"""

import json
import os
import subprocess
import sys

import pytest

from bpmncx import BpmnReadError, load_model
from bpmncx.inspect import summary

from conftest import FIXTURES, ROOT

MESSY = FIXTURES / "messy"
HOSTILE = FIXTURES / "hostile"
GOOD = FIXTURES / "read" / "every-element.bpmn"


def run_cli(*args, timeout=60):
    """The real command, as a user runs it (separate stdout and stderr)."""
    return subprocess.run(
        [sys.executable, "-m", "bpmncx", *map(str, args)],
        capture_output=True, text=True, cwd=ROOT, timeout=timeout,
    )


# -- messy: loads, with a warning -------------------------------------------


def test_latin1_bytes_in_a_utf8_file_are_read_as_cp1252():
    model = load_model(MESSY / "latin1-in-utf8.bpmn")
    assert model.warnings == [
        "bytes not valid in the declared encoding (first on line 9); "
        "read them as Windows-1252 (cp1252)"
    ]
    names = {n.id: n.name for n in model.nodes}
    assert names["Check"] == "Prüfung durch Sachbearbeiter"
    # cp1252, not Latin-1: 0x96 is an en dash.
    assert names["End"] == "Erledigt – abgeschlossen"
    # Bytes that were valid UTF-8 stay as they were.
    assert names["Fee"] == "Gebühr 25 €"
    assert summary(model)["activities"] == 2


def test_namespace_declaration_that_is_not_a_uri_is_recovered():
    model = load_model(MESSY / "namespace-not-a-uri.bpmn")
    assert model.warnings == [
        "namespace problem recovered: xmlns:vendor: 'Vendor Extensions 2.1' "
        "is not a valid URI (line 6)"
    ]
    assert [n.name for n in model.nodes] == ["Order placed", "Pack order", "Order shipped"]
    assert len(model.connections) == 2
    assert model.has_di


def test_broken_references_are_warnings_and_everything_else_is_kept():
    model = load_model(MESSY / "broken-references.bpmn")
    assert model.warnings == [
        "duplicate id 'Pack' on a task (already used by a task); "
        "both kept, references go to the later one",
        "exclusiveGateway 'Gw' names default flow 'F_Gone', which does not exist",
        "boundary event 'Late' is attached to 'Ship', which does not exist",
        "lane 'Lane' lists flow node 'Vanished', which does not exist",
        "messageFlow 'MF' has target 'Nobody', which does not exist",
        "sequenceFlow 'F2' has target 'Ship', which does not exist",
        "sequenceFlow 'F3' has no source",
        "sequenceFlow 'F4' has no target",
        "pool 'Ghost_Pool' refers to process 'Proc_Missing', which does not exist",
        "diagram element 'Ship_di' draws 'Ship', which does not exist",
    ]
    # Nothing was dropped: both tasks named Pack, all four flows, both pools.
    assert [n.name for n in model.nodes if n.id == "Pack"] == ["Pack order", "Pack order again"]
    assert [c.id for c in model.connections_of_kind("sequenceFlow")] == ["F1", "F2", "F3", "F4"]
    assert len(model.participants) == 2
    flow = model.connection["F3"]
    assert (flow.source_id, flow.target_id) == (None, "End")


def test_no_diagram_interchange_loads_without_layout():
    model = load_model(MESSY / "no-diagram.bpmn")
    assert model.warnings == []
    assert model.has_di is False
    assert model.planes == [] and model.main_plane is None
    info = summary(model)
    assert (info["activities"], info["events"], info["sequence_flows"]) == (1, 2, 2)
    assert info["has_di"] is False


# -- hostile: refused with one line naming the file --------------------------

REFUSALS = {
    "billion-laughs.bpmn": "refused: the file declares XML entities in a DOCTYPE "
    "(entity expansion attack?); BPMN files never need them",
    "external-entity.bpmn": "refused: the file declares XML entities in a DOCTYPE "
    "(entity expansion attack?); BPMN files never need them",
    "parameter-entity.bpmn": "refused: the file declares XML entities in a DOCTYPE "
    "(entity expansion attack?); BPMN files never need them",
    "external-entity-in-attribute.bpmn": "refused: the file uses XML entities "
    "(Attribute references external entity 'secret' (line 7)); BPMN files never need "
    "them and bpmncx never expands or fetches them",
    "external-dtd.bpmn": "refused: the file refers to an external DTD; "
    "bpmncx never fetches or reads it",
    "not-xml.bpmn": "not well-formed XML: Start tag expected, '<' not found (line 1)",
    "truncated.bpmn": "not well-formed XML: AttValue: ' expected (line 8)",
    "dmn-not-bpmn.bpmn": "not a BPMN 2.0 file: root element is <definitions> in namespace "
    "'https://www.omg.org/spec/DMN/20191111/MODEL/', expected <definitions> in "
    "'http://www.omg.org/spec/BPMN/20100524/MODEL'",
    "empty.bpmn": "file is empty, not a BPMN XML file",
}


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_hostile_and_broken_files_are_refused_in_one_line(name):
    path = HOSTILE / name
    with pytest.raises(BpmnReadError) as caught:
        load_model(path)
    message = str(caught.value)
    assert message == f"{path}: {REFUSALS[name]}"
    assert "\n" not in message
    assert caught.value.path == str(path)
    assert "root:" not in message  # nothing of /etc/passwd


def test_every_hostile_fixture_has_an_expected_refusal():
    assert sorted(p.name for p in HOSTILE.glob("*.bpmn")) == sorted(REFUSALS)


def test_missing_file_and_directory_are_one_line_errors(tmp_path):
    missing = tmp_path / "nope.bpmn"
    with pytest.raises(BpmnReadError) as caught:
        load_model(missing)
    assert str(caught.value) == f"{missing}: cannot read file: No such file or directory"
    with pytest.raises(BpmnReadError) as caught:
        load_model(tmp_path)
    assert str(caught.value) == f"{tmp_path}: cannot read file: Is a directory"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a file without read permission")
def test_file_without_read_permission(tmp_path):
    locked = tmp_path / "locked.bpmn"
    locked.write_bytes(GOOD.read_bytes())
    locked.chmod(0)
    with pytest.raises(BpmnReadError) as caught:
        load_model(locked)
    assert str(caught.value) == f"{locked}: cannot read file: Permission denied"


def _fifo_victim(tmp_path, name, doctype):
    """A BPMN file whose DOCTYPE points at a named pipe nobody writes to.

    Opening the pipe for reading would block forever, so a run that finishes
    proves the parser never tried to read what the file points at.
    """
    fifo = tmp_path / f"{name}.fifo"
    os.mkfifo(fifo)
    path = tmp_path / f"{name}.bpmn"
    body = (HOSTILE / "external-entity.bpmn").read_text().split("]>\n", 1)[1]
    path.write_text('<?xml version="1.0"?>\n' + doctype.format(uri=fifo.as_uri()) + "\n"
                    + body.replace("&secret;", "&x;" if "ENTITY x" in doctype else "x"))
    return path


def test_external_entities_and_dtds_are_never_opened(tmp_path):
    canary = tmp_path / "canary.txt"
    canary.write_text("CANARY-5b1e")
    victims = [
        _fifo_victim(tmp_path, "entity", '<!DOCTYPE d [<!ENTITY x SYSTEM "{uri}">]>'),
        _fifo_victim(tmp_path, "parameter", '<!DOCTYPE d [<!ENTITY % x SYSTEM "{uri}"> %x;]>'),
        _fifo_victim(tmp_path, "dtd", '<!DOCTYPE d SYSTEM "{uri}">'),
    ]
    readable = tmp_path / "canary.bpmn"
    readable.write_text((HOSTILE / "external-entity.bpmn").read_text().replace(
        "file:///etc/passwd", canary.as_uri()))
    try:
        result = run_cli("inspect", "--json", *victims, readable, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("bpmncx blocked opening a named pipe a DOCTYPE pointed at")
    assert result.returncode == 1
    errors = [json.loads(line) for line in result.stdout.splitlines()]
    assert [e["file"] for e in errors] == [str(p) for p in (*victims, readable)]
    assert all(e["error"].startswith(f"{e['file']}: refused: ") for e in errors)
    assert "CANARY" not in result.stdout + result.stderr


def test_billion_laughs_is_refused_quickly():
    result = run_cli("inspect", HOSTILE / "billion-laughs.bpmn", timeout=20)
    assert result.returncode == 1
    assert result.stderr == (f"error: {HOSTILE / 'billion-laughs.bpmn'}: "
                             f"{REFUSALS['billion-laughs.bpmn']}\n")


# -- the CLI: one bad file does not stop the others ---------------------------

ALL = [GOOD, *sorted(MESSY.glob("*.bpmn")), *sorted(HOSTILE.glob("*.bpmn")),
       FIXTURES / "does-not-exist.bpmn"]


def test_cli_json_lines_mixes_results_and_error_objects():
    result = run_cli("inspect", "--json", *ALL)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr == ""
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(p) for p in ALL]
    by_file = {line["file"]: line for line in lines}
    for name, reason in REFUSALS.items():
        path = str(HOSTILE / name)
        assert by_file[path] == {"file": path, "error": f"{path}: {reason}"}
    assert by_file[str(FIXTURES / "does-not-exist.bpmn")]["error"].endswith(
        "cannot read file: No such file or directory")
    for path in MESSY.glob("*.bpmn"):
        line = by_file[str(path)]
        assert "error" not in line
        assert line["warnings"] == load_model(path).warnings
    assert by_file[str(GOOD)]["activities"] == 17


def test_cli_human_output_goes_on_after_errors():
    result = run_cli("inspect", HOSTILE / "not-xml.bpmn", MESSY / "no-diagram.bpmn",
                     HOSTILE / "empty.bpmn", GOOD)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"error: {HOSTILE / 'not-xml.bpmn'}: {REFUSALS['not-xml.bpmn']}",
        f"error: {HOSTILE / 'empty.bpmn'}: {REFUSALS['empty.bpmn']}",
    ]
    assert f"{MESSY / 'no-diagram.bpmn'}\n" in result.stdout
    assert "  layout: no (one will be generated) (0 diagrams)" in result.stdout
    assert f"{GOOD}\n" in result.stdout


def test_cli_exit_code_zero_when_all_files_load_even_with_warnings():
    result = run_cli("inspect", MESSY / "broken-references.bpmn", MESSY / "latin1-in-utf8.bpmn")
    assert result.returncode == 0, result.stderr
    assert "  warning: sequenceFlow 'F3' has no source" in result.stdout
    assert ("  warning: bytes not valid in the declared encoding (first on line 9); "
            "read them as Windows-1252 (cp1252)") in result.stdout


# -- encodings that are declared correctly need no forgiveness ---------------

_BODY = ('<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
         'id="D"><bpmn:process id="P"><bpmn:task id="T" name="Prüfung €"/>'
         '</bpmn:process></bpmn:definitions>')


@pytest.mark.parametrize("name, data", [
    ("utf-16", ('<?xml version="1.0" encoding="UTF-16"?>\n' + _BODY).encode("utf-16")),
    ("utf-8-bom", b"\xef\xbb\xbf" + ('<?xml version="1.0" encoding="UTF-8"?>\n'
                                      + _BODY).encode("utf-8")),
    ("windows-1252", ('<?xml version="1.0" encoding="windows-1252"?>\n'
                      + _BODY).encode("cp1252")),
])
def test_declared_encodings_load_without_warnings(tmp_path, name, data):
    path = tmp_path / f"{name}.bpmn"
    path.write_bytes(data)
    model = load_model(path)
    assert model.warnings == []
    assert model.node["T"].name == "Prüfung €"


def test_undeclared_latin1_falls_back_to_cp1252(tmp_path):
    path = tmp_path / "no-declaration.bpmn"
    path.write_bytes(_BODY.replace("€", "").encode("latin-1"))
    model = load_model(path)
    assert model.node["T"].name == "Prüfung "
    assert model.warnings == ["bytes not valid in the declared encoding (first on line 1); "
                              "read them as Windows-1252 (cp1252)"]


def test_undeclared_prefix_and_unread_elements_are_reported_not_dropped():
    model = load_model(MESSY / "undeclared-prefix-and-unread-elements.bpmn")
    assert model.warnings == [
        "namespace problem recovered: Namespace prefix bpmn2 on userTask is not defined "
        "(line 12)",
        "collaboration 'Collab' contains <conversation> 'Conv', which bpmncx does not read; "
        "ignored",
        "process 'Proc' contains <bpmn2:userTask> 'Pasted', which bpmncx does not read; "
        "ignored",
    ]
    assert [n.id for n in model.nodes] == ["Start", "End"]


# -- damaged files never crash -----------------------------------------------


def _mutations(data: bytes, rng):
    """Ways real files get damaged: cut short, bytes flipped, a span lost or doubled,
    numbers and references replaced by junk."""
    cut = rng.randrange(1, len(data))
    yield data[:cut]
    flipped = bytearray(data)
    for _ in range(8):
        flipped[rng.randrange(len(flipped))] = rng.randrange(256)
    yield bytes(flipped)
    start, end = sorted((rng.randrange(len(data)), rng.randrange(len(data))))
    yield data[:start] + data[end:]
    yield data[:start] + data[start:start + 300] + data[start:]
    junk = data
    for key in (b'x="', b'width="', b'sourceRef="', b'attachedToRef="', b'isExpanded="',
                b'cancelActivity="', b'id="'):
        at = junk.find(key, rng.randrange(len(junk)))
        if at >= 0:
            at += len(key)
            junk = junk[:at] + rng.choice([b"", b"NaN", b"abc", b"1e400", b" "]) + junk[at:]
    yield junk


def test_damaged_files_load_or_fail_with_one_line_never_a_crash():
    import random

    from bpmncx.bpmn import model_from_bytes
    from bpmncx.inspect import tree

    rng = random.Random(20261123)
    sources = [GOOD, *sorted(MESSY.glob("*.bpmn")), *sorted((FIXTURES / "miwg").glob("*.bpmn"))]
    loaded = refused = 0
    for source in sources:
        data = source.read_bytes()
        for _ in range(6):
            for damaged in _mutations(data, rng):
                try:
                    model = model_from_bytes(damaged, "damaged.bpmn")
                except BpmnReadError as error:
                    assert "\n" not in str(error) and str(error).startswith("damaged.bpmn: ")
                    refused += 1
                else:
                    summary(model), tree(model), model.main_plane
                    loaded += 1
    # Both outcomes happen, so the test exercises the forgiving paths too.
    assert loaded > 50 and refused > 50


def test_reading_annotations_back_from_a_missing_file_says_the_same(tmp_path):
    from bpmncx.bpmn.extension import annotations_from_bpmn

    missing = tmp_path / "nope.cx.bpmn"
    with pytest.raises(BpmnReadError) as caught:
        annotations_from_bpmn(missing)
    assert str(caught.value) == f"{missing}: cannot read file: No such file or directory"


def test_sniffing_a_file_for_bpmn_reads_it_as_safely_as_a_full_read(tmp_path):
    from bpmncx.bpmn.xml import is_bpmn_file

    assert is_bpmn_file(ROOT / "samples" / "online-order" / "online-order.bpmn")
    assert not is_bpmn_file(HOSTILE / "billion-laughs.bpmn")  # refused, nothing expanded
    assert not is_bpmn_file(HOSTILE / "dmn-not-bpmn.bpmn")
    assert not is_bpmn_file(tmp_path / "missing.xml")
    assert not is_bpmn_file(tmp_path)  # a folder


def test_a_workbook_given_as_the_model_says_so(tmp_path):
    from bpmncx.errors import BpmnReadError
    import bpmncx

    book = tmp_path / "claim-cx.xlsx"
    bpmncx.write_template([bpmncx.load_model(FIXTURES / "miwg" / sorted(
        p.name for p in (FIXTURES / "miwg").glob("*.bpmn"))[0])], book)
    with pytest.raises(BpmnReadError) as caught:
        bpmncx.load_model(book)
    assert str(caught.value) == (f"{book}: this is a zip file (an Excel workbook?), not BPMN "
                                 "XML; give the .bpmn file exported by the modeller")
