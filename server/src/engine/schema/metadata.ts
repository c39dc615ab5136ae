import type { NodePath } from '../core/parse';
import { formatPath, isObject } from './paths';
import type { SchemaProblem } from './types';

/**
 * Metadata rules as the API server applies them (k8s.io/apimachinery `pkg/util/validation` and
 * `pkg/api/validation`, and each kind's `ValidateObjectMeta` name function): the name of each kind
 * (a DNS-1123 subdomain for most, a DNS-1123 label for Namespaces, a DNS-1035 label for Services,
 * a path segment for RBAC objects), `generateName`, the namespace, label keys and values,
 * annotation keys and their total size. A value the API server would reject is an error that says
 * which rule it breaks and why the rule exists.
 *
 * Values that a tool fills in before the cluster sees them are not judged: Flux post-build
 * substitutions (`${cluster_name}`) and template expressions (`{{ .Values.x }}`).
 */

export const RULE_ID = 'schema-metadata';

/** The name rules of apimachinery, each as its test cases and messages define it. */
export type NameRule = 'dns1123-subdomain' | 'dns1123-label' | 'dns1035-label' | 'path-segment';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export const DNS1123_LABEL_MAX = 63;
export const DNS1123_SUBDOMAIN_MAX = 253;
export const QUALIFIED_NAME_MAX = 63;
export const LABEL_VALUE_MAX = 63;
/** `TotalAnnotationSizeLimitB`: the keys and values of all annotations together. */
export const ANNOTATIONS_MAX_BYTES = 256 * 1024;

/**
 * What is wrong with a value, in words (`contains "_"`, `is 68 characters long`), empty when it is
 * valid. Mirrors apimachinery's `IsDNS1123Label` & co, which return a list of messages.
 */
export type Check = (value: string) => string[];

/** `IsDNS1123Label`: at most 63 lowercase letters, digits and '-', starting and ending alphanumeric. */
export const isDNS1123Label: Check = (v) => shapeErrors(v, DNS1123_LABEL, DNS1123_LABEL_MAX, { lower: true, dots: false });

/** `IsDNS1123Subdomain`: dot-separated DNS-1123 labels, at most 253 characters. */
export const isDNS1123Subdomain: Check = (v) => shapeErrors(v, DNS1123_SUBDOMAIN, DNS1123_SUBDOMAIN_MAX, { lower: true, dots: true });

/** `IsDNS1035Label`: a DNS-1123 label that starts with a letter. */
export const isDNS1035Label: Check = (v) => shapeErrors(v, DNS1035_LABEL, DNS1123_LABEL_MAX, { lower: true, dots: false, letterFirst: true });

/** `IsValidPathSegmentName`: anything but `.` and `..`, without `/` and `%`. */
export const isPathSegmentName: Check = (v) => {
	if (v === '.' || v === '..') return [`may not be "${v}"`];
	return [...new Set([...v].filter((c) => c === '/' || c === '%'))].map((c) => `contains "${c}"`);
};

/** `IsQualifiedName`: an optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
export const isQualifiedName: Check = (v) => {
	const parts = v.split('/');
	if (parts.length > 2) return ['has more than one "/"'];
	const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
	const errs: string[] = [];
	if (prefix !== undefined) {
		if (prefix === '') errs.push('has an empty prefix before "/"');
		else errs.push(...isDNS1123Subdomain(prefix).map((m) => `has a prefix "${prefix}" that ${m}`));
	}
	errs.push(...shapeErrors(name, QUALIFIED_NAME, QUALIFIED_NAME_MAX, { lower: false, dots: true, what: prefix !== undefined ? 'has a name after "/" that' : undefined }));
	return errs;
};

/** `IsValidLabelValue`: empty, or at most 63 letters, digits, '-', '_' and '.', starting and ending alphanumeric. */
export const isValidLabelValue: Check = (v) => (v === '' ? [] : shapeErrors(v, LABEL_VALUE, LABEL_VALUE_MAX, { lower: false, dots: true }));

interface Shape {
	lower: boolean;
	dots: boolean;
	letterFirst?: boolean;
	/** What the message calls the checked part (`the name after "/"`). */
	what?: string;
}

/** The reasons a value does not match `re`, in the order a person would fix them. */
function shapeErrors(v: string, re: RegExp, max: number, shape: Shape): string[] {
	const subject = shape.what ? `${shape.what} ` : '';
	if (v === '') return [`${subject}is empty`];
	const errs: string[] = [];
	if (v.length > max) errs.push(`${subject}is ${v.length} characters long (at most ${max})`);
	if (re.test(v)) return errs;
	const allowed = shape.lower ? (shape.dots ? /[a-z0-9.-]/ : /[a-z0-9-]/) : /[A-Za-z0-9._-]/;
	const bad = [...new Set([...v].filter((c) => !allowed.test(c)))];
	const upper = shape.lower && bad.some((c) => /[A-Z]/.test(c));
	const others = bad.filter((c) => !(upper && /[A-Z]/.test(c))).map((c) => (c === ' ' ? 'a space' : JSON.stringify(c)));
	if (upper || others.length > 0) errs.push(`${subject}contains ${joinReasons([...(upper ? ['upper-case letters'] : []), ...others])}`);
	if (shape.letterFirst && /^[0-9]/.test(v)) errs.push(`${subject}starts with a digit`);
	// Where each part (between dots, for subdomains) starts or ends with an allowed character that may not stand there.
	const parts = shape.dots && shape.lower ? v.split('.') : [v];
	if (v.startsWith('.')) errs.push(`${subject}starts with "."`);
	else if (v.endsWith('.')) errs.push(`${subject}ends with "."`);
	else if (parts.some((p) => p === '')) errs.push(`${subject}has two dots in a row`);
	else {
		const edge = (c: string) => allowed.test(c) && !/[A-Za-z0-9]/.test(c);
		const first = parts.find((p) => edge(p[0]));
		const last = parts.find((p) => edge(p[p.length - 1]));
		if (first) errs.push(`${subject}${parts.length > 1 ? 'has a part that starts' : 'starts'} with ${JSON.stringify(first[0])}`);
		else if (last) errs.push(`${subject}${parts.length > 1 ? 'has a part that ends' : 'ends'} with ${JSON.stringify(last[last.length - 1])}`);
	}
	if (errs.length === 0) errs.push(`${subject}is not in the allowed form`);
	return errs;
}

/** Kinds whose name is not a DNS-1123 subdomain (the default of built-in and custom kinds). */
const NAME_RULES: Record<string, NameRule> = {
	'|Namespace': 'dns1123-label',
	'|Service': 'dns1035-label',
	'rbac.authorization.k8s.io|Role': 'path-segment',
	'rbac.authorization.k8s.io|ClusterRole': 'path-segment',
	'rbac.authorization.k8s.io|RoleBinding': 'path-segment',
	'rbac.authorization.k8s.io|ClusterRoleBinding': 'path-segment',
	// Not DNS names either (path segments or looser): judged leniently rather than wrongly.
	'certificates.k8s.io|CertificateSigningRequest': 'path-segment',
	'flowcontrol.apiserver.k8s.io|FlowSchema': 'path-segment',
	'flowcontrol.apiserver.k8s.io|PriorityLevelConfiguration': 'path-segment',
};

export function nameRuleOf(group: string, kind: string): NameRule {
	return NAME_RULES[`${group}|${kind}`] ?? 'dns1123-subdomain';
}

const RULE_CHECK: Record<NameRule, Check> = {
	'dns1123-subdomain': isDNS1123Subdomain,
	'dns1123-label': isDNS1123Label,
	'dns1035-label': isDNS1035Label,
	'path-segment': isPathSegmentName,
};

const RULE_TEXT: Record<NameRule, string> = {
	'dns1123-subdomain': 'RFC 1123: lowercase letters, digits, "-" and ".", each part starting and ending with a letter or digit, at most 253 characters',
	'dns1123-label': 'RFC 1123: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters',
	'dns1035-label': 'RFC 1035: lowercase letters, digits and "-", starting with a letter and ending with a letter or digit, at most 63 characters',
	'path-segment': 'not "." or "..", and without "/" or "%"',
};

/** What a kind's name must be, and why where the reason is not simply "the API server says so". */
function nameReason(kind: string, rule: NameRule): string {
	const text = RULE_TEXT[rule];
	if (rule === 'dns1035-label') return `a ${kind} name must start with a letter: it becomes a DNS label (${text})`;
	if (rule === 'dns1123-label') return `a ${kind} name must be a DNS label${kind === 'Namespace' ? ', since it becomes part of DNS names' : ''} (${text})`;
	if (rule === 'path-segment') return `a ${kind} name is used as a URL path segment (${text})`;
	return `a ${kind} name must be a DNS subdomain (${text})`;
}

/** Values a tool fills in before the cluster sees them (Flux substitutions, templates): not judged. */
export function isTemplated(v: string): boolean {
	return v.includes('${') || v.includes('{{');
}

/** A valid spelling of an invalid name, where an obvious one exists (`My_App` → `my-app`). */
export function suggestName(v: string, rule: NameRule): string | undefined {
	if (rule === 'path-segment') return undefined;
	let s = v.toLowerCase().replace(rule === 'dns1123-subdomain' ? /[^a-z0-9.-]+/g : /[^a-z0-9-]+/g, '-');
	s = s.replace(/-+/g, '-').replace(/^[-.]+|[-.]+$/g, '').replace(/\.[-.]*/g, '.').replace(/-+\./g, '.');
	s = s.slice(0, rule === 'dns1123-subdomain' ? DNS1123_SUBDOMAIN_MAX : DNS1123_LABEL_MAX).replace(/[-.]+$/, '');
	return s !== v && s !== '' && RULE_CHECK[rule](s).length === 0 ? s : undefined;
}

function joinReasons(reasons: string[]): string {
	return reasons.length <= 1 ? (reasons[0] ?? '') : `${reasons.slice(0, -1).join(', ')} and ${reasons[reasons.length - 1]}`;
}

/** The problems of one name (`metadata.name` or, as a prefix, `metadata.generateName`). */
export function nameProblems(name: string, path: NodePath, kind: string, rule: NameRule, prefix = false): SchemaProblem[] {
	if (isTemplated(name) || name === '') return [];
	// apimachinery's `maskTrailingDash`: a generateName prefix may end with '-'.
	const checked = prefix && name.length > 1 && name.endsWith('-') ? `${name.slice(0, -1)}a` : name;
	const reasons = RULE_CHECK[rule](checked);
	if (reasons.length === 0) return [];
	const field = formatPath(path);
	const fix = prefix ? undefined : suggestName(name, rule);
	const what = prefix ? `${nameReason(kind, rule)}; generateName is its prefix` : nameReason(kind, rule);
	const message = `${field} ${JSON.stringify(name)} ${joinReasons(reasons)}: ${what}, or the API server rejects it.${fix ? ` Use ${JSON.stringify(fix)}.` : ''}`;
	return [{ ruleId: RULE_ID, path, target: 'value', message, data: fix ? { replacement: fix, path } : { path } }];
}

/** The problems of a labels map (`metadata.labels`, a selector's `matchLabels`). */
export function labelProblems(labels: unknown, path: NodePath): SchemaProblem[] {
	if (!isObject(labels)) return [];
	const out: SchemaProblem[] = [];
	for (const [key, value] of Object.entries(labels)) {
		if (isTemplated(key)) continue;
		const keyErrs = isQualifiedName(key);
		if (keyErrs.length > 0) {
			out.push({
				ruleId: RULE_ID,
				path: [...path, key],
				target: 'key',
				message: `Label key ${JSON.stringify(key)} ${joinReasons(keyErrs)}: a label key is an optional DNS-subdomain prefix and "/", then a name of at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit, or the API server rejects the object.`,
			});
		}
		if (typeof value !== 'string' || isTemplated(value)) continue; // a non-string is a type error of the schema
		const valueErrs = isValidLabelValue(value);
		if (valueErrs.length > 0) {
			out.push({
				ruleId: RULE_ID,
				path: [...path, key],
				target: 'value',
				message: `The value of label ${JSON.stringify(key)} ${joinReasons(valueErrs)}: label values are at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit (or empty), because selectors index them, or the API server rejects the object.`,
			});
		}
	}
	return out;
}

/** The problems of an annotations map: qualified keys, at most 256 KiB of keys and values together. */
export function annotationProblems(annotations: unknown, path: NodePath): SchemaProblem[] {
	if (!isObject(annotations)) return [];
	const out: SchemaProblem[] = [];
	let total = 0;
	for (const [key, value] of Object.entries(annotations)) {
		total += utf8Length(key) + (typeof value === 'string' ? utf8Length(value) : 0);
		if (isTemplated(key)) continue;
		// ValidateAnnotations lower-cases the key first: upper case is allowed in the prefix of an annotation key.
		const errs = isQualifiedName(key.toLowerCase());
		if (errs.length === 0) continue;
		out.push({
			ruleId: RULE_ID,
			path: [...path, key],
			target: 'key',
			message: `Annotation key ${JSON.stringify(key)} ${joinReasons(errs)}: an annotation key is an optional DNS-subdomain prefix and "/", then a name of at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit, or the API server rejects the object.`,
		});
	}
	if (total > ANNOTATIONS_MAX_BYTES) {
		out.push({
			ruleId: RULE_ID,
			path,
			target: 'key',
			message: `${formatPath(path)} hold ${total} bytes of keys and values: the API server rejects more than ${ANNOTATIONS_MAX_BYTES} bytes (256 KiB) of annotations. Move large data to a ConfigMap.`,
		});
	}
	return out;
}

function utf8Length(s: string): number {
	let n = 0;
	for (const c of s) {
		const code = c.codePointAt(0)!;
		n += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
	}
	return n;
}

/** The group of an apiVersion (`apps/v1` → `apps`, `v1` → ``). */
export function groupOf(apiVersion: string): string {
	const i = apiVersion.indexOf('/');
	return i === -1 ? '' : apiVersion.slice(0, i);
}

/**
 * The metadata problems of an object (or an embedded object at `at`): its name or generateName by
 * its kind's rule, its namespace, labels and annotations. Kustomize's own kinds and lists are not
 * objects of the API server and are skipped.
 */
export function objectMetaProblems(value: unknown, at: NodePath = []): SchemaProblem[] {
	if (!isObject(value) || !isObject(value.metadata)) return [];
	const apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : '';
	const kind = typeof value.kind === 'string' ? value.kind : '';
	const group = groupOf(apiVersion);
	if (group === 'kustomize.config.k8s.io' || kind.endsWith('List')) return [];
	const meta = value.metadata;
	const base = [...at, 'metadata'];
	const rule = nameRuleOf(group, kind);
	const out: SchemaProblem[] = [];
	if (typeof meta.name === 'string') out.push(...nameProblems(meta.name, [...base, 'name'], kind || 'object', rule));
	else if (typeof meta.generateName === 'string') out.push(...nameProblems(meta.generateName, [...base, 'generateName'], kind || 'object', rule, true));
	if (typeof meta.namespace === 'string' && !isTemplated(meta.namespace) && meta.namespace !== '') {
		const errs = isDNS1123Label(meta.namespace);
		if (errs.length > 0) {
			const fix = suggestName(meta.namespace, 'dns1123-label');
			out.push({
				ruleId: RULE_ID,
				path: [...base, 'namespace'],
				target: 'value',
				message: `metadata.namespace ${JSON.stringify(meta.namespace)} ${joinReasons(errs)}: namespace names are DNS labels (${RULE_TEXT['dns1123-label']}), so no such namespace can exist and the API server rejects the object.${fix ? ` Use ${JSON.stringify(fix)}.` : ''}`,
				data: fix ? { replacement: fix, path: [...base, 'namespace'] } : undefined,
			});
		}
	}
	out.push(...labelProblems(meta.labels, [...base, 'labels']));
	out.push(...annotationProblems(meta.annotations, [...base, 'annotations']));
	return out;
}

/** Label and annotation problems of a template's metadata (pod templates: validated like the object's). */
export function templateMetaProblems(meta: unknown, path: NodePath): SchemaProblem[] {
	if (!isObject(meta)) return [];
	return [...labelProblems(meta.labels, [...path, 'labels']), ...annotationProblems(meta.annotations, [...path, 'annotations'])];
}
