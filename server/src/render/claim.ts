// After an allocation, the IPAddressClaim goes into the chart (templates/) or the overlay (a file
// listed in its kustomization), so that uninstalling the release or pruning the overlay frees the address.
import { join } from 'node:path';
import { isSeq, parseDocument } from 'yaml';
import {
  claimDocumentEdit,
  type ClaimOptions,
  type ClaimPool,
  vipClaimName,
  type WorkloadCluster,
  type TextEdit,
  appendToSeq,
  type SourceText,
} from '../engine/index';

/** Where a rendering keeps a new claim: a folder, and the kustomization that must list the file. */
export interface ClaimHome {
  dir: string;
  kustomization?: string;
}

/** A plain text as a SourceText (only what insertions use). */
function plain(uri: string, text: string): SourceText {
  const replace = (start: number, end: number, newText: string): TextEdit[] => [{ uri, span: { start, end }, newText }];
  return {
    uri,
    text,
    outerSpan: (start, end) => ({ start, end }),
    replace,
    replaceAll: (cs) => cs.flatMap((c) => replace(c.start, c.end, c.newText)),
    lift: (changes) => ({ text: plain(uri, text), changes }),
  };
}

/**
 * Edits creating `<claim>.yaml` in `home.dir` (and listing it in the kustomization's resources).
 * `text(uri)` is a file's current text ('' for a new one).
 */
export function claimFileEdits(
  home: ClaimHome,
  cluster: WorkloadCluster,
  pool: ClaimPool,
  opts: ClaimOptions,
  toUri: (p: string) => string,
  text: (uri: string) => string,
): TextEdit[] {
  const name = `${vipClaimName(cluster.name)}.yaml`;
  const file = toUri(join(home.dir, name));
  if (text(file) !== '') return []; // already there
  const doc = claimDocumentEdit({ ...cluster, cluster: { uri: file, span: { start: 0, end: 0 } } }, '', pool, opts).map((e) => ({
    ...e,
    newText: e.newText.replace(/^---\n/, ''),
  }));
  if (!home.kustomization) return doc;
  const kuri = toUri(home.kustomization);
  const ktext = text(kuri);
  const resources = parseDocument(ktext).get('resources', true) as unknown;
  const list = isSeq(resources) ? appendToSeq(plain(kuri, ktext), resources, name) : [];
  if (!list.length && resources !== undefined) throw new Error(`${kuri}: cannot add ${name} to its resources; write the claim by hand`);
  const append = list.length
    ? list
    : [{ uri: kuri, span: { start: ktext.length, end: ktext.length }, newText: `${ktext.endsWith('\n') || !ktext ? '' : '\n'}resources:\n  - ${name}\n` }];
  return [...doc, ...append];
}
