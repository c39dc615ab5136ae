import type { ClusterConnectionStatus } from '../../../../shared/protocol';
import type { FailureKind } from './errors';

/**
 * ONE status per cluster, instead of a stream of errors: what the connection is doing now, in
 * words a user can act on, and when it last succeeded. Credentials never appear in it. The
 * statuses are defined once, in the protocol the client reads (`ClusterConnectionStatus`).
 */
export type ClusterStatusKind = ClusterConnectionStatus;

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
