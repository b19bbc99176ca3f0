// What the demo prints next to its URL about transport security. The VS Code server speaks plain
// HTTP: on loopback that stays on the machine; on any other address the connection token and the
// whole session (editor contents, kubeconfig paths) cross the network unencrypted.
export const isLoopback = (host) => host === 'localhost' || host === '::1' || /^127\./.test(host);

/** Lines to print under the URL; none on loopback. */
export function exposureNotice(host) {
  if (isLoopback(host)) return [];
  return [
    `  WARNING: plain HTTP on ${host}: the connection token and the whole session travel unencrypted.`,
    '  Use it only on a network you trust, or keep the default 127.0.0.1 and forward it (ssh -L).',
  ];
}
