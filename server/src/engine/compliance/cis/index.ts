import type { ComplianceRule } from '../rule';
import { clusterAdminBinding } from './clusterAdminBinding';
import { defaultNamespace } from './defaultNamespace';
import { defaultServiceAccount } from './defaultServiceAccount';
import { podCreate } from './podCreate';
import { podDefaultServiceAccount } from './podDefaultServiceAccount';
import { rbacWildcards } from './rbacWildcards';
import { secretsAccess } from './secretsAccess';
import { secretsInEnv } from './secretsInEnv';
import { namespaceNetworkPolicy } from './namespaceNetworkPolicy';
import { policyControl } from './policyControl';
import { serviceAccountToken } from './serviceAccountToken';

/** The CIS Kubernetes v1.10 section 5 rules (PSS-backed 5.2.x live in ../pss); the last three read the object index. */
export const CIS_RULES: ComplianceRule[] = [
	clusterAdminBinding,
	rbacWildcards,
	secretsAccess,
	podCreate,
	defaultServiceAccount,
	podDefaultServiceAccount,
	secretsInEnv,
	defaultNamespace,
	serviceAccountToken,
	namespaceNetworkPolicy,
	policyControl,
];
