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
  render: RenderSettings;
}

export const DEFAULT_SETTINGS: ServerSettings = {
  kubeconfig: '',
  context: '',
  offline: false,
  defaultPool: '',
  ...DEFAULT_SELECTION,
  topologyVariables: { vip: ['controlPlaneIpAddr'], kubeVipManifest: ['kubeVipPodManifest'] },
  resolveHostnames: true,
  allocate: { timeoutSeconds: 60, writeClaim: true },
  render: DEFAULT_RENDER,
};

export function readSettings(raw: unknown): ServerSettings {
  const r = (raw ?? {}) as Partial<ServerSettings> & Record<string, unknown>;
  const strings = (v: unknown, d: string[]) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : d);
  const tv = (r.topologyVariables ?? {}) as Partial<TopologyVariables>;
  const alloc = (r.allocate ?? {}) as Partial<ServerSettings['allocate']>;
  return {
    kubeconfig: typeof r.kubeconfig === 'string' ? r.kubeconfig : '',
    context: typeof r.context === 'string' ? r.context : '',
    offline: r.offline === true,
    defaultPool: typeof r.defaultPool === 'string' ? r.defaultPool : '',
    include: strings(r.include, DEFAULT_SETTINGS.include),
    exclude: strings(r.exclude, DEFAULT_SETTINGS.exclude),
    topologyVariables: { vip: strings(tv.vip, DEFAULT_SETTINGS.topologyVariables.vip), kubeVipManifest: strings(tv.kubeVipManifest, DEFAULT_SETTINGS.topologyVariables.kubeVipManifest) },
    resolveHostnames: r.resolveHostnames !== false,
    allocate: {
      timeoutSeconds: typeof alloc.timeoutSeconds === 'number' && alloc.timeoutSeconds > 0 ? alloc.timeoutSeconds : 60,
      writeClaim: alloc.writeClaim !== false,
    },
    render: readRenderSettings(r),
  };
}
