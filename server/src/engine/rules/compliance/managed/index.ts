import type { ComplianceRule } from '../rule';
import { controlPlaneLogging } from './control-plane-logging';
import { dashboardAlpha } from './dashboard-alpha';
import { endpointAccess } from './endpoint-access';
import { imageScanning } from './image-scanning';
import { legacyAuth } from './legacy-auth';
import { networkPolicy } from './network-policy';
import { nodeImage } from './node-image';
import { nodeServiceAccount } from './node-service-account';
import { nodeUpgrades } from './node-upgrades';
import { privateEndpoint } from './private-endpoint';
import { privateNodes } from './private-nodes';
import { secretsEncryption } from './secrets-encryption';
import { shieldedNodes } from './shielded-nodes';
import { workloadIdentity } from './workload-identity';

/** CIS EKS 1.8.0 / GKE 1.9.0 / AKS 1.8 recommendations checked on ClusterClaims. */
export const MANAGED_RULES: ComplianceRule[] = [
	controlPlaneLogging,
	secretsEncryption,
	endpointAccess,
	privateEndpoint,
	privateNodes,
	networkPolicy,
	nodeImage,
	nodeUpgrades,
	shieldedNodes,
	nodeServiceAccount,
	workloadIdentity,
	legacyAuth,
	dashboardAlpha,
	imageScanning,
];
