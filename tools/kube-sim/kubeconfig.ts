import { stringify } from 'yaml';
import type { Pem } from './certs';

/** How a test wants the kubeconfig of a simulated cluster: another context name, user or CA. */
export interface KubeconfigOptions {
	/** Context name (default: the cluster's name); the cluster and user entries take the same name. */
	context?: string;
	/** Bearer token instead of the default user's. */
	token?: string;
	/** The CA to trust: another PEM (a client that does not trust the server), or null for none (system CAs). */
	ca?: string | null;
	/** A client certificate instead of a token. */
	clientCertificate?: Pem;
	/** An exec credential plugin instead of a token. */
	exec?: { command: string; args?: string[]; env?: { name: string; value: string }[] };
	/** A legacy auth-provider entry (oidc, gcp, azure) instead of a token. */
	authProvider?: { name: string; config: Record<string, string> };
	/** Another server URL (e.g. a closed port). */
	server?: string;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

export function kubeconfigText(base: { server: string; ca: string; token: string; name: string }, o: KubeconfigOptions): string {
	const name = o.context ?? base.name;
	const user: Record<string, unknown> = {};
	if (o.clientCertificate) {
		user['client-certificate-data'] = b64(o.clientCertificate.cert);
		user['client-key-data'] = b64(o.clientCertificate.key);
	} else if (o.exec) {
		user.exec = { apiVersion: 'client.authentication.k8s.io/v1', command: o.exec.command, args: o.exec.args ?? [], env: o.exec.env ?? null, interactiveMode: 'Never', provideClusterInfo: false };
	} else if (o.authProvider) {
		user['auth-provider'] = o.authProvider;
	} else user.token = o.token ?? base.token;
	const ca = o.ca === undefined ? base.ca : o.ca;
	const cluster: Record<string, unknown> = { server: o.server ?? base.server };
	if (ca !== null) cluster['certificate-authority-data'] = b64(ca);
	return stringify({
		apiVersion: 'v1',
		kind: 'Config',
		clusters: [{ name, cluster }],
		users: [{ name, user }],
		contexts: [{ name, context: { cluster: name, user: name } }],
		'current-context': name,
		preferences: {},
	});
}

/** Merges kubeconfig texts: later entries replace earlier ones of the same name; the first current-context wins. */
export function mergeKubeconfigs(texts: string[], parse: (t: string) => any): string {
	const out = { apiVersion: 'v1', kind: 'Config', clusters: [] as any[], users: [] as any[], contexts: [] as any[], 'current-context': undefined as string | undefined, preferences: {} };
	for (const t of texts) {
		const c = parse(t) ?? {};
		for (const key of ['clusters', 'users', 'contexts'] as const) {
			for (const entry of c[key] ?? []) {
				out[key] = out[key].filter((e) => e.name !== entry.name);
				out[key].push(entry);
			}
		}
		out['current-context'] ??= c['current-context'];
	}
	return stringify(out);
}
