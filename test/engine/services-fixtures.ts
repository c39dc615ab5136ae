import type { FieldInfo, KindSchema, SchemaRegistry } from '../../server/src/engine/schema/types';
import type { NodePath } from '../../server/src/engine/core/parse';

/**
 * A tiny registry for the editor services' tests: one kind (`example.io/v1` Widget) whose schema
 * describes a handful of fields, so the tests do not depend on the bundled schemas.
 */
const FIELDS: Record<string, FieldInfo> = {
	'': {
		description: 'A Widget.',
		type: 'object',
		properties: [
			{ name: 'apiVersion', type: 'string', required: true },
			{ name: 'kind', type: 'string', required: true },
			{ name: 'metadata', type: 'object', required: true },
			{ name: 'spec', type: 'object', description: 'What the widget should be.' },
		],
	},
	spec: {
		type: 'object',
		description: 'What the widget should be.',
		properties: [
			{ name: 'size', type: 'integer', description: 'How many parts.', required: true },
			{ name: 'mode', type: 'string', description: 'How it runs.' },
			{ name: 'parts', type: '[]Part', description: 'The parts.' },
			{ name: 'enabled', type: 'boolean' },
		],
	},
	'spec.size': { type: 'integer', description: 'How many parts.' },
	'spec.mode': { type: 'string', description: 'How it runs.', enum: ['fast', 'slow', 'on'] },
	'spec.enabled': { type: 'boolean' },
	'spec.parts': { type: '[]Part', description: 'The parts.' },
	'spec.parts[]': {
		type: 'Part',
		properties: [
			{ name: 'name', type: 'string', required: true },
			{ name: 'colour', type: 'string', description: 'Paint.' },
		],
	},
	'spec.parts[].colour': { type: 'string', description: 'Paint.', enum: ['red', 'blue'] },
};

export const describeCalls: NodePath[] = [];

const widget: KindSchema = {
	source: 'test',
	validate: () => [],
	describe(path) {
		describeCalls.push(path);
		return FIELDS[path.map((p) => (typeof p === 'number' ? '[]' : p)).join('.').replace(/\.\[\]/g, '[]')];
	},
};

export const WIDGETS: SchemaRegistry = {
	lookup: (apiVersion, kind) => (apiVersion === 'example.io/v1' && kind === 'Widget' ? widget : undefined),
	kinds: () => [
		{ apiVersion: 'example.io/v1', kind: 'Widget' },
		{ apiVersion: 'example.io/v1', kind: 'Gadget' },
	],
};

/** Splits `text` at the `|` caret marker: returns the text without it and the caret's offset. */
export function caret(text: string): { text: string; offset: number } {
	const offset = text.indexOf('|');
	return { text: text.slice(0, offset) + text.slice(offset + 1), offset };
}
