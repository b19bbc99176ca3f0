// Kubeconfig loading and API errors. A new KubeConfig (and new clients) per context: an old client
// would send the new user's credentials to the old server.
import * as k8s from '@kubernetes/client-node';

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

function readKubeConfig(target: ClusterTarget): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  if (target.kubeconfig) kc.loadFromFile(target.kubeconfig);
  else kc.loadFromDefault();
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
  const message = (err.message ?? String(e)).split('\n')[0]!;
  return { code, message };
}

const TRANSPORT: [RegExp, string][] = [
  [/ECONNREFUSED/, 'the API server refused the connection (is it running?)'],
  [/ENOTFOUND|EAI_AGAIN/, 'the API server\'s host name does not resolve'],
  [/ETIMEDOUT|timed? ?out|AbortError|aborted/i, 'the API server did not answer in time'],
  [/ECONNRESET|socket hang up/, 'the connection to the API server was reset'],
  [/EHOSTUNREACH|ENETUNREACH/, 'the API server\'s network is unreachable'],
  [/certificate|CERT_|self[- ]signed/i, 'the API server\'s certificate is not trusted'],
];

/** A transport error in words, without the request URL (the status bar and messages show this; the log keeps the details). */
export function plainMessage(s: ApiStatus): string {
  if (s.code) return s.message;
  return TRANSPORT.find(([re]) => re.test(s.message))?.[1] ?? s.message;
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
