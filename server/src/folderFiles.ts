// The one walk of a folder, for the editor's scan and watched-file events and for the CLI: the same
// include/exclude globs (capiIpam.include/exclude) relative to the folder, and the same entries.
// Symlinked folders are never followed; a symlink or a special file that matches is listed and left
// to safeFile.ts, which reads only regular files inside the folder (the CLI reports the refusals).
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import picomatch from 'picomatch';

export interface FileSelection {
  include: string[];
  exclude: string[];
}

/** The defaults of capiIpam.include/exclude (package.json). */
export const DEFAULT_SELECTION: FileSelection = { include: ['**/*.yaml', '**/*.yml'], exclude: ['**/node_modules/**', '**/.git/**'] };

/** Never walked, whatever the settings say: dependency and Git trees are large and never manifests. */
const ALWAYS_SKIPPED = new Set(['node_modules', '.git']);

/** The editor's scan stops here: a monorepo must not stall the server. */
export const EDITOR_MAX_FILES = 5000;

export class Selector {
  // `dot`: `**` also matches .github/ and other dot folders, as the editor's file watcher does.
  private readonly included: picomatch.Matcher;
  private readonly excluded: picomatch.Matcher;

  constructor(s: FileSelection) {
    this.included = picomatch(s.include, { dot: true });
    this.excluded = picomatch(s.exclude, { dot: true });
  }

  /** `rel`: a folder's path relative to the walked folder, with `/`. */
  walks(rel: string): boolean {
    return !ALWAYS_SKIPPED.has(rel.slice(rel.lastIndexOf('/') + 1)) && !this.excluded(rel) && !this.excluded(rel + '/');
  }

  takes(rel: string): boolean {
    return this.included(rel) && !this.excluded(rel);
  }

  /** Whether the walk of `root` lists `path` (a watched-file event), without walking. */
  selects(root: string, path: string): boolean {
    const rel = relative(root, path).split('\\').join('/');
    if (rel === '' || rel.startsWith('../') || rel === '..' || /^[a-zA-Z]:|^\//.test(rel)) return false;
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) if (!this.walks(parts.slice(0, i).join('/'))) return false;
    return this.takes(rel);
  }
}

export interface Listing {
  /** Absolute paths in walk order: entries sorted by name, depth first. */
  files: string[];
  /** Folders that could not be listed. */
  problems: { path: string; error: unknown }[];
  /** The walk stopped at `maxFiles`. */
  truncated: boolean;
}

export function listFolder(root: string, selection: FileSelection, maxFiles = Infinity): Listing {
  const selector = new Selector(selection);
  const out: Listing = { files: [], problems: [], truncated: false };
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (error) {
      return void out.problems.push({ path: dir, error });
    }
    for (const e of entries) {
      if (out.truncated) return;
      const full = join(dir, e.name);
      const rel = relative(root, full).split('\\').join('/');
      if (e.isDirectory()) {
        if (selector.walks(rel)) walk(full);
      } else if (selector.takes(rel)) {
        if (out.files.length >= maxFiles) out.truncated = true;
        else out.files.push(full);
      }
    }
  };
  walk(root);
  return out;
}
