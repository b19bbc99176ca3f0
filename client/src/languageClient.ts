// Creates the LanguageClient that runs the bundled server (dist/server.js) over stdio.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { InitializationOptions } from '../../server/src/protocol';
import type { KubeconfigApproval } from './kubeconfigApproval';

/** Also the settings prefix: the client reads `capiIpam.trace.server` by this id. */
export const CLIENT_ID = 'capiIpam';

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, approval: KubeconfigApproval): LanguageClient {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.stdio },
    debug: { module: serverModule, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=0'] } },
  };
  const initializationOptions: InitializationOptions = {
    trusted: vscode.workspace.isTrusted,
    virtual: isVirtualWorkspace(),
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    // File events come from IncludeWatchers (fileWatchers.ts), which follow capiIpam.include.
    synchronize: { configurationSection: CLIENT_ID },
    initializationOptions,
    middleware: {
      workspace: {
        // The server reads settings through workspace/configuration: a kubeconfig from workspace
        // settings reaches it only once the user allowed it (see KubeconfigApproval).
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (!Array.isArray(result)) return result;
          return result.map((value, i) =>
            params.items[i]?.section === CLIENT_ID && value && typeof value === 'object' ? { ...value, kubeconfig: approval.forServer() } : value,
          );
        },
      },
    },
    outputChannel: output,
    traceOutputChannel: output,
  };
  return new LanguageClient(CLIENT_ID, 'CAPI IPAM', serverOptions, clientOptions);
}

/** Virtual when there are folders and none of them is on disk (e.g. vscode.dev GitHub repos). */
export function isVirtualWorkspace(): boolean {
  const folders = vscode.workspace.workspaceFolders ?? [];
  return folders.length > 0 && folders.every((folder) => folder.uri.scheme !== 'file');
}
