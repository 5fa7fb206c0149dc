import { ClusterModel, label } from '../model';
import { PodTemplate, templateLabel } from '../private/pod-templates';
import { formatLabels, selects } from '../private/selectors';
import { IPlatformRule, RuleEvaluation, evaluation } from '../rule';

/**
 * Every Service with a selector selects the pod template of some workload in its namespace, and each port's
 * `targetPort` exists on the selected pods: a name must be a container port name; a number must be a declared
 * container port, unless none of the selected templates declares any port (Kubernetes does not require declaring
 * ports, so undeclared numbers are accepted only then).
 */
export const SERVICE_SELECTS_PODS: IPlatformRule = {
  id: 'service-selects-pods',
  description: 'Every Service with a selector selects some workload\'s pods in its namespace, and every targetPort is a port of those pods',
  why: 'A Service that selects no pods, or points at a port nothing listens on, has no endpoints: clients get connection refused or time out',
  example: "Service 'models/qwen' selects no pods (selector app=qwen); pod templates in 'models': Deployment 'models/qwen3-32b' (app=qwen3-32b); fix: make the selector match the workload's pod labels",
  evaluate(model: ClusterModel): RuleEvaluation {
    const findings: string[] = [];
    const services = model.services().filter((s) => s.object !== undefined && s.selector !== undefined && Object.keys(s.selector).length > 0);
    for (const s of services) {
      const templates = model.podTemplates(s.namespace);
      const selected = templates.filter((t) => selects({ matchLabels: s.selector }, t.labels));
      const name = label(s.object!);
      if (selected.length === 0) {
        const known = templates.length === 0 ? 'none' : templates.map((t) => `${templateLabel(t)} (${formatLabels(t.labels)})`).join(', ');
        findings.push(`${name} selects no pods (selector ${formatLabels(s.selector!)}); pod templates in '${s.namespace}': ${known}; fix: make the selector match the workload's pod labels`);
        continue;
      }
      for (const p of s.ports) {
        const target = p.targetPort ?? p.port;
        const problem = targetPortProblem(selected, target);
        if (problem !== undefined) {
          findings.push(`${name} port ${p.name !== undefined ? `'${p.name}' ` : ''}(${p.port}) targets ${typeof target === 'string' ? `port name '${target}'` : `port ${target}`}, ${problem}; fix: set targetPort to a container port of the selected pods`);
        }
      }
    }
    return evaluation(services.length > 0, findings);
  },
};

function targetPortProblem(selected: PodTemplate[], target: string | number): string | undefined {
  const ports = selected.flatMap((t) => t.ports);
  const declared = ports.length === 0 ? 'none' : [...new Set(ports.map((p) => (p.name !== undefined ? `${p.name}/${p.containerPort}` : String(p.containerPort))))].join(', ');
  const who = selected.map(templateLabel).join(', ');
  if (typeof target === 'string' && !/^\d+$/.test(target)) {
    const missing = selected.filter((t) => !t.ports.some((p) => p.name === target));
    if (missing.length === 0) return undefined;
    return `which ${missing.map(templateLabel).join(', ')} do${missing.length === 1 ? 'es' : ''} not declare (declared: ${declared})`;
  }
  const n = Number(target);
  if (ports.length === 0) return undefined;
  if (ports.some((p) => p.containerPort === n)) return undefined;
  return `which no container of ${who} declares (declared: ${declared})`;
}
