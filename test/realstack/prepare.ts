// `npm test`'s first step for the real lane: builds the stack and the render tests' helm and kustomize
// (or finds them cached) before the suites start. No Go toolchain: the lane is reported as NOT RUN, and with CAPI_IPAM_REAL_STACK=required
// (set by .ci/run) that, like a failed build, fails the run.
import { ensureBuilt, findGo } from './build';
import { realLaneWanted } from '../support/backend';
// @ts-expect-error plain .mjs script without types
import { renderTools } from '../tools/render-tools.mjs';

const required = process.env.CAPI_IPAM_REAL_STACK === 'required';
if (process.env.CAPI_IPAM_BACKENDS === 'sandbox' || !realLaneWanted()) {
  console.log('realstack: real lane NOT RUN (CAPI_IPAM_BACKENDS=sandbox or CAPI_IPAM_REAL_STACK=off); its tests are reported as skipped');
} else if (!findGo()) {
  const why = 'no Go toolchain found (tried $GO, go on PATH, /usr/local/go/bin/go)';
  if (required) {
    console.error(`realstack: CAPI_IPAM_REAL_STACK=required but ${why}`);
    process.exit(1);
  }
  console.log(`realstack: real lane NOT RUN: ${why}; its tests are reported as skipped`);
} else {
  const t0 = Date.now();
  ensureBuilt((l) => console.log(l)).then(
    (b) => {
      const built = Object.entries(b.built)
        .map(([k, s]) => `${k} ${s.toFixed(0)} s`)
        .join(', ');
      console.log(
        `realstack: ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (${built ? `built: ${built}` : 'all cached'}): ${Object.entries(b.versions)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      );
      const tools = renderTools((l: string) => console.log(`render tools: ${l}`)) as { missing: string[] };
      if (tools.missing.length) {
        console.error(`render tools: build FAILED: ${tools.missing.join('; ')}`);
        process.exit(1);
      }
    },
    (e: Error) => {
      console.error(`realstack: build FAILED: ${e.message}`);
      process.exit(1);
    },
  );
}
