import type { ComplianceRule } from '../rule';
import { clusterAdminBinding } from './clusterAdminBinding';
import { csrApproval } from './csrApproval';
import { defaultNamespace } from './defaultNamespace';
import { defaultServiceAccount } from './defaultServiceAccount';
import { escalationVerbs } from './escalationVerbs';
import { imageProvenance } from './imageProvenance';
import { nodesProxy } from './nodesProxy';
import { plainSecret } from './plainSecret';
import { podCreate } from './podCreate';
import { podDefaultServiceAccount } from './podDefaultServiceAccount';
import { pvCreate } from './pvCreate';
import { rbacWildcards } from './rbacWildcards';
import { saTokenCreate } from './saTokenCreate';
import { secretsAccess } from './secretsAccess';
import { secretsInEnv } from './secretsInEnv';
import { namespaceNetworkPolicy } from './namespaceNetworkPolicy';
import { policyControl } from './policyControl';
import { securityContext } from './securityContext';
import { serviceAccountToken } from './serviceAccountToken';
import { systemMasters } from './systemMasters';
import { webhookConfigAccess } from './webhookConfigAccess';

/** The CIS Kubernetes v1.10 section 5 rules (PSS-backed 5.2.x live in ../pss), in benchmark order; the last three read the object index. */
export const CIS_RULES: ComplianceRule[] = [
	clusterAdminBinding,
	secretsAccess,
	rbacWildcards,
	podCreate,
	defaultServiceAccount,
	podDefaultServiceAccount,
	systemMasters,
	escalationVerbs,
	pvCreate,
	nodesProxy,
	csrApproval,
	webhookConfigAccess,
	saTokenCreate,
	secretsInEnv,
	plainSecret,
	imageProvenance,
	securityContext,
	defaultNamespace,
	serviceAccountToken,
	namespaceNetworkPolicy,
	policyControl,
];

