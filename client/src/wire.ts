// Converts protocol shapes (plain JSON) into VS Code API objects.
import * as vscode from 'vscode';
import type { WireLocation, WireRange } from '../../server/src/protocol';

export function toRange(range: WireRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

export function toLocation(location: WireLocation): vscode.Location {
  return new vscode.Location(vscode.Uri.parse(location.uri), toRange(location.range));
}

/** Error text for the user: ResponseError and Error carry `message`; anything else is stringified. */
export function errorMessage(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error && typeof error.message === 'string') return error.message;
  return String(error);
}
