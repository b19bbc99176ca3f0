// Findings as text (compiler-style), JSON or SARIF 2.1.0 (GitHub code scanning).
import { type Finding, ruleOf, LineIndex } from '../engine/index';
import { isAbsolute, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

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

/**
 * Text for a terminal: control characters (ESC sequences, line breaks inside a message) and bidi
 * overrides from file content are shown as escapes, never interpreted.
 */
export function terminalSafe(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** SARIF plain-text messages treat `[text](target)` as an embedded link: brackets are escaped (SARIF 2.1.0 §3.11.6). */
export function sarifText(text: string): string {
  return text.replace(/[\\[\]]/g, '\\$&');
}

export function formatText(list: Located[], fileCount: number): string {
  const lines = list.map((f) => terminalSafe(`${f.uri}:${f.start.line + 1}:${f.start.character + 1}: ${f.severity} [${f.code}] ${f.message}`));
  const count = (s: string) => list.filter((f) => f.severity === s).length;
  lines.push(`${count('error')} error(s), ${count('warning')} warning(s), ${count('info') + count('hint')} note(s) in ${fileCount} file(s)`);
  return lines.join('\n') + '\n';
}

export function formatJson(list: Located[]): string {
  return (
    JSON.stringify(
      list.map((f) => ({
        file: f.uri,
        line: f.start.line + 1,
        column: f.start.character + 1,
        endLine: f.end.line + 1,
        endColumn: f.end.character + 1,
        severity: f.severity,
        code: f.code,
        message: f.message,
        related: f.related?.map((r) => ({ file: r.uri, message: r.message })),
      })),
      null,
      2,
    ) + '\n'
  );
}

/** SARIF wants a URI reference: a relative path percent-encoded per segment, an absolute one as a file: URL. */
function artifactUri(path: string): string {
  if (isAbsolute(path)) return pathToFileURL(path).href;
  return path.split(sep).map(encodeURIComponent).join('/');
}

export function formatSarif(list: Located[], version: string): string {
  const codes = [...new Set(list.map((f) => f.code))].sort();
  const level = (s: string) => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note');
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'capi-ipam',
            version,
            rules: codes.map((id) => ({
              id,
              shortDescription: { text: ruleOf(id)?.summary ?? id },
              help: { text: `${ruleOf(id)?.summary ?? id} See the README section rule-${id}.` },
            })),
          },
        },
        results: list.map((f) => ({
          ruleId: f.code,
          level: level(f.severity),
          message: { text: sarifText(f.message) },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: artifactUri(f.uri) },
                region: { startLine: f.start.line + 1, startColumn: f.start.character + 1, endLine: f.end.line + 1, endColumn: f.end.character + 1 },
              },
            },
          ],
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
