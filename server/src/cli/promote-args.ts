import { parseArgs } from 'node:util';
import type { PromotionGateName } from '../../../shared/protocol';
import { GATE_NAMES, isGateName } from '../engine/promotion';
import { UsageError } from './args';

/** The options of `fleetscope promote`, validated. */
export interface PromoteOptions {
	app: string;
	to: string;
	from?: string;
	path?: string;
	dryRun: boolean;
	format: 'text' | 'json';
	openPr: boolean;
	yes: boolean;
	remote: string;
	overrides: { gate: PromotionGateName; reason: string }[];
}

export const PROMOTE_USAGE = `Usage: fleetscope promote APP --to ENV [--from ENV] [PATH] [--dry-run] [--format text|json]
                          [--open-pr] [--yes] [--remote NAME] [--override-gate NAME --reason TEXT]...

Moves APP's versions (or, for apps with promotion.style: directory, its directory) from the
source environment (default: ENV's promotion.from in the Fleet file) to ENV, in the repository at
PATH (default: the current directory), checks the gates (order, soak, approvals, compliance,
live), and pushes the branch fleetscope/promote/APP/ENV with one commit, from the remote's default
branch. Your working tree, index, branch and HEAD are not touched.

Options:
  --to ENV                 the environment to promote to
  --from ENV               the environment to promote from (default: ENV's promotion.from)
  --dry-run                print the plan; change nothing, push nothing
  --format text|json       output format (default: text)
  --open-pr                open (or update) the pull request through the host's API
                           (GITHUB_TOKEN / GITLAB_TOKEN); without it, the branch is pushed and
                           the URL that opens the pull request is printed
  --yes                    push without asking (needed when not run in a terminal)
  --remote NAME            the remote to push to (default: origin)
  --override-gate NAME --reason TEXT
                           let a failed gate pass, with the reason recorded in the pull request
                           (repeatable; gates: ${GATE_NAMES.join(', ')})

Exit codes: 0 done or planned, 1 a gate failed (nothing pushed), 2 usage, git or API error.
`;

export function parsePromoteArgs(argv: string[]): PromoteOptions | 'help' {
	let parsed;
	try {
		parsed = parseArgs({
			args: argv,
			allowPositionals: true,
			strict: true,
			options: {
				to: { type: 'string' },
				from: { type: 'string' },
				'dry-run': { type: 'boolean' },
				format: { type: 'string' },
				'open-pr': { type: 'boolean' },
				yes: { type: 'boolean', short: 'y' },
				remote: { type: 'string' },
				'override-gate': { type: 'string', multiple: true },
				reason: { type: 'string', multiple: true },
				help: { type: 'boolean', short: 'h' },
			},
		});
	} catch (e) {
		throw new UsageError((e instanceof Error ? e.message : String(e)).split(/\n|\. To specify/)[0]);
	}
	const { values, positionals } = parsed;
	if (values.help) return 'help';
	const [app, path, ...rest] = positionals;
	if (!app) throw new UsageError('promote needs the app: fleetscope promote APP --to ENV (fleetscope fleet lists the apps)');
	if (rest.length > 0) throw new UsageError(`promote takes one app and one repository path, got also "${rest[0]}"`);
	if (!values.to) throw new UsageError(`promote needs the target environment: fleetscope promote ${app} --to ENV`);
	if (values.from === '') throw new UsageError('--from needs an environment');
	if (values.remote === '') throw new UsageError('--remote needs a remote name');
	const format = values.format ?? 'text';
	if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, got "${format}"`);
	const gates = values['override-gate'] ?? [];
	const reasons = values.reason ?? [];
	if (gates.length !== reasons.length) throw new UsageError('every --override-gate NAME needs its --reason TEXT (the reason goes into the pull request)');
	const overrides = gates.map((gate, i) => {
		if (!isGateName(gate)) throw new UsageError(`--override-gate: no gate "${gate}"; the gates are ${GATE_NAMES.join(', ')}`);
		const reason = reasons[i].trim();
		if (reason.length < 3) throw new UsageError(`--reason for ${gate} must say why (it is recorded in the pull request)`);
		return { gate, reason };
	});
	if (values['dry-run'] && values.yes) throw new UsageError('--dry-run pushes nothing, so --yes has no meaning with it');
	return { app, to: values.to, from: values.from, path, dryRun: values['dry-run'] === true, format, openPr: values['open-pr'] === true, yes: values.yes === true, remote: values.remote ?? 'origin', overrides };
}
