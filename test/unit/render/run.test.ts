// The renderer's child process: bounded in time and output, killed on cancel, one clear error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runTool } from '../../../server/src/render/run';

const node = (code: string) => ['-e', code];

test('stdout of a successful run; stderr tail (without control characters) on failure', async () => {
  assert.equal(await runTool(process.execPath, node('process.stdout.write("kind: Cluster\\n")')), 'kind: Cluster\n');
  await assert.rejects(runTool(process.execPath, node('console.error("a\\nError: bad \\u001b[31mchart"); process.exit(1)')), {
    message: 'a\nError: bad ?[31mchart',
  });
  await assert.rejects(runTool(process.execPath, node('process.exit(4)')), { message: 'exit code 4' });
  await assert.rejects(runTool('/nonexistent/helm', []), { message: '/nonexistent/helm not found (install it or set its path in the settings)' });
});

test('a hanging renderer is killed at the timeout; endless output at the size bound; an abort kills it', async () => {
  await assert.rejects(runTool(process.execPath, node('setInterval(() => {}, 1000)'), { timeoutMs: 300 }), { message: 'timed out after 0.3 s' });
  await assert.rejects(
    runTool(process.execPath, node('const b = "x".repeat(65536); const w = () => process.stdout.write(b, w); w()'), { maxBytes: 1024 * 1024 }),
    { message: 'output larger than 1 MiB' },
  );
  const abort = new AbortController();
  const p = runTool(process.execPath, node('console.log("started"); setInterval(() => {}, 1000)'), { signal: abort.signal });
  abort.abort();
  await assert.rejects(p, { message: 'cancelled' });
  await assert.rejects(runTool(process.execPath, node('0'), { signal: abort.signal }), { message: 'cancelled' });
});
