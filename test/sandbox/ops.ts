// The API operations with a real apiserver's semantics (namespaces, names, defaults, optimistic
// concurrency, status subresource, finalizers, admission), shared by HTTP and the test API.
import { randomInt } from 'node:crypto';
import { admit, pruneUnknownFields } from './admission';
import { apiVersionOf, convert, RESOURCES, type ResourceDef } from './kinds';
import { clone, isObject } from './json';
import { jsonPatch, mergePatch, strategicMergePatch } from './patch';
import { alreadyExists, ApiError, badRequest, conflict, invalid, namespaceNotFound, notFound, unsupportedMediaType } from './status';
import { nowTimestamp, type Store } from './store';
import YAML from 'yaml';

export interface WriteOptions {
  dryRun?: boolean;
  fieldValidation?: string;
  /** Keep `.status` on create (seeding and the test API; HTTP creates drop it like a real server). */
  keepStatus?: boolean;
  /** Skip schema checks and webhooks (the test API's escape hatch). */
  skipAdmission?: boolean;
}

export interface WriteResult {
  obj: Record<string, any>;
  warnings: string[];
  created?: boolean;
}

const NAMESPACE_DEF = () => RESOURCES.find((r) => r.kind === 'Namespace' && r.group === '')!;
const PROTECTED_NAMESPACES = ['default', 'kube-system', 'kube-public'];

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

function nameCause(def: ResourceDef, name: string): string | undefined {
  if (def.kind === 'Namespace' && def.group === '') {
    if (name.length > 63 || !DNS1123_LABEL.test(name)) {
      return `Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`;
    }
    return undefined;
  }
  if (def.kind === 'Service' && def.group === '') {
    if (name.length > 63 || !DNS1035_LABEL.test(name)) {
      return `Invalid value: ${JSON.stringify(name)}: a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`;
    }
    return undefined;
  }
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    return `Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
  }
  return undefined;
}

const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export class Operations {
  private serviceIps = 0;

  constructor(
    readonly store: Store,
    readonly user = 'sandbox-admin',
  ) {}

  /** Converts a request body at `version` to the stored form. */
  private toStorage(def: ResourceDef, version: string, body: Record<string, any>): Record<string, any> {
    const obj = clone(body);
    if (obj.apiVersion === undefined) obj.apiVersion = apiVersionOf(def.group, version);
    return convert(def, obj, def.storage);
  }

  private checkNamespace(def: ResourceDef, ns: string | undefined, name: string): void {
    if (!def.namespaced) return;
    if (!ns) throw badRequest('the server could not find the requested resource (namespace is required)');
    const nsObj = this.store.get(NAMESPACE_DEF(), undefined, ns);
    if (!nsObj) throw namespaceNotFound(ns);
    if (nsObj.metadata.deletionTimestamp) {
      throw new ApiError(
        403,
        'Forbidden',
        `${def.group ? `${def.plural}.${def.group}` : def.plural} "${name}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
        {
          name,
          group: def.group,
          kind: def.plural,
        },
      );
    }
  }

  private defaults(def: ResourceDef, obj: Record<string, any>, old?: Record<string, any>): void {
    if (def.group !== '') return;
    if (def.kind === 'Secret' && isObject(obj.stringData)) {
      obj.data = { ...(obj.data ?? {}) };
      for (const [k, v] of Object.entries(obj.stringData)) obj.data[k] = Buffer.from(String(v)).toString('base64');
      delete obj.stringData;
      obj.type ??= 'Opaque';
    }
    if (def.kind === 'Secret') obj.type ??= 'Opaque';
    if (def.kind === 'Namespace') {
      obj.spec = { finalizers: ['kubernetes'], ...(obj.spec ?? {}) };
      obj.status = { phase: 'Active', ...(obj.status ?? {}) };
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
    }
    if (def.kind === 'Service') {
      const spec = (obj.spec = { ...(obj.spec ?? {}) });
      spec.type ??= 'ClusterIP';
      spec.sessionAffinity ??= 'None';
      if (old?.spec?.clusterIP && spec.clusterIP === undefined) spec.clusterIP = old.spec.clusterIP;
      if (spec.clusterIP === undefined) {
        const n = ++this.serviceIps;
        spec.clusterIP = `10.96.${Math.floor(n / 250)}.${(n % 250) + 1}`;
      }
      spec.clusterIPs ??= [spec.clusterIP];
      spec.ipFamilies ??= [spec.clusterIP.includes(':') ? 'IPv6' : 'IPv4'];
      spec.ipFamilyPolicy ??= 'SingleStack';
      if (Array.isArray(spec.ports)) {
        spec.ports = spec.ports.map((p: any) => ({ protocol: 'TCP', targetPort: p.port, ...p }));
      }
      if (spec.type === 'LoadBalancer' || spec.type === 'NodePort') spec.externalTrafficPolicy ??= 'Cluster';
      obj.status ??= { loadBalancer: {} };
    }
    if (def.kind === 'Pod') obj.status ??= { phase: 'Pending' };
  }

  create(def: ResourceDef, version: string, ns: string | undefined, body: Record<string, any>, opts: WriteOptions = {}): WriteResult {
    if (!isObject(body)) throw badRequest('the object provided is not a valid object');
    const obj = this.toStorage(def, version, body);
    obj.metadata = isObject(obj.metadata) ? { ...obj.metadata } : {};
    if (def.namespaced) {
      if (obj.metadata.namespace && ns && obj.metadata.namespace !== ns) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      obj.metadata.namespace = ns ?? obj.metadata.namespace;
    } else delete obj.metadata.namespace;
    if (!obj.metadata.name && obj.metadata.generateName) {
      let suffix = '';
      for (let i = 0; i < 5; i++) suffix += GENERATE_ALPHABET[randomInt(GENERATE_ALPHABET.length)];
      obj.metadata.name = `${obj.metadata.generateName}${suffix}`;
    }
    const name = String(obj.metadata.name ?? '');
    if (!name) throw invalid(def, '', [{ reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' }]);
    const bad = nameCause(def, name);
    if (bad) throw invalid(def, name, [{ reason: 'FieldValueInvalid', field: 'metadata.name', message: bad }]);
    this.checkNamespace(def, obj.metadata.namespace, name);
    for (const k of ['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'selfLink'])
      delete obj.metadata[k];
    if (def.status && !opts.keepStatus && def.kind !== 'Namespace') delete obj.status;
    const warnings = pruneUnknownFields(def, version, obj, opts.fieldValidation);
    this.defaults(def, obj);
    if (!opts.skipAdmission) admit('CREATE', def, this.store, obj);
    if (this.store.exists(def, obj.metadata.namespace, name)) throw alreadyExists(def, name);
    if (opts.dryRun) return { obj, warnings, created: true };
    return { obj: this.store.insert(def, obj), warnings, created: true };
  }

  /** PUT of the object or of its /status. */
  update(
    def: ResourceDef,
    version: string,
    ns: string | undefined,
    name: string,
    body: Record<string, any>,
    sub?: 'status',
    opts: WriteOptions = {},
  ): WriteResult {
    if (!isObject(body)) throw badRequest('the object provided is not a valid object');
    const cur = this.store.get(def, ns, name);
    if (!cur) throw notFound(def, name);
    const incoming = this.toStorage(def, version, body);
    incoming.metadata = isObject(incoming.metadata) ? { ...incoming.metadata } : {};
    if (incoming.metadata.name !== undefined && incoming.metadata.name !== name) {
      throw badRequest(`the name of the object (${incoming.metadata.name}) does not match the name on the URL (${name})`);
    }
    if (def.namespaced && incoming.metadata.namespace !== undefined && incoming.metadata.namespace !== ns) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const rv = incoming.metadata.resourceVersion;
    if (rv === undefined || rv === '') {
      if (!def.core) {
        throw invalid(def, name, [
          { reason: 'FieldValueInvalid', field: 'metadata.resourceVersion', message: 'Invalid value: 0x0: must be specified for an update' },
        ]);
      }
    } else if (String(rv) !== cur.metadata.resourceVersion) throw conflict(def, name);
    return this.commitUpdate(def, version, cur, incoming, sub, opts);
  }

  private commitUpdate(
    def: ResourceDef,
    version: string,
    cur: Record<string, any>,
    incoming: Record<string, any>,
    sub: 'status' | undefined,
    opts: WriteOptions,
  ): WriteResult {
    const name = cur.metadata.name;
    let next: Record<string, any>;
    if (sub === 'status') {
      next = clone(cur);
      if (incoming.status === undefined) delete next.status;
      else next.status = incoming.status;
    } else {
      next = incoming;
      next.metadata = { ...incoming.metadata, name, namespace: cur.metadata.namespace };
      if (!def.namespaced) delete next.metadata.namespace;
      if (def.status && def.kind !== 'Namespace') {
        if (cur.status === undefined) delete next.status;
        else next.status = cur.status;
      }
      if (def.kind === 'Namespace' && def.group === '') {
        next.spec = cur.spec;
        next.status = cur.status;
      }
      if (cur.metadata.deletionTimestamp) {
        const before = new Set<string>(cur.metadata.finalizers ?? []);
        const added = (next.metadata.finalizers ?? []).filter((f: string) => !before.has(f));
        if (added.length) {
          throw invalid(def, name, [
            {
              reason: 'FieldValueForbidden',
              field: 'metadata.finalizers',
              message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f: string) => JSON.stringify(f)).join(', ')}}`,
            },
          ]);
        }
      }
      const warnings = pruneUnknownFields(def, version, next, opts.fieldValidation);
      this.defaults(def, next, cur);
      if (def.kind === 'Service' && def.group === '' && cur.spec?.clusterIP && next.spec?.clusterIP !== cur.spec.clusterIP) {
        throw invalid(def, name, [
          {
            reason: 'FieldValueInvalid',
            field: 'spec.clusterIPs[0]',
            message: `Invalid value: []string{${JSON.stringify(next.spec.clusterIP)}}: may not change once set`,
          },
        ]);
      }
      if (!opts.skipAdmission) admit('UPDATE', def, this.store, next, cur);
      if (opts.dryRun) return { obj: next, warnings };
      return { obj: this.store.replace(def, next), warnings };
    }
    if (opts.dryRun) return { obj: next, warnings: [] };
    return { obj: this.store.replace(def, next), warnings: [] };
  }

  patch(
    def: ResourceDef,
    version: string,
    ns: string | undefined,
    name: string,
    contentType: string,
    rawBody: string,
    sub?: 'status',
    opts: WriteOptions & { force?: boolean } = {},
  ): WriteResult {
    const type = contentType.split(';')[0]!.trim().toLowerCase();
    const parse = () => {
      try {
        return type === 'application/apply-patch+yaml' ? YAML.parse(rawBody) : JSON.parse(rawBody);
      } catch (e) {
        throw badRequest(`error decoding patch: ${(e as Error).message}`);
      }
    };
    if (type === 'application/strategic-merge-patch+json' && !def.core) throw unsupportedMediaType();
    if (
      !['application/merge-patch+json', 'application/json-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'].includes(type)
    ) {
      throw unsupportedMediaType();
    }
    const body = parse();
    const stored = this.store.get(def, ns, name);
    if (!stored) {
      if (type === 'application/apply-patch+yaml' && !sub) {
        return this.create(def, version, ns, { ...body, metadata: { ...(body?.metadata ?? {}), name } }, opts);
      }
      throw notFound(def, name);
    }
    const cur = convert(def, clone(stored), version);
    let patched: any;
    if (type === 'application/json-patch+json') patched = jsonPatch(cur, body);
    else if (type === 'application/strategic-merge-patch+json') patched = strategicMergePatch(cur, body);
    else patched = mergePatch(cur, body);
    if (!isObject(patched)) throw badRequest('the patched object is not a valid object');
    patched.metadata = isObject(patched.metadata) ? patched.metadata : {};
    if (patched.metadata.resourceVersion !== undefined && String(patched.metadata.resourceVersion) !== stored.metadata.resourceVersion) {
      throw conflict(def, name);
    }
    patched.metadata.resourceVersion = stored.metadata.resourceVersion;
    const incoming = this.toStorage(def, version, patched);
    return this.commitUpdate(def, version, stored, incoming, sub, opts);
  }

  delete(
    def: ResourceDef,
    ns: string | undefined,
    name: string,
    opts: { dryRun?: boolean; preconditions?: { uid?: string; resourceVersion?: string }; skipAdmission?: boolean } = {},
  ): { obj: Record<string, any>; gone: boolean } {
    const cur = this.store.get(def, ns, name);
    if (!cur) throw notFound(def, name);
    if (opts.preconditions?.uid && opts.preconditions.uid !== cur.metadata.uid) {
      throw conflict(def, name);
    }
    if (opts.preconditions?.resourceVersion && opts.preconditions.resourceVersion !== cur.metadata.resourceVersion) throw conflict(def, name);
    if (def.kind === 'Namespace' && def.group === '' && PROTECTED_NAMESPACES.includes(name)) {
      throw new ApiError(403, 'Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`, { name, kind: 'namespaces' });
    }
    if (!opts.skipAdmission) admit('DELETE', def, this.store, cur);
    if (opts.dryRun) return { obj: cur, gone: false };
    if (def.kind === 'Namespace' && def.group === '') return this.deleteNamespace(name);
    const r = this.store.remove(def, ns, name)!;
    return r;
  }

  /** Namespace deletion: Terminating, contents deleted (finalizers honoured), gone once empty. */
  private deleteNamespace(name: string): { obj: Record<string, any>; gone: boolean } {
    const def = NAMESPACE_DEF();
    const cur = this.store.get(def, undefined, name)!;
    if (!cur.metadata.deletionTimestamp) {
      const next = clone(cur);
      next.status = { ...(next.status ?? {}), phase: 'Terminating' };
      next.metadata.deletionTimestamp = nowTimestamp();
      next.metadata.deletionGracePeriodSeconds = 0;
      this.store.replace(def, next);
    }
    for (const { def: d, obj } of this.store.inNamespace(name)) this.store.remove(d, name, obj.metadata.name);
    return this.finishNamespace(name) ?? { obj: this.store.get(def, undefined, name)!, gone: false };
  }

  /** Removes a terminating namespace once nothing is left in it. */
  finishNamespace(name: string): { obj: Record<string, any>; gone: boolean } | undefined {
    const def = NAMESPACE_DEF();
    const ns = this.store.get(def, undefined, name);
    if (!ns?.metadata.deletionTimestamp || this.store.inNamespace(name).length > 0) return undefined;
    const next = clone(ns);
    next.spec = { ...(next.spec ?? {}), finalizers: [] };
    next.metadata.finalizers = [];
    return { obj: this.store.replace(def, next), gone: true };
  }
}
