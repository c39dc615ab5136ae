import { formatPath } from './paths';
import type { NewerField, SchemaProblem } from './types';

/** Friendlier names of a few well-known features, by `NewerField.field`. */
const FEATURES: Record<string, string> = {
	'IoK8sApiCoreV1Container.restartPolicy': 'sidecar containers',
	'IoK8sApiCoreV1PodSpec.resources': 'pod-level resources',
	'IoK8sApiCoreV1Volume.image': 'image volumes',
	'IoK8sApiCoreV1LifecycleHandler.sleep': 'sleep lifecycle hooks',
	'IoK8sApiCoreV1VolumeMount.recursiveReadOnly': 'recursive read-only mounts',
};

/** The `schema-version` problem of a field newer than the cluster(s) `who` describes (`legacy-eu runs 1.27`). */
export function fieldVersionProblem(f: NewerField, who: string): SchemaProblem {
	const feature = FEATURES[f.field];
	const shown = formatPath(f.path);
	const head = feature ? `${shown}: ${feature} need Kubernetes 1.${f.since} or later` : `${shown} needs Kubernetes 1.${f.since} or later (the field was added in 1.${f.since})`;
	return {
		ruleId: 'schema-version',
		path: f.path,
		target: 'key',
		message: `${head}; ${who}. An older API server does not know the field: it rejects the object (server-side apply, strict field validation) or drops the field. Remove it for that cluster or upgrade the cluster.`,
	};
}
