import { isPlainObject } from '../../../core/resource';
import { securitySetters } from '../../../core/pod-spec';
import { pssRule, type PssViolation } from './pss-rule';

/**
 * PSA `seLinuxOptions` (baseline, 1.0 and 1.31): `seLinuxOptions.type` of the pod and the
 * containers must be unset, `container_t`, `container_init_t`, `container_kvm_t` or (from 1.31)
 * `container_engine_t`; `user` and `role` must be unset or empty.
 */
export const seLinuxOptions = pssRule({
	checkId: 'seLinuxOptions',
	level: 'baseline',
	title: 'SELinux options',
	rationale: 'A custom SELinux type, user or role can lift the SELinux confinement of the container.',
	remediation: 'Remove seLinuxOptions.user and seLinuxOptions.role, and use only container_t, container_init_t, container_kvm_t (or, from Kubernetes 1.31, container_engine_t) as seLinuxOptions.type.',
	evaluate(pod, ctx) {
		const allowed = ['', 'container_t', 'container_init_t', 'container_kvm_t', ...(ctx.pss.minor >= 31 ? ['container_engine_t'] : [])];
		const out: PssViolation[] = [];
		for (const s of securitySetters(pod)) {
			const opts = s.securityContext?.seLinuxOptions;
			if (!isPlainObject(opts)) continue;
			const base = [...s.scPath, 'seLinuxOptions'];
			if (typeof opts.type === 'string' && !allowed.includes(opts.type)) {
				out.push({
					path: [...base, 'type'],
					target: 'value',
					message: `${s.label} sets the SELinux type "${opts.type}" (securityContext.seLinuxOptions.type): a custom type can lift the container's SELinux confinement. Use ${allowed.slice(1).join(', ')} or remove it.${opts.type === 'container_engine_t' ? ' (Kubernetes 1.31 and later allow container_engine_t.)' : ''}`,
				});
			}
			for (const f of ['user', 'role'] as const) {
				if (typeof opts[f] !== 'string' || opts[f] === '') continue;
				out.push({
					path: [...base, f],
					target: 'value',
					message: `${s.label} sets the SELinux ${f} "${opts[f]}" (securityContext.seLinuxOptions.${f}): a custom ${f} can lift the container's SELinux confinement. Remove it.`,
				});
			}
		}
		return out;
	},
});
