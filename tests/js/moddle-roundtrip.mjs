#!/usr/bin/env node
// Read each BPMN file with bpmn-moddle and write it back with toXML, as
// Camunda Modeler does when it saves: a stand-in for "open and save in the
// modeller" (bpmn-js keeps what bpmn-moddle keeps).
//
//   node moddle-roundtrip.mjs IN.bpmn OUT.bpmn [IN2.bpmn OUT2.bpmn ...]
import fs from 'node:fs';
import { BpmnModdle } from 'bpmn-moddle';

const args = process.argv.slice(2);
if (!args.length || args.length % 2) {
  console.error('usage: node moddle-roundtrip.mjs IN.bpmn OUT.bpmn [...]');
  process.exit(2);
}
const report = [];
for (let i = 0; i < args.length; i += 2) {
  const moddle = new BpmnModdle();
  const { rootElement, warnings } = await moddle.fromXML(fs.readFileSync(args[i], 'utf8'), 'bpmn:Definitions');
  const { xml } = await moddle.toXML(rootElement, { format: true });
  fs.writeFileSync(args[i + 1], xml);
  report.push({ file: args[i], warnings: warnings.map((w) => String(w.message)) });
}
process.stdout.write(JSON.stringify(report));
