// The system resolver (what the API server's clients would use), for endpoint host names.
import { lookup } from 'node:dns/promises';
import type { Lookup } from '../engine/index';

export const systemLookup: Lookup = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
