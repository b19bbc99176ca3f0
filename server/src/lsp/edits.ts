// Engine edits/fixes → LSP WorkspaceEdits (versioned for open documents) and CodeActions.
import { type CodeAction, CodeActionKind, type Diagnostic, DiagnosticSeverity, type TextDocumentEdit, type WorkspaceEdit } from 'vscode-languageserver';
import type { Finding, Fix, TextEdit } from '../engine/index';
import type { Positions } from './positions';

const SEVERITY = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
} as const;
/** Rule help that works offline: the extension opens its bundled README section (command:capiIpam.showRuleHelp). */
export const ruleHelp = (code: string) => `command:capiIpam.showRuleHelp?${encodeURIComponent(JSON.stringify([code]))}`;

export function toDiagnostic(f: Finding, positions: Positions): Diagnostic {
  return {
    range: positions.range(f.uri, f.span),
    severity: SEVERITY[f.severity],
    source: 'capi-ipam',
    code: f.code,
    codeDescription: { href: ruleHelp(f.code) },
    message: f.message,
    relatedInformation: f.related?.map((r) => ({ location: { uri: r.uri, range: positions.range(r.uri, r.span) }, message: r.message })),
  };
}

export function toWorkspaceEdit(edits: TextEdit[], positions: Positions, versionOf: (uri: string) => number | null): WorkspaceEdit {
  const byUri = new Map<string, TextEdit[]>();
  for (const e of edits) byUri.set(e.uri, [...(byUri.get(e.uri) ?? []), e]);
  const documentChanges: TextDocumentEdit[] = [...byUri].map(([uri, list]) => ({
    textDocument: { uri, version: versionOf(uri) },
    edits: list.map((e) => ({ range: positions.range(uri, e.span), newText: e.newText })),
  }));
  return { documentChanges };
}

export function toCodeAction(fix: Fix, positions: Positions, versionOf: (uri: string) => number | null): CodeAction {
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    isPreferred: fix.preferred,
    diagnostics: fix.resolves.map((f) => toDiagnostic(f, positions)),
    edit: toWorkspaceEdit(fix.edits, positions, versionOf),
  };
}
