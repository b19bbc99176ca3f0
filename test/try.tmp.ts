import { readFileSync } from 'node:fs';
import { Workspace } from '../server/src/engine/workspace';
const ws = new Workspace();
for (const f of process.argv.slice(2)) ws.setFile(f, readFileSync(f, 'utf8'));
const a = ws.analyze();
for (const f of a.findings)
  console.log(f.code, f.severity, f.uri.split('/').pop(), JSON.stringify(readFileSync(f.uri, 'utf8').slice(f.span.start, f.span.end)), f.message);
