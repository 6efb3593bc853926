#!/usr/bin/env node
// Parse BPMN files with bpmn-moddle (the model layer of bpmn-js) in ONE node
// process and print one JSON array: per file its parse warnings and, for every
// BPMNShape/BPMNEdge, the colours bpmn-moddle resolved (bioc:*, color:*).
//
//   node check.mjs FILE.bpmn [FILE2.bpmn ...]
//
// Files are read as UTF-8, like Camunda Modeler does. Exit status 0 unless
// the arguments are missing.
import fs from 'node:fs';
import { BpmnModdle } from 'bpmn-moddle';

function diElements(definitions) {
  const out = [];
  for (const diagram of definitions.diagrams || []) {
    const plane = diagram.plane;
    if (!plane) continue;
    for (const el of plane.planeElement || []) out.push({ plane: plane.id, el });
  }
  return out;
}

function colours(di) {
  const label = di.label;
  return {
    id: di.id,
    type: di.$type,
    element: di.bpmnElement ? di.bpmnElement.id : null,
    element_type: di.bpmnElement ? di.bpmnElement.$type : null,
    fill: di.get('bioc:fill') || null,
    stroke: di.get('bioc:stroke') || null,
    background: di.get('color:background-color') || null,
    border: di.get('color:border-color') || null,
    label: (label && label.get('color:color')) || null,
  };
}

async function check(file) {
  const res = { file, ok: false, error: null, warnings: [], shapes: [] };
  const xml = fs.readFileSync(file, 'utf8');
  const moddle = new BpmnModdle();
  try {
    const { rootElement, warnings } = await moddle.fromXML(xml, 'bpmn:Definitions');
    res.ok = true;
    res.warnings = warnings.map((w) => String(w.message));
    for (const { plane, el } of diElements(rootElement)) {
      const c = colours(el);
      c.plane = plane;
      if (el.bounds) c.bounds = [el.bounds.x, el.bounds.y, el.bounds.width, el.bounds.height];
      if (el.waypoint) c.waypoints = el.waypoint.length;
      res.shapes.push(c);
    }
  } catch (err) {
    res.error = String((err && err.message) || err);
    res.warnings = ((err && err.warnings) || []).map((w) => String(w.message));
  }
  return res;
}

const files = process.argv.slice(2);
if (!files.length) {
  console.error('usage: node check.mjs FILE.bpmn [...]');
  process.exit(2);
}
const out = [];
for (const f of files) {
  try {
    out.push(await check(f));
  } catch (e) {
    out.push({ file: f, ok: false, error: String((e && e.stack) || e), warnings: [], shapes: [] });
  }
}
process.stdout.write(JSON.stringify(out));
