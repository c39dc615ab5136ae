import type { FileLine } from '../../../shared/protocol';

/**
 * A node of an explorer tree as the views build it: plain data (no VS Code types), so each view's
 * tree is unit-tested against a recorded server answer. `views/tree.ts` turns nodes into tree items.
 * A view is a function from the server's answer to nodes; a new view (drift, for one) is one more
 * such file and one registration line.
 */
export interface ExplorerNode {
	/** Unique in its view and stable across refreshes (expansion and selection survive a refresh). */
	id: string;
	label: string;
	description?: string;
	/** Markdown. */
	tooltip?: string;
	icon?: NodeIcon;
	/** Space-separated words the views' menus match (`cluster connected claim`). */
	contextValue: string;
	/** The repository file the node stands for (its icon, decorations and "Reveal in Explorer"). */
	file?: { folderUri: string; path: string };
	/** A click opens this file at this line (1-based). */
	open?: { folderUri: string; path: string; line?: number; column?: number };
	/** A click opens this web page (a pull request). */
	url?: string;
	/** A click runs this command (when there is no file or page to open). */
	command?: { command: string; title: string; arguments?: unknown[] };
	/** Children, computed when the node is expanded (possibly asking the server). */
	children?: () => ExplorerNode[] | Promise<ExplorerNode[]>;
	expanded?: boolean;
	/** What commands on the node act on. */
	target?: NodeTarget;
}

/** A codicon, with a theme color id for state (`testing.iconPassed`, `errorForeground`, …). */
export interface NodeIcon {
	id: string;
	color?: string;
}

export type NodeTarget =
	| { kind: 'cluster'; folderUri: string; cluster: string; context?: string; claim?: FileLine; status: string }
	| { kind: 'promotion'; folderUri: string; app: string; environment: string; promotesFrom?: string; clusters: string[] };

export const ICONS = {
	passed: { id: 'pass', color: 'testing.iconPassed' },
	failed: { id: 'error', color: 'errorForeground' },
	warning: { id: 'warning', color: 'list.warningForeground' },
	info: { id: 'info', color: 'notificationsInfoIcon.foreground' },
	muted: (id: string): NodeIcon => ({ id, color: 'disabledForeground' }),
} as const;

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Escapes text for a markdown tooltip. */
export function md(text: string): string {
	return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}
