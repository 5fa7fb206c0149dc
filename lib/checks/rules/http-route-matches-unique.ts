import { NormalizedMatch, RouteParent, routeParents, ruleMatches } from '../private/routes';
import { list } from '../private/workloads';
import { ClusterModel, ModelObject, label } from '../model';
import { IPlatformRule, RuleEvaluation, evaluation } from '../rule';

interface Placed {
  readonly route: ModelObject;
  readonly rule: number;
  readonly parent: RouteParent;
  readonly hostnames: string[];
  readonly match: NormalizedMatch;
}

function sameListener(a: RouteParent, b: RouteParent): boolean {
  return a.gateway === b.gateway && a.namespace === b.namespace
    && (a.sectionName === undefined || b.sectionName === undefined || a.sectionName === b.sectionName);
}

function hostnamesOverlap(a: string[], b: string[]): boolean {
  return a.length === 0 || b.length === 0 || a.some((h) => b.includes(h));
}

/**
 * No two HTTPRoute rules attached to the same Gateway listener, for overlapping hostnames, have an identical match
 * (path type and value, headers, query parameters, method).
 */
export const HTTP_ROUTE_MATCHES_UNIQUE: IPlatformRule = {
  id: 'http-route-matches-unique',
  description: 'No two HTTPRoute rules on the same Gateway listener and hostnames have an identical match (path, headers, query, method)',
  why: 'The Gateway API gives an identical match to only one route (the oldest, then by name): the other route silently receives nothing',
  example: "HTTPRoute 'models/qwen-a' and HTTPRoute 'models/qwen-b' both match PathPrefix /qwen (no header match) on Gateway 'gateway/inference-gateway' (listener http): only one of them receives these requests; give one route another 'pathPrefix' or a 'headerMatch'",
  evaluate(model: ClusterModel): RuleEvaluation {
    const placed: Placed[] = [];
    const routes = model.ofKind('HTTPRoute');
    for (const route of routes) {
      const hostnames = (list(route.object, 'spec', 'hostnames') as unknown as string[]).map(String);
      list(route.object, 'spec', 'rules').forEach((rule, i) => {
        for (const parent of routeParents(route)) {
          for (const match of ruleMatches(rule)) placed.push({ route, rule: i, parent, hostnames, match });
        }
      });
    }
    const findings = new Set<string>();
    for (let i = 0; i < placed.length; i++) {
      for (let j = i + 1; j < placed.length; j++) {
        const a = placed[i];
        const b = placed[j];
        if (a.route === b.route && a.rule === b.rule) continue;
        if (a.match.key !== b.match.key || !sameListener(a.parent, b.parent) || !hostnamesOverlap(a.hostnames, b.hostnames)) continue;
        const listener = a.parent.sectionName ?? b.parent.sectionName;
        const where = `Gateway '${a.parent.namespace}/${a.parent.gateway}'${listener ? ` (listener ${listener})` : ''}`;
        const who = a.route === b.route ? `rules ${a.rule + 1} and ${b.rule + 1} of ${label(a.route)}` : `${label(a.route)} and ${label(b.route)}`;
        findings.add(`${who} both match ${a.match.text} on ${where}: only one of them receives these requests; give one route another 'pathPrefix' or a 'headerMatch'`);
      }
    }
    return evaluation(routes.length > 0, [...findings]);
  },
};
