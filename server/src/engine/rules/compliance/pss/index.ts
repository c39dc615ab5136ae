import type { ComplianceRule } from '../rule';
import { allowPrivilegeEscalation } from './allowPrivilegeEscalation';
import { appArmorProfile } from './appArmorProfile';
import { capabilitiesBaseline } from './capabilities_baseline';
import { capabilitiesRestricted } from './capabilities_restricted';
import { hostNamespaces } from './hostNamespaces';
import { hostPathVolumes } from './hostPathVolumes';
import { hostPorts } from './hostPorts';
import { hostProbesAndHostLifecycle } from './hostProbesAndHostLifecycle';
import { privileged } from './privileged';
import { procMount } from './procMount';
import { procMountRestricted } from './procMount_restricted';
import { restrictedVolumes } from './restrictedVolumes';
import { runAsNonRoot } from './runAsNonRoot';
import { runAsUser } from './runAsUser';
import { seccompProfileBaseline } from './seccompProfile_baseline';
import { seccompProfileRestricted } from './seccompProfile_restricted';
import { seLinuxOptions } from './seLinuxOptions';
import { sysctls } from './sysctls';
import { windowsHostProcess } from './windowsHostProcess';

/** The 12 baseline checks of pod-security-admission, in its documentation's order. */
export const PSS_BASELINE_RULES: ComplianceRule[] = [
	hostNamespaces,
	privileged,
	capabilitiesBaseline,
	hostPathVolumes,
	hostPorts,
	hostProbesAndHostLifecycle,
	appArmorProfile,
	seLinuxOptions,
	procMount,
	seccompProfileBaseline,
	sysctls,
	windowsHostProcess,
];

/** The 7 restricted checks. */
export const PSS_RESTRICTED_RULES: ComplianceRule[] = [
	restrictedVolumes,
	allowPrivilegeEscalation,
	runAsNonRoot,
	runAsUser,
	seccompProfileRestricted,
	capabilitiesRestricted,
	procMountRestricted,
];

export const PSS_RULES: ComplianceRule[] = [...PSS_BASELINE_RULES, ...PSS_RESTRICTED_RULES];
