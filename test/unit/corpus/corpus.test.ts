// Provider templates, raw (with ${VARS}) and substituted, clean and with one mutation per VIP place:
// a clean file gives exactly its expected findings (none, or the missing-vip hint of a templated
// endpoint), and each mutated file exactly the one finding its mutation causes, at the exact range.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/engine/workspace';
import { CORPUS, type CorpusFile, type Role, VIP, envsubst, occurrences, readCorpus } from '../../support/corpus';

interface Expected {
  code: string;
  severity: string;
  text: string;
  start: number;
}

function findings(text: string): Expected[] {
  const ws = new Workspace();
  ws.setFile('t.yaml', text);
  return ws
    .analyze()
    .findings.map((f) => ({ code: f.code, severity: f.severity, text: text.slice(f.span.start, f.span.end), start: f.span.start }))
    .sort((a, b) => a.start - b.start || a.code.localeCompare(b.code));
}

const ENDPOINT_ROLES = new Set<Role>(['cluster-endpoint', 'infra-endpoint', 'topology-variable']);
const WEIGHT: Record<Role, number> = {
  'cluster-endpoint': 6,
  'infra-endpoint': 5,
  'topology-variable': 4,
  'rke2-registration': 3,
  'talos-endpoint': 3,
  'kube-vip-address': 2,
  'talos-vip': 2,
  'keepalived-vip': 2,
};

/** `text` with the token at `at` replaced by `value`; the places' offsets in the new text. */
function mutate(text: string, token: string, at: number[], k: number, value: string) {
  const out = text.slice(0, at[k]!) + value + text.slice(at[k]! + token.length);
  const shifted = at.map((o, i) => (i > k ? o + value.length - token.length : o));
  return { out, shifted };
}

/**
 * Out-of-pool information when the file's only pool is another network's: one per address, at the
 * place of highest weight among those holding it (the others are its related information).
 */
function outOfPool(c: CorpusFile, values: { text: string; start: number }[]): Expected[] {
  if (!c.foreignPool) return [];
  const main = new Map<string, number>();
  c.places.forEach((p, i) => {
    const best = main.get(values[i]!.text);
    if (best === undefined || WEIGHT[p.role] > WEIGHT[c.places[best]!.role]) main.set(values[i]!.text, i);
  });
  return [...main].map(([text, i]) => ({ code: 'out-of-pool', severity: 'info', text, start: values[i]!.start }));
}

/**
 * What a clean file gives: the missing-vip hint on each templated endpoint; nothing once substituted
 * (but information that no pool's subnet covers the VIP when the file's only pool is another network's).
 */
function baseline(c: CorpusFile, raw: boolean, at: number[], token: string, mutated?: number): Expected[] {
  if (!raw)
    return outOfPool(
      c,
      c.places.map((p) => ({ text: token, start: at[p.occurrence]! })),
    );
  // One missing-vip per cluster, at the first endpoint place still templated (the others are its related places).
  return c.places
    .filter((p) => ENDPOINT_ROLES.has(p.role) && p.occurrence !== mutated)
    .slice(0, 1)
    .map((p) => ({ code: 'missing-vip', severity: 'hint', text: token, start: at[p.occurrence]! }));
}

const sorted = (list: Expected[]) => [...list].sort((a, b) => a.start - b.start || a.code.localeCompare(b.code));

for (const c of CORPUS) {
  for (const raw of [true, false]) {
    const form = raw ? 'raw' : 'substituted';
    const text = raw ? readCorpus(c.file) : envsubst(readCorpus(c.file));
    const token = raw ? `\${${c.variable}}` : VIP;
    const at = occurrences(text, token);

    test(`${c.file} ${form}: clean`, () => {
      assert.deepEqual(findings(text), sorted(baseline(c, raw, at, token)));
    });

    for (const place of c.places) {
      test(`${c.file} ${form}: mutation of the ${place.role} (occurrence ${place.occurrence})`, () => {
        const k = place.occurrence;
        // Raw: the other places are templated, so a literal is judged alone: make it invalid.
        // Substituted: a different address is a vip-mismatch (an invalid one when the place is alone).
        const alone = raw || c.places.length === 1;
        const value = alone ? '10.20.30.400' : '10.20.30.41';
        const { out, shifted } = mutate(text, token, at, k, value);
        const expected = raw
          ? baseline(c, raw, at, token, k).map((e) => ({ ...e, start: shifted[at.indexOf(e.start)]! }))
          : outOfPool(
              c,
              c.places.map((p) => (p === place ? { text: value, start: shifted[k]! } : { text: token, start: shifted[p.occurrence]! })),
            );
        if (alone) expected.push({ code: 'invalid-ip', severity: 'error', text: value, start: shifted[k]! });
        else {
          const others = c.places.filter((p) => p !== place);
          // The value most places agree on wins; a tie goes to the place of higher weight.
          const loser = others.length > 1 || WEIGHT[others[0]!.role] > WEIGHT[place.role] ? place : others[0]!;
          expected.push({ code: 'vip-mismatch', severity: 'error', text: loser === place ? value : token, start: shifted[loser.occurrence]! });
        }
        assert.deepEqual(findings(out), sorted(expected));
      });
    }
  }
}

test('the corpus covers every shape the issue names', () => {
  assert.deepEqual(
    new Set(CORPUS.flatMap((c) => c.places.map((p) => p.role))),
    new Set([
      'infra-endpoint',
      'kube-vip-address',
      'topology-variable',
      'cluster-endpoint',
      'rke2-registration',
      'talos-vip',
      'talos-endpoint',
      'keepalived-vip',
    ]),
  );
  assert.equal(CORPUS.length, 16);
});
