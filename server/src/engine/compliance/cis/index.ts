import type { ComplianceRule } from '../rule';
import { clusterAdminBinding } from './clusterAdminBinding';
import { defaultNamespace } from './defaultNamespace';
import { defaultServiceAccount } from './defaultServiceAccount';
import { podCreate } from './podCreate';
import { podDefaultServiceAccount } from './podDefaultServiceAccount';
import { rbacWildcards } from './rbacWildcards';
import { secretsAccess } from './secretsAccess';
import { secretsInEnv } from './secretsInEnv';

/** The single-resource CIS Kubernetes v1.10 section 5 rules (PSS-backed 5.2.x live in ../pss). */
export const CIS_RULES: ComplianceRule[] = [
	clusterAdminBinding,
	rbacWildcards,
	secretsAccess,
	podCreate,
	defaultServiceAccount,
	podDefaultServiceAccount,
	secretsInEnv,
	defaultNamespace,
];
