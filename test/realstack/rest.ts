// A small Kubernetes REST client for the test harness: JSON over HTTPS with a bearer token, plural
// names from discovery. It speaks to the sandbox and to kube-apiserver alike.
import { request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';
import YAML from 'yaml';

export interface Reply {
  status: number;
  body: any;
}

export interface WatchEvent {
  type: string;
  object: Record<string, any>;
}

export class Rest {
  private plurals = new Map<string, { plural: string; namespaced: boolean }>();

  constructor(
    readonly url: string,
    readonly caPem: string,
    readonly token: string,
  ) {}

  static fromKubeconfig(path: string): Rest {
    const kc = YAML.parse(readFileSync(path, 'utf8'));
    const cluster = kc.clusters[0].cluster;
    return new Rest(cluster.server, Buffer.from(cluster['certificate-authority-data'], 'base64').toString(), kc.users[0].user.token);
  }

  /** A client for the same server with another bearer token. */
  as(token: string): Rest {
    return new Rest(this.url, this.caPem, token);
  }

  request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const req = httpsRequest(
        new URL(path, this.url),
        {
          method,
          ca: this.caPem,
          timeout: 30_000,
          headers: { authorization: `Bearer ${this.token}`, accept: 'application/json', ...(data !== undefined ? { 'content-type': contentType } : {}) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => {
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              /* not JSON */
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on('error', reject);
      req.end(data);
    });
  }

  /** `/api/v1/namespaces/ns/pods/name` for an apiVersion and kind, resolved through discovery. */
  async path(apiVersion: string, kind: string, ns?: string, name?: string): Promise<string> {
    const key = `${apiVersion}/${kind}`;
    if (!this.plurals.has(key)) {
      const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      const r = await this.request('GET', base);
      if (r.status !== 200) throw new Error(`discovery of ${apiVersion}: ${r.status}`);
      for (const res of r.body.resources as { name: string; kind: string; namespaced: boolean }[]) {
        if (!res.name.includes('/')) this.plurals.set(`${apiVersion}/${res.kind}`, { plural: res.name, namespaced: res.namespaced });
      }
    }
    const p = this.plurals.get(key);
    if (!p) throw new Error(`the server does not serve ${kind} in ${apiVersion}`);
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    return `${base}${p.namespaced && ns ? `/namespaces/${ns}` : ''}/${p.plural}${name ? `/${name}` : ''}`;
  }

  async create(obj: Record<string, any>, query = ''): Promise<Reply> {
    // Like kubectl: a namespaced object without a namespace goes to `default`.
    return this.request('POST', `${await this.path(obj.apiVersion, obj.kind, obj.metadata?.namespace ?? 'default')}${query}`, obj);
  }

  async get(apiVersion: string, kind: string, ns: string | undefined, name: string): Promise<Record<string, any> | undefined> {
    const r = await this.request('GET', await this.path(apiVersion, kind, ns, name));
    if (r.status === 404) return undefined;
    if (r.status !== 200) throw new Error(`GET ${kind} ${name}: ${r.status} ${r.body?.message ?? ''}`);
    return r.body;
  }

  async list(apiVersion: string, kind: string, ns?: string): Promise<Record<string, any>[]> {
    const r = await this.request('GET', await this.path(apiVersion, kind, ns));
    if (r.status !== 200) throw new Error(`LIST ${kind}: ${r.status} ${r.body?.message ?? ''}`);
    return r.body.items;
  }

  async delete(apiVersion: string, kind: string, ns: string | undefined, name: string): Promise<Reply> {
    return this.request('DELETE', await this.path(apiVersion, kind, ns, name));
  }

  /** Streams watch events of a collection path until the returned function is called; `onOpen` once the server answered. */
  watch(path: string, onEvent: (e: WatchEvent) => void, onOpen?: () => void): () => void {
    const req = httpsRequest(
      new URL(`${path}${path.includes('?') ? '&' : '?'}watch=1`, this.url),
      {
        ca: this.caPem,
        headers: { authorization: `Bearer ${this.token}`, accept: 'application/json' },
      },
      (res) => {
        onOpen?.();
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          buf += c;
          for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
            const line = buf.slice(0, i).trim();
            buf = buf.slice(i + 1);
            if (line) onEvent(JSON.parse(line) as WatchEvent);
          }
        });
        res.on('error', () => {});
      },
    );
    req.on('error', () => {});
    req.end();
    return () => req.destroy();
  }
}

/** An error that ends a poll at once (e.g. the process being waited for has exited). */
export class Fatal extends Error {}

/** Polls `probe` until it returns a truthy value (each probe is a real request, so there is no fixed sleep to tune). */
export async function poll<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs: number, what: string, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      if (e instanceof Fatal) throw e;
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
