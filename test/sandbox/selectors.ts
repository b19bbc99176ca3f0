// labelSelector and fieldSelector parsing and matching (the apiserver's grammar, simplified).
import { badRequest } from './status';

type LabelReq =
  { key: string; op: 'eq' | 'neq'; value: string } | { key: string; op: 'in' | 'notin'; values: string[] } | { key: string; op: 'exists' | 'notexists' };

export type LabelSelector = LabelReq[];
export type FieldSelector = { field: string; op: 'eq' | 'neq'; value: string }[];

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Splits at commas that are not inside parentheses. */
function terms(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((t) => t.trim()).filter((t) => t !== '');
}

function checkKey(key: string, term: string) {
  if (!LABEL_KEY.test(key)) throw badRequest(`unable to parse requirement: invalid label key "${key}" in "${term}"`);
}
function checkValue(value: string, term: string) {
  if (!LABEL_VALUE.test(value) || value.length > 63) throw badRequest(`unable to parse requirement: invalid label value: "${value}" in "${term}"`);
}

export function parseLabelSelector(text: string | undefined): LabelSelector {
  if (!text) return [];
  return terms(text).map((term): LabelReq => {
    let m = /^(\S+?)\s+(in|notin)\s*\((.*)\)$/.exec(term);
    if (m) {
      checkKey(m[1]!, term);
      const values = m[3]!
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      values.forEach((v) => checkValue(v, term));
      return { key: m[1]!, op: m[2] as 'in' | 'notin', values };
    }
    m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    if (m) {
      checkKey(m[1]!, term);
      checkValue(m[3]!, term);
      return { key: m[1]!, op: m[2] === '!=' ? 'neq' : 'eq', value: m[3]! };
    }
    m = /^(!?)\s*([^=!\s()]+)$/.exec(term);
    if (m) {
      checkKey(m[2]!, term);
      return { key: m[2]!, op: m[1] ? 'notexists' : 'exists' };
    }
    throw badRequest(`unable to parse requirement: found '${term}', expected: identifier`);
  });
}

export function matchLabels(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return sel.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'eq':
        return has && l[r.key] === r.value;
      case 'neq':
        return !has || l[r.key] !== r.value;
      case 'in':
        return has && r.values.includes(l[r.key]!);
      case 'notin':
        return !has || !r.values.includes(l[r.key]!);
      case 'exists':
        return has;
      case 'notexists':
        return !has;
    }
  });
}

const FIELDS = new Set(['metadata.name', 'metadata.namespace']);

export function parseFieldSelector(text: string | undefined): FieldSelector {
  if (!text) return [];
  return terms(text).map((term) => {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    const field = m[1]!.trim();
    if (!FIELDS.has(field)) throw badRequest(`field label not supported: ${field}`);
    return { field, op: m[2] === '!=' ? ('neq' as const) : ('eq' as const), value: m[3]!.trim() };
  });
}

export function matchFields(sel: FieldSelector, obj: { metadata?: { name?: string; namespace?: string } }): boolean {
  return sel.every((r) => {
    const actual = (r.field === 'metadata.name' ? obj.metadata?.name : obj.metadata?.namespace) ?? '';
    return r.op === 'eq' ? actual === r.value : actual !== r.value;
  });
}
