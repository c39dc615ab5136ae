import type { ComplianceRule } from '../rule';
import { backupCoverage } from './backupCoverage';
import { backupPolicy } from './backupPolicy';
import { backupSegregation } from './backupSegregation';
import { classification } from './classification';
import { providerConcentration, regionConcentration } from './concentration';
import { drTestEvidence } from './drTestEvidence';
import { encryption } from './encryption';
import { exitStrategy } from './exitStrategy';
import { exposure } from './exposure';
import { geographicRedundancy } from './geographicRedundancy';
import { immutableRevisions } from './immutableRevisions';
import { monitoring } from './monitoring';
import { nodeRedundancy } from './nodeRedundancy';
import { owner } from './owner';
import { patchCurrency } from './patchCurrency';
import { promotionOrder } from './promotionOrder';
import { recoveryObjectives } from './recoveryObjectives';
import { segmentation } from './segmentation';
import { singlePointOfFailure } from './singlePointOfFailure';
import { unsupportedKubernetes } from './unsupportedKubernetes';

/**
 * The EU DORA rules (Regulation (EU) 2022/2554; RTS 2024/1774), by article. See docs/dora.md.
 * They judge production only, at production severities: escalation does not raise them again.
 */
export const DORA_RULES: ComplianceRule[] = ([
	// Art 8 identification
	owner,
	classification,
	recoveryObjectives,
	exposure,
	unsupportedKubernetes,
	// Art 9 protection and prevention
	encryption,
	segmentation,
	promotionOrder,
	immutableRevisions,
	patchCurrency,
	// Art 10 detection
	monitoring,
	singlePointOfFailure,
	// Art 11 response and recovery
	geographicRedundancy,
	nodeRedundancy,
	drTestEvidence,
	// Art 12 backups
	backupCoverage,
	backupPolicy,
	backupSegregation,
	// Art 28/29 third-party risk
	exitStrategy,
	providerConcentration,
	regionConcentration,
] as ComplianceRule[]).map((r) => ({ ...r, productionOnly: true }));
