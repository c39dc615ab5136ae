import { isPlainObject } from '../../../core/resource';
import { containersOf } from '../../../core/pod-spec';
import { pssRule, type PssViolation } from './pss-rule';

const HANDLERS: string[][] = [
	['livenessProbe'],
	['readinessProbe'],
	['startupProbe'],
	['lifecycle', 'postStart'],
	['lifecycle', 'preStop'],
];

/**
 * PSA `hostProbesAndHostLifecycle` (baseline, 1.34): `host` of the httpGet and tcpSocket handlers of
 * probes and lifecycle hooks must be unset or empty.
 */
export const hostProbesAndHostLifecycle = pssRule({
	checkId: 'hostProbesAndHostLifecycle',
	level: 'baseline',
	title: 'Probe or lifecycle host',
	rationale: 'A probe or lifecycle hook with a host makes the kubelet send requests to any address, which can be abused to reach internal services from the node.',
	remediation: 'Remove the host field: the kubelet then probes the pod IP.',
	sinceMinor: 34,
	evaluate(pod) {
		const out: PssViolation[] = [];
		for (const c of containersOf(pod)) {
			for (const h of HANDLERS) {
				let handler: unknown = c.container;
				for (const seg of h) handler = isPlainObject(handler) ? handler[seg] : undefined;
				if (!isPlainObject(handler)) continue;
				for (const kind of ['httpGet', 'tcpSocket']) {
					const action = handler[kind];
					if (!isPlainObject(action) || typeof action.host !== 'string' || action.host === '') continue;
					out.push({
						path: [...c.path, ...h, kind, 'host'],
						target: 'value',
						message: `${c.label} sends its ${h.join('.')} ${kind} to host "${action.host}": the kubelet would connect from the node to any address named here. Remove host to target the pod itself.`,
					});
				}
			}
		}
		return out;
	},
});
