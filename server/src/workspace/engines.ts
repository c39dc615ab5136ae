import { Engine } from '../engine/analysis/engine';
import { type ResourceCheck } from '../engine/context/check-context';
import type { SchemaRegistry } from '../engine/schema/types';
import type { FleetscopeSettings } from '../../../shared/settings';

/**
 * One Engine per distinct settings value. Folders of a multi-root workspace may have different
 * settings; most have the same, so they share one engine (and its validation cache). The
 * engine's own settings object is the canonical one: glob matchers are cached per object.
 */
export class EnginePool {
	private readonly engines = new Map<string, Engine>();

	constructor(
		private readonly registry: SchemaRegistry,
		private readonly checks: ResourceCheck[],
		/** The engines' clock (dates of exemptions and evidence); tests and CLI runs pin it. */
		private readonly clock?: () => Date,
	) {}

	get(settings: FleetscopeSettings): Engine {
		const key = JSON.stringify(settings);
		let engine = this.engines.get(key);
		if (!engine) {
			// Settings rarely change; keep the pool from growing without bound while someone edits them.
			if (this.engines.size >= 8) this.engines.clear();
			engine = new Engine(this.registry, settings, this.checks, this.clock);
			this.engines.set(key, engine);
		}
		return engine;
	}
}
