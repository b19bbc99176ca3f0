// Findings as text (compiler-style), JSON or SARIF 2.1.0 (GitHub code scanning).
import type { Finding, RuleCode } from '../engine/types';
import { RULE_SUMMARIES } from '../engine/ruleSummaries';
import { LineIndex } from '../engine/text/positions';

export type Format = 'text' | 'json' | 'sarif';

interface Located extends Finding {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export function locate(findings: Finding[], text: (uri: string) => string): Located[] {
  const indexes = new Map<string, LineIndex>();
  return findings.map((f) => {
    let idx = indexes.get(f.uri);
    if (!idx) indexes.set(f.uri, (idx = new LineIndex(text(f.uri))));
    return { ...f, start: idx.position(f.span.start), end: idx.position(f.span.end) };
  });
}

export function formatText(list: Located[], fileCount: number): string {
  const lines = list.map((f) => `${f.uri}:${f.start.line + 1}:${f.start.character + 1}: ${f.severity} [${f.code}] ${f.message}`);
  const count = (s: string) => list.filter((f) => f.severity === s).length;
  lines.push(`${count('error')} error(s), ${count('warning')} warning(s), ${count('info') + count('hint')} note(s) in ${fileCount} file(s)`);
  return lines.join('\n') + '\n';
}

export function formatJson(list: Located[]): string {
  return JSON.stringify(
    list.map((f) => ({
      file: f.uri, line: f.start.line + 1, column: f.start.character + 1, endLine: f.end.line + 1, endColumn: f.end.character + 1,
      severity: f.severity, code: f.code, message: f.message,
      related: f.related?.map((r) => ({ file: r.uri, message: r.message })),
    })),
    null,
    2,
  ) + '\n';
}

export function formatSarif(list: Located[], version: string): string {
  const codes = [...new Set(list.map((f) => f.code))].sort();
  const level = (s: string) => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note');
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'capi-ipam', version, rules: codes.map((id) => ({ id, shortDescription: { text: RULE_SUMMARIES[id as RuleCode] ?? id }, help: { text: `${RULE_SUMMARIES[id as RuleCode] ?? id} See the README section rule-${id}.` } })) } },
      results: list.map((f) => ({
        ruleId: f.code,
        level: level(f.severity),
        message: { text: f.message },
        locations: [{ physicalLocation: { artifactLocation: { uri: f.uri }, region: { startLine: f.start.line + 1, startColumn: f.start.character + 1, endLine: f.end.line + 1, endColumn: f.end.character + 1 } } }],
      })),
    }],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
