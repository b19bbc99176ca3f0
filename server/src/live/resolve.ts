// The system resolver (what the API server's clients would use), for endpoint host names.
import type { Lookup } from '../engine/index';

// node:dns is loaded on the first look-up: a `check` of files without host names never pays for it.
export const systemLookup: Lookup = async (host) =>
  (await (await import('node:dns/promises')).lookup(host, { all: true, verbatim: true })).map((a) => a.address);
