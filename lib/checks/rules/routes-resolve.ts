import { ClusterModel, ModelObject, label } from '../model';
import { templateLabel } from '../private/pod-templates';
import { formatSelector, labelSelector, rec, recs, selects, str } from '../private/selectors';
import { IPlatformRule, RuleEvaluation, evaluation } from '../rule';

const GATEWAY_GROUP = 'gateway.networking.k8s.io';
const INFERENCE_GROUP = 'inference.networking.k8s.io';
const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute'];

/** True when a ReferenceGrant in `toNamespace` lets `from` (a route) refer to `toGroup`/`toKind`/`toName`. */
function granted(model: ClusterModel, from: ModelObject, toNamespace: string, toGroup: string, toKind: string, toName: string): boolean {
  return model.ofKind('ReferenceGrant', toNamespace).some((g) => {
    const spec = rec(g.object.spec);
    const fromOk = recs(spec.from).some((f) => String(f.group) === GATEWAY_GROUP && String(f.kind) === from.kind && String(f.namespace) === from.namespace);
    const toOk = recs(spec.to).some((t) => (str(t.group) ?? '') === toGroup && String(t.kind) === toKind && (t.name === undefined || t.name === toName));
    return fromOk && toOk;
  });
}

/**
 * HTTPRoute (and GRPCRoute) references resolve: `parentRefs` to a Gateway of the platform (namespace defaults to the
 * route's) with a listener named `sectionName` that admits the route's namespace; `backendRefs` to a Service with that
 * port or an InferencePool (`inference.networking.k8s.io`), cross-namespace only with a ReferenceGrant in the target
 * namespace. InferencePools select some pod template, their `targetPorts` are container ports of it, and their
 * `endpointPickerRef` names a Service with that port.
 */
export const ROUTES_RESOLVE: IPlatformRule = {
  id: 'routes-resolve',
  description: 'Route parentRefs name a Gateway listener, backendRefs a Service port or InferencePool (cross-namespace: with a ReferenceGrant); InferencePools select pods and name an endpoint-picker Service port',
  why: 'An unresolved parent leaves the route unattached (404 at the Gateway); an unresolved backend answers 500; an InferencePool without pods or endpoint picker serves nothing',
  example: "HTTPRoute 'models/qwen' backendRef Service 'models/qwen3' does not exist; fix: name an existing Service (or InferencePool) in 'models'",
  evaluate(model: ClusterModel): RuleEvaluation {
    const findings: string[] = [];
    const routes = model.objects.filter((o) => o.apiVersion.startsWith(`${GATEWAY_GROUP}/`) && ROUTE_KINDS.includes(o.kind));
    const pools = model.objects.filter((o) => o.kind === 'InferencePool' && o.apiVersion.startsWith(`${INFERENCE_GROUP}/`));
    for (const r of routes) {
      const spec = rec(r.object.spec);
      const ns = r.namespace ?? 'default';
      for (const p of recs(spec.parentRefs)) {
        const group = str(p.group) ?? GATEWAY_GROUP;
        const kind = str(p.kind) ?? 'Gateway';
        if (group !== GATEWAY_GROUP || kind !== 'Gateway') continue;
        const gwNs = str(p.namespace) ?? ns;
        const gw = model.objects.find((o) => o.kind === 'Gateway' && o.apiVersion.startsWith(`${GATEWAY_GROUP}/`) && o.name === p.name && (o.namespace ?? 'default') === gwNs);
        if (gw === undefined) {
          findings.push(`${label(r)} parentRef Gateway '${gwNs}/${String(p.name)}' does not exist; fix: name a Gateway of the platform (parentRefs[].namespace defaults to the route's namespace '${ns}')`);
          continue;
        }
        const listeners = recs(rec(gw.object.spec).listeners);
        const section = str(p.sectionName);
        const matching = section === undefined ? listeners : listeners.filter((l) => l.name === section);
        if (matching.length === 0) {
          findings.push(`${label(r)} parentRef sectionName '${section}' is not a listener of ${label(gw)} (listeners: ${listeners.map((l) => String(l.name)).join(', ')}); fix: use one of the listener names`);
          continue;
        }
        const admits = matching.some((l) => {
          const from = str(rec(rec(l.allowedRoutes).namespaces).from) ?? 'Same';
          return from === 'All' || from === 'Selector' || (from === 'Same' && gwNs === ns);
        });
        if (!admits) {
          findings.push(`${label(r)} is in namespace '${ns}' but the listener${section !== undefined ? ` '${section}'` : 's'} of ${label(gw)} admit only routes of '${gwNs}' (allowedRoutes.namespaces.from Same); fix: set allowedRoutes.namespaces.from to All or Selector`);
        }
      }
      for (const rule of recs(spec.rules)) {
        for (const b of recs(rule.backendRefs)) {
          const group = str(b.group) ?? '';
          const kind = str(b.kind) ?? 'Service';
          const name = String(b.name);
          const bNs = str(b.namespace) ?? ns;
          if (bNs !== ns && !granted(model, r, bNs, group, kind, name)) {
            findings.push(`${label(r)} backendRef ${kind} '${bNs}/${name}' is in another namespace and no ReferenceGrant in '${bNs}' allows it; fix: add a ReferenceGrant in '${bNs}' from ${r.kind} in '${ns}' to ${kind}`);
          }
          if (group === '' && kind === 'Service') {
            const svc = model.services(bNs).find((s) => s.name === name);
            if (svc === undefined) {
              findings.push(`${label(r)} backendRef Service '${bNs}/${name}' does not exist; fix: name an existing Service (or InferencePool) in '${bNs}'`);
            } else if (typeof b.port === 'number' && !svc.ports.some((p) => p.port === b.port)) {
              findings.push(`${label(r)} backendRef Service '${bNs}/${name}' has no port ${b.port} (ports: ${svc.ports.map((p) => p.port).join(', ')}); fix: use a port of the Service`);
            }
          } else if (group === INFERENCE_GROUP && kind === 'InferencePool') {
            if (!pools.some((p) => p.name === name && (p.namespace ?? 'default') === bNs)) {
              findings.push(`${label(r)} backendRef InferencePool '${bNs}/${name}' does not exist; fix: name an InferencePool of the platform in '${bNs}'`);
            }
          }
        }
      }
    }
    for (const pool of pools) {
      const spec = rec(pool.object.spec);
      const ns = pool.namespace ?? 'default';
      // v1 InferencePool: selector.matchLabels; v1alpha2: selector is a plain label map.
      const rawSelector = rec(spec.selector);
      const selector = rawSelector.matchLabels !== undefined || rawSelector.matchExpressions !== undefined
        ? labelSelector(rawSelector) : { matchLabels: Object.fromEntries(Object.entries(rawSelector).map(([k, v]) => [k, String(v)])) };
      const selected = model.podTemplates(ns).filter((t) => selects(selector, t.labels));
      if (selected.length === 0) {
        findings.push(`${label(pool)} selects no pods (selector ${formatSelector(selector)}); fix: match the pod labels of the model server`);
      } else {
        const targetPorts = [...recs(spec.targetPorts).map((p) => Number(p.number)), ...(typeof spec.targetPortNumber === 'number' ? [spec.targetPortNumber] : [])];
        for (const port of targetPorts) {
          for (const t of selected.filter((x) => !x.ports.some((p) => p.containerPort === port))) {
            findings.push(`${label(pool)} targetPort ${port} is not a container port of ${templateLabel(t)} (ports: ${t.ports.map((p) => p.containerPort).join(', ') || 'none'}); fix: use the model server's port`);
          }
        }
      }
      const epp = rec(spec.endpointPickerRef ?? spec.extensionRef);
      const eppName = str(epp.name);
      if (eppName !== undefined) {
        const port = typeof rec(epp.port).number === 'number' ? Number(rec(epp.port).number) : typeof epp.portNumber === 'number' ? epp.portNumber : undefined;
        const svc = model.services(ns).find((s) => s.name === eppName);
        if (svc === undefined) {
          findings.push(`${label(pool)} endpointPickerRef Service '${ns}/${eppName}' does not exist; fix: name the endpoint picker's Service`);
        } else if (port !== undefined && !svc.ports.some((p) => p.port === port)) {
          findings.push(`${label(pool)} endpointPickerRef port ${port} is not a port of Service '${ns}/${eppName}' (ports: ${svc.ports.map((p) => p.port).join(', ')}); fix: use the endpoint picker's gRPC port`);
        }
      }
    }
    return evaluation(routes.length + pools.length > 0, findings);
  },
};
