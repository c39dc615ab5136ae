import type { ComplianceRule } from '../rule';
import { allowPrivilegeEscalation } from './allow-privilege-escalation';
import { appArmorProfile } from './app-armor-profile';
import { capabilitiesBaseline } from './capabilities-baseline';
import { capabilitiesRestricted } from './capabilities-restricted';
import { hostNamespaces } from './host-namespaces';
import { hostPathVolumes } from './host-path-volumes';
import { hostPorts } from './host-ports';
import { hostProbesAndHostLifecycle } from './host-probes-and-host-lifecycle';
import { privileged } from './privileged';
import { procMount } from './proc-mount';
import { procMountRestricted } from './proc-mount-restricted';
import { restrictedVolumes } from './restricted-volumes';
import { runAsNonRoot } from './run-as-non-root';
import { runAsUser } from './run-as-user';
import { seccompProfileBaseline } from './seccomp-profile-baseline';
import { seccompProfileRestricted } from './seccomp-profile-restricted';
import { seLinuxOptions } from './se-linux-options';
import { sysctls } from './sysctls';
import { windowsHostProcess } from './windows-host-process';

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
