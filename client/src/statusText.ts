// Status bar wording for a connection state. Pure, so it is unit-tested without VS Code.
import { escapeCode, escapeMarkdown } from '../../server/src/protocol';
import { cachedAge } from '../../server/src/cachedAge';
import type { ConnectionState } from '../../server/src/protocol';

/** The cluster was configured but cannot be read: the item turns warning-coloured and offers "Retry now". */
export function isTroubled(state: ConnectionState): boolean {
  return state.state === 'unreachable' || state.state === 'forbidden';
}

export function statusText(state: ConnectionState, now = Date.now()): string {
  if (state.state === 'untrusted') return '$(workspace-untrusted) CAPI IPAM · untrusted';
  if (state.state === 'offline') return '$(server-environment) offline';
  const icon = state.state === 'connecting' ? '$(sync~spin) $(server-environment)' : isTroubled(state) ? '$(warning)' : '$(server-environment)';
  const context = state.context ?? 'CAPI IPAM';
  const cache = state.cachedAt !== undefined ? ` · ${cachedAge(state.cachedAt, now)}` : '';
  return `${icon} ${context} · ${state.state}${cache}`;
}

/** Why the Allocate command cannot run in this state (shown instead of a failing request), or undefined. */
export function allocationBlocked(state: ConnectionState, now = Date.now()): string | undefined {
  switch (state.state) {
    case 'connected':
    case 'untrusted': // the trust check explains itself
      return undefined;
    case 'connecting':
      return 'CAPI IPAM is still connecting to the management cluster: try again in a moment.';
    case 'offline':
      return 'Allocation claims the address in the management cluster, and none is connected (offline). Select a kubeconfig context, or use the quick fix "Use next free address of pool …".';
    default: {
      const cache = state.cachedAt !== undefined ? ` The views show data ${cachedAge(state.cachedAt, now)}.` : '';
      const name = state.context ? ` ${state.context}` : '';
      return `Allocation needs the management cluster${name}, which is ${state.state}${state.reason ? ` (${state.reason})` : ''}.${cache}`;
    }
  }
}

/** Markdown: context, API server URL and the reason, each escaped (they come from a kubeconfig). */
export function statusTooltip(state: ConnectionState, now = Date.now()): string {
  const lines = [`**CAPI IPAM** — ${escapeMarkdown(state.state)}`];
  if (state.context) lines.push(`Context: \`${escapeCode(state.context)}\``);
  if (state.server) lines.push(`Server: \`${escapeCode(state.server)}\``);
  if (state.reason) lines.push(escapeMarkdown(state.reason));
  if (state.cachedAt !== undefined) lines.push(`Pools, addresses and Services shown are ${cachedAge(state.cachedAt, now)}; allocation waits for the cluster.`);
  if (isTroubled(state)) lines.push('[Retry now](command:capiIpam.retry) · [Select a kubeconfig context](command:capiIpam.selectContext)');
  else lines.push(state.state === 'untrusted' ? 'Trust the workspace to use a cluster.' : 'Click to select a kubeconfig context.');
  return lines.join('\n\n');
}
