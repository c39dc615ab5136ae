import { isPlainObject } from '../../../core/resource';
import type { ComplianceProblem, ComplianceRule } from '../rule';
import { andList, describeObject } from './rbac';

/**
 * A value that holds no secret: empty, a Flux postBuild variable (`${DB_PASSWORD}`, substituted
 * from elsewhere at apply time) or a SOPS ciphertext (`ENC[AES256_GCM,…]`).
 */
function holdsNoSecret(v: unknown): boolean {
	if (v === null || v === undefined) return true;
	if (typeof v !== 'string') return false;
	const s = v.trim();
	return s === '' || /^\$\{[^}]+\}$/.test(s) || s.startsWith('ENC[');
}

/**
 * CIS 5.4.2: a plain Secret committed with values. SOPS-encrypted files never reach the rule
 * (the engine skips them); values that are empty, Flux variables or SOPS ciphertext do not count.
 * The message names the keys, never a value.
 */
export const plainSecret: ComplianceRule = {
	id: 'cis-plain-secret',
	title: 'Secret committed in plain text',
	severity: 'error',
	kinds: ['Secret'],
	rationale:
		'The values of a Secret manifest are only base64-encoded, which is an encoding, not encryption. Once committed, they are readable by everyone with access to the repository, its forks, clones and CI logs, and they stay in the Git history after the file is changed.',
	remediation:
		'Rotate the values, then keep them in a secret manager and sync them with an ExternalSecret, or commit only an encrypted form (a SealedSecret, or the file encrypted with SOPS).',
	controls: ['CIS-K8S-5.4.2'],
	appliesTo: (r) => r.group === '',
	check(resource): ComplianceProblem[] {
		const out: ComplianceProblem[] = [];
		for (const field of ['data', 'stringData'] as const) {
			const map = resource.value[field];
			if (!isPlainObject(map)) continue;
			const keys = Object.keys(map).filter((k) => !holdsNoSecret(map[k]));
			if (keys.length === 0) continue;
			const shown = keys.length > 5 ? `${keys.slice(0, 5).join(', ')} and ${keys.length - 5} more` : andList(keys);
			const encoding = field === 'data' ? 'base64 is an encoding, not encryption' : 'stringData is not even encoded';
			out.push({
				path: [field],
				target: 'key',
				message: `${describeObject(resource)} is committed with its values in plain text (${field}: ${shown}): ${encoding}, so everyone who can read the repository or its history has them. Rotate them, then sync them from a secret manager with an ExternalSecret, or commit a SealedSecret or a SOPS-encrypted file instead. (CIS 5.4.2)`,
			});
		}
		return out;
	},
};
