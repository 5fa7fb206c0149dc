import { ApiObject } from 'cdk8s';
import { KubernetesComponent, PlatformDefinition, RuleEvaluation, Stage } from '../../../lib';
import { IPlatformRule } from '../../../lib/checks/rule';
import { ClusterModel } from '../../../lib/checks/model';
import { testDefinition } from '../../util';

/** A definition with one component per entry, each holding the given objects (users' own manifests). */
export function definitionWith(components: Record<string, Record<string, unknown>[]>): PlatformDefinition {
  const definition = testDefinition();
  for (const [name, objs] of Object.entries(components)) {
    const c = new KubernetesComponent(definition, name, { name, stage: Stage.WORKLOADS, description: name });
    objs.forEach((o, i) => new ApiObject(c, `o${i}`, o as any));
  }
  return definition;
}

/** Evaluates one rule on a definition. */
export function run(rule: IPlatformRule, definition: PlatformDefinition): RuleEvaluation {
  return rule.evaluate(ClusterModel.of(definition));
}

/** The messages of an evaluation. */
export function messages(e: RuleEvaluation): string[] {
  return e.findings.map((f) => f.message);
}

/** A vLLM-like Deployment pinned to a GPU pool. */
export function gpuDeployment(name: string, pool: string, gpus: number, replicas?: number, servedName = name): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'models' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          nodeSelector: { 'agentic-eks.io/gpu-pool': pool },
          containers: [{
            name: 'vllm', image: 'vllm', args: ['m', '--served-model-name', servedName],
            resources: { limits: { 'nvidia.com/gpu': gpus } },
          }],
        },
      },
    },
  };
}

/** A GPU NodePool object with an `nvidia.com/gpu` limit. */
export function gpuNodePool(name: string, gpus: number): Record<string, unknown> {
  return {
    apiVersion: 'karpenter.sh/v1', kind: 'NodePool', metadata: { name },
    spec: { limits: { 'nvidia.com/gpu': String(gpus) }, template: { spec: { requirements: [] } } },
  };
}

/** A KEDA ScaledObject for a Deployment. */
export function scaledObject(name: string, min: number, max: number): Record<string, unknown> {
  return {
    apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name, namespace: 'models' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, minReplicaCount: min, maxReplicaCount: max, triggers: [] },
  };
}

/** A Service selecting a Deployment made by {@link gpuDeployment}. */
export function service(name: string): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'models' }, spec: { selector: { app: name }, ports: [{ port: 8000 }] } };
}

/** An HTTPRoute with one rule on the gateway `gateway/inference-gateway`. */
export function httpRoute(name: string, rule: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name, namespace: 'models' },
    spec: { parentRefs: [{ name: 'inference-gateway', namespace: 'gateway', sectionName: 'http' }], rules: [rule], ...extra },
  };
}

/** The Gateway `gateway/inference-gateway` with an HTTP listener on port 80. */
export const GATEWAY = {
  apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'inference-gateway', namespace: 'gateway' },
  spec: { gatewayClassName: 'agentgateway', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
};
