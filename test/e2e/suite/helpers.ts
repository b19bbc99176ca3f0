// Shared by the e2e tests: reaching the extension and waiting on real VS Code events (never sleeping blindly).
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CapiIpamApi } from '../../../client/src/extension';
import YAML from 'yaml';
import { Rest } from '../../realstack/rest';

export const EXTENSION_ID = 'capi-ipam.capi-ipam';
export const SOURCE = 'capi-ipam';

/**
 * The run the launcher started: `trusted` (no kubeconfig), `untrusted` (Restricted Mode, a trap
 * kubeconfig) or `live` (trusted, $KUBECONFIG points at a management cluster: the sandbox or the real stack).
 */
export type Mode = 'trusted' | 'untrusted' | 'live';
export function expectedMode(): Mode {
  const mode = process.env.CAPI_IPAM_E2E_MODE;
  return mode === 'untrusted' || mode === 'live' ? mode : 'trusted';
}

/** The live run's backend: `sandbox` or `real` (kube-apiserver, etcd, the IPAM provider, kube-vip's cloud provider). */
export const backend = (): 'sandbox' | 'real' => (process.env.CAPI_IPAM_E2E_BACKEND === 'real' ? 'real' : 'sandbox');

let rest: Rest | undefined;
/** The live run's management cluster through the Kubernetes API, with the kubeconfig the extension uses. */
export function cluster(): Rest {
  const kubeconfig = process.env.KUBECONFIG;
  if (!kubeconfig) throw new Error("KUBECONFIG is not set: the live run needs the launcher's management cluster");
  return (rest ??= Rest.fromKubeconfig(kubeconfig));
}

/** A workload cluster of the live run through the context named after it in $KUBECONFIG (the launcher adds one per workload cluster). */
export function workloadCluster(name: string): Rest {
  const kubeconfig = process.env.KUBECONFIG;
  if (!kubeconfig) throw new Error("KUBECONFIG is not set: the live run needs the launcher's management cluster");
  const kc = YAML.parse(fs.readFileSync(kubeconfig, 'utf8')) as {
    contexts: { name: string; context: { cluster: string; user: string } }[];
    clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { name: string; user: { token: string } }[];
  };
  const context = kc.contexts.find((c) => c.name === name)?.context;
  const c = kc.clusters.find((x) => x.name === context?.cluster)?.cluster;
  const u = kc.users.find((x) => x.name === context?.user)?.user;
  if (!c || !u) throw new Error(`$KUBECONFIG has no context ${name}`);
  return new Rest(c.server, Buffer.from(c['certificate-authority-data'], 'base64').toString(), u.token);
}

/** An outage of the live run's API server and its end, through the launcher's control endpoint (same port and data after). */
export async function apiServer(action: 'stop' | 'start'): Promise<void> {
  await control(action);
}

/** The same for one workload cluster's API server (the management cluster and the others stay up). */
export async function workloadApiServer(name: string, action: 'stop' | 'start'): Promise<void> {
  await control(`workload/${name}/${action}`);
}

async function control(path: string): Promise<void> {
  const base = process.env.CAPI_IPAM_E2E_CONTROL;
  if (!base) throw new Error("CAPI_IPAM_E2E_CONTROL is not set: the live run needs the launcher's control endpoint");
  const response = await fetch(`${base}/${path}`, { method: 'POST', headers: { authorization: `Bearer ${process.env.CAPI_IPAM_E2E_CONTROL_TOKEN ?? ''}` } });
  const value = (await response.json()) as { error?: string };
  if (!response.ok) throw new Error(`control POST /${path}: ${value.error ?? response.status}`);
}

export function extension(): vscode.Extension<CapiIpamApi> {
  const ext = vscode.extensions.getExtension<CapiIpamApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this VS Code`);
  return ext;
}

/** Activates the extension (an onLanguage extension is not active when the tests start) and returns its API. */
export async function api(): Promise<CapiIpamApi> {
  return extension().activate();
}

/** The rule codes the README documents (`#### rule-<code>` headings). */
export function documentedCodes(): Set<string> {
  // vsce stores the README as `readme.md` in a .vsix; the development folder has `README.md`.
  const folder = extension().extensionPath;
  const name = fs.readdirSync(folder).find((file) => file.toLowerCase() === 'readme.md');
  if (!name) throw new Error(`the extension at ${folder} ships no README.md`);
  const readme = fs.readFileSync(path.join(folder, name), 'utf8');
  const codes = new Set<string>();
  for (const match of readme.matchAll(/^#{2,6}\s+rule-([a-z0-9-]+)\s*$/gm)) codes.add(match[1]!);
  if (codes.size === 0) throw new Error('README.md documents no rule-<code> sections');
  return codes;
}

export function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

/** Resolves with the first truthy value of `probe`, re-evaluated on every diagnostics change; rejects after `ms`. */
export function waitForDiagnostics<T>(probe: () => T | undefined, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const initial = probe();
    if (initial) return resolve(initial);
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
    }, ms);
    const listener = vscode.languages.onDidChangeDiagnostics(() => {
      const value = probe();
      if (value) {
        clearTimeout(timer);
        listener.dispose();
        resolve(value);
      }
    });
  });
}

/**
 * Resolves with the first value of the async `probe` (a request to VS Code or the server), asked once and
 * then again whenever the extension's state may have changed: diagnostics published (an analysis), or a
 * view reloaded (the server's inventoryChanged, a connection change). Rejects after `ms` with `describe()`.
 */
export function whenChanged<T>(capi: CapiIpamApi, probe: () => Promise<T | undefined>, ms: number, what: string, describe: () => string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    let running = false;
    let again = false;
    const { pools, loadBalancers, kubeVipRanges, estate } = capi.trees;
    const events: vscode.Event<unknown>[] = [
      vscode.languages.onDidChangeDiagnostics,
      pools.onDidChangeTreeData,
      loadBalancers.onDidChangeTreeData,
      kubeVipRanges.onDidChangeTreeData,
      estate.onDidChangeTreeData,
    ];
    const finish = (settle: () => void) => {
      done = true;
      clearTimeout(timer);
      for (const s of subscriptions) s.dispose();
      settle();
    };
    // An event during a probe asks again once that probe is answered: no change is missed, none doubled.
    const run = async (): Promise<void> => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          const value = await probe();
          if (done) return;
          if (value !== undefined) return finish(() => resolve(value));
        } while (again);
      } catch (e) {
        if (!done) finish(() => reject(e));
      } finally {
        running = false;
      }
    };
    const subscriptions = events.map((event) => event(() => void run()));
    const timer = setTimeout(() => finish(() => reject(new Error(`timed out after ${ms} ms waiting for ${what} (last: ${describe()})`))), ms);
    void run();
  });
}

/** Polls `probe` every 50 ms (for state without an event in the API); rejects after `ms` with the last value seen. */
export async function waitFor<T>(probe: () => T | undefined, ms: number, what: string, describe?: () => string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}${describe ? ` (last: ${describe()})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The workspace's YAML files, `prod.yaml` first when there is one. */
export async function workspaceYamlFiles(): Promise<vscode.Uri[]> {
  const files = await vscode.workspace.findFiles('**/*.{yaml,yml}', '**/node_modules/**');
  const rank = (uri: vscode.Uri) => (path.basename(uri.fsPath) === 'prod.yaml' ? 0 : 1);
  return files.sort((a, b) => rank(a) - rank(b) || a.fsPath.localeCompare(b.fsPath));
}
