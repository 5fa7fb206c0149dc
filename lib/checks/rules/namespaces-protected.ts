import { POD_SECURITY_LABEL_PREFIX, PodSecurityLevel } from '../../core/pod-security';
import { NetworkFlows } from '../../network/network-flows';
import { ClusterModel } from '../model';
import { evaluation, IPlatformRule, RuleEvaluation } from '../rule';

const LEVELS: string[] = Object.values(PodSecurityLevel);

/**
 * Every namespace the platform creates carries Pod Security labels (`enforce`, `warn`, `audit`), and every namespace
 * whose flows the platform enforces has a default-deny NetworkPolicy (ingress and egress, no rules, every pod).
 */
export const NamespacesProtected: IPlatformRule = {
  id: 'namespaces-protected',
  description: 'Platform namespaces carry Pod Security labels; enforced namespaces have a default-deny NetworkPolicy',
  why: 'Without the labels Pod Security admission admits privileged pods; without a default-deny every pod accepts and opens any connection',
  example: "Namespace 'litellm' has no label 'pod-security.kubernetes.io/enforce'; fix: declare it with definition.ensureNamespace() (which labels it) or add the label",
  evaluate(model: ClusterModel): RuleEvaluation {
    const findings: string[] = [];
    const namespaces = model.ofKind('Namespace');
    for (const ns of namespaces) {
      const labels = ((ns.object.metadata as { labels?: Record<string, string> }).labels ?? {});
      for (const mode of ['enforce', 'warn', 'audit']) {
        const key = `${POD_SECURITY_LABEL_PREFIX}/${mode}`;
        if (!LEVELS.includes(labels[key])) {
          findings.push(labels[key] === undefined
            ? `Namespace '${ns.name}' has no label '${key}'; fix: declare it with definition.ensureNamespace() (which labels it) or add the label`
            : `Namespace '${ns.name}' has '${key}: ${labels[key]}', not one of ${LEVELS.join(', ')}; fix: use a Pod Security level`);
        }
      }
    }
    const flows = NetworkFlows.find(model.definition);
    for (const ns of flows?.enforcedNamespaces ?? []) {
      const denies = model.ofKind('NetworkPolicy', ns).some((p) => {
        const spec = (p.object.spec ?? {}) as Record<string, any>;
        const types = (spec.policyTypes ?? []) as string[];
        return Object.keys(spec.podSelector ?? {}).length === 0 && types.includes('Ingress') && types.includes('Egress')
          && (spec.ingress ?? []).length === 0 && (spec.egress ?? []).length === 0;
      });
      if (!denies) {
        findings.push(`namespace '${ns}' has no default-deny NetworkPolicy (every pod, Ingress and Egress, no rules); fix: render its policies with NetworkFlows (shared namespaces and teams get one)`);
      }
    }
    return evaluation(namespaces.length > 0 || (flows?.enforcedNamespaces.length ?? 0) > 0, findings);
  },
};
