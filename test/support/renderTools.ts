// The real helm and kustomize for the render tests (built from the Go module proxy by
// test/tools/render-tools.mjs, cached in .cache/render-tools/). Without them the tests are skipped
// with a loud message; with CAPI_IPAM_REAL_STACK=required they fail instead.
import type { TestContext } from 'node:test';
// @ts-expect-error plain .mjs script without types
import { renderTools } from '../tools/render-tools.mjs';

export interface Tools {
  helm: string;
  /** `kustomize build` as a command line. */
  kustomize: string[];
}

let cached: { tools?: Tools; missing: string[] } | undefined;

function load(): { tools?: Tools; missing: string[] } {
  if (cached) return cached;
  // CAPI_IPAM_HELM / CAPI_IPAM_KUSTOMIZE ("kustomize build", "kubectl kustomize") override the pinned builds.
  const envHelm = process.env.CAPI_IPAM_HELM;
  const envKustomize = process.env.CAPI_IPAM_KUSTOMIZE?.split(' ').filter(Boolean);
  const r =
    envHelm && envKustomize
      ? { missing: [] }
      : (renderTools((m: string) => process.stderr.write(`# ${m}\n`)) as { helm?: string; kustomize?: string; missing: string[] });
  const helm = envHelm ?? r.helm;
  const kustomize = envKustomize ?? (r.kustomize ? [r.kustomize, 'build'] : undefined);
  cached = helm && kustomize ? { tools: { helm, kustomize }, missing: [] } : { missing: r.missing };
  return cached;
}

/** The tools, or undefined after skipping `t` (failing it when the real stack is required). */
export function renderToolsOr(t: TestContext): Tools | undefined {
  const { tools, missing } = load();
  if (tools) return tools;
  const why = `helm/kustomize unavailable: ${missing.join('; ')}`;
  if (process.env.CAPI_IPAM_REAL_STACK === 'required') throw new Error(`CAPI_IPAM_REAL_STACK=required but ${why}`);
  process.stderr.write(`\n#### RENDER TESTS DID NOT RUN: ${why}\n\n`);
  t.skip(`RENDER TESTS DID NOT RUN: ${why}`);
  return undefined;
}
