// The README section of a rule (pure: unit-tested without VS Code).

/** The section of `readme` about `code`, up to the next heading of the same or a higher level. */
export function ruleSection(readme: string, code: string): string | undefined {
  const lines = readme.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim() === `#### rule-${code}`);
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length && !/^#{1,4} /.test(lines[end]!)) end++;
  return lines.slice(start, end).join('\n').trim() + '\n';
}
