/**
 * Core value types of the Fleetscope engine. Pure data: no LSP, no vscode, no Node imports.
 * Positions are zero-based (line, character in UTF-16 code units), as in LSP, so adapters
 * pass them through unchanged; the CLI adds 1 when it prints.
 */

export interface Position {
	line: number;
	character: number;
}

export interface Range {
	start: Position;
	end: Position;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export const SEVERITY_ORDER: Record<Severity, number> = { error: 3, warning: 2, info: 1, hint: 0 };

/** One problem found in a file. */
export interface Finding {
	/** Stable rule id, e.g. `schema/unknown-field`. */
	ruleId: string;
	severity: Severity;
	/** Plain-language message: what is wrong, and how to fix it. */
	message: string;
	range: Range;
	/** Extra machine-readable data for code actions (e.g. a did-you-mean replacement). */
	data?: FindingData;
}

export interface FindingData {
	/** A replacement text for the range that fixes the finding (e.g. the suggested key name). */
	replacement?: string;
	/** The JSON path of the offending node inside the resource. */
	path?: (string | number)[];
	/** Set when an inline or Fleet exemption covers the finding: the reason given. */
	exempted?: string;
	/** For a missing-required finding: the fields that are missing. */
	missing?: string[];
	/** For a compliance finding: the controls it breaks, where fewer than its rule's (see `ComplianceProblem.controls`). */
	controls?: string[];
	/** For a `policy` finding: the admission policy and rule that judged the object (SARIF `properties`, hovers). */
	policy?: PolicyRef;
}

/** The admission policy behind a `policy` finding. */
export interface PolicyRef {
	/** `kyverno` (ClusterPolicy, Policy, ValidatingPolicy), `vap` (ValidatingAdmissionPolicy) or `crd` (a CRD's validation rules). */
	engine: 'kyverno' | 'vap' | 'crd';
	/** The policy's name (a CRD's name for CRD rules). */
	policy: string;
	/** The rule's name (a validation's index, a CRD rule's expression). */
	rule: string;
	/** Repo-relative file that declares the policy, where it is in the repository. */
	file?: string;
}

/** A half-open span of offsets into a text: [start, end). */
export interface TextSpan {
	start: number;
	end: number;
}
