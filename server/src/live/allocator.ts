// Allocation through the IPAM provider: create an IPAddressClaim, wait (list then watch, not poll) for the
// IPAddress the provider creates for it, and delete the claim again on any failure: no address leaks.
import { type ClaimPool, claimObject } from '../engine/index';
import { briefStatus, k8s, statusOf, withTimeout } from './kube';
import { type Resource, collectionPath } from './resources';
import { type ListPage, type ListResult, ListWatcher } from './watcher';

export interface ClusterRef {
  name: string;
  namespace: string;
}

export interface Allocation {
  address: string;
  prefix?: number;
  gateway?: string;
  claim: ClusterRef;
  /** False when the cluster's existing claim (same pool) was kept: then nothing here may delete it. */
  created: boolean;
  /** The UID of the claim this allocation created: a rollback deletes that object only. */
  uid?: string;
}

export class AllocationError extends Error {}

/**
 * The cluster's claim exists already and holds (or is getting) an address of the pool: nothing is
 * overwritten silently — the caller says so and offers to keep it (`keepExisting`).
 */
export class ClaimHeld extends AllocationError {
  constructor(
    readonly claim: ClusterRef,
    readonly pool: ClaimPool,
    readonly address: string | undefined,
  ) {
    super(
      `IPAddressClaim ${claim.namespace}/${claim.name} already holds ${address ?? 'an address (not yet allocated)'} from ${pool.kind} ${pool.name}: keep it, or release it first`,
    );
  }
}

export interface AllocateOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Whether the Cluster exists in the management cluster (see claimObject). */
  clusterExists: boolean;
  requestTimeoutMs?: number;
  /** The cluster's claim exists already (same pool): use its address instead of failing with ClaimHeld. */
  keepExisting?: boolean;
}

function need(resources: Resource[], kind: string): Resource {
  const r = resources.find((x) => x.kind === kind);
  if (!r) throw new AllocationError(`the management cluster does not serve ${kind} (ipam.cluster.x-k8s.io): is Cluster API's IPAM installed?`);
  return r;
}

/** Deletes one claim by name; with `uid`, only that object (a claim re-created under the name is kept: 409). */
export async function deleteClaim(
  kc: k8s.KubeConfig,
  resources: Resource[],
  claim: ClusterRef,
  opts: { uid?: string; requestTimeoutMs?: number } = {},
): Promise<boolean> {
  const r = need(resources, 'IPAddressClaim');
  const api = kc.makeApiClient(k8s.CustomObjectsApi);
  const body = opts.uid ? { preconditions: { uid: opts.uid } } : undefined;
  try {
    await api.deleteNamespacedCustomObject(
      { group: r.group, version: r.version, namespace: claim.namespace, plural: r.plural, name: claim.name, body },
      withTimeout(opts.requestTimeoutMs ?? 10_000),
    );
    return true;
  } catch (e) {
    if (statusOf(e).code === 404) return false;
    throw e;
  }
}

type Address = { metadata: { name: string; resourceVersion?: string }; spec: { address: string; prefix?: number; gateway?: string } };

/**
 * Waits for IPAddress `name` in `namespace` with the one list-then-watch mechanism (ListWatcher):
 * it may exist already (the list), or come later (the watch); a broken watch lists again.
 */
function waitForAddress(kc: k8s.KubeConfig, r: Resource, claim: ClusterRef, opts: AllocateOptions, pool: ClaimPool): Promise<Address> {
  const api = kc.makeApiClient(k8s.CustomObjectsApi);
  const fieldSelector = `metadata.name=${claim.name}`;
  const list: ListPage = (page) =>
    api.listNamespacedCustomObject(
      { group: r.group, version: r.version, namespace: claim.namespace, plural: r.plural, fieldSelector, ...page },
      withTimeout(opts.requestTimeoutMs ?? 10_000),
    ) as Promise<ListResult>;
  return new Promise<Address>((resolve, reject) => {
    let settled = false;
    const finish = (err: Error | undefined, value?: Address) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      watcher.stop();
      if (err) reject(err);
      else resolve(value!);
    };
    const found = () => [...watcher.objects.values()].find((a) => (a as Address).spec?.address) as Address | undefined;
    // Retries stay quick (at most 2 s apart): the allocation has its own deadline.
    const watcher = new ListWatcher(
      kc,
      collectionPath(r, claim.namespace),
      list,
      {
        changed: () => {
          const hit = found();
          if (hit) finish(undefined, hit);
        },
        health: () => {},
      },
      { fieldSelector },
      { maxBackoffMs: 2000 },
    );
    const timer = setTimeout(
      () =>
        finish(
          new AllocationError(
            `the IPAM provider did not allocate an address from ${pool.kind} ${pool.name} within ${Math.round(opts.timeoutMs / 1000)} s (pool exhausted, paused, or no provider running?)`,
          ),
        ),
      opts.timeoutMs,
    );
    const onAbort = () => finish(new AllocationError('allocation cancelled'));
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort);
    watcher.start();
  });
}

export async function claimAddress(
  kc: k8s.KubeConfig,
  resources: Resource[],
  cluster: ClusterRef,
  pool: ClaimPool,
  opts: AllocateOptions,
): Promise<Allocation> {
  const claims = need(resources, 'IPAddressClaim');
  const addresses = need(resources, 'IPAddress');
  const api = kc.makeApiClient(k8s.CustomObjectsApi);
  const body = claimObject(cluster, pool, { apiVersion: `${claims.group}/${claims.version}`, clusterExists: opts.clusterExists });
  const claim = { name: body.metadata.name, namespace: cluster.namespace };
  const reqOpts = withTimeout(opts.requestTimeoutMs ?? 10_000);
  const requestTimeoutMs = opts.requestTimeoutMs ?? 10_000;
  let created = true;
  let uid: string | undefined;
  try {
    const made = (await api.createNamespacedCustomObject(
      { group: claims.group, version: claims.version, namespace: cluster.namespace, plural: claims.plural, body },
      reqOpts,
    )) as { metadata?: { uid?: string } };
    uid = made.metadata?.uid;
  } catch (e) {
    const s = statusOf(e);
    if (s.code !== 409)
      throw new AllocationError(
        `could not create IPAddressClaim ${claim.namespace}/${claim.name}: ${s.code ? `${s.code} ${s.message}` : briefStatus(e, requestTimeoutMs)}`,
      );
    const existing = (await api.getNamespacedCustomObject(
      { group: claims.group, version: claims.version, namespace: claim.namespace, plural: claims.plural, name: claim.name },
      reqOpts,
    )) as {
      spec?: { poolRef?: { kind?: string; name?: string } };
      metadata?: { deletionTimestamp?: string };
      status?: { addressRef?: { name?: string } };
    };
    if (existing.metadata?.deletionTimestamp)
      throw new AllocationError(`IPAddressClaim ${claim.namespace}/${claim.name} is being deleted; try again in a moment`);
    if (existing.spec?.poolRef?.kind !== pool.kind || existing.spec?.poolRef?.name !== pool.name) {
      throw new AllocationError(
        `IPAddressClaim ${claim.namespace}/${claim.name} already exists for pool ${existing.spec?.poolRef?.kind} ${existing.spec?.poolRef?.name}: release it first`,
      );
    }
    if (!opts.keepExisting) {
      const ref = existing.status?.addressRef?.name;
      const held = ref
        ? ((await api
            .getNamespacedCustomObject(
              { group: addresses.group, version: addresses.version, namespace: claim.namespace, plural: addresses.plural, name: ref },
              reqOpts,
            )
            .catch(() => undefined)) as Address | undefined)
        : undefined;
      throw new ClaimHeld(claim, pool, held?.spec?.address);
    }
    created = false; // the user chose to keep this cluster's address from this pool
  }
  try {
    const a = await waitForAddress(kc, addresses, claim, opts, pool);
    return { address: a.spec.address, prefix: a.spec.prefix, gateway: a.spec.gateway, claim, created, uid };
  } catch (e) {
    if (!created) throw new AllocationError(`${(e as Error).message}; the IPAddressClaim ${claim.namespace}/${claim.name} was kept (it existed before)`);
    throw new AllocationError(`${(e as Error).message}; ${await rollBack(kc, resources, { claim, created, uid }, requestTimeoutMs)}`);
  }
}

/**
 * Undoes an allocation after a failure, and says what became of its claim in words that are true: a
 * claim it did not create is kept; one it created is deleted by UID (a claim re-created under the name
 * meanwhile is not touched), tried three times; a delete that still fails names the claim to delete.
 */
export async function rollBack(
  kc: k8s.KubeConfig,
  resources: Resource[],
  a: Pick<Allocation, 'claim' | 'created' | 'uid'> & { address?: string },
  requestTimeoutMs = 10_000,
): Promise<string> {
  const name = `${a.claim.namespace}/${a.claim.name}`;
  if (!a.created) return `the IPAddressClaim ${name} was kept: it held ${a.address ?? 'its address'} before this allocation`;
  let problem = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    if (attempt) await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    try {
      const deleted = await deleteClaim(kc, resources, a.claim, { uid: a.uid, requestTimeoutMs });
      return deleted ? `the IPAddressClaim ${name} was deleted, no address is held` : `the IPAddressClaim ${name} no longer exists, no address is held`;
    } catch (e) {
      if (statusOf(e).code === 409) return `the IPAddressClaim ${name} was re-created meanwhile by someone else and is kept`;
      problem = briefStatus(e, requestTimeoutMs);
    }
  }
  return `deleting the IPAddressClaim ${name} failed 3 times (${problem}): it still holds ${a.address ?? 'an address'} — release it (Release VIP, or capi-ipam release --claim ${name}) or delete it by hand`;
}

export async function clusterExists(kc: k8s.KubeConfig, resources: Resource[], cluster: ClusterRef, requestTimeoutMs = 10_000): Promise<boolean> {
  const r = resources.find((x) => x.kind === 'Cluster');
  if (!r) return false;
  try {
    await kc
      .makeApiClient(k8s.CustomObjectsApi)
      .getNamespacedCustomObject(
        { group: r.group, version: r.version, namespace: cluster.namespace, plural: r.plural, name: cluster.name },
        withTimeout(requestTimeoutMs),
      );
    return true;
  } catch {
    return false;
  }
}
