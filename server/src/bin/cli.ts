import { join } from 'node:path';
import { runBundle } from './compile-cache';

/** `dist/cli.js`, the `fleetscope` command: runs the CLI's bundle with V8's code cache (compile-cache.ts). */
runBundle(join(__dirname, 'cli-program.js'));
