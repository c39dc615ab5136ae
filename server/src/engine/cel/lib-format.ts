import { celFunc, celMethod, CelScalar, type CelFunc, type CelValue } from '@bufbuild/cel';
import { parseRequestUrl } from './net';
import { CelOptional } from './optional';
import { CelEvalError, Opaque } from './values';

/**
 * The Kubernetes format library: `format.dns1123Label().validate(s)` is `optional.none()` for a
 * valid string, else the list of what is wrong, in the apimachinery validation's words.
 */

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const DNS1035_LABEL = '[a-z]([-a-z0-9]*[a-z0-9])?';
const QUALIFIED_NAME = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const full = (re: string) => new RegExp(`^(?:${re})$`);

function maxLen(n: number): string {
	return `must be no more than ${n} characters`;
}

function dns1123Label(s: string): string[] {
	const out: string[] = [];
	if (s.length > 63) out.push(maxLen(63));
	if (!full(DNS1123_LABEL).test(s))
		out.push(`a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '${DNS1123_LABEL}')`);
	return out;
}

function dns1123Subdomain(s: string): string[] {
	const out: string[] = [];
	if (s.length > 253) out.push(maxLen(253));
	if (!full(DNS1123_SUBDOMAIN).test(s))
		out.push(`a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${DNS1123_SUBDOMAIN}')`);
	return out;
}

function dns1035Label(s: string): string[] {
	const out: string[] = [];
	if (s.length > 63) out.push(maxLen(63));
	if (!full(DNS1035_LABEL).test(s))
		out.push(`a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '${DNS1035_LABEL}')`);
	return out;
}

function qualifiedName(s: string): string[] {
	const parts = s.split('/');
	let name = s;
	const out: string[] = [];
	if (parts.length === 2) {
		if (parts[0] === '') out.push('prefix part must be non-empty');
		else out.push(...dns1123Subdomain(parts[0]).map((m) => `prefix part ${m}`));
		name = parts[1];
	} else if (parts.length > 2) {
		return [`a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '${QUALIFIED_NAME}') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
	}
	if (name === '') out.push('name part must be non-empty');
	else if (name.length > 63) out.push(`name part ${maxLen(63)}`);
	if (name !== '' && !full(QUALIFIED_NAME).test(name))
		out.push(`name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '${QUALIFIED_NAME}')`);
	return out;
}

function labelValue(s: string): string[] {
	const out: string[] = [];
	if (s.length > 63) out.push(maxLen(63));
	if (!full(`(${QUALIFIED_NAME})?`).test(s))
		out.push(`a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(${QUALIFIED_NAME})?')`);
	return out;
}

/** Generated names: a trailing '-' is allowed (NameIsDNSLabel with prefix = true masks it). */
const prefix = (f: (s: string) => string[]) => (s: string) => f(s.endsWith('-') ? `${s.slice(0, -1)}a` : s);

function validDate(s: string): boolean {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
	if (!m) return false;
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
	return mo >= 1 && mo <= 12 && d >= 1 && d <= days;
}

const FORMATS: Record<string, (s: string) => string[]> = {
	dns1123Label,
	dns1123Subdomain,
	dns1035Label,
	qualifiedName,
	dns1123LabelPrefix: prefix(dns1123Label),
	dns1123SubdomainPrefix: prefix(dns1123Subdomain),
	dns1035LabelPrefix: prefix(dns1035Label),
	labelValue,
	uri: (s) => {
		const u = parseRequestUrl(s);
		return typeof u === 'string' ? [`parse ${JSON.stringify(s)}: ${u}`] : [];
	},
	uuid: (s) => (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s) ? [] : ['does not match the UUID format']),
	byte: (s) => (/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s) ? [] : ['invalid base64']),
	date: (s) => (validDate(s) ? [] : ['invalid date']),
	datetime: (s) => {
		const m = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.exec(s);
		return m && validDate(m[1]) && Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4]) < 61 ? [] : ['invalid datetime'];
	},
};

export class CelFormat extends Opaque {
	readonly typeName = 'kubernetes.NamedFormat';
	constructor(readonly name: string) {
		super();
	}
	protected canonical(): string {
		return this.name;
	}
}

export function formatFunctions(): CelFunc[] {
	return [
		...Object.keys(FORMATS).map((name) => celFunc(`format.${name}`, [], CelScalar.DYN, () => new CelFormat(name) as unknown as CelValue)),
		celFunc('format.named', [CelScalar.STRING], CelScalar.DYN, (name) => (name in FORMATS ? CelOptional.of(new CelFormat(name) as unknown as CelValue) : CelOptional.NONE) as unknown as CelValue),
		celMethod('validate', CelScalar.DYN, [CelScalar.STRING], CelScalar.DYN, function (s) {
			if (!(this instanceof CelFormat)) throw new CelEvalError('no such overload: validate() needs a format');
			const errors = FORMATS[this.name](s);
			return (errors.length === 0 ? CelOptional.NONE : CelOptional.of(errors as unknown as CelValue)) as unknown as CelValue;
		}),
	];
}
