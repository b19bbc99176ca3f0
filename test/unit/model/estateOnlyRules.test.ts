// Rules with an estate hook alone (service-ip-in-estate, kube-vip-range-overlap, management-pool-overlap)
// make no file finding: a workspace with a cluster gets its findings, and no hole where theirs would be
// (an undefined entry failed every publish: "Cannot read properties of undefined (reading 'uri')").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnalysisHost } from '../../../server/src/engine/index';

test('a workspace with a cluster: every diagnostic is a finding, none undefined', () => {
  const host = new AnalysisHost();
  host.setFile(
    'file:///ws/c.yaml',
    'apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: VSphereCluster\nmetadata:\n  name: c\n  namespace: default\nspec:\n  controlPlaneEndpoint:\n    host: 10.0.0.300\n    port: 6443\n',
  );
  const findings = host.snapshot().diagnostics();
  assert.ok(findings.length > 0, 'the invalid address is reported');
  assert.deepEqual(
    findings.filter((f) => f === undefined),
    [],
  );
  assert.ok(findings.every((f) => typeof f.uri === 'string'));
});
