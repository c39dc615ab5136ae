import { join } from 'node:path';
import { runBundle } from './compile-cache';
import { applyServerTiering } from './tiering';

/**
 * `dist/server.js`, the language server the extension starts: sets how soon V8 optimizes
 * (tiering.ts), then runs the server's bundle with V8's code cache (compile-cache.ts).
 */
applyServerTiering();
runBundle(join(__dirname, 'server-program.js'));
