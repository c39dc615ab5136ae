import type { ComplianceRule } from '../rule';
import { workloadResources } from './resources';

/** Workload rules that evidence frameworks other than CIS (no CIS Kubernetes number exists for them). */
export const WORKLOAD_RULES: ComplianceRule[] = [workloadResources];
