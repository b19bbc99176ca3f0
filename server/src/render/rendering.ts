// What a render produces, its cache, and the sentinel copy of its inputs.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { InputFile } from './inputs';
import type { RenderMap } from './mapping';
import type { ClaimHome } from './claim';
import type { Sentinels } from './sentinels';

export interface Rendering {
  /** Virtual uri of the rendered text in the workspace. */
  uri: string;
  text: string;
  map: RenderMap;
  /** Uris of the source files the rendering stands for: they are not checked as plain YAML too. */
  inputs: string[];
  /** Where an allocation writes the cluster's IPAddressClaim. */
  claimHome: ClaimHome;
}

export interface RenderContext {
  /** The uri the workspace uses for a file path (a path relative to the cwd in the CLI, a file: URI in the server). */
  toUri(path: string): string;
  /** The editor's text of a file when it differs from the disk (unsaved changes render too). */
  textOf?(uri: string): string | undefined;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Text files of chart and overlay inputs that can carry addresses. */
export const TEXT_INPUT = /\.(ya?ml|json|tpl|txt)$|(^|\/)(kustomization|Kustomization)$/;

/** The files with the editor's text of those that have one. */
export function withEditorTexts(files: InputFile[], ctx: RenderContext): InputFile[] {
  return files.map((f) => {
    const t = ctx.textOf?.(ctx.toUri(f.path));
    return t === undefined ? f : { ...f, data: Buffer.from(t, 'utf8') };
  });
}

/**
 * Writes `files` under a new temporary folder; with `sentinels`, text inputs get sentinels
 * (`empties(rel)`: also empty quoted values). Remove the folder with `dispose`.
 */
export function copyInputs(
  files: InputFile[],
  ctx: RenderContext,
  sentinels?: Sentinels,
  empties: (rel: string) => boolean = () => false,
): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'capi-ipam-render-'));
  try {
    for (const f of files) {
      const to = join(dir, f.rel);
      mkdirSync(dirname(to), { recursive: true });
      writeFileSync(to, sentinels && TEXT_INPUT.test(f.rel) ? sentinels.substitute(ctx.toUri(f.path), f.data.toString('utf8'), empties(f.rel)) : f.data);
    }
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Renderings by the content of their inputs; a few recent ones are kept. */
export class RenderCache {
  private readonly entries = new Map<string, Promise<Rendering>>();
  constructor(private readonly max = 16) {}

  get(key: string, make: () => Promise<Rendering>): Promise<Rendering> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const p = make();
    this.entries.set(key, p);
    p.catch(() => this.entries.delete(key)); // a failure (cancelled, timed out) is not remembered
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    return p;
  }
}
