import type { ComplianceRule } from '../rule';
import { backupCoverage } from './backup-coverage';
import { backupPolicy } from './backup-policy';
import { backupSegregation } from './backup-segregation';
import { classification } from './classification';
import { providerConcentration, regionConcentration } from './concentration';
import { drTestEvidence } from './dr-test-evidence';
import { encryption } from './encryption';
import { exitStrategy } from './exit-strategy';
import { exposure } from './exposure';
import { geographicRedundancy } from './geographic-redundancy';
import { immutableRevisions } from './immutable-revisions';
import { monitoring } from './monitoring';
import { nodeRedundancy } from './node-redundancy';
import { owner } from './owner';
import { patchCurrency } from './patch-currency';
import { promotionOrder } from './promotion-order';
import { recoveryObjectives } from './recovery-objectives';
import { segmentation } from './segmentation';
import { singlePointOfFailure } from './single-point-of-failure';
import { unsupportedKubernetes } from './unsupported-kubernetes';

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
