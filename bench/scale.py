"""Benchmark: how bpmncx's commands grow with the size of the model.

Synthetic models of 1,000, 10,000 and 50,000 tasks (``--quick``: 500, 2,000
and 5,000): a Customer pool (a black box exchanging message flows with every
tenth task) and a company pool of five lanes, the tasks in a chain laid out
row by row in the lanes, with diagram layout (DI) for every shape and flow, and
a filled workbook (every tenth task customer-facing with a channel, stage and
pain point; a journey of one step per customer-facing task, with emotions).

Each command runs as a user runs it, in a fresh process under
``/usr/bin/time``: its CPU time (user + system, Graphviz children included)
and its peak memory (the largest resident set of the process and the
children it waited for). For each command the growth exponent between the two
largest sizes is printed: time grows as size^exponent, so 1.0 is linear
(target <= 1.15). A command that fails, runs past ``--timeout`` or past the
memory cap (``--memory``, default 4 GB, so a runaway does not take the
machine down) is shown as such. ``--check`` exits 1 when an exponent is over
the target, a command failed, or one used more than 300 MB at 10,000 tasks.

50,000 tasks is past two of bpmncx's default limits (50,000 flow nodes in a
model, 250,000 workbook cells): the benchmark raises them (``LIMITS``) for
itself and its children, as a user with such a model would.

    python bench/scale.py [--quick] [--sizes 1000 10000] [--commands gaps,annotate] [--check]
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = (1000, 10000, 50000)
QUICK_SIZES = (500, 2000, 5000)
TARGET_EXPONENT = 1.15
TARGET_MB, TARGET_MB_AT = 300, 10000
LANES = 5
TIME = "/usr/bin/time"
# limits (bpmncx/limits.py) raised so that 50,000 tasks can be measured at all
LIMITS = {"BPMNCX_MAX_FLOW_NODES": "1000000", "BPMNCX_MAX_XLSX_CELLS": "10000000",
          "BPMNCX_MAX_XML_ELEMENTS": "10000000"}

NS = ('xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" '
      'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
      'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
      'xmlns:di="http://www.omg.org/spec/DD/20100524/DI"')

# name -> arguments after "bpmncx" ({m}: model, {w}: workbook, {o}: a fresh output folder)
COMMANDS = {
    "inspect": ["inspect", "{m}"],
    "template": ["template", "{m}", "-o", "{o}/template.xlsx"],
    "validate": ["validate", "{m}", "{w}"],
    "gaps": ["gaps", "{m}", "{w}", "--format", "json"],
    "render svg": ["render", "{m}", "-o", "{o}/model.svg"],
    # at half scale: at the default one a model of 2,000 tasks is past the PNG size limit
    "render png": ["render", "{m}", "-o", "{o}/model.png", "--scale", "0.5"],
    "annotate": ["annotate", "{m}", "{w}", "-o", "{o}", "--format", "svg,bpmn,html,xlsx"],
}


def model_xml(tasks: int) -> str:
    """A BPMN document: start, ``tasks`` tasks and an end in a chain over five lanes."""
    columns = max(10, math.ceil(math.sqrt(tasks * 0.8)))
    per_lane = math.ceil(tasks / LANES)
    rows_per_lane = math.ceil(per_lane / columns)
    lane_height = rows_per_lane * 120 + 40
    left, top = 50, 250  # the Customer pool is above, 150 high
    width = 30 + 150 * (columns + 2)
    nodes = ["start"] + [f"task_{i}" for i in range(tasks)] + ["end"]
    lane_of, bounds = {}, {}
    for index, node in enumerate(nodes):
        position = min(max(index - 1, 0), tasks - 1)  # start with the first task, end with the last
        lane = position // per_lane
        slot = position % per_lane
        row, column = divmod(slot, columns)
        if node == "start":
            column = -1
        elif node == "end":
            column = columns
        x = left + 30 + 150 * (column + 1) + 20
        y = top + lane * lane_height + 20 + row * 120 + 10
        size = (100, 80) if node.startswith("task") else (36, 36)
        dy = 0 if node.startswith("task") else 22
        bounds[node] = (x, y + dy, *size)
        lane_of[node] = lane
    out = [f'<?xml version="1.0" encoding="UTF-8"?>\n<definitions {NS} id="defs" '
           'targetNamespace="http://bpmncx.org/bench">',
           '<collaboration id="collab">',
           '<participant id="customer" name="Customer"/>',
           '<participant id="company" name="Company" processRef="process"/>']
    messages = []
    for i in range(0, tasks, 10):
        flow = f"msg_{i}"
        source, target = ("customer", f"task_{i}") if i % 20 == 0 else (f"task_{i}", "customer")
        messages.append((flow, source, target))
        out.append(f'<messageFlow id="{flow}" sourceRef="{source}" targetRef="{target}"/>')
    out.append('</collaboration><process id="process" isExecutable="false">')
    out.append('<laneSet id="lanes">')
    for lane in range(LANES):
        refs = "".join(f"<flowNodeRef>{n}</flowNodeRef>" for n in nodes if lane_of[n] == lane)
        out.append(f'<lane id="lane_{lane}" name="Team {lane + 1}">{refs}</lane>')
    out.append('</laneSet>')
    flows = [(f"flow_{i}", nodes[i], nodes[i + 1]) for i in range(len(nodes) - 1)]
    for node in nodes:
        if node == "start":
            out.append('<startEvent id="start" name="Request received"/>')
        elif node == "end":
            out.append('<endEvent id="end" name="Request closed"/>')
        else:
            kind = "userTask" if int(node[5:]) % 3 else "serviceTask"
            out.append(f'<{kind} id="{node}" name="Handle part {node[5:]} of the request"/>')
    for flow, source, target in flows:
        out.append(f'<sequenceFlow id="{flow}" sourceRef="{source}" targetRef="{target}"/>')
    out.append('</process><bpmndi:BPMNDiagram id="diagram"><bpmndi:BPMNPlane id="plane" '
               'bpmnElement="collab">')

    def shape(element, x, y, w, h, extra=""):
        out.append(f'<bpmndi:BPMNShape id="{element}_di" bpmnElement="{element}"{extra}>'
                   f'<dc:Bounds x="{x}" y="{y}" width="{w}" height="{h}"/></bpmndi:BPMNShape>')

    def edge(element, points):
        waypoints = "".join(f'<di:waypoint x="{x}" y="{y}"/>' for x, y in points)
        out.append(f'<bpmndi:BPMNEdge id="{element}_di" bpmnElement="{element}">{waypoints}'
                   '</bpmndi:BPMNEdge>')

    shape("customer", left, 50, width, 150, ' isHorizontal="true"')
    shape("company", left, top, width, LANES * lane_height, ' isHorizontal="true"')
    for lane in range(LANES):
        shape(f"lane_{lane}", left + 30, top + lane * lane_height, width - 30, lane_height,
              ' isHorizontal="true"')
    for node in nodes:
        shape(node, *bounds[node])
    for flow, source, target in flows:
        sx, sy, sw, sh = bounds[source]
        tx, ty, tw, th = bounds[target]
        start, end = (sx + sw, sy + sh / 2), (tx, ty + th / 2)
        if end[0] > start[0]:
            edge(flow, [start, end])
        else:  # the next row: down, back to the left, down again
            middle = sy + sh + 15
            edge(flow, [(sx + sw / 2, sy + sh), (sx + sw / 2, middle), (tx - 20, middle),
                        (tx - 20, end[1]), end])
    for flow, source, target in messages:
        task = target if source == "customer" else source
        x, y, w, _h = bounds[task]
        points = [(x + w / 2, 200), (x + w / 2, y)]
        edge(flow, points if source == "customer" else points[::-1])
    out.append('</bpmndi:BPMNPlane></bpmndi:BPMNDiagram></definitions>\n')
    return "\n".join(out)


def make_inputs(folder: Path, tasks: int):
    """(model path, workbook path) of ``tasks`` tasks, written into ``folder``."""
    import openpyxl

    import bpmncx

    model = folder / f"scale-{tasks}.bpmn"
    model.write_text(model_xml(tasks), encoding="utf-8")
    workbook = folder / f"scale-{tasks}-cx.xlsx"
    bpmncx.write_template([bpmncx.load_model(model)], workbook, personas=["Customer"])
    book = openpyxl.load_workbook(workbook)
    sheet = book["Touchpoints"]
    header = {cell.value: cell.column for cell in sheet[1] if cell.value}
    from bpmncx.vocabulary import DEFAULT_CHANNELS, DEFAULT_STAGES

    stages, channels = DEFAULT_STAGES, DEFAULT_CHANNELS[:4]
    facing = []
    for row in range(2, sheet.max_row + 1):
        element = sheet.cell(row, header["Element ID"]).value or ""
        if not element.startswith("task_") or int(element[5:]) % 10:
            continue
        number = int(element[5:])
        facing.append(element)
        sheet.cell(row, header["Customer-facing?"], "Yes")
        sheet.cell(row, header["Touchpoint"], f"Touchpoint {number}")
        sheet.cell(row, header["Channel"], channels[number // 10 % len(channels)])
        sheet.cell(row, header["Journey stage"], stages[number * len(stages) // tasks])
        if number % 30 == 0:
            sheet.cell(row, header["Pain point"], f"Waiting at part {number}")
    journey = book["Journey"]
    header = {cell.value: cell.column for cell in journey[1] if cell.value}
    for step, element in enumerate(facing, start=1):
        number = int(element[5:])
        row = step + 1
        journey.cell(row, header["Step"], step)
        journey.cell(row, header["Stage"], stages[number * len(stages) // tasks])
        journey.cell(row, header["Customer step"], f"Customer does part {number}")
        journey.cell(row, header["Emotion"], (-2, -1, 0, 1, 2)[step % 5])
        journey.cell(row, header["Supported by"], element)
    book.save(workbook)
    return model, workbook


def run(arguments, timeout: float, memory_mb: int):
    """(CPU seconds, peak MB, failure or None) of one bpmncx command."""
    stats = tempfile.NamedTemporaryFile(prefix="bpmncx-scale-", suffix=".txt", delete=False)
    stats.close()
    cap = memory_mb * 1024 * 1024

    def limit_memory():
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    command = [TIME, "-o", stats.name, "-f", "%U %S %M", sys.executable, "-m", "bpmncx",
               *arguments]
    try:
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=timeout,
                              preexec_fn=limit_memory)
        failure = None
        if done.returncode not in (0, 3):
            message = (done.stderr.strip().splitlines() or ["?"])[-1]
            failure = f"exit {done.returncode}: {message[:100]}"
        fields = Path(stats.name).read_text().split()[-3:]
        user, system, peak_kb = float(fields[0]), float(fields[1]), int(fields[2])
        return user + system, peak_kb / 1024, failure
    except subprocess.TimeoutExpired:
        return None, None, f"timeout after {timeout:.0f} s"
    finally:
        os.unlink(stats.name)


def exponent(sizes, seconds):
    """Growth exponent between the two largest sizes measured, or None."""
    points = [(n, s) for n, s in zip(sizes, seconds) if s]
    if len(points) < 2:
        return None
    (n1, s1), (n2, s2) = points[-2:]
    return math.log(s2 / s1) / math.log(n2 / n1)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"sizes {QUICK_SIZES}")
    parser.add_argument("--sizes", type=int, nargs="+")
    parser.add_argument("--commands", help="comma-separated, of: " + ", ".join(COMMANDS))
    parser.add_argument("--timeout", type=float, default=300, help="seconds per command")
    parser.add_argument("--memory", type=int, default=4096, help="MB cap per command")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    if not os.path.exists(TIME):
        print(f"scale: skipped, {TIME} not found")
        return 0
    sizes = args.sizes or (QUICK_SIZES if args.quick else SIZES)
    names = [n.strip() for n in args.commands.split(",")] if args.commands else list(COMMANDS)
    unknown = [n for n in names if n not in COMMANDS]
    if unknown:
        parser.error(f"unknown command(s): {', '.join(unknown)}")
    os.environ.update(LIMITS)
    base = Path(tempfile.mkdtemp(prefix="bpmncx-bench-scale-"))
    results = {name: [] for name in names}  # name -> [(cpu, peak, failure)] per size
    try:
        for tasks in sizes:
            folder = base / str(tasks)
            folder.mkdir()
            model, workbook = make_inputs(folder, tasks)
            for name in names:
                out = folder / "out"
                out.mkdir()
                arguments = [a.format(m=model, w=workbook, o=out) for a in COMMANDS[name]]
                results[name].append(run(arguments, args.timeout, args.memory))
                shutil.rmtree(out, ignore_errors=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print(f"scale: CPU seconds / peak MB per command at {', '.join(f'{n:,}' for n in sizes)} "
          f"tasks; exponent between the two largest (target <= {TARGET_EXPONENT})")
    failed = False
    for name in names:
        cells = []
        for tasks, (cpu, peak, failure) in zip(sizes, results[name]):
            if failure:
                failed = True
                cells.append(f"{'FAILED':>16}")
            else:
                cells.append(f"{cpu:7.2f} s {peak:5.0f} MB")
            if not failure and tasks == TARGET_MB_AT and peak > TARGET_MB:
                failed = True
        growth = exponent(sizes, [r[0] if not r[2] else None for r in results[name]])
        verdict = "" if growth is None else (
            f"  exponent {growth:.2f}" + ("" if growth <= TARGET_EXPONENT else " OVER TARGET"))
        failed = failed or (growth is not None and growth > TARGET_EXPONENT)
        print(f"  {name:11}" + " ".join(cells) + verdict)
        for tasks, (_cpu, _peak, failure) in zip(sizes, results[name]):
            if failure:
                print(f"    {tasks:,} tasks: {failure}")
    if TARGET_MB_AT in sizes:
        print(f"  memory target: <= {TARGET_MB} MB at {TARGET_MB_AT:,} tasks")
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
