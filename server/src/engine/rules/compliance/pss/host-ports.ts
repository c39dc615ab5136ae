import { isPlainObject } from '../../../core/resource';
import { containersOf } from '../../../core/pod-spec';
import { pssRule, type PssViolation } from './pss-rule';

/** PSA `hostPorts` (baseline, 1.0): `ports[*].hostPort` unset or 0 in every container. */
export const hostPorts = pssRule({
	checkId: 'hostPorts',
	level: 'baseline',
	title: 'Host ports',
	rationale: "A hostPort binds the node's own network interface, bypassing network policies and limiting where the pod can be scheduled.",
	remediation: 'Remove hostPort and expose the port through a Service instead.',
	cis: ['5.2.13'],
	evaluate(pod) {
		const out: PssViolation[] = [];
		for (const c of containersOf(pod)) {
			const ports = Array.isArray(c.container.ports) ? c.container.ports : [];
			ports.forEach((p, i) => {
				if (!isPlainObject(p) || typeof p.hostPort !== 'number' || p.hostPort === 0) return;
				out.push({
					path: [...c.path, 'ports', i, 'hostPort'],
					target: 'value',
					message: `${c.label} binds port ${p.hostPort} on the node (hostPort): it bypasses network policies and exposes the pod on the node's address. Remove hostPort and use a Service.`,
				});
			});
		}
		return out;
	},
});
