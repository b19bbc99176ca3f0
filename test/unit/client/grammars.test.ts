// The TextMate grammars are only checked here with JS RegExp (vscode-textmate/oniguruma are not
// installed): every regex must compile, and the IP and block-scalar rules must match what they claim.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

interface Rule {
  match?: string;
  begin?: string;
  end?: string;
  patterns?: Rule[];
  include?: string;
}
interface Grammar {
  scopeName: string;
  injectionSelector: string;
  patterns: Rule[];
  repository: Record<string, Rule>;
}

function load(name: string): Grammar {
  return JSON.parse(readFileSync(new URL(`../../../syntaxes/${name}`, import.meta.url), 'utf8')) as Grammar;
}

/** Oniguruma's \G (anchor at the previous match end) has no JS equivalent; a line start stands in. */
function toJs(source: string, flags = 'g'): RegExp {
  return new RegExp(source.replace(/\\G/g, '^'), flags);
}

function allRegexes(grammar: Grammar): string[] {
  const out: string[] = [];
  const visit = (rule: Rule): void => {
    for (const key of ['match', 'begin', 'end'] as const) if (rule[key]) out.push(rule[key]!);
    rule.patterns?.forEach(visit);
  };
  Object.values(grammar.repository).forEach(visit);
  return out;
}

const ipGrammar = load('ip-injection.tmLanguage.json');
const embedded = load('kube-vip-embedded.tmLanguage.json');

function matches(ruleName: string, text: string): string[] {
  const rule = ipGrammar.repository[ruleName]!;
  return [...text.matchAll(toJs(rule.match!))].map((m) => m[0]);
}

describe('ip-injection grammar', () => {
  test('is an injection into source.yaml outside comments, and every regex compiles', () => {
    assert.equal(ipGrammar.scopeName, 'capi-ipam.ip-injection');
    assert.match(ipGrammar.injectionSelector, /source\.yaml -comment/);
    const regexes = allRegexes(ipGrammar);
    assert.equal(regexes.length, 4);
    for (const source of regexes) assert.doesNotThrow(() => toJs(source), source);
  });

  test('IPv4 addresses, both ends of a range, not versions or longer dotted numbers', () => {
    assert.deepEqual(matches('ipv4-address', 'host: 10.0.0.5'), ['10.0.0.5']);
    assert.deepEqual(matches('ipv4-address', '- 10.0.0.10-10.0.0.20'), ['10.0.0.10', '10.0.0.20']);
    assert.deepEqual(matches('ipv4-address', "address: '192.168.1.254'"), ['192.168.1.254']);
    assert.deepEqual(matches('ipv4-address', 'image: kube-vip:v0.8.1.2'), []);
    assert.deepEqual(matches('ipv4-address', 'x: 1.2.3.4.5'), []);
    assert.deepEqual(matches('ipv4-address', 'x: 256.1.1.1'), []);
    assert.deepEqual(matches('ipv4-address', 'cidr: 10.0.0.0/24'), [], 'a CIDR is the cidr rule');
  });

  test('IPv4 CIDRs with a valid prefix length', () => {
    assert.deepEqual(matches('ipv4-cidr', 'cidr-global: 10.0.10.0/28,10.0.11.0/30'), ['10.0.10.0/28', '10.0.11.0/30']);
    assert.deepEqual(matches('ipv4-cidr', 'x: 10.0.0.0/33'), []);
  });

  test('IPv6 addresses: full and compressed forms, not times or MACs', () => {
    assert.deepEqual(matches('ipv6-address', 'gateway: fd00::1'), ['fd00::1']);
    assert.deepEqual(matches('ipv6-address', 'a: 2001:db8:0:0:0:0:0:1'), ['2001:db8:0:0:0:0:0:1']);
    assert.deepEqual(matches('ipv6-address', '- fd00::10-fd00::20'), ['fd00::10', 'fd00::20']);
    assert.deepEqual(matches('ipv6-address', 'a: ::ffff:10.0.0.1'), ['::ffff:10.0.0.1']);
    assert.deepEqual(matches('ipv6-address', 'time: 12:30:45'), []);
    assert.deepEqual(matches('ipv6-address', 'mac: 00:50:56:aa:bb:cc'), []);
    assert.deepEqual(matches('ipv6-cidr', 'addresses: [fd00:10::/64]'), ['fd00:10::/64']);
    assert.deepEqual(matches('ipv6-cidr', 'x: fd00::/129'), []);
  });
});

describe('kube-vip-embedded grammar', () => {
  const repo = embedded.repository;

  test('every regex compiles and the embedded scope is meta.embedded.block.yaml including source.yaml', () => {
    for (const source of allRegexes(embedded)) assert.doesNotThrow(() => toJs(source), source);
    const manifest = repo['manifest'] as Rule & { contentName: string };
    assert.equal(manifest.contentName, 'meta.embedded.block.yaml');
    assert.deepEqual(manifest.patterns, [{ include: 'source.yaml' }]);
  });

  test('begins at `content: |` keys, with or without a sequence dash and indentation indicators', () => {
    const inSequence = toJs(repo['file-content-in-sequence']!.begin!, '');
    const plain = toJs(repo['file-content']!.begin!, '');
    assert.ok(inSequence.test('    - content: |'));
    assert.ok(inSequence.test('    -   content: |-'));
    assert.ok(plain.test('      content: |'));
    assert.ok(plain.test('  content: |2+'));
    assert.ok(!plain.test('  content: >'), 'folded scalars are not manifests');
    assert.ok(!plain.test('  content: inline'));
  });

  test('the manifest starts on a Kubernetes manifest line or a kube-vip line only', () => {
    const begin = toJs(repo['manifest']!.begin!, '');
    assert.ok(begin.test('        apiVersion: v1'));
    assert.ok(begin.test('        kind: Pod'));
    assert.ok(begin.test('        # kube-vip static pod'));
    assert.ok(!begin.test('        #!/bin/bash'));
  });

  test('the block ends at the first less-indented non-blank line; blank lines stay inside', () => {
    // end regexes use back-references to begin captures: substitute them as TextMate does.
    const endOf = (rule: string, captures: string[]): RegExp =>
      toJs(
        repo[rule]!.end!.replace(/\\(\d)/g, (_, n: string) => captures[Number(n)]!.replace(/\s/g, ' ')),
        '',
      );
    const seqEnd = endOf('file-content-in-sequence', ['', '    ', '-', ' ']);
    assert.ok(!seqEnd.test('        apiVersion: v1'), 'content line');
    assert.ok(!seqEnd.test(''), 'blank line');
    assert.ok(seqEnd.test('      owner: root:root'), 'sibling key of the files[] entry');
    assert.ok(seqEnd.test('    - path: /etc/x'), 'next files[] entry');
    const manifestEnd = endOf('manifest', ['', '        ']);
    assert.ok(!manifestEnd.test('          name: kube-vip'));
    assert.ok(manifestEnd.test('      owner: root:root'));
  });
});
