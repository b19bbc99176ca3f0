// Kubernetes `Status` error objects, worded like the apiserver (apimachinery's errors.go).
import type { ResourceDef } from './kinds';

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  code: number;
  details?: Record<string, unknown>;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  toStatus(): StatusBody {
    const s: StatusBody = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code };
    if (this.details) s.details = this.details;
    return s;
  }
}

/** `plural` for core kinds, `plural.group` otherwise (a GroupResource). */
export function groupResource(def: ResourceDef): string {
  return def.group ? `${def.plural}.${def.group}` : def.plural;
}

/** `Kind` for core kinds, `Kind.group` otherwise (a GroupKind). */
export function groupKind(def: ResourceDef): string {
  return def.group ? `${def.kind}.${def.group}` : def.kind;
}

export const notFound = (def: ResourceDef, name: string) =>
  new ApiError(404, 'NotFound', `${groupResource(def)} "${name}" not found`, { name, group: def.group, kind: def.plural });

export const namespaceNotFound = (ns: string) => new ApiError(404, 'NotFound', `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' });

export const unknownPath = () => new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});

export const alreadyExists = (def: ResourceDef, name: string) =>
  new ApiError(409, 'AlreadyExists', `${groupResource(def)} "${name}" already exists`, { name, group: def.group, kind: def.plural });

export const conflict = (def: ResourceDef, name: string) =>
  new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${groupResource(def)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: def.group, kind: def.plural },
  );

export interface Cause {
  reason: string;
  message: string;
  field: string;
}

/** 422 Invalid: `<GK> "<name>" is invalid: <field>: <detail>`, several as `[a, b]`. */
export function invalid(def: ResourceDef, name: string, causes: Cause[]): ApiError {
  const parts = causes.map((c) => `${c.field}: ${c.message}`);
  const body = parts.length === 1 ? parts[0]! : `[${parts.join(', ')}]`;
  return new ApiError(422, 'Invalid', `${groupKind(def)} "${name}" is invalid: ${body}`, { name, group: def.group, kind: def.kind, causes });
}

export const badRequest = (message: string) => new ApiError(400, 'BadRequest', message);

export const unauthorized = () => new ApiError(401, 'Unauthorized', 'Unauthorized');

export function forbidden(user: string, verb: string, def: ResourceDef | undefined, ns: string | undefined, name: string | undefined): ApiError {
  const what = def ? groupResource(def) : 'the requested resource';
  const subject = name ? `${what} "${name}"` : what;
  const scope = ns ? ` in the namespace "${ns}"` : def?.namespaced === false ? ' at the cluster scope' : '';
  const res = def ? `resource "${def.plural}" in API group "${def.group}"` : 'path';
  return new ApiError(403, 'Forbidden', `${subject} is forbidden: User "${user}" cannot ${verb} ${res}${scope}`, {
    ...(name ? { name } : {}),
    ...(def ? { group: def.group, kind: def.plural } : {}),
  });
}

export const expired = (rv: string, oldest: number) => new ApiError(410, 'Expired', `too old resource version: ${rv} (${oldest})`);

const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];

/** kube-apiserver's 415 for a body it cannot decode; client-go then retries in JSON. */
export const unsupportedMediaType = (accepted: string[] = PATCH_TYPES) =>
  new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);

export const methodNotAllowed = (verb: string, def: ResourceDef) =>
  new ApiError(405, 'MethodNotAllowed', `${verb} is not supported on resources of kind "${groupResource(def)}"`);

export function internalError(message: string, code = 500): ApiError {
  const reason = code === 503 ? 'ServiceUnavailable' : code === 504 ? 'Timeout' : code === 429 ? 'TooManyRequests' : 'InternalError';
  return new ApiError(code, reason, message);
}

/** `Status{status:Success}` (deletecollection and similar). */
export function success(details?: Record<string, unknown>): StatusBody {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', message: '', reason: '', code: 200, ...(details ? { details } : {}) };
}
