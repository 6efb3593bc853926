#!/usr/bin/env node
// The competitor for bench/render.py: draw BPMN files to SVG with the real
// bpmn-js Viewer in headless Chromium, the way users export without a modeller.
//
//   node bench/js/bpmnjs-render.mjs [-o OUTDIR] FILE.bpmn [FILE2.bpmn ...]
//
// One browser, one page, one viewer for the whole run; per file importXML +
// saveSVG, timed inside the page with performance.now(). With -o the SVGs are
// written to OUTDIR/NAME.svg (as `bpmncx render FILE... -o DIR` does). Prints
// one JSON object on stdout:
//   startup_ms {node_boot, launch, page, warmup, total}, files [{file, ok,
//   error, warnings, in_page_ms}], in_page_ms {n, median, mean, max, sum},
//   files_phase_ms, close_ms, wall_ms (whole process, from process start).
// Exit 0 when every file imported, 1 when some did not, 2 on bad arguments,
// 3 when the browser could not be driven.
//
// No npm install of its own: playwright-core and bpmn-js are the ones pinned in
// tests/js (scripts/bootstrap.sh runs `npm ci --prefix tests/js`); override the
// folder holding node_modules with BPMNCX_JS_DIR. Browser: $CHROMIUM or Debian's
// /usr/bin/chromium. Every network request is aborted.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const JS_DIR = process.env.BPMNCX_JS_DIR || path.join(ROOT, 'tests', 'js');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--hide-scrollbars', '--font-render-hinting=none'];

const round1 = (ms) => Math.round(ms * 10) / 10;

function parseArgs(argv) {
  const opts = { out: null, files: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '-o' || argv[i] === '--out') opts.out = argv[++i];
    else if (argv[i].startsWith('-')) throw new Error(`unknown option ${argv[i]}`);
    else opts.files.push(argv[i]);
  }
  if (!opts.files.length || opts.out === undefined) throw new Error('no BPMN files given');
  return opts;
}

function summary(values) {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const sum = values.reduce((a, b) => a + b, 0);
  return { n: values.length, median: round1(median), mean: round1(sum / values.length),
    max: round1(sorted[sorted.length - 1]), sum: round1(sum) };
}

// Runs inside the page: one viewer, reused for every file.
async function drawInPage(xml) {
  const viewer = window.benchViewer
    || (window.benchViewer = new window.BpmnJS({ container: document.getElementById('canvas') }));
  const start = performance.now();
  try {
    const { warnings } = await viewer.importXML(xml);
    const { svg } = await viewer.saveSVG();
    return { ok: true, warnings: warnings.length, in_page_ms: performance.now() - start, svg };
  } catch (err) {
    return { ok: false, error: String((err && err.message) || err), in_page_ms: null };
  }
}

const WARMUP_XML = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
  id="warmup" targetNamespace="urn:bpmncx:bench">
  <process id="p"><startEvent id="s"/></process>
  <bpmndi:BPMNDiagram id="d"><bpmndi:BPMNPlane id="pl" bpmnElement="p">
    <bpmndi:BPMNShape id="s_di" bpmnElement="s"><dc:Bounds x="10" y="10" width="36" height="36"/></bpmndi:BPMNShape>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</definitions>`;

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${err.message}\nusage: node bpmnjs-render.mjs [-o OUTDIR] FILE.bpmn [...]`);
    return 2;
  }
  const requireFromJs = createRequire(path.join(JS_DIR, 'package.json'));
  const { chromium } = requireFromJs('playwright-core');
  const bundle = path.join(path.dirname(requireFromJs.resolve('bpmn-js/package.json')),
    'dist', 'bpmn-viewer.production.min.js');
  const nodeBoot = process.uptime() * 1000;

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bpmncx-bpmnjs-'));
  let context = null;
  try {
    const page_html = path.join(scratch, 'viewer.html');
    fs.writeFileSync(page_html, '<!doctype html><meta charset="utf-8"><body style="margin:0">'
      + '<div id="canvas" style="width:1600px;height:1000px"></div>'
      + `<script src="${pathToFileURL(bundle).href}"></script>`);

    let t = performance.now();
    context = await chromium.launchPersistentContext(path.join(scratch, 'profile'), {
      executablePath: CHROMIUM, headless: true, args: FLAGS,
      viewport: { width: 1600, height: 1000 },
    });
    const launch = performance.now() - t;
    t = performance.now();
    let blocked = 0;
    await context.route(/^(https?|wss?|ftp):/i, (route) => { blocked += 1; return route.abort(); });
    const page = context.pages()[0] || await context.newPage();
    await page.goto(pathToFileURL(page_html).href);
    await page.waitForFunction(() => typeof window.BpmnJS === 'function');
    const pageMs = performance.now() - t;
    t = performance.now();
    const warm = await page.evaluate(drawInPage, WARMUP_XML);
    if (!warm.ok) throw new Error(`bpmn-js could not draw the warm-up diagram: ${warm.error}`);
    const warmup = performance.now() - t;

    if (opts.out) fs.mkdirSync(opts.out, { recursive: true });
    const used = new Set();
    const files = [];
    t = performance.now();
    for (const file of opts.files) {
      const record = { file, ok: false };
      try {
        const result = await page.evaluate(drawInPage, fs.readFileSync(file, 'utf8'));
        const { svg, ...rest } = result;
        Object.assign(record, rest);
        if (rest.in_page_ms !== null) record.in_page_ms = round1(rest.in_page_ms);
        if (svg && opts.out) {
          let name = path.basename(file).replace(/\.[^.]*$/, '');
          for (let k = 2; used.has(name); k++) name = `${path.basename(file).replace(/\.[^.]*$/, '')}~${k}`;
          used.add(name);
          fs.writeFileSync(path.join(opts.out, `${name}.svg`), svg);
        }
      } catch (err) {
        record.error = String((err && err.message) || err);
      }
      files.push(record);
    }
    const filesPhase = performance.now() - t;
    t = performance.now();
    await context.close();
    context = null;
    const close = performance.now() - t;
    const report = {
      tool: 'bpmn-js Viewer (dist/bpmn-viewer.production.min.js) in headless Chromium via playwright-core',
      versions: {
        bpmn_js: requireFromJs('bpmn-js/package.json').version,
        playwright_core: requireFromJs('playwright-core/package.json').version,
        node: process.versions.node,
      },
      startup_ms: { node_boot: round1(nodeBoot), launch: round1(launch), page: round1(pageMs),
        warmup: round1(warmup), total: round1(nodeBoot + launch + pageMs + warmup) },
      ok: files.filter((f) => f.ok).length,
      failed: files.filter((f) => !f.ok).length,
      in_page_ms: summary(files.filter((f) => f.ok).map((f) => f.in_page_ms)),
      files_phase_ms: round1(filesPhase),
      close_ms: round1(close),
      blocked_requests: blocked,
      files,
    };
    report.wall_ms = round1(process.uptime() * 1000);
    process.stdout.write(JSON.stringify(report) + '\n');
    return report.failed ? 1 : 0;
  } finally {
    if (context) await context.close().catch(() => {});
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().then((code) => { process.exitCode = code; }, (err) => {
  // playwright's messages run over many lines (with its launch log): first line first
  const [first, ...more] = String((err && err.message) || err).split('\n');
  console.error([`bpmn-js run failed: ${first}`, ...more].join('\n'));
  process.exitCode = 3;
});
