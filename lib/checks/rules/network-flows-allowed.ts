import { describeFlow } from '../../network/flow';
import { NetworkFlows } from '../../network/network-flows';
import { ClusterModel } from '../model';
import { blockedSides } from '../private/network-policy-eval';
import { evaluation, IPlatformRule, RuleEvaluation } from '../rule';

/**
 * Every network flow the platform's components declare is allowed by the NetworkPolicies the platform applies,
 * evaluated with Kubernetes semantics: a pod is isolated in a direction when a policy of that type selects it, and a
 * connection then needs an allow on both sides (egress of the source, ingress of the destination), with matching
 * namespace labels, pod labels and ports.
 */
export const NetworkFlowsAllowed: IPlatformRule = {
  id: 'network-flows-allowed',
  description: 'Every declared network flow is allowed by the NetworkPolicies in force, on both sides',
  why: 'A flow blocked by a default-deny fails at runtime as timeouts (no traces in Langfuse, models unreachable through the gateway, failed downloads)',
  example: "flow 'litellm-to-langfuse' (pods app.kubernetes.io/name=litellm,app.kubernetes.io/component=proxy in 'litellm' -> any pod in 'langfuse', TCP 3000) is blocked on the ingress of the destination in namespace 'langfuse': isolated by NetworkPolicy 'langfuse/default-deny' and no NetworkPolicy allows it; fix: ...",
  evaluate(model: ClusterModel): RuleEvaluation {
    const flows = NetworkFlows.find(model.definition);
    if (flows === undefined || flows.flows.length === 0) return evaluation(false, []);
    const teams = flows.teamNamespaces;
    return evaluation(true, flows.flows.flatMap((f) => blockedSides(model, f, teams, describeFlow(f))));
  },
};
