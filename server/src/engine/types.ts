// The engine's shared vocabulary. Pure data: no `vscode`, no LSP types.
// Offsets are UTF-16 code-unit offsets into a file's text (what JS strings and LSP use).
import type { RuleCode } from './rules/index';

/** Half-open range [start, end) of offsets in one file's text. */
export interface Span {
  start: number;
  end: number;
}

/** A span in a named file. `uri` is whatever the caller used to add the file (a file: URI in the server, a path in the CLI). */
export interface Location {
  uri: string;
  span: Span;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** Stable rule codes, derived from the rule registry (rules/index.ts). */
export type { RuleCode };

export interface RelatedInfo extends Location {
  message: string;
}

export interface Finding extends Location {
  severity: Severity;
  code: RuleCode;
  message: string;
  related?: RelatedInfo[];
}

/** Replace `span` of file `uri` with `newText`. Edits of one change never overlap. */
export interface TextEdit extends Location {
  newText: string;
}

/** A fix offered for findings: one title, edits possibly across files. */
export interface Fix {
  title: string;
  kind: 'quickfix';
  /** Findings this fix resolves (matched by code + location by the server). */
  resolves: Finding[];
  edits: TextEdit[];
  preferred?: boolean;
}
