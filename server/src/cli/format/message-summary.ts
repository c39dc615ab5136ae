/**
 * One readable terminal line per finding. A Fleetscope message says what is wrong, why and how to
 * fix it, then names its controls: `Container "web" runs privileged (…): it gets every host
 * capability… Set it to false. (CIS 5.2.2, PSS baseline)`. The terminal shows the what and the
 * short markers (controls, `(production)`, raised); `--verbose` adds the why and the fix. SARIF and
 * JSON keep the whole message.
 */

export interface MessageParts {
	/** What is wrong: the first clause or sentence. */
	what: string;
	/** Why and how to fix it (the rest of the message, markers removed); '' when the message is one clause. */
	detail: string;
	/** Short markers for the summary line: the controls, `production`, `raised`. */
	tags: string[];
}

/** Trailing pieces that are markers, not prose: controls in parentheses, (production), escalation and cluster notes. */
const CONTROLS = /\s*\(((?:CIS|PSS|DORA)\b[^()]*(?:\([^()]*\)[^()]*)*)\)\s*$/;
const PRODUCTION = /\s*\(production\)\s*$/;
const RAISED = /\s*Raised from (\w+) to (\w+) because ([^.]*)\.\s*$/;
const HOLDS = /\s*This holds ((?:[^.]|\.(?!\s|$))*), not in the other clusters this file reaches\.\s*$/;

export function splitMessage(message: string): MessageParts {
	let text = message.replace(/\s+/g, ' ').trim();
	const tags: string[] = [];
	const trailing: string[] = [];
	for (let changed = true; changed; ) {
		changed = false;
		let m: RegExpExecArray | null;
		if ((m = RAISED.exec(text))) {
			tags.unshift(/production/.test(m[3]) ? `raised to ${m[2]}: production` : `raised to ${m[2]}`);
			trailing.unshift(`Raised from ${m[1]} to ${m[2]} because ${m[3]}.`);
			text = text.slice(0, m.index);
			changed = true;
		} else if ((m = PRODUCTION.exec(text))) {
			tags.unshift('production');
			text = text.slice(0, m.index);
			changed = true;
		} else if ((m = HOLDS.exec(text))) {
			trailing.unshift(`This holds ${m[1]}, not in the other clusters this file reaches.`);
			text = text.slice(0, m.index);
			changed = true;
		} else if ((m = CONTROLS.exec(text))) {
			tags.unshift(m[1]);
			text = text.slice(0, m.index);
			changed = true;
		}
	}
	const cut = firstBreak(text);
	const what = (cut === undefined ? text : text.slice(0, cut.at)).replace(/[.:,]\s*$/, '').trim();
	const rest = cut === undefined ? '' : text.slice(cut.at + cut.length).trim();
	const detail = [rest.charAt(0).toUpperCase() + rest.slice(1), ...trailing].filter((s) => s !== '').join(' ');
	return { what, detail, tags };
}

/**
 * Where the first clause ends: a colon that introduces the why (`…has no NetworkPolicy: its pods…`),
 * not one inside parentheses, brackets or quotes, nor a field written with its value
 * (`securityContext.allowPrivilegeEscalation: false`); `, so`, `, where` or `;`; else the end of
 * the first sentence.
 */
function firstBreak(text: string): { at: number; length: number } | undefined {
	let depth = 0;
	let quote: string | undefined;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (quote) {
			if (ch === quote) quote = undefined;
			continue;
		}
		if (ch === '"' || ch === '`') quote = ch;
		else if (ch === '(' || ch === '[' || ch === '{') depth++;
		else if ((ch === ')' || ch === ']' || ch === '}') && depth > 0) depth--;
		else if (depth === 0 && ch === ':' && text[i + 1] === ' ' && !isFieldColon(text, i)) return { at: i, length: 1 };
		// A consequence (", so …"), a circumstance (", where …") or a second clause ("; …") is the why.
		else if (depth === 0 && (text.startsWith(', so ', i) || text.startsWith(', where ', i) || text.startsWith('; ', i))) return { at: i, length: 1 };
		else if (depth === 0 && ch === '.' && text[i + 1] === ' ' && /[A-Z]/.test(text[i + 2] ?? '') && !/\b(e\.g|i\.e|etc|vs)$/.test(text.slice(Math.max(0, i - 4), i))) return { at: i, length: 1 };
	}
	return undefined;
}

/** `field.path: value` or `camelCaseField: value` in prose: the colon belongs to the field, not to the sentence. */
function isFieldColon(text: string, i: number): boolean {
	const word = /([A-Za-z0-9_.\-/[\]]+)$/.exec(text.slice(0, i))?.[1] ?? '';
	return /^[a-z]/.test(word) && (/[.[\]/]/.test(word) || /[a-z][A-Z]/.test(word));
}

/** The summary of a message for one terminal line of at most `budget` characters: the what, cut at a word if need be (ending in …), then the tags. */
export function summaryLine(parts: MessageParts, budget: number): string {
	const tags = parts.tags.length > 0 ? ` (${parts.tags.join('; ')})` : '';
	const room = Math.max(60, budget - tags.length);
	let what = parts.what;
	if (what.length > room) {
		const cut = what.lastIndexOf(' ', room - 1);
		what = `${what.slice(0, cut > room / 2 ? cut : room - 1).replace(/[\s,;:]+$/, '')}…`;
	}
	return `${what}${tags}`;
}

/** What `--verbose` prints under the line: the whole what where the line had to cut it, then the why and the fix. */
export function verboseDetail(parts: MessageParts, line: string): string {
	const cut = !line.startsWith(parts.what);
	return [cut ? `${parts.what}.` : '', parts.detail].filter((s) => s !== '').join(' ');
}

/** Wraps text at spaces to lines of at most `width` characters (a longer word stays whole). */
export function wrap(text: string, width: number): string[] {
	const out: string[] = [];
	let line = '';
	for (const word of text.split(' ')) {
		if (line !== '' && line.length + 1 + word.length > width) {
			out.push(line);
			line = word;
		} else line = line === '' ? word : `${line} ${word}`;
	}
	if (line !== '') out.push(line);
	return out;
}
