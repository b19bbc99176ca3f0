// Annotated YAML fixtures (server/src/engine/rules/fixtures/<code>/*.yaml), the way a rule's behaviour
// is written down beside it. A fixture is a real workspace file whose comment lines say what the engine
// must report, so the expected text sits under the range it is about:
//
//   host: 10.0.0.5
//   #     ^^^^^^^^ error vip-mismatch: VIP mismatch in cluster default/c1
//
// - A marker line is a comment whose carets mark columns of the nearest line above that is not a marker
//   (`#^^` without a space marks from the `#`'s own column, so column 0 can be marked; `|` marks an empty range).
//   After the carets: `<severity> <code>: <start of the message>`. Every finding of the file must be
//   marked, and every marker must match a finding: a fixture without markers says "nothing to report".
// - A fix marker (`#   ^ fix: <start of the title>`) is a cursor: the quick fix with that title, asked
//   for at the caret, applied to the file, must give `<name>.fixed.yaml` (both compared without their
//   marker lines; the .fixed file's markers are checked like any fixture's).
// - Directives, `# fixture: …` lines: `live` (an empty live inventory is connected, as when a management
//   cluster is), `resolve <host>=<ip>[,<ip>]` (or `=!<error>`: host-name resolution answers so),
//   `render-failure <helm|kustomize> <message>` (the language server could not render a chart here),
//   `estate <file>` (the live estate of the JSON file beside the fixture: management clusters' and their workload
//   clusters' API objects, as test/support/estateInventory.ts takes them).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { estateInventory } from './estateInventory';
import { LineIndex, applyEdits, type Finding, type Inventory, type Resolution } from '../../server/src/engine/index';
import { emptyInventory } from '../../server/src/engine/model/inventory';
import { Workspace } from '../../server/src/engine/workspace';
import { RULES } from '../../server/src/engine/rules/index';

const MARKER = /^(\s*)#( *)(\^+|\|)(?:\s+(.*))?$/;
const EXPECT = /^(error|warning|info|hint) ([a-z]+(?:-[a-z]+)*): ?(.*)$/;
const FIX = /^fix: (.+)$/;
const DIRECTIVE = /^\s*# fixture: (.+)$/;

interface Marker {
  line: number;
  start: number;
  end: number;
  text: string;
}

interface Fixture {
  uri: string;
  text: string;
  lines: string[];
  expected: (Marker & { severity: string; code: string; message: string })[];
  fixes: (Marker & { title: string })[];
  directives: string[];
}

function parse(path: string): Fixture {
  const text = readFileSync(path, 'utf8');
  const lines = text.split(/\r\n|\r|\n/);
  const fixture: Fixture = { uri: path, text, lines, expected: [], fixes: [], directives: [] };
  let target = -1;
  lines.forEach((l, i) => {
    const d = DIRECTIVE.exec(l);
    if (d) fixture.directives.push(d[1]!.trim());
    const m = MARKER.exec(l);
    if (!m) {
      target = i;
      return;
    }
    const [, indent, gap, carets, rest = ''] = m;
    assert.ok(target >= 0, `${path}:${i + 1}: a marker needs a line above it`);
    // `# ^^^` marks the columns under its carets; `#^^^` (no space) the columns from the `#`'s own, so that column 0 can be marked.
    const start = gap === '' ? indent!.length : indent!.length + 1 + gap!.length;
    const end = carets === '|' ? start : start + carets!.length;
    const at = { line: target, start, end, text: l };
    const e = EXPECT.exec(rest);
    const f = FIX.exec(rest);
    if (e) fixture.expected.push({ ...at, severity: e[1]!, code: e[2]!, message: e[3]! });
    else if (f) fixture.fixes.push({ ...at, title: f[1]! });
    else assert.fail(`${path}:${i + 1}: a marker says "<severity> <code>: <message>" or "fix: <title>", not ${JSON.stringify(rest)}`);
  });
  return fixture;
}

const EMPTY_LIVE: Inventory = emptyInventory('live');

function workspaceOf(f: Fixture): Workspace {
  const resolutions = new Map<string, Resolution>();
  const failures: { uri: string; tool: 'helm' | 'kustomize'; message: string }[] = [];
  let live: Inventory | undefined;
  for (const d of f.directives) {
    const estate = /^estate (\S+)$/.exec(d);
    const resolve = /^resolve (\S+)=(!?)(.*)$/.exec(d);
    const render = /^render-failure (helm|kustomize) (.+)$/.exec(d);
    if (d === 'live') live = EMPTY_LIVE;
    else if (estate) live = estateInventory(JSON.parse(readFileSync(join(dirname(f.uri), estate[1]!), 'utf8')));
    else if (resolve) resolutions.set(resolve[1]!, resolve[2] ? { error: resolve[3]! } : { addresses: resolve[3]!.split(',').filter(Boolean) });
    else if (render) failures.push({ uri: f.uri, tool: render[1] as 'helm' | 'kustomize', message: render[2]! });
    else assert.fail(`${f.uri}: unknown directive "# fixture: ${d}"`);
  }
  const ws = new Workspace({ resolver: resolutions.size ? { get: (h) => resolutions.get(h) } : null });
  ws.setFile(f.uri, f.text);
  if (live) ws.setLiveInventory(live);
  if (failures.length) ws.setRenderFailures(failures);
  return ws;
}

const SEVERITIES: ReadonlyMap<string, readonly string[]> = new Map(RULES.map((r) => [r.code, r.severities]));

/** The marker line that would mark `f` (printed when a fixture lacks it). */
function markerOf(f: Finding, index: LineIndex, lines: string[]): string {
  const s = index.position(f.span.start);
  const e = index.position(f.span.end);
  const width = e.line === s.line ? e.character - s.character : lines[s.line]!.length - s.character;
  const carets = width === 0 ? '|' : '^'.repeat(width);
  // `# ^^^` puts the carets under the range; near column 0 the `#` itself is the first column (`#^^`).
  const lead = s.character >= 2 ? `${' '.repeat(s.character - 2)}# ${carets}` : `${' '.repeat(s.character)}#${carets}`;
  return `under line ${s.line + 1}: ${lead} ${f.severity} ${f.code}: ${f.message}`;
}

/** The findings of the fixture at `path` are exactly its markers (range, severity, code, message start). */
export function checkDiagnostics(path: string): Finding[] {
  const f = parse(path);
  const findings = workspaceOf(f)
    .analyze()
    .findings.filter((x) => x.uri === f.uri);
  const index = new LineIndex(f.text);
  for (const x of findings) {
    const severities = SEVERITIES.get(x.code);
    assert.ok(severities, `${path}: ${x.code} is no rule of the registry`);
    assert.ok(
      severities.includes(x.severity),
      `${path}: ${x.code} made a finding of severity ${x.severity}, not one of its severities (${severities.join(', ')})`,
    );
  }
  const unmatched = [...findings];
  const missing: string[] = [];
  for (const m of f.expected) {
    const i = unmatched.findIndex((x) => {
      const s = index.position(x.span.start);
      const e = index.position(x.span.end);
      const end = e.line === s.line ? e.character : f.lines[s.line]!.length;
      return s.line === m.line && s.character === m.start && end === m.end && x.severity === m.severity && x.code === m.code && x.message.startsWith(m.message);
    });
    if (i < 0) missing.push(`line ${m.line + 1}: ${m.text.trim()}`);
    else unmatched.splice(i, 1);
  }
  const unexpected = unmatched.map((x) => markerOf(x, index, f.lines));
  if (missing.length || unexpected.length) {
    assert.fail(
      `${basename(path)}:\n` +
        (missing.length ? `  marked but not found:\n    ${missing.join('\n    ')}\n` : '') +
        (unexpected.length ? `  found but not marked:\n    ${unexpected.join('\n    ')}\n` : ''),
    );
  }
  return findings;
}

const withoutMarkers = (text: string) =>
  text
    .split(/(?<=\r\n|\r|\n)/)
    .filter((l) => !MARKER.test(l.replace(/\r?\n$|\r$/, '')))
    .join('');

/** Whether the fixture at `path` has a fix marker (then `checkFix` applies). */
export function hasFix(path: string): boolean {
  return parse(path).fixes.length > 0;
}

/** The fix each fix marker names, asked for at its caret and applied, gives `<name>.fixed.yaml`. */
export function checkFix(path: string): void {
  const f = parse(path);
  assert.equal(f.fixes.length, 1, `${path}: one fix marker per fixture (its result is <name>.fixed.yaml)`);
  const m = f.fixes[0]!;
  const index = new LineIndex(f.text);
  const offset = index.offset({ line: m.line, character: m.start });
  const fixes = workspaceOf(f).fixesAt(f.uri, offset, offset);
  const fix = fixes.find((x) => x.title.startsWith(m.title));
  assert.ok(fix, `${basename(path)}: no fix "${m.title}…" at line ${m.line + 1}; offered: ${JSON.stringify(fixes.map((x) => x.title))}`);
  const after = applyEdits(new Map([[f.uri, f.text]]), fix.edits).get(f.uri)!;
  const expected = readFileSync(path.replace(/\.yaml$/, '.fixed.yaml'), 'utf8');
  assert.equal(withoutMarkers(after), withoutMarkers(expected), `${basename(path)}: "${fix.title}" applied`);
}
