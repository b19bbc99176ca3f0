// API errors in a few words, without client-node: the CLI reports them without loading its live bundle.
import type * as Http from 'node:http';

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
export function briefStatus(e: unknown, timeoutMs?: number): string {
  const s = statusOf(e);
  if (s.code) return `${s.code} ${s.reason ?? (require('node:http') as typeof Http).STATUS_CODES[s.code] ?? ''}`.trim(); // node:http on demand
  return s.opaque ? 'failed before the request was sent (credential plugin?)' : plainMessage(s, timeoutMs);
}

export function isAuthProblem(s: ApiStatus): boolean {
  return s.code === 401 || s.code === 403;
}

const TIMEOUT = /ETIMEDOUT|timed? ?out|AbortError|aborted/i;

const TRANSPORT: [RegExp, string][] = [
  [/ECONNREFUSED/, 'the API server refused the connection (is it running?)'],
  [/ENOTFOUND|EAI_AGAIN/, "the API server's host name does not resolve"],
  [TIMEOUT, 'the API server did not answer in time'],
  [/ECONNRESET|socket hang up/, 'the connection to the API server was reset'],
  [/EHOSTUNREACH|ENETUNREACH/, "the API server's network is unreachable"],
  [/certificate|CERT_|self[- ]signed/i, "the API server's certificate is not trusted"],
];

/**
 * A transport error in words, without the request URL (the status bar and messages show this; the log
 * keeps the details). A request that was cut off by its bound (`timeoutMs`) says how long it waited:
 * a hung API server or a black-holed network answers nothing at all, not even an error.
 */
export function plainMessage(s: ApiStatus, timeoutMs?: number): string {
  if (s.code) return s.message;
  if (timeoutMs !== undefined && TIMEOUT.test(s.message)) return `the cluster did not answer in ${seconds(timeoutMs)}`;
  return TRANSPORT.find(([re]) => re.test(s.message))?.[1] ?? s.message;
}

/** "10 s", "1.5 s". */
export const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * The management cluster could not be read or written (unreachable, silent, refusing the credentials):
 * the CLI's exit code 3, with the reason in plain words.
 */
export class ClusterUnavailable extends Error {
  /** Checked by code, not by class: the CLI's live half is a bundle of its own, with its own copy of this class. */
  readonly code = CLUSTER_UNAVAILABLE;
}

export const CLUSTER_UNAVAILABLE = 'CAPI_IPAM_CLUSTER_UNAVAILABLE';
