import type { ComplianceRule } from '../rule';
import { clusterAdminBinding } from './cluster-admin-binding';
import { csrApproval } from './csr-approval';
import { defaultNamespace } from './default-namespace';
import { defaultServiceAccount } from './default-service-account';
import { escalationVerbs } from './escalation-verbs';
import { imageProvenance } from './image-provenance';
import { nodesProxy } from './nodes-proxy';
import { plainSecret } from './plain-secret';
import { podCreate } from './pod-create';
import { podDefaultServiceAccount } from './pod-default-service-account';
import { pvCreate } from './pv-create';
import { rbacWildcards } from './rbac-wildcards';
import { saTokenCreate } from './sa-token-create';
import { secretsAccess } from './secrets-access';
import { secretsInEnv } from './secrets-in-env';
import { namespaceNetworkPolicy } from './namespace-network-policy';
import { policyControl } from './policy-control';
import { securityContext } from './security-context';
import { serviceAccountToken } from './service-account-token';
import { systemMasters } from './system-masters';
import { webhookConfigAccess } from './webhook-config-access';

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

