import { agentToolRefs, findKagent, kagentAgents } from '../private/kagent';
import { ClusterModel, ModelObject, label } from '../model';
import { IPlatformRule, RuleEvaluation, evaluation } from '../rule';

/** kagent 0.9.12's limit on nested agent tools (`MAX_DEPTH` of its translator: an agent 11 calls down fails). */
const KAGENT_MAX_DEPTH = 10;

/**
 * No cycle of kagent agents calling agents (an `agent` tool entry, any namespace, Agents and SandboxAgents), an
 * agent calling itself included, and no chain of agent tools deeper than kagent's limit of 10. kagent's translator
 * walks the agent tools of every agent it deploys and refuses the agent on a cycle ("cycle detected in agent tool
 * chain") or past the limit ("recursion limit reached in agent tool chain"). References that do not resolve are
 * `agent-references-resolve`'s.
 */
export const AGENT_CALLS_ACYCLIC: IPlatformRule = {
  id: 'agent-calls-acyclic',
  description: 'Agents calling agents as tools form no cycle and no chain deeper than kagent allows (10)',
  why: 'kagent refuses every agent on a cycle or above a too-deep chain: none of them is deployed, and the agents that call them fail too',
  example: "agents call each other in a cycle: Agent 'agents/rag' -> Agent 'agents/ops' -> Agent 'agents/rag'; kagent deploys none of them (cycle detected in agent tool chain); fix: remove one of these agent tools",
  evaluate(model: ClusterModel): RuleEvaluation {
    const agents = kagentAgents(model);
    const callees = new Map<ModelObject, ModelObject[]>();
    for (const a of agents) {
      const out: ModelObject[] = [];
      for (const ref of agentToolRefs(a)) {
        const target = ref.kind === undefined ? undefined : findKagent(model, ref.kind, ref.name, ref.namespace);
        if (target !== undefined && !out.includes(target)) out.push(target);
      }
      callees.set(a, out);
    }
    const findings: string[] = [];
    // Cycles: one finding per back edge of a depth-first walk, each cycle once (whatever agent it is entered from).
    const state = new Map<ModelObject, 'open' | 'done'>();
    const seen = new Set<string>();
    const walk = (a: ModelObject, path: ModelObject[]): void => {
      state.set(a, 'open');
      for (const next of callees.get(a) ?? []) {
        if (state.get(next) === 'open') {
          const cycle = [...path.slice(path.indexOf(next)), a].filter((x, i, xs) => xs.indexOf(x) === i);
          const start = cycle.indexOf(cycle.reduce((m, x) => (agents.indexOf(x) < agents.indexOf(m) ? x : m)));
          const ordered = [...cycle.slice(start), ...cycle.slice(0, start)];
          const key = ordered.map(label).join(' -> ');
          if (!seen.has(key)) {
            seen.add(key);
            findings.push(`agents call each other in a cycle: ${[...ordered, ordered[0]].map(label).join(' -> ')}; kagent deploys none of them `
              + '(cycle detected in agent tool chain); fix: remove one of these agent tools');
          }
        } else if (state.get(next) === undefined) {
          walk(next, [...path, next]);
        }
      }
      state.set(a, 'done');
    };
    for (const a of agents) if (state.get(a) === undefined) walk(a, [a]);
    // Depth: the longest chain of calls below each agent (only where there is no cycle, which is reported above).
    if (findings.length === 0) {
      const longest = new Map<ModelObject, ModelObject[]>();
      const chain = (a: ModelObject): ModelObject[] => {
        const known = longest.get(a);
        if (known !== undefined) return known;
        let best: ModelObject[] = [];
        for (const next of callees.get(a) ?? []) {
          const c = chain(next);
          if (c.length > best.length) best = c;
        }
        const result = [a, ...best];
        longest.set(a, result);
        return result;
      };
      for (const a of agents) {
        const c = chain(a);
        if (c.length - 1 > KAGENT_MAX_DEPTH) {
          findings.push(`${label(a)} calls agents ${c.length - 1} levels deep (${c.map((x) => x.name).join(' -> ')}), more than kagent's limit of ${KAGENT_MAX_DEPTH}; `
            + 'kagent refuses it (recursion limit reached in agent tool chain); fix: call fewer agents in a chain');
        }
      }
    }
    return evaluation(agents.some((a) => (callees.get(a) ?? []).length > 0), findings);
  },
};
