// HTTP handling: authentication, fault injection, the request log, routing of discovery,
// OpenAPI and resource paths, and list/watch streaming.
import type { IncomingMessage, ServerResponse } from 'node:http';
import YAML from 'yaml';
import { apiGroup, apiGroupList, apiVersions, openapiDocument, openapiIndex, resourceList, VERSION_INFO } from './discovery';
import type { Faults, RequestInfo } from './faults';
import { bearerOf, sameSecret } from './secret';
import { apiVersionOf, convert, findByPlural, type ResourceDef } from './kinds';
import { toJson } from './json';
import { decodeProtobuf, PROTOBUF } from './protobuf';
import type { Operations } from './ops';
import { paginate } from './paging';
import { matchFields, matchLabels, parseFieldSelector, parseLabelSelector } from './selectors';
import { ApiError, badRequest, expired, forbidden, internalError, methodNotAllowed, success, unauthorized, unknownPath, unsupportedMediaType } from './status';
import type { Store, StoreEvent } from './store';
import { toTable, wantsTable, type IncludeObject } from './table';

export interface RequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  watch: boolean;
}

export interface ServerContext {
  store: Store;
  ops: Operations;
  faults: Faults;
  token: () => string;
  requests: RequestRecord[];
  heartbeatMs: number;
  user: string;
  hostPort: () => string;
  /** Called when a list starts; what it returns when that list's response ends (inFlight.ts). */
  listStarted?: () => () => void;
}

interface Route {
  def: ResourceDef;
  version: string;
  ns?: string;
  name?: string;
  sub?: string;
}

const ANONYMOUS_PATHS = new Set(['/version', '/healthz', '/livez', '/readyz']);
const MAX_BODY = 16 * 1024 * 1024;

export class ApiHandler {
  /** Open watch streams, and requests deliberately left hanging. */
  private readonly watches = new Set<ServerResponse>();
  private readonly hung = new Set<ServerResponse>();

  constructor(private readonly ctx: ServerContext) {
    ctx.faults.onDropWatches = (abrupt) => this.dropWatches(abrupt);
  }

  dropWatches(abrupt: boolean): void {
    for (const res of [...this.watches]) {
      this.watches.delete(res);
      if (abrupt) res.destroy();
      else res.end();
    }
  }

  /** Ends everything still open (server stop). */
  closeAll(): void {
    this.dropWatches(true);
    for (const res of this.hung) res.destroy();
    this.hung.clear();
  }

  handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'https://sandbox');
    const query: Record<string, string> = {};
    url.searchParams.forEach((v, k) => (query[k] = v));
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const isWatch = query.watch === '1' || query.watch === 'true';
    const record: RequestRecord = { method: req.method ?? 'GET', path, query, status: 0, watch: isWatch };
    this.ctx.requests.push(record);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      if (res.headersSent || res.destroyed) return;
      const text = body === undefined ? '' : typeof body === 'string' && headers['Content-Type'] ? body : toJson(body);
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
      res.end(text);
    };
    const sendError = (e: unknown) => {
      const err = e instanceof ApiError ? e : internalError(`sandbox: ${(e as Error)?.message ?? String(e)}`);
      if (!(e instanceof ApiError)) console.error('sandbox: request failed:', e);
      send(err.code, err.toStatus());
    };

    let route: Route | undefined;
    let info: RequestInfo;
    try {
      route = this.route(path);
      info = { method: record.method, path, verb: route ? verbOf(record.method, route, isWatch) : record.method.toLowerCase(), resource: route?.def.plural };
    } catch (e) {
      info = { method: record.method, path, verb: record.method.toLowerCase() };
      route = undefined;
      if (!(e instanceof ApiError)) return sendError(e);
    }

    if (info.verb === 'list' && this.ctx.listStarted) res.once('close', this.ctx.listStarted());
    if (this.ctx.faults.frozen || this.ctx.faults.takeHang(info)) {
      this.hung.add(res);
      res.on('close', () => this.hung.delete(res));
      req.resume();
      return;
    }
    const failure = this.ctx.faults.takeFailure(info);
    if (failure !== undefined) {
      req.resume();
      return sendError(internalError(`sandbox: injected failure (${failure})`, failure));
    }
    const auth = req.headers.authorization;
    const authenticated = sameSecret(bearerOf(auth), this.ctx.token()) && !this.ctx.faults.tokenRefused;
    if (!authenticated && (auth !== undefined || this.ctx.faults.tokenRefused || !ANONYMOUS_PATHS.has(path))) {
      req.resume();
      return sendError(unauthorized());
    }
    if (route && this.ctx.faults.isForbidden(info)) {
      req.resume();
      return sendError(forbidden(this.ctx.user, info.verb, route.def, route.ns, route.name));
    }

    this.readBody(req)
      .then((raw) => {
        if (route) return this.resource(req, res, route, query, raw, send, record);
        return this.nonResource(req, path, send);
      })
      .catch(sendError);
  };

  private readBody(req: IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) reject(new ApiError(413, 'RequestEntityTooLarge', 'the request body is too large'));
        else chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
  }

  /** Parses a resource path, or returns undefined for a non-resource path; unknown resources → 404. */
  private route(path: string): Route | undefined {
    const segs = path
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);
    let group: string;
    let version: string;
    let rest: string[];
    if (segs[0] === 'api' && segs.length >= 3) {
      group = '';
      version = segs[1]!;
      rest = segs.slice(2);
    } else if (segs[0] === 'apis' && segs.length >= 4) {
      group = segs[1]!;
      version = segs[2]!;
      rest = segs.slice(3);
    } else return undefined;
    let ns: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3 && rest[2] !== 'status' && rest[2] !== 'finalize') {
      ns = rest[1];
      rest = rest.slice(2);
    }
    const [plural, name, sub, ...extra] = rest;
    const def = findByPlural(group, version, plural!);
    if (!def || extra.length) throw unknownPath();
    if (ns !== undefined && !def.namespaced) throw unknownPath();
    if (sub !== undefined) {
      const ok = (sub === 'status' && def.status) || (sub === 'finalize' && def.kind === 'Namespace' && def.group === '');
      if (!ok) throw unknownPath();
    }
    return { def, version, ns, name, sub };
  }

  private nonResource(req: IncomingMessage, path: string, send: (s: number, b: unknown, h?: Record<string, string>) => void): void {
    if (req.method !== 'GET') throw unknownPath();
    if (path === '/version') return send(200, VERSION_INFO);
    if (path === '/healthz' || path === '/livez' || path === '/readyz') {
      return send(200, 'ok', { 'Content-Type': 'text/plain; charset=utf-8' });
    }
    if (path === '/api') return send(200, apiVersions(this.ctx.hostPort()));
    if (path === '/apis') return send(200, apiGroupList());
    if (path === '/openapi/v2') {
      return send(200, undefined, { 'Content-Type': 'application/octet-stream' });
    }
    if (path === '/openapi/v3') return send(200, openapiIndex());
    if (path.startsWith('/openapi/v3/')) {
      const doc = openapiDocument(path.slice('/openapi/v3/'.length));
      if (doc) return send(200, doc);
      throw unknownPath();
    }
    const segs = path.split('/').filter((s) => s !== '');
    if (segs[0] === 'api' && segs.length === 2) {
      const list = resourceList('', segs[1]!);
      if (list) return send(200, list);
    }
    if (segs[0] === 'apis' && segs.length === 2) {
      const g = apiGroup(segs[1]!);
      if (g) return send(200, g);
    }
    if (segs[0] === 'apis' && segs.length === 3) {
      const list = resourceList(segs[1]!, segs[2]!);
      if (list) return send(200, list);
    }
    throw unknownPath();
  }

  private resource(
    req: IncomingMessage,
    res: ServerResponse,
    route: Route,
    query: Record<string, string>,
    raw: Buffer,
    send: (s: number, b: unknown, h?: Record<string, string>) => void,
    record: RequestRecord,
  ): void {
    const { def, version, ns, name, sub } = route;
    const ops = this.ctx.ops;
    const store = this.ctx.store;
    const method = req.method ?? 'GET';
    const out = (o: Record<string, any>) => convert(def, o, version);
    const table = wantsTable(req.headers.accept);
    const include = (query.includeObject as IncludeObject | undefined) ?? 'Metadata';
    const writeOpts = { dryRun: query.dryRun === 'All', fieldValidation: query.fieldValidation };
    const warningHeaders = (w: string[]): Record<string, string> => (w.length ? { Warning: w.map((t) => `299 - ${JSON.stringify(t)}`).join(', ') } : {});
    if (def.namespaced && name !== undefined && ns === undefined) throw unknownPath();

    if (method === 'GET' && name !== undefined) {
      const o = store.get(def, ns, name);
      if (!o) throw require404(def, name);
      const obj = out(o);
      if (table) return send(200, toTable(def, [obj], { resourceVersion: obj.metadata.resourceVersion }, include));
      return send(200, obj);
    }
    if (method === 'GET') {
      const labels = parseLabelSelector(query.labelSelector);
      const fields = parseFieldSelector(query.fieldSelector);
      const match = (o: Record<string, any>) => matchLabels(labels, o.metadata?.labels) && matchFields(fields, o);
      if (query.watch === '1' || query.watch === 'true') return this.watch(req, res, route, query, match, table, include, record);
      const page = paginate((after) => store.scan(def, ns, after, match), String(store.resourceVersion), query.limit, query.continue);
      const items = page.items.map(out);
      const metadata = { resourceVersion: page.resourceVersion, ...(page.continue ? { continue: page.continue } : {}) };
      if (table) return send(200, toTable(def, items, metadata, include));
      return send(200, { apiVersion: apiVersionOf(def.group, version), kind: `${def.kind}List`, metadata, items });
    }
    const body = raw.toString('utf8');
    const parsed = () => parseBody(body, req.headers['content-type'], () => decodeProtobuf(raw, def.kind, BODY_TYPES));
    if (method === 'POST' && name === undefined) {
      const r = ops.create(def, version, ns, parsed(), writeOpts);
      return send(201, out(r.obj), warningHeaders(r.warnings));
    }
    if (method === 'PUT' && name !== undefined) {
      if (sub === 'finalize') {
        const b = parsed();
        const cur = store.get(def, undefined, name);
        if (!cur) throw require404(def, name);
        const next = { ...cur, spec: { ...(cur.spec ?? {}), finalizers: b?.spec?.finalizers ?? [] } };
        return send(200, out(store.replace(def, next)));
      }
      const r = ops.update(def, version, ns, name, parsed(), sub === 'status' ? 'status' : undefined, writeOpts);
      return send(200, out(r.obj), warningHeaders(r.warnings));
    }
    if (method === 'PATCH' && name !== undefined) {
      const r = ops.patch(def, version, ns, name, String(req.headers['content-type'] ?? ''), body, sub === 'status' ? 'status' : undefined, {
        ...writeOpts,
        force: query.force === 'true',
      });
      return send(r.created ? 201 : 200, out(r.obj), warningHeaders(r.warnings));
    }
    if (method === 'DELETE' && name !== undefined) {
      const opts = body.trim() ? parseBody(body, 'application/json') : {};
      const r = ops.delete(def, ns, name, {
        dryRun: writeOpts.dryRun || (Array.isArray(opts?.dryRun) && opts.dryRun.includes('All')),
        preconditions: opts?.preconditions,
      });
      if (def.core && def.kind !== 'Pod' && r.gone) {
        return send(200, success({ name, kind: def.plural, uid: r.obj.metadata.uid, ...(def.group ? { group: def.group } : {}) }));
      }
      return send(200, out(r.obj));
    }
    if (method === 'DELETE') {
      const labels = parseLabelSelector(query.labelSelector);
      const fields = parseFieldSelector(query.fieldSelector);
      const items = store.list(def, ns).filter((o) => matchLabels(labels, o.metadata?.labels) && matchFields(fields, o));
      const deleted = items.map((o) => out(ops.delete(def, o.metadata.namespace, o.metadata.name, { dryRun: writeOpts.dryRun }).obj));
      return send(200, {
        apiVersion: apiVersionOf(def.group, version),
        kind: `${def.kind}List`,
        metadata: { resourceVersion: String(store.resourceVersion) },
        items: deleted,
      });
    }
    throw methodNotAllowed(method, def);
  }

  private watch(
    req: IncomingMessage,
    res: ServerResponse,
    route: Route,
    query: Record<string, string>,
    match: (o: Record<string, any>) => boolean,
    table: boolean,
    include: IncludeObject,
    record: RequestRecord,
  ): void {
    const { def, version, ns } = route;
    const store = this.ctx.store;
    record.status = 200;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    this.watches.add(res);
    let first = true;
    const write = (type: string, obj: Record<string, any>) => {
      if (res.destroyed || res.writableEnded || this.ctx.faults.frozen) return;
      let object: unknown = obj;
      if (type === 'ERROR' || type === 'BOOKMARK') object = obj;
      else {
        const converted = convert(def, obj, version);
        object = table ? toTable(def, [converted], { resourceVersion: converted.metadata.resourceVersion }, include, first) : converted;
        first = false;
      }
      res.write(`${toJson({ type, object })}\n`);
    };
    const inScope = (o: Record<string, any> | undefined) => o !== undefined && (ns === undefined || o.metadata?.namespace === ns) && match(o);
    const deliver = (ev: StoreEvent) => {
      if (ev.def !== def) return;
      const now = ev.type !== 'DELETED' && inScope(ev.obj);
      const before = ev.type === 'ADDED' ? false : inScope(ev.prev);
      if (ev.type === 'DELETED') {
        if (inScope(ev.obj) || before) write('DELETED', ev.obj);
      } else if (now && before) write('MODIFIED', ev.obj);
      else if (now) write('ADDED', ev.obj);
      else if (before) write('DELETED', ev.obj);
    };

    const rvText = query.resourceVersion;
    if (rvText === undefined || rvText === '' || rvText === '0') {
      for (const o of store.list(def, ns)) if (match(o)) write('ADDED', o);
    } else {
      const rv = Number(rvText);
      if (!Number.isInteger(rv) || rv < 0) {
        write('ERROR', badRequest(`invalid resource version: ${rvText}`).toStatus() as unknown as Record<string, any>);
        return void this.endWatch(res);
      }
      const events = store.eventsSince(rv);
      if (!events) {
        write('ERROR', expired(rvText, store.oldestServable).toStatus() as unknown as Record<string, any>);
        return void this.endWatch(res);
      }
      events.forEach(deliver);
    }
    const bookmarks = query.allowWatchBookmarks === 'true' || query.allowWatchBookmarks === '1';
    const bookmark = () =>
      write('BOOKMARK', {
        kind: def.kind,
        apiVersion: apiVersionOf(def.group, version),
        metadata: { resourceVersion: String(store.resourceVersion), annotations: { 'k8s.io/initial-events-end': 'true' } },
      });
    if (bookmarks) bookmark();
    const unsubscribe = store.subscribe(deliver);
    const heartbeat = setInterval(() => {
      if (res.destroyed || res.writableEnded || this.ctx.faults.frozen) return;
      if (bookmarks) bookmark();
      else res.write('\n');
    }, this.ctx.heartbeatMs);
    const timeout = Number(query.timeoutSeconds);
    const timer = Number.isFinite(timeout) && timeout > 0 ? setTimeout(() => !this.ctx.faults.frozen && this.endWatch(res), timeout * 1000) : undefined;
    const cleanup = () => {
      unsubscribe();
      clearInterval(heartbeat);
      if (timer) clearTimeout(timer);
      this.watches.delete(res);
    };
    res.on('close', cleanup);
    res.on('finish', cleanup);
    req.on('close', () => {
      if (!res.writableEnded) res.end();
    });
  }

  private endWatch(res: ServerResponse): void {
    this.watches.delete(res);
    if (!res.writableEnded) res.end();
  }
}

function require404(def: ResourceDef, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${def.group ? `${def.plural}.${def.group}` : def.plural} "${name}" not found`, {
    name,
    group: def.group,
    kind: def.plural,
  });
}

function verbOf(method: string, route: Route, watch: boolean): string {
  switch (method) {
    case 'GET':
      return route.name !== undefined ? 'get' : watch ? 'watch' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return route.name !== undefined ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

/** The body formats the sandbox decodes (kube-apiserver also takes protobuf for built-in kinds). */
const BODY_TYPES = ['application/json', 'application/yaml'];

function parseBody(body: string, contentType: string | undefined, protobuf?: () => any): any {
  const type = (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  if (type === PROTOBUF && protobuf) return protobuf();
  if (!BODY_TYPES.includes(type)) throw unsupportedMediaType(BODY_TYPES);
  if (!body.trim()) throw badRequest('the request body is empty');
  try {
    if (contentType && /yaml/i.test(contentType)) return YAML.parse(body);
    return JSON.parse(body);
  } catch (e) {
    throw badRequest(`the body of the request could not be decoded: ${(e as Error).message}`);
  }
}
