import type { ComplianceProblem, ComplianceRule } from '../rule';
import { describeObject, findGrants, isUserRole } from './rbac';

/** Every verb the kubelet maps its API calls to (GET → get, POST → create, …): any of them on nodes/proxy reaches the kubelet. */
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

/**
 * CIS 5.1.10: any access to the `nodes/proxy` subresource (or `*\/proxy`). Nodes are
 * cluster-scoped, so only a ClusterRole grants it.
 */
export const nodesProxy: ComplianceRule = {
	id: 'cis-nodes-proxy',
	title: 'Access to the proxy subresource of nodes',
	severity: 'warning',
	kinds: ['ClusterRole'],
	rationale:
		'nodes/proxy forwards requests to the kubelet API of a node: running commands in any of its pods, reading their logs and environment. Those actions bypass admission control and the API server sees only a proxy request, so the audit log does not show what was done. Even get is enough, because the kubelet accepts exec over a WebSocket GET.',
	remediation: 'Remove nodes/proxy; monitoring agents can read node metrics through nodes/metrics and nodes/stats instead.',
	controls: ['CIS-K8S-5.1.10'],
	appliesTo: isUserRole,
	check(resource): ComplianceProblem[] {
		return findGrants(resource, { group: '', resources: ['nodes/proxy'], verbs: VERBS }).map((g) => ({
			path: g.path,
			target: 'value',
			message: `${describeObject(resource)} grants ${g.verbs.join(', ')} on ${g.item.value}: that reaches the kubelet API of every node, so whoever holds it can run commands in any pod there, past admission control and without the audit log showing what was run. Remove it; for node metrics use nodes/metrics or nodes/stats. (CIS 5.1.10)`,
		}));
	},
};
