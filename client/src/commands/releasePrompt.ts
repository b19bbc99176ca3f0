// The Release VIP confirmation: names the one IPAddressClaim that will be deleted and what it
// frees. A claim capi-ipam did not create gets a warning and a button that names it.
import type { ReleaseTarget } from '../../../server/src/protocol';

export interface ReleasePrompt {
  message: string;
  detail: string;
  /** The only button that deletes. */
  confirm: string;
}

export const claimLabel = (target: ReleaseTarget): string => `${target.claim.namespace}/${target.claim.name}`;

export function releasePrompt(target: ReleaseTarget): ReleasePrompt {
  const claim = claimLabel(target);
  const holds = [
    `address ${target.address ?? '(none bound yet)'}`,
    target.pool ? `pool ${target.pool}` : undefined,
    target.cluster ? `cluster ${target.cluster}` : undefined,
  ].filter(Boolean);
  const detail = [
    'This deletes exactly one object:',
    `IPAddressClaim ${claim} (uid ${target.uid})`,
    `Holds ${holds.join(', ')}.`,
    'The address becomes free: the next allocation can hand it to another cluster.',
  ];
  if (!target.ours) {
    detail.push(
      '',
      'CAPI IPAM did not create this claim (no capi-ipam.dev/created-by annotation): another tool (Helm, GitOps, Cluster API) may own it and re-create it, or depend on it.',
    );
  }
  return {
    message: target.address ? `Release ${target.address} (IPAddressClaim ${claim})?` : `Release IPAddressClaim ${claim}?`,
    detail: detail.join('\n'),
    confirm: target.ours ? `Release ${claim}` : `Delete ${claim} (not created by CAPI IPAM)`,
  };
}
