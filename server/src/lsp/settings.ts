// The `capiIpam.*` settings as the server reads them (workspace/configuration).
import type { TopologyVariables } from '../engine/index';
import { DEFAULT_SELECTION } from '../folderFiles';
import { DEFAULT_RENDER, readRenderSettings, type RenderSettings } from './renders';

export interface ServerSettings {
  kubeconfig: string;
  context: string;
  offline: boolean;
  defaultPool: string;
  include: string[];
  exclude: string[];
  topologyVariables: TopologyVariables;
  /** Resolve endpoint host names (trusted workspaces only) to compare them with the VIP. */
  resolveHostnames: boolean;
  allocate: { timeoutSeconds: number; writeClaim: boolean };
  /** The bound of one request to the management cluster; three times it, a watch's liveness window. */
  requestTimeoutSeconds: number;
  render: RenderSettings;
  /** Contexts of the user's kubeconfig to read as management clusters (issue 22); empty: `context` alone. */
  managementClusters: string[];
  /** How workload clusters are reached: `contexts`, `secrets` (opt-in), `off`; an object maps "namespace/name" to a context (the contexts route). */
  workloadClusters: 'contexts' | 'secrets' | 'off' | Record<string, string>;
  /** At most this many clusters list at once. */
  maxConnections: number;
}

/** The one copy of the defaults in code; test/unit/settings.test.ts holds package.json's to them. */
export const DEFAULT_SETTINGS: ServerSettings = {
  kubeconfig: '',
  context: '',
  offline: false,
  defaultPool: '',
  ...DEFAULT_SELECTION,
  topologyVariables: { vip: ['controlPlaneIpAddr', 'controlPlaneEndpoint.host', 'controlPlaneEndpoint.IP'], kubeVipManifest: ['kubeVipPodManifest'] },
  resolveHostnames: true,
  allocate: { timeoutSeconds: 60, writeClaim: true },
  requestTimeoutSeconds: 10,
  render: DEFAULT_RENDER,
  managementClusters: [],
  workloadClusters: 'contexts',
  maxConnections: 16,
};

function readWorkloadClusters(v: unknown): ServerSettings['workloadClusters'] {
  if (v === 'contexts' || v === 'secrets' || v === 'off') return v;
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string')) return v as Record<string, string>;
  return DEFAULT_SETTINGS.workloadClusters;
}

export function readSettings(raw: unknown): ServerSettings {
  const r = (raw ?? {}) as Partial<ServerSettings> & Record<string, unknown>;
  const strings = (v: unknown, d: string[]) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : d);
  const tv = (r.topologyVariables ?? {}) as Partial<TopologyVariables>;
  const alloc = (r.allocate ?? {}) as Partial<ServerSettings['allocate']>;
  const d = DEFAULT_SETTINGS;
  return {
    kubeconfig: typeof r.kubeconfig === 'string' ? r.kubeconfig : d.kubeconfig,
    context: typeof r.context === 'string' ? r.context : d.context,
    offline: typeof r.offline === 'boolean' ? r.offline : d.offline,
    defaultPool: typeof r.defaultPool === 'string' ? r.defaultPool : d.defaultPool,
    include: strings(r.include, d.include),
    exclude: strings(r.exclude, d.exclude),
    topologyVariables: { vip: strings(tv.vip, d.topologyVariables.vip), kubeVipManifest: strings(tv.kubeVipManifest, d.topologyVariables.kubeVipManifest) },
    resolveHostnames: typeof r.resolveHostnames === 'boolean' ? r.resolveHostnames : d.resolveHostnames,
    allocate: {
      timeoutSeconds: typeof alloc.timeoutSeconds === 'number' && alloc.timeoutSeconds > 0 ? alloc.timeoutSeconds : d.allocate.timeoutSeconds,
      writeClaim: typeof alloc.writeClaim === 'boolean' ? alloc.writeClaim : d.allocate.writeClaim,
    },
    requestTimeoutSeconds: typeof r.requestTimeoutSeconds === 'number' && r.requestTimeoutSeconds > 0 ? r.requestTimeoutSeconds : d.requestTimeoutSeconds,
    render: readRenderSettings(r),
    managementClusters: strings(r.managementClusters, d.managementClusters),
    workloadClusters: readWorkloadClusters(r.workloadClusters),
    maxConnections: typeof r.maxConnections === 'number' && Number.isInteger(r.maxConnections) && r.maxConnections > 0 ? r.maxConnections : d.maxConnections,
  };
}
