/** One analysis of a text with the outline, and one where every document pretends it has none (the slow parse places all). */
import { Engine } from '../../server/src/engine/analysis/engine';
import { defaultSettings } from '../../shared/settings';
import { nodeEngineDeps } from '../../server/src/host/engine-deps';
import type { Finding } from '../../server/src/engine/core/types';

export function analyzeWith(text: string): { withOutline: Finding[]; withoutOutline: Finding[] } {
	const deps = nodeEngineDeps();
	const run = () => new Engine(deps.registry, defaultSettings(), deps.checks).analyze({ path: 'app.yaml', text }).findings;
	const withOutline = run();
	const { Outline } = require('../../server/src/engine/core/outline') as typeof import('../../server/src/engine/core/outline');
	const read = Outline.read;
	try {
		(Outline as unknown as { read: () => undefined }).read = () => undefined;
		// A different text object: the parsed-segment intern table would hand back the outlined parse.
		const withoutOutline = new Engine(deps.registry, defaultSettings(), deps.checks).analyze({ path: 'app.yaml', text: `${text}\n` }).findings;
		return { withOutline, withoutOutline };
	} finally {
		(Outline as unknown as { read: typeof read }).read = read;
	}
}
