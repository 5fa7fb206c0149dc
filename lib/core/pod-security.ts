/**
 * Pod Security Standards level of a namespace, enforced (and audited and warned about) by the built-in Pod Security
 * admission controller through the namespace's `pod-security.kubernetes.io/*` labels.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export enum PodSecurityLevel {
  /** Hardened: non-root, no privilege escalation, dropped capabilities, RuntimeDefault seccomp. */
  RESTRICTED = 'restricted',
  /** Prevents known privilege escalations; allows the default pod configuration. */
  BASELINE = 'baseline',
  /** Unrestricted. */
  PRIVILEGED = 'privileged',
}

/** Prefix of the Pod Security admission labels. */
export const POD_SECURITY_LABEL_PREFIX = 'pod-security.kubernetes.io';

const ORDER: PodSecurityLevel[] = [PodSecurityLevel.RESTRICTED, PodSecurityLevel.BASELINE, PodSecurityLevel.PRIVILEGED];

/** The more permissive of two levels (what a namespace needs when two workloads ask for different levels). */
export function mostPermissive(a: PodSecurityLevel, b: PodSecurityLevel): PodSecurityLevel {
  return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
}

/**
 * The Pod Security labels of a namespace: `enforce` at `level`, `warn` and `audit` at `restricted` (so every
 * deviation from the hardened profile shows up in `kubectl` warnings and the audit log even where it is allowed),
 * each pinned to the cluster's Kubernetes minor version (`v1.36`) so an upgrade does not silently change the rules.
 */
export function podSecurityLabels(level: PodSecurityLevel, kubernetesVersion: string): Record<string, string> {
  const version = `v${kubernetesVersion}`;
  return {
    [`${POD_SECURITY_LABEL_PREFIX}/enforce`]: level,
    [`${POD_SECURITY_LABEL_PREFIX}/enforce-version`]: version,
    [`${POD_SECURITY_LABEL_PREFIX}/audit`]: PodSecurityLevel.RESTRICTED,
    [`${POD_SECURITY_LABEL_PREFIX}/audit-version`]: version,
    [`${POD_SECURITY_LABEL_PREFIX}/warn`]: PodSecurityLevel.RESTRICTED,
    [`${POD_SECURITY_LABEL_PREFIX}/warn-version`]: version,
  };
}
