// Entry point of the bundled language server (dist/server.js), spoken to over stdio.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { IpamLanguageServer } from './lsp/languageServer';

const connection = createConnection(ProposedFeatures.all);
new IpamLanguageServer(connection).listen();
