import { join } from 'node:path';
import { runBundle } from './compile-cache';

/** `dist/server.js`, the language server the extension starts: runs the server's bundle with V8's code cache (compile-cache.ts). */
runBundle(join(__dirname, 'server-program.js'));
