"""The plain diagram: drawn where the modeller put it, the same bytes every time."""

from __future__ import annotations

import math
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from bpmncx import load_model
from bpmncx.bpmn.read import model_from_bytes
from bpmncx.cli import cli
from bpmncx.render import RenderOptions, render, render_many, render_svg, scene_for
from bpmncx.render.draw import svg_many
from bpmncx.render.text import text_width, wrap

from conftest import CORPUS, ROOT, corpus_files, needs_corpus

SVG = "{http://www.w3.org/2000/svg}"
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")
ARROW_ALLOWANCE = 12.0  # an edge end may stop short by one arrowhead (<= 10.8 pt)

REFERENCE = CORPUS / "reference"


# -- reading our own SVG back ------------------------------------------------------------------


def parse(svg: bytes):
    return etree.fromstring(svg, etree.XMLParser(resolve_entities=False, no_network=True))


class Drawn:
    """Where the SVG drew what: DI coordinates recovered from the SVG."""

    def __init__(self, svg: bytes):
        self.root = parse(svg)
        ox, oy = (float(v) for v in self.root.get("data-origin").split())
        graph = self.root.find(f"{SVG}g")
        ty = float(re.search(r"translate\(\s*\S+\s+(\S+)\)", graph.get("transform")).group(1))
        self.dx, self.dy = ox, oy + ty
        self.groups = {}
        for g in self.root.iter(f"{SVG}g"):
            if g.get("class") in ("node", "edge", "cluster"):
                self.groups.setdefault(g.get("id"), g)

    def to_di(self, x, y):
        return x + self.dx, y + self.dy

    def box(self, element_id):
        """DI bounds of the first outline drawn for an element (None if not drawn)."""
        g = self.groups.get(element_id)
        if g is None:
            return None
        for child in g:
            tag = etree.QName(child).localname
            if tag == "ellipse":
                cx, cy = float(child.get("cx")), float(child.get("cy"))
                rx, ry = float(child.get("rx")), float(child.get("ry"))
                xs, ys = [cx - rx, cx + rx], [cy - ry, cy + ry]
            elif tag == "polygon":
                nums = [float(n) for n in NUMBER.findall(child.get("points"))]
                xs, ys = nums[0::2], nums[1::2]
            elif tag == "path":
                nums = [float(n) for n in NUMBER.findall(child.get("d"))]
                xs, ys = nums[0::2], nums[1::2]
            elif tag == "svg":  # a picture: annotation bracket, group frame
                x, y = float(child.get("x")), float(child.get("y"))
                xs = [x, x + float(child.get("width"))]
                ys = [y, y + float(child.get("height"))]
            else:
                continue
            x0, y0 = self.to_di(min(xs), min(ys))
            x1, y1 = self.to_di(max(xs), max(ys))
            return x0, y0, x1, y1
        return None

    def edge_points(self, element_id):
        g = self.groups.get(element_id)
        path = g.find(f"{SVG}path")
        nums = [float(n) for n in NUMBER.findall(path.get("d"))]
        points = [self.to_di(x, y) for x, y in zip(nums[0::2], nums[1::2])]
        polygons = []
        for polygon in g.findall(f"{SVG}polygon"):
            nums = [float(n) for n in NUMBER.findall(polygon.get("points"))]
            polygons.append([self.to_di(x, y) for x, y in zip(nums[0::2], nums[1::2])])
        return points, polygons


def _segment_distance(p, a, b):
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((p[0] - ax) * dx + (p[1] - ay) * dy) / length2))
    return math.hypot(p[0] - (ax + t * dx), p[1] - (ay + t * dy))


def polyline_distance(p, points):
    return min(_segment_distance(p, a, b) for a, b in zip(points, points[1:]))


def check_plane(model, svg: bytes):
    """Every shape within 1 pt of its DI bounds, every sequence flow on its waypoints."""
    drawn = Drawn(svg)
    plane = model.main_plane
    problems = []
    seen = set()
    for shape in plane.shapes:
        if shape.element_id in seen:
            continue  # a second shape of the same element gets a suffixed id
        seen.add(shape.element_id)
        box = drawn.box(shape.element_id)
        if box is None:
            problems.append(f"{shape.element_id}: not drawn")
            continue
        b = shape.bounds
        want = (b.x, b.y, b.right, b.bottom)
        if max(abs(got - exp) for got, exp in zip(box, want)) > 1.0:
            problems.append(f"{shape.element_id}: drawn at {box}, DI says {want}")
    for edge in plane.edges:
        conn = model.connection.get(edge.element_id)
        if conn is None or conn.kind != "sequenceFlow" or edge.element_id in seen:
            continue
        seen.add(edge.element_id)
        way = [(p.x, p.y) for p in edge.waypoints]
        distinct = [p for i, p in enumerate(way) if i == 0 or p != way[i - 1]]
        if len(distinct) < 2:
            continue
        points, polygons = drawn.edge_points(edge.element_id)
        off = [p for p in points if polyline_distance(p, distinct) > 1.0]
        if off:
            problems.append(f"{edge.element_id}: path leaves its waypoints at {off[:2]}")
        for inner in distinct[1:-1]:
            if min(math.dist(inner, p) for p in points) > 1.0:
                problems.append(f"{edge.element_id}: waypoint {inner} not on the path")
        if math.dist(points[0], distinct[0]) > ARROW_ALLOWANCE:
            problems.append(f"{edge.element_id}: starts at {points[0]}, not {distinct[0]}")
        tips = [p for poly in polygons for p in poly]
        if min(math.dist(p, distinct[-1]) for p in tips + points) > 1.0:
            problems.append(f"{edge.element_id}: does not reach {distinct[-1]}")
    return problems


# -- whole corpus -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_svgs():
    models = [load_model(path) for path in corpus_files()]
    return models, svg_many([scene_for(m) for m in models])


@needs_corpus
def test_every_corpus_file_renders_to_svg_where_its_di_says(corpus_svgs):
    models, svgs = corpus_svgs
    assert len(models) == len(corpus_files()) > 100
    problems = []
    for model, svg in zip(models, svgs):
        problems += [f"{model.path}: {p}" for p in check_plane(model, svg)]
    assert problems == []


@needs_corpus
def test_every_corpus_file_renders_to_png_and_pdf(tmp_path):
    models = [load_model(path) for path in corpus_files()]
    items = []
    for index, model in enumerate(models):
        items.append((model, tmp_path / f"{index}.png"))
        items.append((model, tmp_path / f"{index}.pdf"))
    render_many(items, RenderOptions(scale=1.0))
    for model, path in items:
        data = Path(path).read_bytes()
        magic = b"\x89PNG" if str(path).endswith(".png") else b"%PDF"
        assert data.startswith(magic), model.path
        assert len(data) > 1000, model.path
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@needs_corpus
def test_svg_is_byte_identical_alone_in_a_batch_and_run_twice(corpus_svgs):
    models, svgs = corpus_svgs
    chosen = [i for i, m in enumerate(models) if m.name in ("B.2.0", "C.4.0", "A.1.0")]
    assert chosen
    for index in chosen:
        assert render_svg(models[index]) == svgs[index]
    # Graphviz orders sibling clusters by memory address: a second run must not show it
    assert svg_many([scene_for(m) for m in models]) == svgs


@needs_corpus
def test_svg_stands_alone_with_hex_colours_and_no_temporary_paths(corpus_svgs):
    _, svgs = corpus_svgs
    for svg in svgs:
        assert b"bpmncx-render" not in svg and b"xlink:href" not in svg and b"<image" not in svg
        root = parse(svg)
        for element in root.iter():
            for name in ("fill", "stroke"):
                value = element.get(name)
                if value is not None:
                    assert value in ("none", "transparent") or re.fullmatch(
                        r"#[0-9a-fA-F]{6}", value), (name, value)


@needs_corpus
def test_colours_in_the_file_are_drawn():
    model = load_model(CORPUS / "camunda-modeler-18.6.1" / "A.2.1-export.bpmn")
    drawn = Drawn(render_svg(model))
    coloured = [s for s in model.main_plane.shapes if s.colours.fill]
    assert len(coloured) >= 5
    for shape in coloured:
        outline = drawn.groups[shape.element_id][1]  # after <title>
        assert outline.get("fill").lower() == shape.colours.fill.lower()
        assert outline.get("stroke").lower() == shape.colours.stroke.lower()


@needs_corpus
def test_each_diagram_of_a_file_can_be_chosen():
    model = load_model(REFERENCE / "C.4.0.bpmn")
    assert len(model.planes) == 4
    for plane in model.planes:
        svg = render_svg(model, plane.diagram_id)
        drawn = Drawn(svg)
        for shape in plane.shapes:
            assert shape.element_id in drawn.groups
    assert render_svg(model, model.planes[1].id) == render_svg(model, model.planes[1].diagram_id)


@needs_corpus
def test_tooltips_and_element_ids_are_on_the_svg_groups():
    model = load_model(REFERENCE / "B.2.0.bpmn")
    root = parse(render_svg(model))
    named = [n for n in model.nodes if n.name and n.id in model.main_plane.shape_of]
    for node in named:
        groups = root.findall(f".//{SVG}g[@data-element-id='{node.id}']")
        assert groups, node.id
        assert node.name in groups[0].findtext(f"{SVG}title")


@needs_corpus
def test_markers_and_icons_are_drawn_inline():
    model = load_model(REFERENCE / "B.2.0.bpmn")
    root = parse(render_svg(model))
    user_tasks = [n for n in model.nodes if n.kind == "userTask"]
    timers = [n for n in model.nodes if "timer" in n.event_definitions]
    assert user_tasks and timers
    for node in user_tasks + timers:
        marker = root.find(f".//{SVG}g[@id='{node.id}::marker']")
        assert marker is not None, node.id
        assert len(marker.find(f"{SVG}svg")) > 0
    # the timer icon has its 12 hour ticks
    timer_marker = root.find(f".//{SVG}g[@id='{timers[0].id}::marker']")
    assert len(timer_marker.findall(f".//{SVG}path")) >= 13


# -- untrusted names -------------------------------------------------------------------------------

HOSTILE = b"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
  xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="d" targetNamespace="x">
  <process id="P">
    <startEvent id="S" name="&lt;script&gt;alert(1)&lt;/script&gt;"/>
    <task id="T" name="Quote &quot; back\\slash \\N \\G &amp; &lt;b&gt;bold&lt;/b&gt; avery-very-very-very-long-word"/>
    <sequenceFlow id="F" sourceRef="S" targetRef="T" name="a &quot;b&quot;"/>
  </process>
  <bpmndi:BPMNDiagram id="D"><bpmndi:BPMNPlane id="PL" bpmnElement="P">
    <bpmndi:BPMNShape id="S_di" bpmnElement="S"><dc:Bounds x="100" y="100" width="36" height="36"/></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="T_di" bpmnElement="T"><dc:Bounds x="200" y="78" width="100" height="80"/></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="F_di" bpmnElement="F"><di:waypoint x="136" y="118"/><di:waypoint x="200" y="118"/></bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</definitions>
"""


def test_markup_and_backslashes_in_names_are_drawn_as_text():
    model = model_from_bytes(HOSTILE, "hostile.bpmn")
    svg = render_svg(model)
    root = parse(svg)
    assert root.find(f".//{SVG}script") is None and root.find(f".//{SVG}b") is None
    def label_of(element_id):
        groups = root.findall(f".//{SVG}g[@data-element-id='{element_id}']")
        return "".join("".join(t.itertext()) for g in groups for t in g.iter(f"{SVG}text"))

    def squeeze(text):  # lines are separate <text> elements
        return "".join(text.split())

    assert label_of("S") == "<script>alert(1)</script>"
    assert squeeze(label_of("T")) == squeeze(
        'Quote " back\\slash \\N \\G & <b>bold</b> avery-very-very-very-long-word')
    assert label_of("F") == 'a "b"'
    assert check_plane(model, svg) == []


# -- text --------------------------------------------------------------------------------------------


def test_text_width_uses_the_font_metrics():
    # Liberation Sans: "W" is 944/1000 em, "i" 222/1000 em
    assert text_width("W", 10) == pytest.approx(9.44)
    assert text_width("ii", 12) == pytest.approx(2 * 0.222 * 12)
    assert text_width("Wi", 12) > text_width("iW"[:1], 12)


def test_wrap_breaks_words_and_keeps_every_character():
    lines = wrap("Check the claim for completeness", 90, 12)
    assert " ".join(lines) == "Check the claim for completeness" and len(lines) > 1
    assert all(text_width(line, 12) <= 90 for line in lines)
    # greedy: the first word of each next line would not have fitted
    for line, following in zip(lines, lines[1:]):
        assert text_width(line + " " + following.split()[0], 12) > 90
    long = wrap("Versicherungsnehmerbenachrichtigung", 60, 12)
    assert "".join(long) == "Versicherungsnehmerbenachrichtigung" and len(long) > 1
    assert wrap("one\ntwo", 200, 12) == ["one", "two"]
    assert wrap("   ", 50, 12) == []


# -- command line -----------------------------------------------------------------------------------


@needs_corpus
@pytest.mark.parametrize("ext, magic", [("svg", b"<?xml"), ("png", b"\x89PNG"), ("pdf", b"%PDF")])
def test_cli_renders_each_format(tmp_path, ext, magic):
    out = tmp_path / f"a.{ext}"
    result = CliRunner().invoke(cli, ["render", str(REFERENCE / "A.2.0.bpmn"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(magic)


@needs_corpus
def test_a_pdf_drawn_a_second_later_is_byte_identical(tmp_path):
    # cairo stamps each PDF with the second it was written; CI diffs regenerated files
    first, second = tmp_path / "first.pdf", tmp_path / "second.pdf"
    model = REFERENCE / "A.2.0.bpmn"
    assert CliRunner().invoke(cli, ["render", str(model), "-o", str(first)]).exit_code == 0
    time.sleep(1.1)
    assert CliRunner().invoke(cli, ["render", str(model), "-o", str(second)]).exit_code == 0
    assert first.read_bytes() == second.read_bytes()


@needs_corpus
def test_cli_png_scale_sets_the_pixel_size(tmp_path):
    sizes = {}
    for scale in ("1", "2"):
        out = tmp_path / f"s{scale}.png"
        result = CliRunner().invoke(cli, ["render", str(REFERENCE / "A.1.0.bpmn"), "-o", str(out),
                                          "--scale", scale])
        assert result.exit_code == 0, result.output
        data = out.read_bytes()
        sizes[scale] = int.from_bytes(data[16:20], "big")
    assert abs(sizes["2"] - 2 * sizes["1"]) <= 2


def run_cli(*args):
    """The real command, as a user runs it (separate stdout and stderr)."""
    return subprocess.run([sys.executable, "-m", "bpmncx", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


@needs_corpus
def test_cli_errors_are_one_line_and_leave_no_file(tmp_path):
    out = tmp_path / "a.svg"
    result = run_cli("render", REFERENCE / "C.4.0.bpmn", "-o", out, "--diagram", "nope")
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "no diagram 'nope'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    result = run_cli("render", REFERENCE / "A.1.0.bpmn", "-o", tmp_path / "a.gif")
    assert result.returncode == 1 and "unknown output format '.gif'" in result.stderr
    result = run_cli("render", tmp_path / "missing.bpmn", "-o", out)
    assert result.returncode == 1 and "missing.bpmn" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_render_writes_atomically_over_an_existing_file(tmp_path):
    model = model_from_bytes(HOSTILE, "hostile.bpmn")
    out = tmp_path / "d.svg"
    out.write_text("old")
    assert render(model, str(out)) == []
    assert out.read_bytes().startswith(b"<?xml")
    assert [p.name for p in tmp_path.iterdir()] == ["d.svg"]


# -- models without a layout ------------------------------------------------------------------------

DI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"


def without_di(path):
    root = etree.parse(str(path)).getroot()
    for diagram in root.findall(f"{{{DI_NS}}}BPMNDiagram"):
        root.remove(diagram)
    return model_from_bytes(etree.tostring(root), str(path))


@pytest.fixture(scope="module")
def generated():
    paths = [ROOT / "samples" / "insurance-claim" / "insurance-claim.bpmn"]
    if REFERENCE.is_dir():
        paths += sorted(REFERENCE.glob("*.bpmn"))
    return [without_di(p) for p in paths if p.exists()]


def test_models_without_di_get_a_generated_layout_in_bands(generated):
    assert generated and all(not m.has_di for m in generated)
    scenes = [scene_for(m) for m in generated]
    svgs = svg_many(scenes)
    for model, scene, svg in zip(generated, scenes, svgs):
        assert scene.layout_generated
        assert "layout was generated" in scene.warnings[0]
        drawn = Drawn(svg)
        boxes = {}
        for node in model.nodes:
            if node.parent_id is None:
                boxes[node.id] = drawn.box(node.id)
                assert boxes[node.id] is not None, (model.path, node.id)
        pools = [drawn.box(p.id) for p in model.participants]
        pools = [p for p in pools if p]
        # full-width bands, stacked without overlapping
        assert len({(round(p[0]), round(p[2])) for p in pools}) <= 1, model.path
        for upper, lower in zip(sorted(pools, key=lambda p: p[1]), sorted(pools, key=lambda p: p[1])[1:]):
            assert upper[3] <= lower[1] + 1
        # every node inside its lane's band
        for node in model.nodes:
            if node.parent_id is None and node.lane_id and node.kind != "boundaryEvent":
                lane = drawn.box(node.lane_id)
                box = boxes[node.id]
                assert lane[1] - 1 <= box[1] and box[3] <= lane[3] + 1, (model.path, node.id)
        # boundary events sit on their host's lower edge
        for node in model.nodes:
            if node.kind == "boundaryEvent" and node.attached_to in boxes:
                host, event = boxes[node.attached_to], boxes[node.id]
                assert abs((event[1] + event[3]) / 2 - host[3]) <= 1, (model.path, node.id)
                assert host[0] <= (event[0] + event[2]) / 2 <= host[2]
        # sequence flows are routed orthogonally
        for conn in model.connections_of_kind("sequenceFlow"):
            if conn.id in drawn.groups:
                points, _ = drawn.edge_points(conn.id)
                corners = points[0::3]
                for a, b in zip(corners, corners[1:]):
                    assert abs(a[0] - b[0]) <= 0.5 or abs(a[1] - b[1]) <= 0.5, (model.path, conn.id)


def test_cli_warns_that_the_layout_was_generated(tmp_path, generated):
    source = tmp_path / "no-layout.bpmn"
    root = etree.parse(str(ROOT / "samples" / "insurance-claim" / "insurance-claim.bpmn")).getroot()
    for diagram in root.findall(f"{{{DI_NS}}}BPMNDiagram"):
        root.remove(diagram)
    source.write_bytes(etree.tostring(root))
    result = run_cli("render", source, "-o", tmp_path / "out.svg")
    assert result.returncode == 0, result.stderr
    assert "warning:" in result.stderr and "layout was generated" in result.stderr
    assert (tmp_path / "out.svg").read_bytes().startswith(b"<?xml")


@needs_corpus
def test_cli_renders_several_models_into_a_directory_despite_a_broken_one(tmp_path):
    broken = tmp_path / "broken.bpmn"
    broken.write_text("<definitions")
    out = tmp_path / "out"
    result = run_cli("render", REFERENCE / "A.1.0.bpmn", broken, REFERENCE / "A.2.0.bpmn",
                     "-o", out, "--format", "pdf")
    assert result.returncode == 1
    assert result.stderr.count("error:") == 1 and "broken.bpmn" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["A.1.0.pdf", "A.2.0.pdf"]
    assert result.stdout.split() == [str(out / "A.1.0.pdf"), str(out / "A.2.0.pdf")]


PARALLEL_MULTIPLE = b"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="D">
  <process id="P">
    <startEvent id="Multi"><messageEventDefinition/><signalEventDefinition/></startEvent>
    <startEvent id="Parallel" parallelMultiple="true">
      <messageEventDefinition/><signalEventDefinition/></startEvent>
  </process>
  <bpmndi:BPMNDiagram id="Dia"><bpmndi:BPMNPlane id="Plane" bpmnElement="P">
    <bpmndi:BPMNShape id="Multi_di" bpmnElement="Multi">
      <dc:Bounds x="100" y="100" width="36" height="36"/></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="Parallel_di" bpmnElement="Parallel">
      <dc:Bounds x="200" y="100" width="36" height="36"/></bpmndi:BPMNShape>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</definitions>"""


def test_parallel_multiple_event_shows_a_plus_not_the_pentagon():
    root = parse(render_svg(model_from_bytes(PARALLEL_MULTIPLE, "events.bpmn")))

    def marker_path_points(element_id):
        group = root.find(f".//{SVG}g[@id='{element_id}::marker']")
        paths = [p.get("d") for p in group.iter(f"{SVG}path")]
        assert len(paths) == 1, paths
        return paths[0].count("L") + 1

    assert marker_path_points("Multi") == 5  # pentagon
    assert marker_path_points("Parallel") == 12  # plus


@needs_corpus
def test_cli_jobs_give_the_same_files_and_messages_as_one_process(tmp_path):
    """-j spreads many models over processes; what is written and printed stays the same."""
    models = corpus_files()[:8]
    runs = {}
    for jobs in ("1", "3"):
        out = tmp_path / f"j{jobs}"
        result = run_cli("render", *models, "-o", out, "-j", jobs)
        assert result.returncode == 0, result.stderr
        files = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
        runs[jobs] = (files, result.stdout.replace(str(out), "OUT"), result.stderr)
    assert len(runs["1"][0]) == len(models)
    assert runs["1"] == runs["3"]


def test_render_svg_starts_no_process(monkeypatch):
    """The API writes the SVG in this process: no Graphviz, no process per call."""
    def refuse(*args, **kwargs):
        raise AssertionError("a process was started")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    svg = render_svg(load_model(str(ROOT / "samples" / "online-order" / "online-order.bpmn")))
    assert svg.startswith(b"<?xml") and b'data-element-id="' in svg
