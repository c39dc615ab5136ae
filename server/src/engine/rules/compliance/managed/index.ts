import type { ComplianceRule } from '../rule';
import { controlPlaneLogging } from './controlPlaneLogging';
import { dashboardAlpha } from './dashboardAlpha';
import { endpointAccess } from './endpointAccess';
import { imageScanning } from './imageScanning';
import { legacyAuth } from './legacyAuth';
import { networkPolicy } from './networkPolicy';
import { nodeImage } from './nodeImage';
import { nodeServiceAccount } from './nodeServiceAccount';
import { nodeUpgrades } from './nodeUpgrades';
import { privateEndpoint } from './privateEndpoint';
import { privateNodes } from './privateNodes';
import { secretsEncryption } from './secretsEncryption';
import { shieldedNodes } from './shieldedNodes';
import { workloadIdentity } from './workloadIdentity';

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
