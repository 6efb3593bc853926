#!/usr/bin/env node
// Open BPMN files in the real bpmn-js viewer in headless Chromium (Debian's
// /usr/bin/chromium, or $CHROMIUM, driven by playwright-core; no network) and
// print one JSON array: per file the import warnings and, for every shape,
// the colours asked for in the DI and the paint bpmn-js actually rendered.
//
//   node render-check.mjs FILE.bpmn [FILE2.bpmn ...]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BUNDLE = path.join(HERE, 'node_modules', 'bpmn-js', 'dist', 'bpmn-viewer.production.min.js');

async function inspect(xml) {
  const container = document.getElementById('canvas');
  container.innerHTML = '';
  const viewer = new window.BpmnJS({ container });
  const out = { ok: false, error: null, warnings: [], shapes: [] };
  const paint = (node, what) => (node ? getComputedStyle(node)[what] : null);
  try {
    const { warnings } = await viewer.importXML(xml);
    out.ok = true;
    out.warnings = warnings.map((w) => String(w.message));
    const registry = viewer.get('elementRegistry');
    for (const el of registry.getAll()) {
      if (el.type === 'label' || el.waypoints || !el.di || !el.di.bounds) continue;
      const visual = registry.getGraphics(el).querySelector('.djs-visual');
      // a text annotation is an invisible rect plus the bracket path
      const selector = el.type === 'bpmn:TextAnnotation' ? 'path' : 'rect, circle, ellipse, polygon, path';
      const body = visual && visual.querySelector(selector);
      const text = visual && visual.querySelector('text');
      const label = el.di.label;
      out.shapes.push({
        id: el.id,
        type: el.type,
        want_fill: el.di.get('color:background-color') || el.di.get('bioc:fill') || null,
        want_stroke: el.di.get('color:border-color') || el.di.get('bioc:stroke') || null,
        want_label: (label && label.get('color:color')) || null,
        fill: paint(body, 'fill'),
        stroke: paint(body, 'stroke'),
        label: paint(text, 'fill'),
        text: visual ? visual.textContent : '',
        // how tall the drawn text is, against the box it has to fit in
        text_height: text ? Math.round(text.getBBox().height) : null,
        height: el.height,
      });
    }
  } catch (err) {
    out.error = String((err && err.message) || err);
  }
  viewer.destroy();
  return out;
}

const files = process.argv.slice(2);
if (!files.length) {
  console.error('usage: node render-check.mjs FILE.bpmn [...]');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--font-render-hinting=none'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.route(/^(https?|wss?|ftp):/, (route) => route.abort());
  await page.setContent('<!doctype html><html><body style="margin:0">'
    + '<div id="canvas" style="width:1400px;height:900px"></div></body></html>');
  await page.addScriptTag({ content: fs.readFileSync(BUNDLE, 'utf8') });
  const results = [];
  for (const file of files) {
    const result = await page.evaluate(inspect, fs.readFileSync(file, 'utf8'));
    result.file = file;
    results.push(result);
  }
  process.stdout.write(JSON.stringify(results));
} finally {
  await browser.close();
}
