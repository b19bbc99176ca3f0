// Kubeconfig loading and API errors. A new KubeConfig (and new clients) per context: an old client
// would send the new user's credentials to the old server.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { checkRegularFileSync, FileRefused, readRegularFileSync } from '../safeFile';

export interface ClusterTarget {
  /** kubeconfig path; empty: the default chain ($KUBECONFIG, ~/.kube/config). */
  kubeconfig?: string;
  context?: string;
}

export interface LoadedConfig {
  kc: k8s.KubeConfig;
  context: string;
  server: string;
}

/** A kubeconfig is small; a bigger "kubeconfig" is a mistake or /dev/zero. */
const MAX_KUBECONFIG_BYTES = 4 * 1024 * 1024;

/**
 * Reads the kubeconfig without ever blocking the caller: client-node reads it synchronously, and a
 * FIFO or /dev/zero at that path would hang the language server. Only regular files are read.
 */
function readKubeConfig(target: ClusterTarget): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  try {
    if (target.kubeconfig) {
      kc.loadFromString(readRegularFileSync(target.kubeconfig, MAX_KUBECONFIG_BYTES));
      kc.makePathsAbsolute(dirname(target.kubeconfig));
      return kc;
    }
    const chain = process.env.KUBECONFIG ? process.env.KUBECONFIG.split(delimiter).filter(Boolean) : [join(homedir(), '.kube', 'config')];
    for (const file of chain) if (existsSync(file)) checkRegularFileSync(file, MAX_KUBECONFIG_BYTES);
  } catch (e) {
    if (e instanceof FileRefused) throw new Error(`kubeconfig ${e.message}`);
    throw e;
  }
  kc.loadFromDefault();
  return kc;
}

export function loadKubeConfig(target: ClusterTarget): LoadedConfig {
  const kc = readKubeConfig(target);
  if (target.context) {
    if (!kc.getContexts().some((c) => c.name === target.context)) throw new Error(`context "${target.context}" is not in the kubeconfig`);
    kc.setCurrentContext(target.context);
  }
  const server = kc.getCurrentCluster()?.server ?? '';
  if (!server) throw new Error('the kubeconfig has no current cluster');
  return { kc, context: kc.getCurrentContext(), server };
}

export function listContexts(target: ClusterTarget): { contexts: string[]; current?: string } {
  const kc = readKubeConfig(target);
  return { contexts: kc.getContexts().map((c) => c.name), current: kc.getCurrentContext() || undefined };
}

export { type ApiStatus, briefStatus, ClusterUnavailable, isAuthProblem, plainMessage, redactUrls, statusOf } from './apiStatus';

/**
 * Request options that abort a call after `ms` (client-node 1.4 has no default timeout). The
 * object-parameter API hands options to its Observable layer unwrapped, so the middleware answers
 * in that layer's shape (an object with `toPromise`), not with a bare Promise.
 */
export function withTimeout(ms: number): k8s.ConfigurationOptions {
  const observable = <T>(value: T) => ({ toPromise: () => Promise.resolve(value) });
  const mw = {
    pre: (ctx: k8s.RequestContext) => {
      ctx.setSignal(AbortSignal.timeout(ms));
      return observable(ctx);
    },
    post: (r: k8s.ResponseContext) => observable(r),
  };
  return { middleware: [mw], middlewareMergeStrategy: 'append' } as unknown as k8s.ConfigurationOptions;
}

export { k8s };
