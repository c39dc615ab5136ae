import { andList } from '../cis/rbac';
import { managedRule, missingAt, section, type ClaimViolation } from './claim';

/** The five EKS control-plane log types; kube-bench's EKS 2.1.1 remediation enables all of them. */
const EKS_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

/**
 * Control-plane logging: EKS must send all five log types (none are sent by default); AKS must
 * send the audit log (nothing is collected until a diagnostic setting says so); GKE logs and
 * monitors by default, so only an explicit `observability.logging/monitoring: false` is reported.
 */
export const controlPlaneLogging = managedRule({
	id: 'cis-managed-control-plane-logging',
	title: 'Control-plane audit logging off or incomplete',
	severity: 'warning',
	rationale:
		'The API server audit log records who did what to which object; with the authenticator and API server logs it is how an incident is reconstructed and how access is reviewed. EKS and AKS keep none of these logs unless told to, and what is not collected cannot be recovered later.',
	remediation:
		'EKS: controlPlane.logging: [api, audit, authenticator, controllerManager, scheduler]. AKS: controlPlane.logging including audit (a diagnostic setting with kube-audit). GKE: keep Cloud Logging and Cloud Monitoring on (do not set observability.logging or observability.monitoring to false).',
	controls: { aws: ['2.1.1'], gcp: ['5.7.1'], azure: ['2.1.1'] },
	// DORA Art 10(1) (detect anomalous activity) asks the same of production clusters: one finding names both.
	productionControls: ['DORA-Art10(1)'],
	reads: ['controlPlane', 'observability'],
	evaluate({ spec, provider }) {
		const cp = section(spec, 'controlPlane');
		const out: ClaimViolation[] = [];
		if (provider === 'gcp') {
			const obs = section(spec, 'observability');
			for (const [key, service] of [['logging', 'Cloud Logging'], ['monitoring', 'Cloud Monitoring']] as const) {
				if (obs?.[key] !== false) continue;
				out.push({
					path: ['spec', 'observability', key],
					target: 'value',
					message: `observability.${key}: false turns ${service} off for this cluster: its system and workload ${key === 'logging' ? 'logs are' : 'metrics are'} no longer kept, so incidents cannot be detected or reconstructed from them. Remove the setting or set it to true.`,
				});
			}
			return out;
		}
		const logging = cp?.logging;
		if (logging !== undefined && !Array.isArray(logging)) return []; // a schema finding already
		const present = Array.isArray(logging) ? logging.filter((t): t is string => typeof t === 'string') : [];
		const wanted = provider === 'aws' ? EKS_TYPES : ['audit'];
		const lacking = wanted.filter((t) => !present.includes(t));
		if (lacking.length === 0) return [];
		const where = logging === undefined ? missingAt(spec, ['controlPlane', 'logging']) : { path: ['spec', 'controlPlane', 'logging'], target: 'value' as const };
		const noAudit = lacking.includes('audit') ? 'there is no record of who did what in the cluster' : 'incidents cannot be fully reconstructed';
		// DORA Art 10(1) is about the audit log: the other log types missing do not break it.
		const productionControls = lacking.includes('audit') ? undefined : [];
		if (provider === 'aws') {
			const message =
				logging === undefined
					? `EKS sends no control-plane logs to CloudWatch unless told to, and this claim does not set controlPlane.logging: ${noAudit}. Set controlPlane.logging: [${EKS_TYPES.join(', ')}].`
					: `controlPlane.logging lacks ${andList(lacking)}: EKS keeps only the log types listed, so ${noAudit}. Add ${lacking.length === 1 ? 'it' : 'them'}: [${EKS_TYPES.join(', ')}].`;
			return [{ ...where, message, productionControls }];
		}
		const message =
			logging === undefined
				? 'AKS collects no control-plane logs until a diagnostic setting sends them to Log Analytics or storage, and this claim does not set controlPlane.logging: there is no audit log of who did what in the cluster. Set controlPlane.logging to include audit (kube-audit), with api, controllerManager and scheduler as needed.'
				: 'controlPlane.logging does not include audit: AKS keeps only the log categories a diagnostic setting sends, so there is no audit log of who did what in the cluster. Add audit (kube-audit).';
		return [{ ...where, message, productionControls }];
	},
});
