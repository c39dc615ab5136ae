import { discoverFleet } from '../engine/fleet/discover';
import { DocumentStore } from '../engine/fleet/reader';
import { EMPTY_FLEET, type FleetModel } from '../engine/fleet/types';
import type { RepoIndex } from '../engine/repo';
import { NodeRepoReader } from './repo-reader';

/**
 * The fleet model of one repository on disk, kept current as files change. Discovery reads the
 * texts the repository index already prefetched, then the disk; the editor's open documents win
 * (`overlay`). It hands the model to the index (`RepoIndex.setFleet`), where every check finds it.
 */
export class FleetService {
	private readonly reader: NodeRepoReader;
	private readonly store: DocumentStore;
	private current?: FleetModel;

	constructor(
		root: string,
		private readonly repo: RepoIndex,
		overlay: (rel: string) => string | undefined = () => undefined,
	) {
		this.reader = new NodeRepoReader(root, repo.allFiles(), (rel) => overlay(rel) ?? repo.peekText(rel));
		this.store = new DocumentStore(this.reader);
	}

	/** The model as last discovered (discovering it first if needed). */
	get model(): FleetModel {
		return (this.current ??= this.refresh().model);
	}

	/** The document store discovery reads (also what rendering and navigation read). */
	get documents(): DocumentStore {
		return this.store;
	}

	/** Files changed on disk or in the editor: forget their texts, rediscover, and tell the index. Returns whether the model changed. */
	refresh(changed: readonly string[] = []): { model: FleetModel; changed: boolean } {
		for (const rel of changed) this.reader.invalidate(rel);
		this.reader.setFiles(this.repo.allFiles());
		this.store.filesChanged();
		const model = discoverFleet(this.store);
		this.current = model;
		return { model, changed: this.repo.setFleet(model) };
	}
}

/** Discovers the fleet of a repository once (the CLI). */
export function loadFleet(root: string, repo: RepoIndex): FleetService {
	const service = new FleetService(root, repo);
	service.refresh();
	return service;
}

/** The fleet model of a repository whose index carries one (the language server and the CLI set it), else the empty fleet. */
export async function fleetFor(_root: string, repo: RepoIndex): Promise<FleetModel> {
	return repo.fleet ?? EMPTY_FLEET;
}
