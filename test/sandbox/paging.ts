// List pagination (limit/continue) as kube-apiserver serves it: items in key order (etcd's), a
// continue token naming the last key returned and the list's resourceVersion, which every page
// reports. Unlike etcd, later pages are not a snapshot of that version: objects written meanwhile
// may appear, which clients must tolerate anyway (the real token expires into a 410 after compaction).
import { badRequest } from './status';

type Obj = { metadata?: { namespace?: string; name?: string } };

const keyOf = (o: Obj) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

export function paginate<T extends Obj>(items: T[], rv: string, limitText?: string, token?: string): { items: T[]; resourceVersion: string; continue?: string } {
  let after: string | undefined;
  if (token) {
    try {
      ({ rv, after } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { rv: string; after: string });
    } catch {
      throw badRequest('continue key is not valid: illegal base64 data');
    }
  }
  const limit = Number(limitText);
  if (!token && !(limit > 0)) return { items, resourceVersion: rv };
  const sorted = [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const rest = after === undefined ? sorted : sorted.filter((o) => keyOf(o) > after!);
  if (!(limit > 0) || rest.length <= limit) return { items: rest, resourceVersion: rv };
  const page = rest.slice(0, limit);
  return { items: page, resourceVersion: rv, continue: Buffer.from(JSON.stringify({ rv, after: keyOf(page.at(-1)!) })).toString('base64url') };
}
