// PATCH bodies: JSON merge patch (RFC 7386), JSON patch (RFC 6902) and an approximation of
// strategic merge patch for the core kinds (merge keys, $patch directives stripped).
import { badRequest, ApiError } from './status';
import { clone, deepEqual, isObject } from './json';

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function unescape(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

function parsePointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw badRequest(`the server rejected our request due to an error in our request: invalid JSON pointer "${path}"`);
  return path.slice(1).split('/').map(unescape);
}

function fail(op: unknown, why: string): ApiError {
  return new ApiError(422, 'Invalid', `the server rejected our request due to an error in our request: ${why} (operation ${JSON.stringify(op)})`);
}

function resolveParent(doc: any, tokens: string[], op: unknown): { parent: any; key: string } {
  let cur = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (isObject(cur)) cur = cur[t];
    else cur = undefined;
    if (cur === undefined) throw fail(op, `missing path`);
  }
  return { parent: cur, key: tokens[tokens.length - 1]! };
}

function getAt(doc: unknown, tokens: string[], op: unknown): unknown {
  let cur: any = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (isObject(cur)) cur = cur[t];
    else cur = undefined;
    if (cur === undefined) throw fail(op, 'missing path');
  }
  return cur;
}

function removeAt(doc: any, tokens: string[], op: unknown): unknown {
  const { parent, key } = resolveParent(doc, tokens, op);
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!Number.isInteger(i) || i < 0 || i >= parent.length) throw fail(op, 'index out of range');
    return parent.splice(i, 1)[0];
  }
  if (!isObject(parent) || !(key in parent)) throw fail(op, 'missing path');
  const v = parent[key];
  delete parent[key];
  return v;
}

function addAt(doc: any, tokens: string[], value: unknown, op: unknown): any {
  if (tokens.length === 0) return value;
  const { parent, key } = resolveParent(doc, tokens, op);
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(i) || i < 0 || i > parent.length) throw fail(op, 'index out of range');
    parent.splice(i, 0, value);
  } else if (isObject(parent)) parent[key] = value;
  else throw fail(op, 'missing path');
  return doc;
}

export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw badRequest('json patch must be an array of operations');
  let doc: any = clone(target);
  for (const op of ops) {
    if (!isObject(op) || typeof op.op !== 'string' || typeof op.path !== 'string') throw fail(op, 'invalid operation');
    const tokens = parsePointer(op.path);
    switch (op.op) {
      case 'add':
        doc = addAt(doc, tokens, clone(op.value), op);
        break;
      case 'remove':
        removeAt(doc, tokens, op);
        break;
      case 'replace':
        if (tokens.length === 0) {
          doc = clone(op.value);
          break;
        }
        getAt(doc, tokens, op);
        removeAt(doc, tokens, op);
        doc = addAt(doc, tokens, clone(op.value), op);
        break;
      case 'move': {
        const v = removeAt(doc, parsePointer(String(op.from)), op);
        doc = addAt(doc, tokens, v, op);
        break;
      }
      case 'copy':
        doc = addAt(doc, tokens, clone(getAt(doc, parsePointer(String(op.from)), op)), op);
        break;
      case 'test':
        if (!deepEqual(getAt(doc, tokens, op), op.value)) throw fail(op, 'test failed');
        break;
      default:
        throw fail(op, `unknown op "${op.op}"`);
    }
  }
  return doc;
}

/** Merge keys of the lists the core kinds served here have (a subset of the Go struct tags). */
const MERGE_KEYS: Record<string, string> = {
  ports: 'port',
  ownerReferences: 'uid',
  containers: 'name',
  initContainers: 'name',
  volumes: 'name',
  env: 'name',
  volumeMounts: 'mountPath',
  imagePullSecrets: 'name',
  conditions: 'type',
};

/** Strategic merge patch, approximated: merge-patch semantics plus merge-by-key lists and directive keys. */
export function strategicMergePatch(target: unknown, patch: unknown, field = ''): unknown {
  if (Array.isArray(patch)) {
    const key = MERGE_KEYS[field];
    if (!key || !Array.isArray(target)) return clone(patch.filter((p) => !(isObject(p) && p.$patch)));
    const out = clone(target) as any[];
    for (const item of patch) {
      if (!isObject(item)) continue;
      const idx = out.findIndex((o) => isObject(o) && o[key] === item[key]);
      if (item.$patch === 'delete') {
        if (idx >= 0) out.splice(idx, 1);
      } else if (idx >= 0) out[idx] = strategicMergePatch(out[idx], item);
      else out.push(strategicMergePatch(undefined, item));
    }
    return out;
  }
  if (!isObject(patch)) return clone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _p, ...rest } = patch;
    return clone(rest);
  }
  if (patch.$patch === 'delete') return undefined;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys') continue;
    if (k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const f = k.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[f]) && Array.isArray(v)) out[f] = (out[f] as unknown[]).filter((x) => !v.includes(x));
      continue;
    }
    if (v === null) delete out[k];
    else {
      const merged = strategicMergePatch(out[k], v, k);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    }
  }
  if (isObject(patch.$retainKeys) || Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys as string[]);
    for (const k of Object.keys(out)) if (!keep.has(k) && !(k in patch)) delete out[k];
  }
  return out;
}
