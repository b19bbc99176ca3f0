// A fresh copy of a folder (e.g. examples/) in a temp dir, so tests may edit files.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './lspClient';

export function copyExamples(sub = 'examples'): { dir: string; uri: (rel: string) => string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'capi-ipam-'));
  cpSync(join(ROOT, sub), dir, { recursive: true });
  return { dir, uri: (rel) => pathToFileURL(join(dir, rel)).toString(), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
