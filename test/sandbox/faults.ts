// Fault injection for tests: failing or hanging requests, dropped watches, refused tokens, 403s.

export interface RequestInfo {
  method: string;
  path: string;
  /** Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection (or the HTTP method for non-resource paths). */
  verb: string;
  /** Plural of the resource, when the path names one. */
  resource?: string;
}

type Match = (r: RequestInfo) => boolean;

export class Faults {
  private fail: { left: number; status: number; match?: Match }[] = [];
  private hang: { left: number; match?: Match }[] = [];
  private forbidden: { verb: string; resource?: string }[] = [];
  tokenRefused = false;
  /**
   * A hung API server (a SIGSTOPped process, a black-holed network): no request is answered and the
   * open watches send nothing, not even heartbeats or bookmarks, until it is false again.
   */
  frozen = false;
  /** Set by the server: ends (or destroys) every open watch stream. */
  onDropWatches: (abrupt: boolean) => void = () => {};

  /** The next `n` requests (matching `match`, if given) are answered with a Status of `status`. */
  failNext(n: number, status = 500, match?: Match): void {
    this.fail.push({ left: n, status, match });
  }

  /** The next `n` requests (matching `match`, if given) are never answered. */
  hangNext(n: number, match?: Match): void {
    this.hang.push({ left: n, match });
  }

  /** Ends every open watch; with `abrupt` the connections are destroyed instead of ended cleanly. */
  dropWatches(abrupt = false): void {
    this.onDropWatches(abrupt);
  }

  /** 401 Unauthorized for every request, whatever the token. */
  refuseToken(): void {
    this.tokenRefused = true;
  }

  /** 403 Forbidden for a verb (`*` for all) on a resource plural (all resources when omitted). */
  forbid(verb: string, resource?: string): void {
    this.forbidden.push({ verb, resource });
  }

  /** Undoes every `forbid`, leaving the other faults. */
  permit(): void {
    this.forbidden = [];
  }

  clear(): void {
    this.fail = [];
    this.hang = [];
    this.forbidden = [];
    this.tokenRefused = false;
    this.frozen = false;
  }

  /** @internal */
  takeHang(r: RequestInfo): boolean {
    const h = this.hang.find((x) => x.left > 0 && (!x.match || x.match(r)));
    if (!h) return false;
    h.left--;
    return true;
  }

  /** @internal */
  takeFailure(r: RequestInfo): number | undefined {
    const f = this.fail.find((x) => x.left > 0 && (!x.match || x.match(r)));
    if (!f) return undefined;
    f.left--;
    return f.status;
  }

  /** @internal */
  isForbidden(r: RequestInfo): boolean {
    return this.forbidden.some((f) => (f.verb === '*' || f.verb === r.verb) && (f.resource === undefined || f.resource === r.resource));
  }
}
