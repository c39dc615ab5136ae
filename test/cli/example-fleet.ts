import { readFileSync } from 'node:fs';
import { cli } from '../../server/src/cli/main';

/**
 * The planted mistakes of the example fleet (examples/fleet/README.md), as the tests read them from
 * test/fixtures/example-expectations.json, and an in-process run of the CLI on the example's day.
 */

export const EXAMPLE_FLEET = 'examples/fleet';
export const EXPECTATIONS_FILE = 'test/fixtures/example-expectations.json';

/**
 * The day the example is checked on. DR-test ages, end-of-support dates and exemption expiry move
 * with time: the pinned findings are the ones of this day (the day the support tables were read).
 */
export const EXAMPLE_DAY = new Date('2026-12-01T12:00:00Z');

export interface PlantedFinding {
	/** The README's id of the mistake (several findings may share one). */
	id: string;
	/** Relative to examples/fleet. */
	file: string;
	line: number;
	ruleId: string;
	messageIncludes: string;
	/** Reported only when the example is checked at this Kubernetes version (`--kubernetes-version`), not at the default. */
	kubernetesVersion?: string;
	/** Accepted by an exemption of the Fleet file: reported as exempted (SARIF: suppressed). */
	exempted?: boolean;
}

export function plantedFindings(): PlantedFinding[] {
	return JSON.parse(readFileSync(EXPECTATIONS_FILE, 'utf8')) as PlantedFinding[];
}

/** The planted findings a run at `kubernetesVersion` (undefined: the default) reports. */
export function plantedAt(kubernetesVersion?: string): PlantedFinding[] {
	return plantedFindings().filter((p) => p.kubernetesVersion === kubernetesVersion);
}

/** `fleetscope <args>` in this process, on the example's day. */
export async function runExample(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
	let stdout = '';
	let stderr = '';
	const code = await cli(args, { cwd: process.cwd(), env: { ...process.env, NO_COLOR: '1' }, stdoutIsTty: false, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) }, () => EXAMPLE_DAY);
	return { code, stdout, stderr };
}
