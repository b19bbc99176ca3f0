// The extension-host entry point of the e2e suite: the `run()` contract of @vscode/test-electron,
// also honoured by the headless launcher (VS Code server + Chromium). Runs every bundled
// `*.test.js` beside this file with mocha and rejects when a test fails.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, reporter: 'spec', timeout: 60_000, slow: 5_000 });
  const grep = process.env.CAPI_IPAM_E2E_GREP;
  if (grep) mocha.grep(grep);
  const files = fs
    .readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort();
  if (files.length === 0) throw new Error(`no bundled tests in ${__dirname}: run node test/e2e/build.mjs`);
  for (const file of files) mocha.addFile(path.join(__dirname, file));

  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const passed = runner.stats?.passes ?? 0;
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      // A plain closing line CI logs can be read by.
      console.log(`capi-ipam e2e (${process.env.CAPI_IPAM_E2E_MODE ?? 'trusted'}, ${seconds} s): ${passed} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} e2e test(s) failed`));
      else if (passed === 0) reject(new Error('the e2e suite ran no test'));
      else resolve();
    });
  });
}
