// Kubeconfig loading and API errors. A new KubeConfig (and new clients) per context: an old client
// would send the new user's credentials to the old server.
import { existsSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
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

export interface ApiStatus {
  code?: number;
  reason?: string;
  message: string;
  /**
   * A bare Error, neither HTTP nor system error: thrown before the request was sent, e.g. by an exec
   * credential plugin, whose stderr is the message (and can hold credentials). Never shown verbatim.
   */
  opaque?: boolean;
}

/** What went wrong, from an ApiException (whose body is raw text), a Watch error or a transport error. */
export function statusOf(e: unknown): ApiStatus {
  const err = e as { code?: number; statusCode?: number; body?: unknown; message?: string; cause?: { code?: string } };
  const code = typeof err.code === 'number' ? err.code : err.statusCode;
  let body = err.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      /* not JSON */
    }
  }
  const status = body as { reason?: string; message?: string } | undefined;
  if (status?.message) return { code, reason: status.reason, message: status.message };
  if (code === 401) return { code, reason: 'Unauthorized', message: 'Unauthorized: the credentials were refused' };
  const message = redactUrls((err.message ?? String(e)).split('\n')[0]!);
  const bare = e instanceof Error && e.constructor === Error && code === undefined && (e as { code?: unknown }).code === undefined && !err.cause;
  return bare ? { code, message, opaque: true } : { code, message };
}

/** Strips userinfo (`https://user:password@host` → `https://host`) from every URL in `text`. */
export function redactUrls(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi, '$1');
}

/**
 * "403 Forbidden": status code and reason of an API error, never its message, headers or body
 * (client-node puts all three into the error text, and they can echo request data).
 */
export function briefStatus(e: unknown): string {
  const s = statusOf(e);
  if (s.code) return `${s.code} ${s.reason ?? STATUS_CODES[s.code] ?? ''}`.trim();
  return s.opaque ? 'failed before the request was sent (credential plugin?)' : s.message;
}

export function isAuthProblem(s: ApiStatus): boolean {
  return s.code === 401 || s.code === 403;
}

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
