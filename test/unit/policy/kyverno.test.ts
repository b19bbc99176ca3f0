// `capi-ipam policy --format kyverno` against Kyverno's own ClusterPolicy CRD schema, offline. The schema
// is made strict the way `kubectl apply --validate=strict` is: an unknown field is an error, not pruned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parseAllDocuments } from 'yaml';
import { loadWorkspace } from '../../../server/src/cli/files';
import { policyYaml } from '../../../server/src/engine/policy/yaml';
import { ROOT } from '../../support/lspClient';

type Schema = Record<string, unknown>;

/** Structural schema → strict JSON schema: closed objects unless the CRD preserves unknown fields. */
function strict(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(strict);
  if (!s || typeof s !== 'object') return s;
  const out: Schema = {};
  for (const [k, v] of Object.entries(s as Schema)) if (!k.startsWith('x-kubernetes-') && k !== 'nullable') out[k] = strict(v);
  const o = s as Schema;
  if (o.type === 'object' && o.properties && !o.additionalProperties && !o['x-kubernetes-preserve-unknown-fields']) out.additionalProperties = false;
  if (o.nullable && typeof o.type === 'string') out.type = [o.type, 'null'];
  return out;
}

const crd = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/kyverno/clusterpolicy-v1.schema.json'), 'utf8')) as { openAPIV3Schema: Schema };
const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(strict(crd.openAPIV3Schema) as Schema);

function generated(): Schema[] {
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const { workspace } = loadWorkspace(['test/fixtures/workspace']);
    return parseAllDocuments(policyYaml(workspace.snapshot().analysis, 'kyverno').yaml).map((d) => d.toJS() as Schema);
  } finally {
    process.chdir(cwd);
  }
}

test("the Kyverno ClusterPolicy is valid under Kyverno v1.15.2's CRD schema (strict)", () => {
  const docs = generated();
  assert.deepEqual(
    docs.map((d) => d.kind),
    ['ConfigMap', 'ClusterPolicy'],
  );
  const policy = docs[1]!;
  assert.ok(validate(policy), JSON.stringify(validate.errors, null, 2));
  const rules = (policy.spec as { rules: { name: string; validate: { cel: { expressions: { expression: string }[]; paramRef: { name: string } } } }[] }).rules;
  assert.deepEqual(
    rules.map((r) => r.name),
    ['control-plane-endpoint-in-vip-pools', 'loadbalancer-ip-in-kube-vip-ranges'],
  );
  assert.ok(rules.every((r) => r.validate.cel.paramRef.name === 'capi-ipam-policy-params'));
});

test('the strict schema catches what an API server would refuse (the check is not vacuous)', () => {
  const policy = structuredClone(generated()[1]!) as { spec: Record<string, unknown> };
  policy.spec.validationFailureActio = 'Enforce';
  assert.equal(validate(policy), false);
  assert.match(JSON.stringify(validate.errors), /validationFailureActio/);
  const bad = structuredClone(generated()[1]!) as { spec: { validationFailureAction: string } };
  bad.spec.validationFailureAction = 'Block';
  assert.equal(validate(bad), false);
});
