import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { GPU_DEVICE_MANAGEMENT_LABEL, MIG_CONFIG_LABEL, RuleStatus, Stage } from '../../../lib';
import { ClusterModel } from '../../../lib/checks/model';
import { PODS_SCHEDULABLE } from '../../../lib/checks/rules/pods-schedulable';
import { testPlatform } from '../../util';
import { addComponent, check, definition, deployment, podSpec } from '../fixtures';

const GPU_TOLERATION = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };

function nodePool(name: string, labels: Record<string, string>, requirements: Record<string, unknown>[], taints: Record<string, unknown>[] = []) {
  return {
    apiVersion: 'karpenter.sh/v1', kind: 'NodePool', metadata: { name },
    spec: { template: { metadata: { labels }, spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name }, requirements, taints } } },
  };
}

const A100_DRA = nodePool('a100', { 'agentic-eks.io/gpu-pool': 'a100', [GPU_DEVICE_MANAGEMENT_LABEL]: 'dra', [MIG_CONFIG_LABEL]: 'all-1g.10gb' },
  [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['p4de.24xlarge'] }],
  [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }]);
const L40S = nodePool('l40s', { 'agentic-eks.io/gpu-pool': 'l40s', [GPU_DEVICE_MANAGEMENT_LABEL]: 'device-plugin' },
  [{ key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['g6e'] }],
  [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }]);
const GENERAL = nodePool('general', {}, [{ key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] }]);

function migClaimTemplate(name: string, profile: string) {
  return {
    apiVersion: 'resource.k8s.io/v1', kind: 'ResourceClaimTemplate', metadata: { name, namespace: 'models' },
    spec: { spec: { devices: { requests: [{ name: 'mig', exactly: { deviceClassName: 'mig.nvidia.com', selectors: [{ cel: { expression: `device.attributes['gpu.nvidia.com'].profile == '${profile}'` } }] } }] } } },
  };
}

function gpuPod(gpus: number, pool: string, extra: Record<string, unknown> = {}) {
  return podSpec({ nodeSelector: { 'agentic-eks.io/gpu-pool': pool }, tolerations: [GPU_TOLERATION], ...extra },
    { resources: { requests: { 'nvidia.com/gpu': gpus }, limits: { 'nvidia.com/gpu': gpus } } });
}

describe('pods-schedulable', () => {
  test('compliant: CPU pods on the general pool, a GPU pod within a node, a MIG claim on a DRA pool with that layout, a controller on the system nodes', () => {
    // GIVEN
    const def = definition();
    addComponent(def, 'pools', [A100_DRA, L40S, GENERAL], { stage: Stage.CONFIGURATION });
    addComponent(def, 'app', [
      deployment('web', 'apps', { app: 'web' }),
      deployment('vllm', 'models', { app: 'vllm' }, gpuPod(8, 'l40s', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['g6e.48xlarge'] }] }] } } } })),
      migClaimTemplate('mig-1g', '1g.10gb'),
      deployment('small', 'models', { app: 'small' }, podSpec({ nodeSelector: { 'agentic-eks.io/gpu-pool': 'a100' }, tolerations: [GPU_TOLERATION], resourceClaims: [{ name: 'gpu', resourceClaimTemplateName: 'mig-1g' }] })),
      deployment('ctl', 'kube-system', { app: 'ctl' }, podSpec({ nodeSelector: { 'agentic-eks.io/node-role': 'system' }, tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }] })),
    ]);
    // WHEN / THEN
    expect(check(PODS_SCHEDULABLE, def)).toEqual({ status: RuleStatus.COMPLIANT, messages: [] });
  });

  test('non-compliant: too many GPUs, an untolerated taint, an unknown label, a MIG profile the layout lacks, a missing claim template', () => {
    // GIVEN
    const def = definition();
    addComponent(def, 'pools', [A100_DRA, L40S], { stage: Stage.CONFIGURATION });
    addComponent(def, 'app', [
      deployment('big', 'models', { app: 'big' }, gpuPod(16, 'l40s')),
      deployment('notol', 'models', { app: 'notol' }, podSpec({ nodeSelector: { 'agentic-eks.io/gpu-pool': 'l40s' } })),
      deployment('nolabel', 'models', { app: 'nolabel' }, podSpec({ nodeSelector: { team: 'x' }, tolerations: [{ operator: 'Exists' }] })),
      migClaimTemplate('mig-3g', '3g.40gb'),
      deployment('mig', 'models', { app: 'mig' }, podSpec({ nodeSelector: { 'agentic-eks.io/gpu-pool': 'a100' }, tolerations: [GPU_TOLERATION], resourceClaims: [{ name: 'gpu', resourceClaimTemplateName: 'mig-3g' }, { name: 'x', resourceClaimTemplateName: 'absent' }] })),
    ]);
    // WHEN / THEN
    expect(check(PODS_SCHEDULABLE, def).messages).toEqual([
      "Deployment 'models/big' fits no node pool: NodePool 'a100': node selector agentic-eks.io/gpu-pool=l40s not offered; NodePool 'l40s': 16 nvidia.com/gpu requested, at most 8 per node; the system node group: node selector agentic-eks.io/gpu-pool=l40s not offered; fix: add a NodePool that offers these labels, taint tolerations and GPUs, or change the pod's nodeSelector/tolerations/requests",
      "Deployment 'models/notol' fits no node pool: NodePool 'a100': node selector agentic-eks.io/gpu-pool=l40s not offered; NodePool 'l40s': taint nvidia.com/gpu=true:NoSchedule not tolerated; the system node group: node selector agentic-eks.io/gpu-pool=l40s not offered; fix: add a NodePool that offers these labels, taint tolerations and GPUs, or change the pod's nodeSelector/tolerations/requests",
      "Deployment 'models/nolabel' fits no node pool: NodePool 'a100': node selector team=x not offered; NodePool 'l40s': node selector team=x not offered; the system node group: node selector team=x not offered; fix: add a NodePool that offers these labels, taint tolerations and GPUs, or change the pod's nodeSelector/tolerations/requests",
      "Deployment 'models/mig' resourceClaims 'x' names ResourceClaimTemplate 'models/absent', which the platform does not apply; fix: add the claim template (platform.gpu.dra.add...ClaimTemplate) in 'models' or fix the name",
      "Deployment 'models/mig' fits no node pool: NodePool 'a100': MIG profile 3g.40gb needs nvidia.com/mig.config with that profile (pool has all-1g.10gb); NodePool 'l40s': node selector agentic-eks.io/gpu-pool=a100 not offered; the system node group: node selector agentic-eks.io/gpu-pool=a100 not offered; fix: add a NodePool that offers these labels, taint tolerations and GPUs, or change the pod's nodeSelector/tolerations/requests",
    ]);
  });

  test('a DRA claim needs a pool labelled for DRA', () => {
    // GIVEN
    const def = definition();
    addComponent(def, 'pools', [L40S], { stage: Stage.CONFIGURATION });
    addComponent(def, 'app', [
      migClaimTemplate('mig-1g', '1g.10gb'),
      deployment('mig', 'models', { app: 'mig' }, podSpec({ tolerations: [GPU_TOLERATION], nodeSelector: { 'agentic-eks.io/gpu-pool': 'l40s' }, resourceClaims: [{ name: 'gpu', resourceClaimTemplateName: 'mig-1g' }] })),
    ]);
    // WHEN / THEN
    expect(check(PODS_SCHEDULABLE, def).messages).toEqual([
      "Deployment 'models/mig' fits no node pool: NodePool 'l40s': DRA GPU claims need agentic-eks.io/gpu-device-management=dra; the system node group: node selector agentic-eks.io/gpu-pool=l40s not offered; fix: add a NodePool that offers these labels, taint tolerations and GPUs, or change the pod's nodeSelector/tolerations/requests",
    ]);
  });
});

describe('pods-schedulable: the system node group is the platform\'s own', () => {
  test('its instance types come from the platform (systemNodeGroup.instanceTypes), defaulting to m7i/m6i.large', () => {
    // GIVEN / WHEN
    const defaults = testPlatform();
    const custom = testPlatform({ systemNodeGroup: { instanceTypes: [new ec2.InstanceType('c7i.xlarge')] } });

    // THEN
    const system = (p: typeof defaults) => ClusterModel.of(p.definition).nodePools().find((n) => n.object === undefined)!;
    expect(system(defaults).requirements).toEqual([{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['m7i.large', 'm6i.large'] }]);
    expect(system(custom).requirements).toEqual([{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['c7i.xlarge'] }]);
    expect(custom.definition.systemNodeInstanceTypes).toEqual(['c7i.xlarge']);
  });
});
