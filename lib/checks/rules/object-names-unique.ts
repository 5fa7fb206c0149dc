import { ClusterModel, ModelObject, label } from '../model';
import { IPlatformRule, RuleEvaluation, evaluation } from '../rule';

/** The API group of an apiVersion (`''` for the core group). */
function group(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

/** Cluster-scoped kinds: cdk8s writes a chart's namespace on them too, and the API server ignores it. */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'NodePool', 'EC2NodeClass', 'NodeOverlay', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding',
  'StorageClass', 'PriorityClass', 'GatewayClass', 'ClusterSecretStore', 'ClusterExternalSecret', 'DeviceClass',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'PersistentVolume', 'APIService', 'IngressClass', 'RuntimeClass', 'ClusterIssuer', 'ClusterPolicy', 'CSIDriver',
]);

/** Which components apply the objects, for messages. */
function appliers(os: ModelObject[]): string {
  const names = [...new Set(os.map((o) => o.component.componentName))];
  return names.length === 1 ? `both in component ${names[0]}` : `by components ${names.join(' and ')}`;
}

/**
 * No two objects the platform applies share API group, kind, namespace and name: NodePools of the Karpenter and GPU
 * layers (one kind), EC2NodeClasses named after them, a team's Namespace and a namespace another component declares,
 * HTTPRoutes, ConfigMaps.
 */
export const OBJECT_NAMES_UNIQUE: IPlatformRule = {
  id: 'object-names-unique',
  description: 'No two objects share API group, kind, namespace and name (NodePools of the Karpenter and GPU layers, team namespaces, routes)',
  why: 'Two objects with one identity overwrite each other: the last one applied wins (CDK) or two Argo CD Applications fight over it forever (GitOps)',
  example: "NodePool 'general' is applied twice (by components karpenter-nodepools and karpenter-nodepools): give one of the pools another 'name'",
  evaluate(model: ClusterModel): RuleEvaluation {
    const seen = new Map<string, ModelObject[]>();
    for (const o of model.objects) {
      const namespace = CLUSTER_SCOPED.has(o.kind) ? '' : o.namespace ?? '';
      const key = `${group(o.apiVersion)}|${o.kind}|${namespace}|${o.name}`;
      seen.set(key, [...(seen.get(key) ?? []), o]);
    }
    const findings = [...seen.values()].filter((os) => os.length > 1).map((os) =>
      `${label(CLUSTER_SCOPED.has(os[0].kind) ? { ...os[0], namespace: undefined } : os[0])} is applied ${os.length === 2 ? 'twice' : `${os.length} times`} (${appliers(os)}): give one of them another 'name'`);
    return evaluation(model.objects.length > 0, findings);
  },
};
