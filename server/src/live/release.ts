// Release: delete exactly one IPAddressClaim, the one the user named and confirmed. The claim is
// re-read, then deleted with a UID precondition, so a claim re-created under the same name in the
// meantime survives; a claim capi-ipam did not create is deleted only when confirmed by name.
import { CLUSTER_ANNOTATION, CREATED_BY, CREATED_BY_ANNOTATION, canonical, CLUSTER_NAME_LABEL, vipClaimName, type Inventory } from '../engine/index';
import type { ClaimRef, ReleaseTarget } from '../protocol';
import { deleteClaim } from './allocator';
import { briefStatus, k8s, statusOf, withTimeout } from './kube';
import type { Resource } from './resources';

export class ReleaseError extends Error {}

type RawClaim = {
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: { clusterName?: string; poolRef?: { kind?: string; name?: string } };
};

const label = (c: ClaimRef) => `${c.namespace}/${c.name}`;

/**
 * The claims holding a cluster's VIP: those whose IPAddress (in the cluster's namespace) has one of
 * the VIP addresses; before a VIP is written, the claim capi-ipam names after the cluster. Never a
 * claim that merely carries the cluster's label (node addresses do too).
 */
export function claimsHoldingVip(cluster: { name: string; namespace: string }, vips: string[], inventory: Pick<Inventory, 'addresses' | 'claims'>): ClaimRef[] {
  const ips = new Set(vips.map((v) => canonical(v)).filter(Boolean));
  const names = new Set(inventory.addresses.filter((a) => a.namespace === cluster.namespace && ips.has(canonical(a.address))).map((a) => a.claimName));
  if (names.size === 0 && inventory.claims.some((c) => c.namespace === cluster.namespace && c.name === vipClaimName(cluster.name)))
    names.add(vipClaimName(cluster.name));
  return [...names].sort().map((name) => ({ namespace: cluster.namespace, name }));
}

/** What deleting `raw` frees, for the confirmation prompt. */
export function describeClaim(raw: RawClaim, inventory?: Pick<Inventory, 'addresses'>): ReleaseTarget {
  const m = raw.metadata ?? {};
  const claim = { namespace: m.namespace ?? 'default', name: m.name ?? '' };
  const address = inventory?.addresses.find((a) => a.namespace === claim.namespace && a.claimName === claim.name)?.address;
  const pool = raw.spec?.poolRef?.name ? `${raw.spec.poolRef.kind ?? ''} ${raw.spec.poolRef.name}`.trim() : undefined;
  const cluster = raw.spec?.clusterName ?? m.labels?.[CLUSTER_NAME_LABEL] ?? m.annotations?.[CLUSTER_ANNOTATION];
  return { claim, uid: m.uid ?? '', ours: m.annotations?.[CREATED_BY_ANNOTATION] === CREATED_BY, address, pool, cluster };
}

async function readClaim(kc: k8s.KubeConfig, r: Resource, ref: ClaimRef, ms: number): Promise<RawClaim | undefined> {
  try {
    return (await kc
      .makeApiClient(k8s.CustomObjectsApi)
      .getNamespacedCustomObject(
        { group: r.group, version: r.version, namespace: ref.namespace, plural: r.plural, name: ref.name },
        withTimeout(ms),
      )) as RawClaim;
  } catch (e) {
    if (statusOf(e).code === 404) return undefined;
    throw new ReleaseError(`reading IPAddressClaim ${label(ref)} failed: ${briefStatus(e, ms)}`);
  }
}

export interface ReleaseOptions {
  /** The UID the user confirmed; without it, the UID read now (the CLI resolves and deletes in one go). */
  uid?: string;
  /** Delete a claim capi-ipam did not create: the user named this claim. */
  foreign: boolean;
  inventory?: Pick<Inventory, 'addresses'>;
  requestTimeoutMs?: number;
}

/** Deletes the one claim `ref`, after the checks above; returns what was deleted. */
export async function releaseClaim(kc: k8s.KubeConfig, resources: Resource[], ref: ClaimRef, opts: ReleaseOptions): Promise<ReleaseTarget> {
  const r = resources.find((x) => x.kind === 'IPAddressClaim');
  if (!r) throw new ReleaseError('the management cluster does not serve IPAddressClaim (ipam.cluster.x-k8s.io)');
  const ms = opts.requestTimeoutMs ?? 10_000;
  const raw = await readClaim(kc, r, ref, ms);
  if (!raw) throw new ReleaseError(`IPAddressClaim ${label(ref)} does not exist (already released?): nothing deleted`);
  const target = describeClaim(raw, opts.inventory);
  if (opts.uid && target.uid !== opts.uid) throw new ReleaseError(`IPAddressClaim ${label(ref)} was re-created since it was confirmed: nothing deleted`);
  if (raw.metadata?.deletionTimestamp) throw new ReleaseError(`IPAddressClaim ${label(ref)} is already being deleted`);
  if (!target.ours && !opts.foreign) {
    throw new ReleaseError(
      `IPAddressClaim ${label(ref)} was not created by capi-ipam (no ${CREATED_BY_ANNOTATION}: ${CREATED_BY} annotation): nothing deleted; another tool may own it, confirm this claim by name to delete it`,
    );
  }
  try {
    if (!(await deleteClaim(kc, resources, ref, { uid: target.uid, requestTimeoutMs: ms })))
      throw new ReleaseError(`IPAddressClaim ${label(ref)} was deleted meanwhile`);
  } catch (e) {
    if (e instanceof ReleaseError) throw e;
    if (statusOf(e).code === 409) throw new ReleaseError(`IPAddressClaim ${label(ref)} was re-created meanwhile: nothing deleted`);
    throw new ReleaseError(`deleting IPAddressClaim ${label(ref)} failed: ${briefStatus(e, ms)}`);
  }
  return target;
}
