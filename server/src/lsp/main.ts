import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { nodeEngineDeps } from '../host/engine-deps';
import { FleetscopeServer } from './server';

/**
 * Entry point of `dist/server.js`: the connection comes from the command line
 * (`--stdio`, `--node-ipc` or `--socket=N`), as the client or a test starts it.
 */
const connection = createConnection(ProposedFeatures.all);

// On stdio, stdout is the transport: a stray console.log would corrupt the JSON-RPC stream.
console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
console.info = (...args: unknown[]) => connection.console.info(args.map(String).join(' '));
console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));
console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));

// One bad input must never take the server down: log and keep serving.
process.on('uncaughtException', (e) => connection.console.error(`Uncaught exception: ${e.stack ?? e.message}`));
process.on('unhandledRejection', (e) => connection.console.error(`Unhandled rejection: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));

const deps = nodeEngineDeps();
new FleetscopeServer(connection, { ...deps, liveSchemas: deps.registry }).listen();
