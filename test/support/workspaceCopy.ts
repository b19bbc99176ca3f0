// A fresh copy of a fixture folder in a temp dir, so tests may edit files. The default is the tests'
// own workspace (test/fixtures/workspace), not examples/: the demo may change without moving a test.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './lspClient';

export function copyFixture(sub = 'test/fixtures/workspace'): { dir: string; uri: (rel: string) => string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'capi-ipam-'));
  cpSync(join(ROOT, sub), dir, { recursive: true });
  return { dir, uri: (rel) => pathToFileURL(join(dir, rel)).toString(), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
