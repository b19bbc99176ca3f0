// "cached, 3 min ago": how hover (server) and the views (client) describe data of a management
// cluster that cannot be read right now. Pure, shared by both sides.
export function cachedAge(cachedAt: number, now = Date.now()): string {
  const minutes = Math.floor(Math.max(0, now - cachedAt) / 60_000);
  return `cached, ${minutes} min ago`;
}
