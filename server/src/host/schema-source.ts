import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SchemaSource } from '../engine/schema/types';

/**
 * The extension's `schemas/` directory. In the bundle (`dist/server.js`, `dist/cli.js`) it is
 * `../schemas` beside `dist/`; when running from source (tests through tsx, this file at
 * `server/src/host/`) it is `../../../schemas`.
 */
export function schemasDir(): string {
	const candidates = [join(__dirname, '..', 'schemas'), join(__dirname, '..', '..', '..', 'schemas')];
	return candidates.find((d) => existsSync(join(d, 'kubernetes', 'fields.json'))) ?? candidates[0];
}

/** Reads schema files from disk, synchronously: each file is read once, when its kind is first seen. */
export class NodeSchemaSource implements SchemaSource {
	constructor(private readonly dir: string = schemasDir()) {}

	read(relPath: string): string | undefined {
		try {
			return readFileSync(join(this.dir, relPath), 'utf8');
		} catch {
			return undefined;
		}
	}
}
