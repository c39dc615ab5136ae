import * as vscode from 'vscode';
import { LanguageClient, RevealOutputChannelOn, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { InitializationOptions } from '../../shared/protocol';
import { SERVER_NODE_OPTIONS, serverEnvironment } from '../../shared/server-node';
import { SETTINGS_SECTION } from '../../shared/settings';
import { readSettings } from './settings';

/** The client id: `fleetscope.trace.server` must match it (the library reads `<id>.trace.server`). */
export const CLIENT_ID = 'fleetscope';

/** Creates (does not start) the language client for `dist/server.js`. */
export function createClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): LanguageClient {
	const module = context.asAbsolutePath('dist/server.js');
	// V8 options and malloc's mmap threshold, for a lower peak memory (shared/server-node.ts explains them);
	// the library adds `env` to the extension host's environment.
	const env = serverEnvironment(process.env, process.platform);
	const serverOptions: ServerOptions = {
		run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_OPTIONS], env } },
		debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_OPTIONS, '--nolazy', '--inspect=6009'], env } },
	};
	const clientOptions: LanguageClientOptions = {
		documentSelector: [
			{ scheme: 'file', language: 'yaml' },
			{ scheme: 'untitled', language: 'yaml' },
		],
		// Read when the server starts (not when the client is created): trust may have been granted meanwhile.
		initializationOptions: (): InitializationOptions => ({ workspaceTrusted: vscode.workspace.isTrusted }),
		outputChannel: log,
		traceOutputChannel: log,
		revealOutputChannelOn: RevealOutputChannelOn.Never,
		middleware: {
			workspace: {
				// The server pulls settings per resource; answer with the typed, normalised settings.
				configuration: (params, token, next) => {
					if (params.items.some((i) => i.section !== SETTINGS_SECTION)) return next(params, token);
					return params.items.map((i) => readSettings(i.scopeUri ? vscode.Uri.parse(i.scopeUri) : undefined));
				},
			},
		},
		initializationFailedHandler: (error) => {
			log.error(`The Fleetscope language server failed to initialise: ${error instanceof Error ? error.message : String(error)}`);
			log.show(true);
			return false;
		},
	};
	return new LanguageClient(CLIENT_ID, 'Fleetscope', serverOptions, clientOptions);
}
