// Text from files or the cluster on its way into markdown (hover, tooltips): escaped, so a name like
// `![x](https://…)` is shown as text, never rendered as an image or a link. Used by server and client.

/**
 * Escapes what markdown would interpret: inline syntax, HTML, theme icons (`$(…)`), autolinks and,
 * at the start, block syntax. Line breaks become spaces. Hyphens and dots inside names stay readable.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n|[\r\n]/g, ' ')
    .replace(/[\\`*_{}[\]()<>!|$~&]/g, '\\$&')
    .replace(/:(?=\/\/)/g, '\\:')
    .replace(/\b(www)\./gi, '$1\\.')
    .replace(/^([#+=-])(?=\s|$)/, '\\$1')
    .replace(/^(\d+)([.)])(?=\s|$)/, '$1\\$2');
}

/** Inside a code span only a backtick (or a line break) could end it early. */
export function escapeCode(text: string): string {
  return text.replace(/`/g, "'").replace(/\r\n|[\r\n]/g, ' ');
}
