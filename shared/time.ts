/**
 * How long ago a field was set, in the words every drift surface uses (the diagnostic, the Drift
 * view, `fleetscope drift`): `just now`, `12 min ago`, `2 h ago`, `3 days ago`; '' for a time that
 * cannot be read.
 */
export function ago(time: string, now: Date): string {
	const ms = now.getTime() - Date.parse(time);
	if (!Number.isFinite(ms)) return '';
	const min = Math.max(0, Math.round(ms / 60_000));
	if (min < 1) return 'just now';
	if (min < 60) return `${min} min ago`;
	const h = Math.round(min / 60);
	return h < 48 ? `${h} h ago` : `${Math.round(h / 24)} days ago`;
}
