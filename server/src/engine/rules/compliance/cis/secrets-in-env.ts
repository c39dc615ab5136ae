import { isPlainObject } from '../../../core/resource';
import { containersOf, isPodTemplateKind, podSpecOf, POD_TEMPLATE_KINDS } from '../../../core/pod-spec';
import type { ComplianceProblem, ComplianceRule } from '../rule';

const WHY = 'environment variables end up in crash dumps, debug output and child processes, and cannot be rotated without a restart. Mount the Secret as a volume and read the file instead.';

/** CIS 5.4.1: Secrets read through env[].valueFrom.secretKeyRef or envFrom[].secretRef. */
export const secretsInEnv: ComplianceRule = {
	id: 'cis-secrets-in-env',
	title: 'Secrets as environment variables',
	severity: 'warning',
	kinds: POD_TEMPLATE_KINDS,
	rationale:
		'Applications and tools print their environment in logs and crash reports, child processes inherit it, and a changed Secret reaches an environment variable only after a restart. Secrets mounted as files avoid all three.',
	remediation: 'Mount the Secret as a volume (volumes[].secret) and have the application read the file.',
	controls: ['CIS-K8S-5.4.1'],
	appliesTo: isPodTemplateKind,
	check(resource): ComplianceProblem[] {
		const pod = podSpecOf(resource);
		if (!pod) return [];
		const out: ComplianceProblem[] = [];
		for (const c of containersOf(pod)) {
			const env = Array.isArray(c.container.env) ? c.container.env : [];
			env.forEach((e, i) => {
				if (!isPlainObject(e) || !isPlainObject(e.valueFrom) || !isPlainObject(e.valueFrom.secretKeyRef)) return;
				const ref = e.valueFrom.secretKeyRef;
				const secret = typeof ref.name === 'string' ? ` "${ref.name}"` : '';
				const key = typeof ref.key === 'string' ? ` key "${ref.key}"` : '';
				const variable = typeof e.name === 'string' ? ` ${e.name}` : '';
				out.push({
					path: [...c.path, 'env', i, 'valueFrom', 'secretKeyRef'],
					target: 'key',
					message: `${c.label} reads Secret${secret}${key} into the environment variable${variable}: ${WHY} (CIS 5.4.1)`,
				});
			});
			const envFrom = Array.isArray(c.container.envFrom) ? c.container.envFrom : [];
			envFrom.forEach((e, i) => {
				if (!isPlainObject(e) || !isPlainObject(e.secretRef)) return;
				const secret = typeof e.secretRef.name === 'string' ? ` "${e.secretRef.name}"` : '';
				out.push({
					path: [...c.path, 'envFrom', i, 'secretRef'],
					target: 'key',
					message: `${c.label} loads every key of Secret${secret} into its environment (envFrom.secretRef): ${WHY} (CIS 5.4.1)`,
				});
			});
		}
		return out;
	},
};
