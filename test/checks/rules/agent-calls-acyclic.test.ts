import { RuleStatus } from '../../../lib';
import { AGENT_CALLS_ACYCLIC } from '../../../lib/checks/rules/agent-calls-acyclic';
import { agent, agentTool } from './agent-fixtures';
import { definitionWith, messages, run } from './cross-component-fixtures';

/** Agents `a0 -> a1 -> ... -> a<n>` (n calls). */
function chain(n: number): Record<string, unknown>[] {
  return Array.from({ length: n + 1 }, (_, i) => agent(`a${i}`, { tools: i < n ? [agentTool(`a${i + 1}`)] : [] }));
}

describe('agent-calls-acyclic', () => {
  test('compliant: a tree of agent calls, across namespaces, and a chain of 10 calls (kagent\'s limit)', () => {
    // GIVEN
    const def = definitionWith({
      agents: [agent('rag', { tools: [agentTool('ops'), agentTool('search', { namespace: 'tools' })] }), agent('ops', { tools: [agentTool('search', { namespace: 'tools' })] })],
      tools: [agent('search', {}, {}, 'tools')],
      chain: chain(10).map((a) => ({ ...a, metadata: { ...(a.metadata as object), namespace: 'chain' } })),
    });
    // WHEN / THEN
    expect(run(AGENT_CALLS_ACYCLIC, def)).toEqual({ status: RuleStatus.COMPLIANT, findings: [] });
  });

  test('a cycle across namespaces and an agent calling itself; each cycle reported once', () => {
    // GIVEN
    const def = definitionWith({
      agents: [
        agent('rag', { tools: [agentTool('ops')] }),
        agent('ops', { tools: [agentTool('search', { namespace: 'tools' })] }),
        agent('loner', { tools: [agentTool('loner')] }),
      ],
      tools: [agent('search', { tools: [agentTool('rag', { namespace: 'agents' }), agentTool('ops', { namespace: 'agents' })] }, {}, 'tools')],
    });
    // WHEN / THEN
    expect(messages(run(AGENT_CALLS_ACYCLIC, def))).toEqual([
      "agents call each other in a cycle: Agent 'agents/rag' -> Agent 'agents/ops' -> Agent 'tools/search' -> Agent 'agents/rag'; kagent deploys none of them (cycle detected in agent tool chain); fix: remove one of these agent tools",
      "agents call each other in a cycle: Agent 'agents/ops' -> Agent 'tools/search' -> Agent 'agents/ops'; kagent deploys none of them (cycle detected in agent tool chain); fix: remove one of these agent tools",
      "agents call each other in a cycle: Agent 'agents/loner' -> Agent 'agents/loner'; kagent deploys none of them (cycle detected in agent tool chain); fix: remove one of these agent tools",
    ]);
  });

  test('a chain of 11 calls is deeper than kagent allows', () => {
    expect(messages(run(AGENT_CALLS_ACYCLIC, definitionWith({ agents: chain(11) })))).toEqual([
      "Agent 'agents/a0' calls agents 11 levels deep (a0 -> a1 -> a2 -> a3 -> a4 -> a5 -> a6 -> a7 -> a8 -> a9 -> a10 -> a11), more than kagent's limit of 10; kagent refuses it (recursion limit reached in agent tool chain); fix: call fewer agents in a chain",
    ]);
  });

  test('not applicable when no agent calls another (unresolved references are agent-references-resolve\'s)', () => {
    expect(run(AGENT_CALLS_ACYCLIC, definitionWith({ agents: [agent('rag', { tools: [agentTool('missing')] })] })).status).toBe(RuleStatus.NOT_APPLICABLE);
  });
});
