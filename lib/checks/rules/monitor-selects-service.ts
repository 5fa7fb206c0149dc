import { ClusterModel, ModelObject, ServiceModel, label } from '../model';
import { templateLabel } from '../private/pod-templates';
import { LabelSelector, formatSelector, labelSelector, rec, recs, selects, str } from '../private/selectors';
import { IPlatformRule, RuleEvaluation, evaluation } from '../rule';

/** The namespaces a monitor's `namespaceSelector` covers: `any`, `matchNames`, else the monitor's own. */
function namespacesOf(o: ModelObject): string[] | 'any' {
  const ns = rec(rec(o.object.spec).namespaceSelector);
  if (ns.any === true) return 'any';
  const names = Array.isArray(ns.matchNames) ? ns.matchNames.map(String) : [];
  return names.length > 0 ? names : [o.namespace ?? 'default'];
}

function inScope(scope: string[] | 'any', namespace: string | undefined): boolean {
  return scope === 'any' || (namespace !== undefined && scope.includes(namespace));
}

function scopeText(scope: string[] | 'any'): string {
  return scope === 'any' ? 'any namespace' : `namespace${scope.length > 1 ? 's' : ''} ${scope.map((n) => `'${n}'`).join(', ')}`;
}

/**
 * A ServiceMonitor selects at least one Service (in its `namespaceSelector` namespaces, else its own) and every
 * endpoint `port` is a port name of each selected Service; a PodMonitor likewise against pod templates' container port
 * names (`podMetricsEndpoints[].port`). Helm-chart Services count when helm-facts.ts knows their labels.
 */
export const MONITOR_SELECTS_SERVICE: IPlatformRule = {
  id: 'monitor-selects-service',
  description: 'Every ServiceMonitor selects a Service (PodMonitor: a pod template) and every endpoint port is a named port of it',
  why: 'Prometheus Operator silently scrapes nothing for a monitor that selects nothing or names a missing port: dashboards, alerts and KEDA triggers go blind',
  example: "ServiceMonitor 'models/qwen3-32b' endpoint port 'metrics' is not a port name of Service 'models/qwen3-32b' (ports: http); fix: use a named port of the Service",
  evaluate(model: ClusterModel): RuleEvaluation {
    const findings: string[] = [];
    const monitors = model.objects.filter((o) => o.apiVersion.startsWith('monitoring.coreos.com/') && (o.kind === 'ServiceMonitor' || o.kind === 'PodMonitor'));
    for (const m of monitors) {
      const spec = rec(m.object.spec);
      const selector: LabelSelector = labelSelector(spec.selector);
      const scope = namespacesOf(m);
      if (m.kind === 'ServiceMonitor') {
        const candidates = model.services().filter((s: ServiceModel) => inScope(scope, s.namespace) && s.labels !== undefined);
        const selected = candidates.filter((s) => selects(selector, s.labels!));
        if (selected.length === 0) {
          findings.push(`${label(m)} selects no Service (selector ${formatSelector(selector)} in ${scopeText(scope)}); fix: match the labels of the Service to scrape, or set namespaceSelector`);
          continue;
        }
        for (const e of recs(spec.endpoints)) {
          const port = str(e.port);
          if (port === undefined) continue;
          for (const s of selected.filter((x) => !x.ports.some((p) => p.name === port))) {
            findings.push(`${label(m)} endpoint port '${port}' is not a port name of Service '${s.namespace}/${s.name}' (ports: ${s.ports.map((p) => p.name ?? String(p.port)).join(', ')}); fix: use a named port of the Service`);
          }
        }
      } else {
        const templates = model.podTemplates().filter((t) => inScope(scope, t.namespace));
        const selected = templates.filter((t) => selects(selector, t.labels));
        if (selected.length === 0) {
          findings.push(`${label(m)} selects no pods (selector ${formatSelector(selector)} in ${scopeText(scope)}); fix: match the pod labels of the workload to scrape, or set namespaceSelector`);
          continue;
        }
        for (const e of recs(spec.podMetricsEndpoints)) {
          const port = str(e.port);
          if (port === undefined) continue;
          for (const t of selected.filter((x) => !x.ports.some((p) => p.name === port))) {
            findings.push(`${label(m)} endpoint port '${port}' is not a container port name of ${templateLabel(t)} (ports: ${t.ports.map((p) => p.name ?? String(p.containerPort)).join(', ') || 'none'}); fix: use a named container port`);
          }
        }
      }
    }
    return evaluation(monitors.length > 0, findings);
  },
};
