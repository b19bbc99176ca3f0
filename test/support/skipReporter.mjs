// A node:test reporter that writes one JSON line per skipped (or todo) test: its name, file and
// reason. test/run-node-tests.mjs compares them with test/expected-skips.txt.
export default async function* skipReporter(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { skip, todo, name, file } = event.data;
    if (skip === undefined && todo === undefined) continue;
    const reason = skip !== undefined ? skip : todo;
    yield `${JSON.stringify({ name, file, kind: skip !== undefined ? 'skip' : 'todo', reason: reason === true ? '' : String(reason) })}\n`;
  }
}
