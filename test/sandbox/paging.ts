// List pagination (limit/continue) as kube-apiserver serves it: items in key order (etcd's), a
// continue token naming the last key returned and the list's resourceVersion, which every page
// reports. Unlike etcd, later pages are not a snapshot of that version: objects written meanwhile
// may appear, which clients must tolerate anyway (the real token expires into a 410 after compaction).
import { badRequest } from './status';
import { listKey } from './store';

type Obj = { metadata?: { namespace?: string; name?: string } };

/** `scan(after)`: the matching objects in key order, from the first above `after`; read only as far as the page needs. */
export function paginate<T extends Obj>(
  scan: (after: string | undefined) => Iterable<T>,
  rv: string,
  limitText?: string,
  token?: string,
): { items: T[]; resourceVersion: string; continue?: string } {
  let after: string | undefined;
  if (token) {
    try {
      ({ rv, after } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { rv: string; after: string });
    } catch {
      throw badRequest('continue key is not valid: illegal base64 data');
    }
  }
  const limit = Number(limitText);
  const items: T[] = [];
  for (const o of scan(after)) {
    if (limit > 0 && items.length === limit) {
      return { items, resourceVersion: rv, continue: Buffer.from(JSON.stringify({ rv, after: listKey(items.at(-1)!) })).toString('base64url') };
    }
    items.push(o);
  }
  return { items, resourceVersion: rv };
}
