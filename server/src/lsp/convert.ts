import {
	CodeActionKind,
	CompletionItemKind,
	DiagnosticSeverity,
	InsertTextFormat,
	MarkupKind,
	SymbolKind,
	type CodeAction,
	type CompletionItem,
	type Diagnostic,
	type DocumentSymbol,
	type Hover,
	type SymbolInformation,
} from 'vscode-languageserver';
import type { FleetSymbol } from '../engine/services/fleet-info';
import { helpUri } from '../engine/core/rule-meta';
import type { CodeActionEntry } from '../engine/services/code-actions';
import type { CompletionEntry, HoverResult, SymbolEntry } from '../engine/services/types';
import type { Finding, Severity } from '../engine/core/types';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
	error: DiagnosticSeverity.Error,
	warning: DiagnosticSeverity.Warning,
	info: DiagnosticSeverity.Information,
	hint: DiagnosticSeverity.Hint,
};

/** A finding as an LSP diagnostic: the rule id is the code and links to the rule's page. Ranges are already zero-based. */
export function toDiagnostic(f: Finding): Diagnostic {
	return {
		range: f.range,
		severity: SEVERITY[f.severity],
		code: f.ruleId,
		codeDescription: { href: helpUri(f.ruleId) },
		source: 'fleetscope',
		message: f.message,
		data: f.data,
	};
}

export function toHover(h: HoverResult): Hover {
	return { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: h.range };
}

const ITEM_KIND: Record<CompletionEntry['kind'], CompletionItemKind> = {
	field: CompletionItemKind.Property,
	value: CompletionItemKind.Value,
	kind: CompletionItemKind.Class,
};

export function toCompletionItem(e: CompletionEntry): CompletionItem {
	return {
		label: e.label,
		kind: ITEM_KIND[e.kind],
		detail: e.detail,
		documentation: e.documentation ? { kind: MarkupKind.Markdown, value: e.documentation } : undefined,
		sortText: e.sortText,
		insertTextFormat: e.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
		textEdit: { range: e.range, newText: e.insertText },
	};
}

export function toDocumentSymbol(s: SymbolEntry): DocumentSymbol {
	return { name: s.name, detail: s.detail, kind: SymbolKind.Object, range: s.range, selectionRange: s.selectionRange };
}

/** A quick fix as an LSP code action, linked to the diagnostic it fixes. */
export function toCodeAction(a: CodeActionEntry, uri: string): CodeAction {
	return {
		title: a.title,
		kind: CodeActionKind.QuickFix,
		diagnostics: [toDiagnostic(a.finding)],
		isPreferred: a.preferred,
		edit: { changes: { [uri]: a.edits } },
	};
}

const FLEET_SYMBOL_KIND: Record<FleetSymbol['kind'], SymbolKind> = { cluster: SymbolKind.Module, environment: SymbolKind.Namespace, app: SymbolKind.Package };

/** A cluster, environment or app of the fleet as a workspace symbol. */
export function toWorkspaceSymbol(s: FleetSymbol, uri: string): SymbolInformation {
	return { name: s.name, kind: FLEET_SYMBOL_KIND[s.kind], containerName: s.detail, location: { uri, range: s.location.range } };
}
