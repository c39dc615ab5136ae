import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig, type User } from '@kubernetes/client-node';

/**
 * Kubeconfig loading as kubectl does it: the files named by the caller, else `KUBECONFIG` (a
 * path list; missing files are skipped), else `~/.kube/config`. Files are merged with kubectl's
 * rule, the first file to define a name wins. Unlike client-node's `loadFromDefault`, nothing else is
 * guessed: no in-cluster service account, no `localhost:8080`. Parsing a file runs nothing; exec
 * credential plugins run only when a request is made, and never when `allowExec` is false.
 */

export interface KubeconfigSource {
	/** Files to read instead of KUBECONFIG / ~/.kube/config. */
	paths?: string[];
	env?: NodeJS.ProcessEnv;
	home?: string;
}

export interface LoadedKubeconfig {
	config: KubeConfig;
	/** The files that were read. */
	files: string[];
	/** Files that could not be read or parsed, with why (never their content: it holds credentials). */
	errors: string[];
}

function candidateFiles(source: KubeconfigSource): string[] {
	if (source.paths && source.paths.length > 0) return source.paths;
	const env = source.env ?? process.env;
	if (env.KUBECONFIG) return env.KUBECONFIG.split(delimiter).filter((p) => p !== '');
	return [join(source.home ?? homedir(), '.kube', 'config')];
}

/** Why a kubeconfig did not parse, without quoting it (js-yaml's messages include a snippet of the file). */
function parseError(e: unknown): string {
	const mark = (e as { mark?: { line?: number } }).mark;
	if (mark && typeof mark.line === 'number') return `not valid YAML (line ${mark.line + 1})`;
	return 'not a valid kubeconfig';
}

export function loadKubeconfig(source: KubeconfigSource = {}): LoadedKubeconfig {
	const merged = new KubeConfig();
	merged.clusters = [];
	merged.users = [];
	merged.contexts = [];
	const files: string[] = [];
	const errors: string[] = [];
	const explicit = !!source.paths && source.paths.length > 0;
	for (const file of candidateFiles(source)) {
		if (!existsSync(file)) {
			// kubectl skips missing KUBECONFIG entries; a file the user named is an error.
			if (explicit) errors.push(`${file}: no such file`);
			continue;
		}
		const kc = new KubeConfig();
		try {
			kc.loadFromFile(file);
		} catch (e) {
			errors.push(`${file}: ${parseError(e)}`);
			continue;
		}
		files.push(file);
		for (const c of kc.clusters) if (!merged.clusters.some((x) => x.name === c.name)) merged.clusters.push(c);
		for (const u of kc.users) if (!merged.users.some((x) => x.name === u.name)) merged.users.push(u);
		for (const c of kc.contexts) if (!merged.contexts.some((x) => x.name === c.name)) merged.contexts.push(c);
		if (!merged.currentContext && kc.currentContext) merged.currentContext = kc.currentContext;
	}
	return { config: merged, files, errors };
}

/** A KubeConfig whose current context is `context` (client-node applies credentials of the current context). */
export function forContext(config: KubeConfig, context: string): KubeConfig | undefined {
	const ctx = config.getContextObject(context);
	if (!ctx) return undefined;
	const kc = new KubeConfig();
	kc.loadFromOptions({ clusters: config.clusters, users: config.users, contexts: config.contexts, currentContext: context });
	return kc;
}

export type AuthMethod = 'token' | 'token-file' | 'client-certificate' | 'basic' | 'exec' | 'auth-provider' | 'none';

/** How a kubeconfig user authenticates (for statuses: never the credential itself). */
export function authMethod(user: User | null | undefined): AuthMethod {
	if (!user) return 'none';
	if (user.exec) return 'exec';
	if (user.authProvider) return 'auth-provider';
	if (user.token) return 'token';
	if ((user as { tokenFile?: string }).tokenFile) return 'token-file';
	if (user.certData || user.certFile) return 'client-certificate';
	if (user.username) return 'basic';
	return 'none';
}

/**
 * Why a context may not be used in an untrusted workspace, or undefined. An exec plugin runs a
 * command named by the kubeconfig; auth providers (gcp, azure, oidc) run commands or refresh tokens
 * over the network: in an untrusted workspace the kubeconfig may come from the workspace itself.
 */
export function refusedWithoutExec(user: User | null | undefined): string | undefined {
	if (user?.exec) return `its user runs the exec credential plugin "${String(user.exec.command ?? '')}"`;
	if (user?.authProvider) return `its user relies on the "${String(user.authProvider.name ?? '')}" auth provider`;
	return undefined;
}

/** Every credential a context's user holds, so the redactor can take them out of any text. */
export function secretsOf(user: User | null | undefined): string[] {
	if (!user) return [];
	const out: string[] = [];
	const add = (v: unknown) => {
		if (typeof v === 'string' && v.length >= 6) out.push(v);
	};
	add(user.token);
	add(user.password);
	add(user.keyData);
	if (user.keyData) add(Buffer.from(user.keyData, 'base64').toString('utf8'));
	for (const v of Object.values(user.authProvider?.config ?? {})) add(v);
	for (const e of (user.exec?.env ?? []) as { value?: string }[]) add(e.value);
	return out;
}
