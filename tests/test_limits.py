"""No input can hang bpmncx, exhaust its memory, or lose what it already did (issue 11).

Each test is a minimal reproducer of one way a hostile or damaged file used to hang
bpmncx, take gigabytes, end in an internal error or lose the owners' work, run
through the real command: the exact message and exit code a user sees.
"""

import os
import stat
import struct
import subprocess
import sys
import time
import zipfile

import openpyxl
from lxml import etree
import pytest

from conftest import SAMPLES

from bpmncx import load_model
from bpmncx.files import remove_stale_temporaries, safe_file_stem
from bpmncx.inspect import tree
from bpmncx.model import Lane, Model, Process
from bpmncx.render.text import MAX_DRAWN_CHARS, text_width, wrap

ORDER = SAMPLES / "online-order" / "online-order.bpmn"
ORDER_BOOK = SAMPLES / "online-order" / "online-order-cx.xlsx"

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
        '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
        'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="d" targetNamespace="t">\n')


def bpmncx(*args, cwd=None, env=None):
    return subprocess.run([sys.executable, "-m", "bpmncx", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300,
                          env=None if env is None else {**os.environ, **env})


def write(path, body):
    path.write_text(HEAD + body + "\n</definitions>\n", encoding="utf-8")
    return path


def shape(element_id, x, y, width=100, height=80):
    return (f'<bpmndi:BPMNShape id="{element_id}_di" bpmnElement="{element_id}">'
            f'<dc:Bounds x="{x}" y="{y}" width="{width}" height="{height}"/></bpmndi:BPMNShape>')


def diagram(*shapes):
    return ('<bpmndi:BPMNDiagram id="D"><bpmndi:BPMNPlane id="P" bpmnElement="p">'
            + "".join(shapes) + "</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>")


def errors(done):
    return [line for line in done.stderr.splitlines() if line.startswith("error: ")]


# -- 1. label wrapping is linear ------------------------------------------------------

def test_a_task_named_with_one_word_of_100000_letters_renders(tmp_path):
    model = write(tmp_path / "long.bpmn", '<process id="p"><task id="t" name="' + "A" * 100000
                  + '"/></process>' + diagram(shape("t", 100, 100)))
    done = bpmncx("render", model, "-o", tmp_path / "long.svg")
    assert done.returncode == 0, done.stderr
    svg = (tmp_path / "long.svg").read_text(encoding="utf-8")
    # label and tooltip show the first MAX_DRAWN_CHARS letters, then "…"
    assert svg.count("A" * 10) and "A\u2026" in svg and svg.count("A") < 3 * MAX_DRAWN_CHARS


def test_many_long_names_render(tmp_path):
    # found by make fuzz (seed 1, case bpmn:2191): 2,000 tasks named with 100,000 letters
    # each (a 200 MB file) made render run for minutes and take 1.8 GB
    tasks = "".join(f'<task id="t{i}" name="{"A" * 100000}"/>' for i in range(300))
    model = write(tmp_path / "long.bpmn", f'<process id="p">{tasks}</process>')
    done = bpmncx("render", model, "-o", tmp_path / "long.svg")
    assert done.returncode == 0, done.stderr
    # far less than the names themselves (30 MB): each is drawn cut
    assert (tmp_path / "long.svg").stat().st_size < 300 * 100000 / 5


def test_a_model_of_thousands_of_lanes_renders(tmp_path):
    # found by make fuzz (seed 1, case bpmn:1397): 8,000 lanes took about 50 s in two
    # walks that compared every lane (or box) with every other
    lanes = "".join(f'<lane id="L{i}" name="Lane {i}"/>' for i in range(4000))
    model = write(tmp_path / "lanes.bpmn", f'<process id="p"><laneSet id="ls">{lanes}</laneSet>'
                  '<task id="t" name="Do"/></process>')
    done = bpmncx("render", model, "-o", tmp_path / "lanes.svg")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "lanes.svg").read_text(encoding="utf-8").count('id="L3999') >= 1


def test_wrapping_cuts_a_long_word_into_lines_that_fit_and_keep_every_letter():
    lines = wrap("A" * MAX_DRAWN_CHARS, 90, 11)
    assert "".join(lines) == "A" * MAX_DRAWN_CHARS
    assert all(text_width(line, 11) <= 90 for line in lines)
    assert all(text_width(line + "A", 11) > 90 for line in lines[:-1])
    assert wrap("a " * (MAX_DRAWN_CHARS // 2), 1e9, 11) == [" ".join(["a"] * (MAX_DRAWN_CHARS // 2))]
    # longer texts: the first MAX_DRAWN_CHARS characters, then "…"
    assert "".join(wrap("A" * 100000, 90, 11)) == "A" * MAX_DRAWN_CHARS + "\u2026"


# -- 2. nesting cycles -----------------------------------------------------------------

LANE_IN_ITSELF = ('<process id="p"><laneSet id="ls"><lane id="L" name="Outer"><childLaneSet id="cs">'
                  '<lane id="L" name="Inner"><flowNodeRef>t</flowNodeRef></lane></childLaneSet>'
                  '</lane></laneSet><task id="t" name="Do"/></process>')


def test_a_lane_nested_in_a_lane_with_its_own_id_is_read_with_a_warning(tmp_path):
    model = write(tmp_path / "lanes.bpmn", LANE_IN_ITSELF)
    done = bpmncx("inspect", "lanes.bpmn", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert ("warning: lane 'L' is nested in itself ('L' in 'L': an id used twice); read as not "
            "nested in lane 'L'") in done.stdout
    for args in (["render", model, "-o", tmp_path / "lanes.svg"],
                 ["template", model, "-o", tmp_path / "lanes.xlsx"]):
        done = bpmncx(*args)
        assert done.returncode == 0, done.stderr


def test_a_cycle_through_two_lane_ids_is_broken_where_it_closes(tmp_path):
    write(tmp_path / "cycle.bpmn",
          '<process id="p"><laneSet><lane id="X"><childLaneSet><lane id="Y"><childLaneSet>'
          '<lane id="X"><flowNodeRef>t</flowNodeRef></lane></childLaneSet></lane></childLaneSet>'
          '</lane></laneSet><task id="t"/></process>')
    model = load_model(tmp_path / "cycle.bpmn")
    assert ("lane 'X' is nested in itself ('X' in 'Y' in 'X': an id used twice); read as not "
            "nested in lane 'Y'") in model.warnings
    assert [lane.parent_id for lane in model.lanes] == [None, "X", None]
    assert [lane.id for lane in model.lane_path(model.node["t"])] == ["X"]


def test_a_sub_process_in_itself_and_a_boundary_event_on_itself_are_cut_loose(tmp_path):
    write(tmp_path / "sub.bpmn",
          '<process id="p"><subProcess id="S"><subProcess id="S"><task id="t"/></subProcess>'
          '</subProcess><boundaryEvent id="b" attachedToRef="b"/></process>')
    done = bpmncx("inspect", "sub.bpmn", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert ("warning: subProcess 'S' is nested in itself ('S' in 'S': an id used twice); read "
            "as not inside sub-process 'S'") in done.stdout
    assert ("warning: boundaryEvent 'b' is attached to itself ('b' on 'b'); read as attached "
            "to nothing") in done.stdout
    assert bpmncx("render", "sub.bpmn", "-o", "sub.svg", cwd=tmp_path).returncode == 0


def test_walks_of_a_model_built_with_a_lane_cycle_end():
    """A model made through the API (not the reader) may still have a cycle."""
    model = Model(path="m.bpmn", name="m", sha256="", processes=[Process("p", "P")],
                  lanes=[Lane("A", "a", "p", parent_id="B"), Lane("B", "b", "p", parent_id="A")])
    assert [lane.id for lane in model._lanes_down_to(model.lane["A"])] == ["B", "A"]
    model.lanes.append(Lane("C", "c", "p"))
    model.lanes.append(Lane("C", "c2", "p", parent_id="C"))
    assert tree(model) == ["process P: 0 activities, 0 events, 0 gateways, 0 sequence flows",
                           "  lane c: 0 activities, 0 events, 0 gateways",
                           "    lane c2: 0 activities, 0 events, 0 gateways"]


def test_binary_data_after_a_bpmn_start_is_refused_at_once(tmp_path):
    # found by make fuzz (seed 2, case bpmn:4900): 42 MB of bytes invalid in UTF-8 were
    # each read as Windows-1252 through a codec error handler (45 s) before failing
    junk = bytes(range(128, 256)) * 2000
    (tmp_path / "junk.bpmn").write_bytes(b"<?xml version='1.0' encoding='UTF-8'?>\n<definitions>"
                                         + junk + b"</definitions>\n")
    done = bpmncx("render", "junk.bpmn", "-o", "junk.svg", cwd=tmp_path)
    assert done.returncode == 1
    assert errors(done)[0].startswith("error: junk.bpmn: not well-formed XML: ")
    assert errors(done)[0].endswith("; 256,000 of its 256,067 bytes are not valid UTF-8 "
                                    "(not a text file?)")
    assert not (tmp_path / "junk.svg").exists()


def test_a_nested_lane_chain_the_file_repeats_is_listed_once(tmp_path):
    # found by make fuzz (seed 2, case bpmn:4625): the same 100 nested lanes twice made the
    # blueprint's pools-and-lanes walk fan out twice per level (2**100 rows, out of memory)
    def chain(depth):
        return ("".join(f'<lane id="deep{k}"><childLaneSet>' for k in range(depth))
                + '<lane id="inner"><flowNodeRef>a</flowNodeRef></lane>'
                + "</childLaneSet></lane>" * depth)

    write(tmp_path / "twice.bpmn", '<process id="p"><laneSet>' + chain(40) + chain(40)
          + '</laneSet><task id="a" name="A"/></process>')
    done = bpmncx("template", "twice.bpmn", "-o", "twice.xlsx", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    sheet = openpyxl.load_workbook(tmp_path / "twice.xlsx")["Pools and lanes"]
    ids = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True) if row[3]]
    assert len(ids) == len(set(ids)) == 1 + 40 + 1  # the process, deep0..deep39, inner


def test_elements_nested_deeper_than_the_parser_allows_are_refused_by_name(tmp_path):
    (tmp_path / "deep.bpmn").write_text(
        HEAD + '<process id="p">\n' + "<subProcess>" * 300 + "</subProcess>" * 300
        + "</process></definitions>\n", encoding="utf-8")
    done = bpmncx("render", "deep.bpmn", "-o", "deep.svg", cwd=tmp_path)
    assert done.returncode == 1
    assert errors(done) == ["error: deep.bpmn: refused: elements nested more than 256 deep "
                            "(line 4); BPMN files never need that"]


# -- 3. Graphviz and PNG bounds --------------------------------------------------------

def far_apart(tmp_path, coordinate):
    return write(tmp_path / "far.bpmn", '<process id="p"><task id="a"/><task id="b"/></process>'
                 + diagram(shape("a", -coordinate, -coordinate), shape("b", coordinate, coordinate)))


@pytest.mark.parametrize("fmt, refusal", [
    ("png", "40000240 x 40000200 pixels is too large for a PNG (at most 32767 a side)"),
    # found by make fuzz (seed 2, case bpmn:6319): a task 1e7 wide made rsvg-convert
    # take its whole 1 GB limit (24 GB with none) before failing
    ("pdf", "20000120 x 20000100 points is too large for a PDF (at most 1,000,000 a side)")])
def test_a_picture_of_far_apart_shapes_is_refused_before_drawing(tmp_path, fmt, refusal):
    far_apart(tmp_path, 10000000)
    done = bpmncx("render", "far.bpmn", "-o", f"far.{fmt}", cwd=tmp_path)
    assert done.returncode == 1
    assert errors(done) == [f"error: far.bpmn: {refusal}; the diagram's coordinates are too "
                            "far apart; draw it as SVG"]
    assert not (tmp_path / f"far.{fmt}").exists()
    assert bpmncx("render", "far.bpmn", "-o", "far.svg", cwd=tmp_path).returncode == 0


def test_a_png_too_wide_but_within_what_a_pdf_can_hold_points_to_pdf(tmp_path):
    far_apart(tmp_path, 100000)
    done = bpmncx("render", "far.bpmn", "-o", "far.png", cwd=tmp_path)
    assert done.returncode == 1
    assert errors(done)[0].endswith("the diagram's coordinates are too far apart; draw it as "
                                    "SVG or PDF")
    assert bpmncx("render", "far.bpmn", "-o", "far.pdf", cwd=tmp_path).returncode == 0
    assert (tmp_path / "far.pdf").read_bytes().startswith(b"%PDF")


def test_coordinates_at_the_end_of_the_float_range_are_skipped_not_drawn(tmp_path):
    # found by make fuzz (seed 2): a waypoint at -1e308 and a width of 1e300 made the
    # drawing's size infinite, an internal error in the SVG writer
    edge = ('<bpmndi:BPMNEdge xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="f_di" '
            'bpmnElement="f"><di:waypoint x="-1e308" y="40"/><di:waypoint x="100" y="40"/>'
            '<di:waypoint x="200" y="40"/></bpmndi:BPMNEdge>')
    write(tmp_path / "huge.bpmn", '<process id="p"><task id="a"/><task id="b"/>'
          '<sequenceFlow id="f" sourceRef="a" targetRef="b"/></process>'
          + diagram(shape("a", 0, 0), shape("b", 200, 0, width="1e300"), edge))
    done = bpmncx("render", "huge.bpmn", "-o", "huge.svg", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    etree.parse(str(tmp_path / "huge.svg"))
    said = bpmncx("inspect", "huge.bpmn", cwd=tmp_path).stdout
    assert ("BPMNShape 'b_di' has bounds that are not numbers (or are past 1,000,000,000); "
            "ignored") in said
    assert ("BPMNEdge 'f_di' has a waypoint that is not a number (or is past 1,000,000,000); "
            "skipped") in said


@pytest.mark.parametrize("command", [["render", ORDER, "-o", "x.png"],
                                     ["annotate", ORDER, ORDER_BOOK, "-o", "out"],
                                     ["blueprint", ORDER, ORDER_BOOK, "-o", "b.png"]])
def test_a_scale_that_is_not_a_number_is_a_usage_error(tmp_path, command):
    # click's FloatRange lets "nan" through (every comparison with it is false); the
    # drawing program failed on it later, with exit 1
    done = bpmncx(*command, "--scale", "nan", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == (
        "Error: Invalid value for '--scale': 'nan' is not a number.")
    assert list(tmp_path.iterdir()) == []


def test_png_over_the_pixel_limit_is_refused(tmp_path):
    far_apart(tmp_path, 6000)
    done = bpmncx("render", "far.bpmn", "-o", "far.png", cwd=tmp_path)
    assert done.returncode == 1
    assert errors(done) == [
        "error: far.bpmn: 24240 x 24200 pixels is more than the 100,000,000 pixels a PNG may "
        "have (BPMNCX_MAX_PNG_PIXELS); use a smaller --scale, or SVG or PDF"]


def test_pdf_drawing_past_its_memory_limit_is_stopped_with_the_model_named(tmp_path):
    # rsvg-convert draws PDF under the same address-space limit Graphviz had
    done = bpmncx("render", ORDER, "-o", tmp_path / "x.pdf",
                  env={"BPMNCX_GRAPHVIZ_MEMORY_MB": "40"})
    assert done.returncode == 1
    assert errors(done) == [
        f"error: {ORDER}: rsvg-convert ran out of memory (limit 40 MB, "
        "BPMNCX_GRAPHVIZ_MEMORY_MB) or crashed; the diagram is too large to draw"]
    assert not (tmp_path / "x.pdf").exists()


def stand_in(tmp_path, program):
    """A ``program`` first on PATH that never finishes."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / program).write_text("#!/bin/sh\nexec sleep 30\n")
    (bin_dir / program).chmod(0o755)
    return {"PATH": f"{bin_dir}:{os.environ['PATH']}", "BPMNCX_GRAPHVIZ_SECONDS": "1"}


def test_pdf_drawing_past_its_time_limit_is_stopped_with_the_model_named(tmp_path):
    done = bpmncx("render", ORDER, "-o", tmp_path / "x.pdf", env=stand_in(tmp_path, "rsvg-convert"))
    assert done.returncode == 1
    assert errors(done) == [
        f"error: {ORDER}: rsvg-convert took longer than 1 s and was stopped (limit "
        "BPMNCX_GRAPHVIZ_SECONDS per diagram); the diagram is too large or complex to draw"]


def test_a_layout_past_graphviz_time_limit_is_stopped_with_the_model_named(tmp_path):
    model = write(tmp_path / "flat.bpmn", '<process id="p"><task id="a"/><task id="b"/>'
                  '<sequenceFlow id="f" sourceRef="a" targetRef="b"/></process>')
    done = bpmncx("render", "flat.bpmn", "-o", "x.svg", cwd=tmp_path,
                  env=stand_in(tmp_path, "dot"))
    assert done.returncode == 1
    assert errors(done)[-1].startswith(f"error: {model.name}: Graphviz took longer than 1 s")


def test_svg_needs_no_drawing_program(tmp_path):
    """SVG is written in-process: with a stand-in that never finishes nothing waits for it."""
    env = stand_in(tmp_path, "neato")
    env["PATH"] = env["PATH"].split(":")[0] + ":" + os.path.dirname(sys.executable)
    done = bpmncx("render", ORDER, "-o", tmp_path / "x.svg", env=env)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "x.svg").read_bytes().startswith(b"<?xml")


# -- 4. only regular files, within a size --------------------------------------------

def test_a_model_whose_name_holds_control_characters_is_refused_and_shown_blanked(tmp_path):
    # the name goes into the SVG, the page and the annotated BPMN, which cannot carry
    # \x01; an escape sequence in it must not reach the terminal either
    name = "odd\x01name\x1b[31m.bpmn"
    (tmp_path / name).write_bytes(ORDER.read_bytes())
    done = bpmncx("annotate", name, ORDER_BOOK, "-o", "out", "--format", "svg,html",
                  cwd=tmp_path)
    assert done.returncode == 1
    assert errors(done) == ["error: odd name [31m.bpmn: its name holds control characters, "
                            "which XML, HTML and Excel cannot carry; rename the file"]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_model_whose_name_is_not_utf8_is_refused_not_an_internal_error(tmp_path,
                                                                         monkeypatch):
    monkeypatch.chdir(tmp_path)  # the name as bytes: Python holds it with a lone surrogate
    with open(b"caf\xe9.bpmn", "wb") as handle:
        handle.write(ORDER.read_bytes())
    done = subprocess.run([sys.executable, "-m", "bpmncx", b"render", b"caf\xe9.bpmn", b"-o",
                           b"x.svg"], capture_output=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 1
    assert done.stderr.decode("utf-8", "backslashreplace").strip().endswith(
        ".bpmn: its name is not valid UTF-8 (a file from an older system or archive?); "
        "rename the file")
    assert b"internal error" not in done.stderr


def test_an_event_log_whose_name_holds_control_characters_is_refused(tmp_path):
    log = tmp_path / "log\x02.csv"
    log.write_text("case,activity,timestamp\n1,Pay,2024-01-01T10:00:00\n", encoding="utf-8")
    done = bpmncx("measure", ORDER, ORDER_BOOK, "--log", log)
    assert done.returncode == 1
    assert errors(done) == [f"error: {tmp_path}/log .csv: its name holds control characters, "
                            "which XML, HTML and Excel cannot carry; rename the file"]


def test_a_named_pipe_given_as_the_model_is_refused_without_waiting(tmp_path):
    os.mkfifo(tmp_path / "pipe.bpmn")
    done = bpmncx("render", "pipe.bpmn", "-o", "x.svg", cwd=tmp_path)
    assert done.returncode == 1
    assert errors(done) == ["error: pipe.bpmn: this is a named pipe (FIFO), not a regular file; "
                            "bpmncx only reads BPMN files saved on disk"]


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_given_as_the_model_is_refused(tmp_path, device):
    done = bpmncx("render", device, "-o", tmp_path / "x.svg")
    assert done.returncode == 1
    assert errors(done) == [f"error: {device}: this is a character device, not a regular file; "
                            "bpmncx only reads BPMN files saved on disk"]


ORDER_LOG = SAMPLES / "online-order" / "online-order.log.csv"


@pytest.mark.parametrize("option", ["--log", "--survey"])
@pytest.mark.parametrize("kind", ["pipe", "/dev/zero"])
def test_a_named_pipe_or_device_given_as_the_event_log_or_survey_is_refused(tmp_path, option,
                                                                            kind):
    # DuckDB waited for a writer on the FIFO forever; the survey read /dev/zero for ever
    name = kind
    if kind == "pipe":
        os.mkfifo(tmp_path / "pipe")
    what = "event log" if option == "--log" else "survey"
    log = [] if option == "--log" else ["--log", ORDER_LOG]
    done = bpmncx("measure", ORDER, ORDER_BOOK, *log, option, name, cwd=tmp_path)
    assert done.returncode == 1
    device = "a named pipe (FIFO)" if kind == "pipe" else "a character device"
    assert errors(done) == [f"error: {name}: this is {device}, not a regular file; bpmncx only "
                            f"reads {what} files saved on disk"]


def test_a_survey_over_its_size_limit_is_refused(tmp_path):
    survey = tmp_path / "nps.csv"
    survey.write_text("case,nps\n" + "c1,9\n" * 400, encoding="utf-8")
    done = bpmncx("measure", ORDER, ORDER_BOOK, "--log", ORDER_LOG, "--survey", survey,
                  env={"BPMNCX_MAX_SURVEY_BYTES": "1000"})
    assert done.returncode == 1
    assert errors(done) == [f"error: {survey}: the file is larger than 1000 bytes, the limit for "
                            "a survey file; set BPMNCX_MAX_SURVEY_BYTES to a larger number of "
                            "bytes to read it"]


def test_a_model_over_the_size_limit_is_refused(tmp_path):
    done = bpmncx("inspect", ORDER, env={"BPMNCX_MAX_BPMN_BYTES": "1000"})
    assert done.returncode == 1
    assert f"{ORDER}: the file is larger than 1000 bytes, the limit for a BPMN file; set " \
           "BPMNCX_MAX_BPMN_BYTES to a larger number of bytes to read it" in done.stdout + done.stderr


def test_a_limit_that_is_not_a_number_is_a_usage_error(tmp_path):
    done = bpmncx("render", ORDER, "-o", tmp_path / "x.svg", env={"BPMNCX_MAX_BPMN_BYTES": "lots"})
    assert done.returncode == 1
    assert errors(done) == ["error: BPMNCX_MAX_BPMN_BYTES='lots': the limit must be a whole "
                            "number above 0"]


def test_a_named_pipe_or_an_oversized_file_given_as_the_workbook_is_refused(tmp_path):
    os.mkfifo(tmp_path / "pipe.xlsx")
    done = bpmncx("validate", "pipe.xlsx", ORDER, cwd=tmp_path)
    assert done.returncode == 1
    assert errors(done) == ["error: pipe.xlsx: this is a named pipe (FIFO), not a regular file; "
                            "bpmncx only reads workbook files saved on disk"]
    done = bpmncx("validate", ORDER_BOOK, ORDER, env={"BPMNCX_MAX_XLSX_BYTES": "1000"})
    assert errors(done) == [f"error: {ORDER_BOOK}: the file is larger than 1000 bytes, the limit "
                            "for a workbook file; set BPMNCX_MAX_XLSX_BYTES to a larger number of "
                            "bytes to read it"]


# -- 6. damaged zips that pass the integrity check ------------------------------------

DAMAGED = ("the workbook is damaged or incomplete and cannot be read; open it in Excel (which can "
           "often repair it) and save it again, or use your last good copy")


def _headers(raw: bytearray, name: bytes):
    """Offsets of the local and central headers of member ``name``."""
    local = raw.find(b"PK\x03\x04" + bytes(0))
    while raw[local + 30:local + 30 + len(name)] != name:
        local = raw.find(b"PK\x03\x04", local + 4)
    central = raw.find(b"PK\x01\x02")
    while raw[central + 46:central + 46 + len(name)] != name:
        central = raw.find(b"PK\x01\x02", central + 4)
    return local, central


def stored_copy(tmp_path):
    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(ORDER_BOOK) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))  # stored, no compression
    return path


def test_a_member_with_an_unsupported_compression_method_is_damaged(tmp_path):
    path = stored_copy(tmp_path)
    raw = bytearray(path.read_bytes())
    local, central = _headers(raw, b"xl/workbook.xml")
    struct.pack_into("<H", raw, local + 8, 9)  # deflate64: zipfile raises NotImplementedError
    struct.pack_into("<H", raw, central + 10, 9)
    path.write_bytes(bytes(raw))
    done = bpmncx("validate", "book.xlsx", ORDER, cwd=tmp_path)
    assert done.returncode == 1
    assert errors(done) == [f"error: book.xlsx: {DAMAGED}"]


def test_a_member_that_is_not_the_deflate_stream_it_claims_is_damaged(tmp_path):
    path = stored_copy(tmp_path)
    raw = bytearray(path.read_bytes())
    local, central = _headers(raw, b"xl/workbook.xml")
    struct.pack_into("<H", raw, local + 8, zipfile.ZIP_DEFLATED)  # zlib.error on reading
    struct.pack_into("<H", raw, central + 10, zipfile.ZIP_DEFLATED)
    path.write_bytes(bytes(raw))
    done = bpmncx("validate", "book.xlsx", ORDER, cwd=tmp_path)
    assert done.returncode == 1
    assert errors(done) == [f"error: book.xlsx: {DAMAGED}"]


def test_a_central_directory_pointing_before_the_file_is_damaged(tmp_path):
    raw = bytearray(ORDER_BOOK.read_bytes())
    end = raw.rfind(b"PK\x05\x06")
    offset = struct.unpack_from("<I", raw, end + 16)[0]
    struct.pack_into("<I", raw, end + 16, offset + 100000)  # members at negative offsets
    (tmp_path / "book.xlsx").write_bytes(bytes(raw))
    done = bpmncx("validate", "book.xlsx", ORDER, cwd=tmp_path)
    assert done.returncode == 1
    assert errors(done) == [f"error: book.xlsx: {DAMAGED}"]


# -- 7. a far-away cell ---------------------------------------------------------------

def far_cell_book(tmp_path, cell="XFD1048576", sheet="Journey"):
    wb = openpyxl.load_workbook(ORDER_BOOK)
    wb[sheet][cell] = "far"
    path = tmp_path / "book.xlsx"
    wb.save(path)
    return path


@pytest.mark.parametrize("cell", ["XFD1048576", "A1048576", "XFD2"])
def test_a_value_in_the_last_row_or_column_is_read_as_the_cell_it_is(tmp_path, cell):
    far_cell_book(tmp_path, cell, "Personas")
    done = bpmncx("validate", "book.xlsx", ORDER, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 errors" in done.stdout + done.stderr


@pytest.mark.parametrize("cell", ["XFD1048576", "A1048576"])
def test_a_far_value_on_the_pools_and_lanes_sheet_is_read_as_the_cell_it_is(tmp_path, cell):
    # found by make fuzz (seed 1, case xlsx:6): the sheet was read by its declared extent
    far_cell_book(tmp_path, cell, "Pools and lanes")
    done = bpmncx("validate", "book.xlsx", ORDER, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 errors" in done.stdout + done.stderr


def test_a_far_value_on_the_pools_and_lanes_sheet_is_not_carried_over(tmp_path):
    far_cell_book(tmp_path, sheet="Pools and lanes")
    done = bpmncx("template", ORDER, "-o", "new.xlsx", "--update", "book.xlsx", cwd=tmp_path)
    assert done.returncode == 1
    assert errors(done) == [
        "error: book.xlsx: Pools and lanes!XFD1048576 holds a value far outside the table "
        "(1,048,576 rows x 16,384 columns to carry over for 45 values); delete it and save the "
        "workbook again"]
    assert not (tmp_path / "new.xlsx").exists()


def test_a_value_in_the_last_cell_of_the_journey_is_not_carried_over_as_a_huge_table(tmp_path):
    far_cell_book(tmp_path)
    done = bpmncx("template", ORDER, "-o", "new.xlsx", "--update", "book.xlsx", cwd=tmp_path)
    assert done.returncode == 1
    assert errors(done) == [
        "error: book.xlsx: Journey!XFD1048576 holds a value far outside the table (1,048,576 rows "
        "x 16,384 columns to carry over for 123 values); delete it and save the workbook again"]
    assert not (tmp_path / "new.xlsx").exists()


def test_a_workbook_with_more_cells_than_the_limit_is_refused(tmp_path):
    done = bpmncx("validate", ORDER_BOOK, ORDER, env={"BPMNCX_MAX_XLSX_CELLS": "50"})
    assert done.returncode == 1
    assert errors(done) == [
        f"error: {ORDER_BOOK}: the workbook has more than 50 cells, the limit bpmncx reads (set "
        "BPMNCX_MAX_XLSX_CELLS to allow more); a bpmncx workbook needs one row per element of "
        "the model"]


# -- 9. the owners' workbook while they have it open ---------------------------------

@pytest.fixture
def book(tmp_path):
    path = tmp_path / "order-cx.xlsx"
    path.write_bytes(ORDER_BOOK.read_bytes())
    return path


@pytest.mark.parametrize("lock, tool", [(".~lock.order-cx.xlsx#", "LibreOffice"),
                                        ("~$order-cx.xlsx", "Excel"),
                                        ("~$der-cx.xlsx", "Excel")])
def test_update_refuses_a_workbook_open_in_libreoffice_or_excel(tmp_path, book, lock, tool):
    (tmp_path / lock).write_text("owner")
    before = book.read_bytes()
    done = bpmncx("template", ORDER, "-o", "order-cx.xlsx", "--update", "order-cx.xlsx",
                  "--persona", "New persona", cwd=tmp_path)
    assert done.returncode == 1
    assert errors(done) == [
        f"error: order-cx.xlsx: the workbook is open in {tool} (its lock file {lock} is beside "
        f"it); close it there first, or use --force to write anyway (saving it in {tool} "
        "afterwards would undo this)"]
    assert book.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([lock, "order-cx.xlsx"])
    done = bpmncx("template", ORDER, "-o", "order-cx.xlsx", "--update", "order-cx.xlsx",
                  "--persona", "New persona", "--force", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert book.read_bytes() != before
    assert (tmp_path / "order-cx.bak.xlsx").read_bytes() == before


def test_template_refuses_to_replace_a_read_only_workbook(tmp_path, book):
    book.chmod(0o444)
    before = book.read_bytes()
    done = bpmncx("template", ORDER, "-o", "order-cx.xlsx", cwd=tmp_path)
    assert done.returncode == 1
    assert errors(done) == ["error: order-cx.xlsx: the file is read-only; make it writable "
                            "first, or use --force to replace it anyway"]
    assert book.read_bytes() == before
    done = bpmncx("template", ORDER, "-o", "order-cx.xlsx", "--force", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert book.read_bytes() != before
    assert stat.S_IMODE(book.stat().st_mode) == 0o444


def test_temporary_files_of_a_killed_run_are_removed_by_the_next(tmp_path, book):
    stale = tmp_path / ".order-cx.xlsx.k3j9x0_q.tmp"
    stale.write_bytes(b"half a workbook")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    fresh = tmp_path / ".order-cx.xlsx.a1b2c3d4.tmp"  # may be another run writing right now
    fresh.write_bytes(b"being written")
    other = tmp_path / ".notes.txt.k3j9x0_q.tmp"  # not ours to judge
    other.write_bytes(b"x")
    os.utime(other, (an_hour_ago, an_hour_ago))
    done = bpmncx("template", ORDER, "-o", "order-cx.xlsx", "--update", "order-cx.xlsx",
                  cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert not stale.exists() and fresh.exists() and other.exists()


def test_a_temporary_file_being_written_is_never_removed(tmp_path):
    import fcntl

    busy = tmp_path / ".x.xlsx.abcdefgh.tmp"
    with open(busy, "wb") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        an_hour_ago = time.time() - 3600
        os.utime(busy, (an_hour_ago, an_hour_ago))
        assert remove_stale_temporaries(tmp_path / "x.xlsx") == []
    assert remove_stale_temporaries(tmp_path / "x.xlsx") == [str(busy)]


def test_safe_file_stem_shortens_long_names_distinctly_and_leaves_others_alone():
    assert safe_file_stem("online-order.first-time-buyer") == "online-order.first-time-buyer"
    long_a, long_b = "model." + "p" * 240 + "a", "model." + "p" * 240 + "b"
    short_a, short_b = safe_file_stem(long_a), safe_file_stem(long_b)
    assert short_a != short_b
    assert len((short_a + "-report.xlsx").encode()) <= 255
    assert short_a.startswith("model.ppp") and short_a == safe_file_stem(long_a)
    wide = safe_file_stem("Ω" * 200)
    assert len(wide.encode()) <= 215 and wide.startswith("Ω")


# -- found by the fuzz suite ---------------------------------------------------------

def test_an_edge_with_thousands_of_waypoints_is_drawn(tmp_path):
    """Graphviz refuses a quoted string over 16384 characters: the edge's route is one."""
    points = "".join(f'<di:waypoint x="{k % 900}" y="{k % 400}"/>' for k in range(3000))
    (tmp_path / "route.bpmn").write_text(
        HEAD.replace('id="d"', 'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="d"')
        + '<process id="p"><task id="a"/><task id="b"/><sequenceFlow id="f" sourceRef="a" '
        'targetRef="b"/></process>' + diagram(
            shape("a", 0, 0), shape("b", 300, 0),
            f'<bpmndi:BPMNEdge id="f_di" bpmnElement="f">{points}</bpmndi:BPMNEdge>')
        + "</definitions>\n", encoding="utf-8")
    done = bpmncx("render", "route.bpmn", "-o", "route.svg", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert 'data-element-id="f"' in (tmp_path / "route.svg").read_text(encoding="utf-8")


def test_a_model_with_more_flow_nodes_than_the_limit_is_refused():
    done = bpmncx("render", ORDER, "-o", "/dev/null/x.svg", env={"BPMNCX_MAX_FLOW_NODES": "5"})
    assert done.returncode == 1
    assert errors(done) == [f"error: {ORDER}: the model has 33 activities, events and gateways, "
                            "more than 5 (BPMNCX_MAX_FLOW_NODES); split it into several models"]


def test_a_model_without_a_diagram_and_too_many_elements_is_not_laid_out(tmp_path):
    model = write(tmp_path / "plain.bpmn", '<process id="p"><task id="a"/><task id="b"/>'
                  '<task id="c"/></process>')
    done = bpmncx("render", model, "-o", tmp_path / "plain.svg",
                  env={"BPMNCX_MAX_LAYOUT_ELEMENTS": "2"})
    assert done.returncode == 1
    assert errors(done) == [f"error: {model}: the file has no diagram layout and 3 elements to lay "
                            "out, more than 2 (BPMNCX_MAX_LAYOUT_ELEMENTS); export the model with "
                            "its diagram"]


def test_a_model_of_a_thousand_unconnected_pools_without_a_diagram_is_laid_out(tmp_path):
    """Found by make fuzz (seed 2, case bpmn:405): 2,000 one-task processes in one dot
    graph took Graphviz to its memory limit; each unconnected group is its own graph now,
    so 200 MB of address space is plenty."""
    body = "".join(f'<process id="p{n}"><task id="t{n}" name="Pack {n}"/></process>'
                   for n in range(1000))
    model = write(tmp_path / "many.bpmn", body)
    done = bpmncx("render", model, "-o", tmp_path / "many.svg",
                  env={"BPMNCX_GRAPHVIZ_MEMORY_MB": "200"})
    assert done.returncode == 0, done.stderr
    svg = etree.parse(str(tmp_path / "many.svg"))
    drawn = svg.findall('.//{http://www.w3.org/2000/svg}g[@data-element-id]')
    assert {g.get("data-element-id") for g in drawn} >= {f"t{n}" for n in range(1000)}


def test_unconnected_pools_of_a_generated_layout_start_at_the_same_left_edge(tmp_path):
    from bpmncx.render.layout import generate_plane
    model = load_model(write(tmp_path / "two.bpmn",
        '<collaboration id="c"><participant id="A" processRef="pa"/>'
        '<participant id="B" processRef="pb"/></collaboration>'
        '<process id="pa"><startEvent id="s"/><task id="a"/>'
        '<sequenceFlow id="f" sourceRef="s" targetRef="a"/></process>'
        '<process id="pb"><task id="b"/><task id="b2"/>'
        '<sequenceFlow id="g" sourceRef="b" targetRef="b2"/></process>'))
    boxes = {shape.element_id: shape.bounds for shape in generate_plane(model).shapes}
    assert boxes["s"].x == boxes["b"].x  # first element of each pool, event or task


def test_a_template_with_more_cells_than_bpmncx_reads_back_is_not_written(tmp_path):
    done = bpmncx("template", ORDER, "-o", tmp_path / "x.xlsx", env={"BPMNCX_MAX_XLSX_CELLS": "100"})
    assert done.returncode == 1
    assert errors(done) == [f"error: {ORDER}: the workbook would have 546 cells (30 touchpoint "
                            "rows), more than the 100 bpmncx reads back (BPMNCX_MAX_XLSX_CELLS); "
                            "make one workbook per part of the model"]
    assert not (tmp_path / "x.xlsx").exists()


def test_a_model_with_more_xml_elements_than_the_limit_is_refused_before_parsing():
    """1.5 million waypoints in 45 MB parsed into 900 MB: the count bounds the memory."""
    done = bpmncx("inspect", ORDER, env={"BPMNCX_MAX_XML_ELEMENTS": "50"})
    assert done.returncode == 1
    assert f"{ORDER}: the file has more than 50 XML elements (BPMNCX_MAX_XML_ELEMENTS); no BPMN " \
           "diagram needs that many; split the model" in done.stdout + done.stderr


def test_a_model_built_through_the_api_with_a_control_character_draws_well_formed_svg():
    # files and logs are refused or cleaned on the way in; the SVG writer itself must
    # still never write what XML cannot carry
    from bpmncx.render import render_svg

    model = load_model(ORDER)
    model.nodes[0].name = "Odd\x01name"
    svg = render_svg(model)
    etree.fromstring(svg)
    assert "Odd\ufffdname".encode() in svg
