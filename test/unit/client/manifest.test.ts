// package.json's client contributions must agree with what client/src registers: a command in a
// menu that nobody registers, or a view without a provider, only shows up as a broken UI.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';

const root = new URL('../../../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const extensionSource = readFileSync(new URL('client/src/extension.ts', root), 'utf8');
const treeSources = ['poolsTree', 'loadBalancersTree', 'kubeVipRangesTree', 'estateTree']
  .map((name) => readFileSync(new URL(`client/src/trees/${name}.ts`, root), 'utf8'))
  .join('\n');

const contributed: string[] = manifest.contributes.commands.map((c: { command: string }) => c.command);
const registered = [...extensionSource.matchAll(/registerCommand\('([^']+)'/g)].map((m) => m[1]);
const builtIn = new Set(['workbench.trust.manage']);

describe('package.json contributions', () => {
  test('every contributed command is registered, and every registered command is contributed', () => {
    assert.deepEqual([...contributed].sort(), [...registered].sort());
  });

  test('commands share the CAPI IPAM category and have titles', () => {
    for (const command of manifest.contributes.commands) {
      assert.equal(command.category, 'CAPI IPAM', command.command);
      assert.ok(command.title, command.command);
    }
  });

  test('menus and welcome-view links only name known commands', () => {
    const menus = Object.values(manifest.contributes.menus).flat() as { command: string }[];
    for (const entry of menus) assert.ok(contributed.includes(entry.command), entry.command);
    for (const welcome of manifest.contributes.viewsWelcome) {
      for (const [, command] of welcome.contents.matchAll(/\(command:([\w.]+)\)/g)) {
        assert.ok(contributed.includes(command) || builtIn.has(command), command);
      }
    }
  });

  test('settings are titled "CAPI IPAM" without a "Capi Ipam:" prefix on each (the group id is the key prefix)', () => {
    assert.equal(manifest.contributes.configuration.title, 'CAPI IPAM');
    assert.equal(manifest.contributes.configuration.id, 'capiIpam');
    for (const key of Object.keys(manifest.contributes.configuration.properties)) assert.match(key, /^capiIpam\./);
  });

  test('the walkthrough: four steps with shipped media, links to known commands, the SARIF check with a code-scanning workflow', () => {
    const [walkthrough] = manifest.contributes.walkthroughs;
    assert.deepEqual(
      walkthrough.steps.map((s: { id: string }) => s.id),
      ['connect', 'openCluster', 'allocate', 'ci'],
    );
    for (const step of walkthrough.steps) {
      assert.ok(existsSync(new URL(step.media.markdown, root)), step.media.markdown);
      assert.match(step.media.markdown, /^resources\//, 'shipped in the .vsix (.vscodeignore keeps resources/)');
      for (const [, command] of step.description.matchAll(/\(command:([\w.]+)\)/g))
        assert.ok(contributed.includes(command) || command.startsWith('workbench.'), command);
      assert.ok(step.completionEvents.length > 0, step.id);
    }
    const ci = readFileSync(new URL(walkthrough.steps[3].media.markdown, root), 'utf8');
    assert.match(ci, /capi-ipam check \S.* --format sarif/);
    assert.match(ci, /uses: github\/codeql-action\/upload-sarif@v3/);
    assert.match(ci, /security-events: write/);
  });

  test('argument-only commands are hidden from the palette', () => {
    const hidden = manifest.contributes.menus.commandPalette.filter((e: { when: string }) => e.when === 'false').map((e: { command: string }) => e.command);
    assert.deepEqual(hidden.sort(), ['capiIpam.copyAddress', 'capiIpam.openPoolYaml', 'capiIpam.revealLocation', 'capiIpam.showRuleHelp']);
  });

  test('every view has a tree provider with the same id, and welcome views name existing views', () => {
    const views: string[] = manifest.contributes.views.capiIpam.map((v: { id: string }) => v.id);
    assert.deepEqual(views, ['capiIpam.pools', 'capiIpam.loadBalancers', 'capiIpam.kubeVipRanges', 'capiIpam.estate']);
    for (const id of views) assert.ok(treeSources.includes(`super('${id}')`), id);
    for (const welcome of manifest.contributes.viewsWelcome) assert.ok(views.includes(welcome.view), welcome.view);
  });

  test('settings have defaults, scopes and markdown descriptions; trust restricts kubeconfig, contexts, workload routes and the renderers', () => {
    const properties = manifest.contributes.configuration.properties as Record<string, Record<string, unknown>>;
    for (const [key, setting] of Object.entries(properties)) {
      assert.ok('default' in setting, key);
      assert.ok(setting.scope, key);
      assert.ok(setting.markdownDescription, key);
    }
    assert.deepEqual(properties['capiIpam.include']!.default, ['**/*.yaml', '**/*.yml']);
    assert.equal(properties['capiIpam.allocate.timeoutSeconds']!.default, 60);
    assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, [
      'capiIpam.kubeconfig',
      'capiIpam.context',
      'capiIpam.managementClusters',
      'capiIpam.workloadClusters',
      'capiIpam.helm.path',
      'capiIpam.kustomize.command',
    ]);
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.equal(manifest.capabilities.virtualWorkspaces.supported, 'limited');
  });

  test('files referenced by the manifest exist', () => {
    const files = [
      manifest.icon,
      ...manifest.contributes.viewsContainers.activitybar.map((c: { icon: string }) => c.icon),
      ...manifest.contributes.grammars.map((g: { path: string }) => g.path),
    ];
    for (const file of files) assert.ok(existsSync(new URL(file.replace(/^\.\//, ''), root)), file);
  });

  test('the gallery icon is a 128×128 PNG', () => {
    const png = readFileSync(new URL(manifest.icon, root));
    assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
    assert.equal(png.readUInt32BE(16), 128);
    assert.equal(png.readUInt32BE(20), 128);
  });
});
