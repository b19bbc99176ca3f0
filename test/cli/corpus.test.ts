// The CLI on unmodified provider templates, raw and substituted: exit 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/lspClient';
import { CORPUS, CORPUS_DIR, envsubst, readCorpus } from '../support/corpus';

const CLI = join(ROOT, 'dist', 'cli.js');

test('check exits 0 on the unmodified templates, raw and substituted (each substituted file alone: together they are clusters sharing one VIP)', () => {
  const raw = spawnSync(process.execPath, [CLI, 'check', CORPUS_DIR, '--no-resolve'], { encoding: 'utf8' });
  assert.equal(raw.status, 0, raw.stdout + raw.stderr);
  assert.match(raw.stdout, /0 error\(s\), 0 warning\(s\), \d+ note\(s\) in 16 file\(s\)/);
  const dir = mkdtempSync(join(tmpdir(), 'capi-ipam-corpus-'));
  try {
    for (const c of CORPUS) {
      writeFileSync(join(dir, c.file), envsubst(readCorpus(c.file)));
      const substituted = spawnSync(process.execPath, [CLI, 'check', c.file], { cwd: dir, encoding: 'utf8' });
      assert.equal(substituted.status, 0, substituted.stdout + substituted.stderr);
      assert.match(substituted.stdout, /0 error\(s\), 0 warning\(s\)/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
