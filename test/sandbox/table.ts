// meta.k8s.io/v1 Table output: CRD printer columns (or the default Name + Age), cells rendered
// like the apiextensions table convertor (dates as a human age on the server).
import type { PrinterColumn, ResourceDef } from './kinds';

const DEFAULT_COLUMNS: PrinterColumn[] = [
  {
    name: 'Age',
    type: 'date',
    jsonPath: '.metadata.creationTimestamp',
    description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  },
];

/** True when an Accept header asks for a meta.k8s.io Table. */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const p = part.replace(/\s+/g, '');
    return p.includes('as=Table') && p.includes('g=meta.k8s.io') && (p.includes('v=v1') || p.includes('v=v1beta1'));
  });
}

/** Evaluates the dotted JSONPaths the printer columns use (`.a.b`, `.a['b.c']`). */
export function evalPath(obj: unknown, path: string): unknown {
  const tokens: string[] = [];
  const re = /\.([A-Za-z0-9_-]+)|\['((?:[^'\\]|\\.)*)'\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path))) tokens.push(m[1] ?? m[2]!.replace(/\\(.)/g, '$1'));
  let cur: any = obj;
  for (const t of tokens) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = cur[t];
  }
  return cur;
}

/** Go's duration.HumanDuration, as kubectl and the apiserver print ages. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

function cell(col: PrinterColumn, obj: unknown): unknown {
  const v = evalPath(obj, col.jsonPath);
  if (v === undefined || v === null) return null;
  switch (col.type) {
    case 'integer':
    case 'number':
      return typeof v === 'number' || typeof v === 'bigint' ? v : null;
    case 'boolean':
      return typeof v === 'boolean' ? v : null;
    case 'date': {
      const t = Date.parse(String(v));
      return Number.isNaN(t) ? null : humanDuration(Date.now() - t);
    }
    default:
      return typeof v === 'string' ? v : JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x));
  }
}

function columnsOf(def: ResourceDef): PrinterColumn[] {
  return def.columns ?? DEFAULT_COLUMNS;
}

export function columnDefinitions(def: ResourceDef) {
  return [
    {
      name: 'Name',
      type: 'string',
      format: 'name',
      description:
        'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
      priority: 0,
    },
    ...columnsOf(def).map((c) => ({ name: c.name, type: c.type, format: '', description: c.description ?? '', priority: c.priority ?? 0 })),
  ];
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

function rowObject(obj: Record<string, any>, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export function toTable(def: ResourceDef, objs: Record<string, any>[], meta: { resourceVersion: string }, include: IncludeObject, withColumns = true) {
  const cols = columnsOf(def);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: meta,
    ...(withColumns ? { columnDefinitions: columnDefinitions(def) } : {}),
    rows: objs.map((o) => {
      const object = rowObject(o, include);
      return { cells: [o.metadata?.name ?? '', ...cols.map((c) => cell(c, o))], ...(object ? { object } : {}) };
    }),
  };
}
