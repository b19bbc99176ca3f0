// Status bar wording for a connection state. Pure, so it is unit-tested without VS Code.
import { escapeCode, escapeMarkdown } from '../../server/src/markdown';
import type { ConnectionState } from '../../server/src/protocol';

export function statusText(state: ConnectionState): string {
  if (state.state === 'untrusted') return '$(workspace-untrusted) CAPI IPAM · untrusted';
  if (state.state === 'offline') return '$(server-environment) offline';
  const spinner = state.state === 'connecting' ? '$(sync~spin) ' : '';
  const context = state.context ?? 'CAPI IPAM';
  return `${spinner}$(server-environment) ${context} · ${state.state}`;
}

/** Markdown: context, API server URL and the reason, each escaped (they come from a kubeconfig). */
export function statusTooltip(state: ConnectionState): string {
  const lines = [`**CAPI IPAM** — ${escapeMarkdown(state.state)}`];
  if (state.context) lines.push(`Context: \`${escapeCode(state.context)}\``);
  if (state.server) lines.push(`Server: \`${escapeCode(state.server)}\``);
  if (state.reason) lines.push(escapeMarkdown(state.reason));
  lines.push(state.state === 'untrusted' ? 'Trust the workspace to use a cluster.' : 'Click to select a kubeconfig context.');
  return lines.join('\n\n');
}
