/**
 * Files that are not plain manifests are recognised before parsing and skipped with a note:
 * binary or non-UTF-8 content, files over the size limit, Helm templates and SOPS-encrypted files.
 * Returns the note, or undefined for a file to validate.
 */
export function classifyContent(text: string, maxBytes: number): string | undefined {
	if (text.length > maxBytes) return sizeNote(text.length, maxBytes);
	const head = text.length > 65536 ? text.slice(0, 65536) : text;
	if (head.includes('\u0000')) return 'Fleetscope did not validate this file: it contains NUL bytes, so it is binary, not YAML text.';
	if (head.includes('\uFFFD')) return 'Fleetscope did not validate this file: it is not valid UTF-8 text. Save it as UTF-8.';
	if (/\{\{-?\s*[^}]*\}\}/.test(stripComments(head).replace(AWS_AUTH_PLACEHOLDERS, '')) && !isKyvernoPolicy(head)) {
		return 'Helm template: Fleetscope validates rendered manifests, not templates with `{{ }}` expressions, so this file is skipped.';
	}
	if (/^sops:\s*$/m.test(text) && /^\s+(mac|lastmodified|version):/m.test(text)) {
		return 'SOPS-encrypted file: its values are ciphertext, so Fleetscope does not validate it.';
	}
	return undefined;
}

/**
 * The placeholders aws-iam-authenticator expands in the EKS aws-auth ConfigMap
 * (`username: system:node:{{EC2PrivateDNSName}}`): plain manifest text, not Helm.
 */
const AWS_AUTH_PLACEHOLDERS = /\{\{(?:EC2PrivateDNSName|EC2InstanceID|AccountID|SessionName|SessionNameRaw|AccessKeyID)\}\}/g;

const KYVERNO_API = /^apiVersion:[ \t]*["']?(?:kyverno\.io|policies\.kyverno\.io|cli\.kyverno\.io)\//m;
/** What only Helm writes inside `{{ }}`: `.Values`, `$var`, trim markers, actions and its functions. */
const HELM_ACTION = /\{\{-?\s*(?:[.$]|-|(?:if|else|end|range|with|include|template|define|block|toYaml|tpl|required|default|quote|printf|nindent|indent)\b)/;

/**
 * A Kyverno policy (or Kyverno CLI test) whose `{{ }}` are Kyverno's JMESPath variables
 * (`{{ request.object.metadata.name }}`), not Helm: validated like any manifest.
 */
function isKyvernoPolicy(text: string): boolean {
	return KYVERNO_API.test(text) && !HELM_ACTION.test(stripComments(text));
}

function stripComments(text: string): string {
	return text.replace(/(^|\s)#.*$/gm, '$1');
}

/** The note for a file over the size limit (also used by hosts that stat a file before reading it). */
export function sizeNote(bytes: number, maxBytes: number): string {
	const mb = (bytes / (1024 * 1024)).toFixed(1);
	return `Fleetscope did not validate this file: it is ${mb} MB, over the limit of ${Math.round(maxBytes / 1024)} KiB (setting fleetscope.maxFileSizeKb). Split it, or raise the limit.`;
}
