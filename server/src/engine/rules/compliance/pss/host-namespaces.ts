import { pssRule, type PssViolation } from './pss-rule';

const FIELDS = [
	{ field: 'hostNetwork', cis: '5.2.5', what: "the node's network namespace: it sees every connection on the node and can bind the node's ports" },
	{ field: 'hostPID', cis: '5.2.3', what: "the node's process namespace: it can see and signal every process on the node, other pods' included" },
	{ field: 'hostIPC', cis: '5.2.4', what: "the node's IPC namespace: it can read shared memory of every process on the node" },
] as const;

/** PSA `hostNamespaces` (baseline, 1.0): `spec.hostNetwork`, `spec.hostPID`, `spec.hostIPC` must be unset or false. */
export const hostNamespaces = pssRule({
	checkId: 'hostNamespaces',
	level: 'baseline',
	title: 'Host namespaces',
	rationale: "Sharing the node's network, process or IPC namespace removes the isolation between the pod and the node.",
	remediation: 'Remove spec.hostNetwork, spec.hostPID and spec.hostIPC, or set them to false.',
	cisSometimes: ['5.2.3', '5.2.4', '5.2.5'],
	evaluate(pod) {
		const out: PssViolation[] = [];
		for (const f of FIELDS) {
			if (pod.spec[f.field] !== true) continue;
			out.push({
				path: [...pod.path, f.field],
				target: 'value',
				message: `The pod shares ${f.what} (spec.${f.field}: true). Remove it or set it to false.`,
				cis: [f.cis],
			});
		}
		return out;
	},
});
