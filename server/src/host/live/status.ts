import type { FailureKind } from './errors';

/**
 * ONE status per cluster, instead of a stream of errors: what the connection is doing now, in
 * words a user can act on, and when it last succeeded. Credentials never appear in it.
 */
export type ClusterStatusKind =
	/** Fetching for the first time. */
	| 'connecting'
	/** Fetched and watched. */
	| 'connected'
	/** Connected, but some kinds (or namespaces) may not be listed: checks that need them are skipped. */
	| 'forbidden-partial'
	/** Not connected now (see `reason`); the last state seen, from memory or the disk cache, is used. */
	| 'cached'
	/** From a snapshot directory: never connects. */
	| 'snapshot'
	/** Not connected and no state at all, for the reason the kind says. */
	| 'unreachable'
	| 'timeout'
	| 'tls-error'
	| 'unauthorized'
	| 'forbidden'
	/** The credential plugin (exec, auth provider) failed. */
	| 'auth-error'
	/** An exec plugin or auth provider in an untrusted workspace: not run, not retried. */
	| 'refused'
	/** The context is not in the kubeconfig, or the kubeconfig cannot be read: not retried. */
	| 'config-error'
	| 'stopped';

export interface ClusterStatus {
	/** The kubeconfig context (or snapshot directory) the cluster is reached through. */
	context: string;
	/** The cluster's name in diagnostics. */
	cluster: string;
	status: ClusterStatusKind;
	/** For `cached`: why the cluster cannot be reached now. */
	reason?: FailureKind | 'config-error';
	/** One human sentence, e.g. `unreachable (ECONNREFUSED); using the state cached 12 min ago; retrying in 8 s`. */
	message: string;
	/** ISO time of the last successful fetch or watch event. */
	lastSuccess?: string;
	/** ISO time this status began. */
	since: string;
	/** `group|kind` of the kinds not (completely) listed because it is forbidden. */
	forbidden?: string[];
	/** ISO time of the next attempt, while retrying. */
	nextRetry?: string;
	/** How the context authenticates (`token`, `client-certificate`, `exec`, ...): never the credential. */
	auth?: string;
}

/** Whether a failure is worth retrying on its own (a network or server problem), or needs the user. */
export function retryable(kind: FailureKind | 'config-error'): boolean {
	return kind !== 'refused' && kind !== 'config-error';
}
