import { Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeNagFindings, NagFindingRule } from '../core/nag-acknowledgements';
import { KarpenterInterruptionQueue } from './interruption-queue';
import { NodePool, NodePoolOptions } from './node-pool';
import { karpenterControllerStatements } from './private/controller-policy';
import { PodIdentityRole } from '../cluster/pod-identity';
import { HelmComponent, KubernetesComponent, Stage } from '../core/component';
import { JsonObject } from '../core/deep-merge';
import { PlatformDefinition } from '../core/platform-definition';
import { check } from '../core/validation';
import { HelmChartVersion, KARPENTER_MIN_FOR_KUBERNETES } from '../versions';

/** Namespace Karpenter runs in (upstream's getting-started default). */
export const KARPENTER_NAMESPACE = 'kube-system';
/** Karpenter's ServiceAccount (chart default for release `karpenter`). */
export const KARPENTER_SERVICE_ACCOUNT = 'karpenter';

/** Options of the Karpenter layer. */
export interface KarpenterOptions {
  /**
   * Karpenter controller chart. The `karpenter-crd` chart follows the same version.
   * @default HelmChartVersion.KARPENTER
   */
  readonly chart?: HelmChartVersion;
  /** Raw chart values deep-merged after the computed ones (escape hatch). @default - none */
  readonly values?: JsonObject;
}

/** Props of the Karpenter layer. */
export interface KarpenterProps extends KarpenterOptions {
  /** The cluster. */
  readonly cluster: eks.Cluster;
  /** The platform's Kubernetes-side definition. */
  readonly definition: PlatformDefinition;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => parseInt(x, 10));
  const pb = b.split('.').map((x) => parseInt(x, 10));
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Karpenter, self-managed: on the AWS side the node role (with its EC2_LINUX access entry), the controller role
 * (scoped upstream policies, through EKS Pod Identity) and the SQS interruption queue with its EventBridge rules;
 * on the Kubernetes side the `karpenter-crd` and `karpenter` charts and a component holding the NodePools.
 */
export class Karpenter extends Construct {
  /** Deterministic name of the node role: the EC2NodeClasses refer to it by name. */
  public static nodeRoleName(clusterName: string): string {
    return `KarpenterNodeRole-${clusterName}`;
  }

  /** The IAM role of the nodes Karpenter launches. */
  public readonly nodeRole: iam.Role;
  /** The controller's Pod Identity role. */
  public readonly controllerRole: PodIdentityRole;
  /** The interruption queue (named after the cluster). */
  public readonly interruptionQueue: KarpenterInterruptionQueue;
  /** The `karpenter-crd` chart. */
  public readonly crds: HelmComponent;
  /** The controller chart. */
  public readonly controller: HelmComponent;
  /** The component that holds NodePools and EC2NodeClasses. */
  public readonly nodePools: KubernetesComponent;
  private readonly clusterName: string;
  private readonly pools: NodePool[] = [];
  private readonly featureGates = new Set<string>();

  constructor(scope: Construct, id: string, props: KarpenterProps) {
    super(scope, id);
    const chart = props.chart ?? HelmChartVersion.KARPENTER;
    const definition = props.definition;
    this.clusterName = definition.clusterName;
    const minimum = KARPENTER_MIN_FOR_KUBERNETES[definition.kubernetesVersion];
    if (minimum !== undefined) {
      check(compareVersions(chart.version, minimum) >= 0,
        `Karpenter version (${chart.version}) is below ${minimum}, the lowest that supports Kubernetes ${definition.kubernetesVersion}`);
    }

    const nodeRoleName = Karpenter.nodeRoleName(this.clusterName);
    check(nodeRoleName.length <= 64,
      `'clusterName' (${this.clusterName}) is too long for the Karpenter node role name '${nodeRoleName}' (IAM allows 64 characters; use at most 46)`);
    this.nodeRole = new iam.Role(this, 'NodeRole', {
      roleName: nodeRoleName,
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: `Nodes launched by Karpenter in EKS cluster ${this.clusterName}`,
      managedPolicies: ['AmazonEKS_CNI_Policy', 'AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly', 'AmazonSSMManagedInstanceCore']
        .map((n) => iam.ManagedPolicy.fromAwsManagedPolicyName(n)),
    });
    new eks.AccessEntry(this, 'NodeAccessEntry', {
      cluster: props.cluster,
      principal: this.nodeRole.roleArn,
      accessEntryType: eks.AccessEntryType.EC2_LINUX,
      accessPolicies: [],
    });

    this.interruptionQueue = new KarpenterInterruptionQueue(this, 'InterruptionQueue', { queueName: this.clusterName });

    this.controllerRole = new PodIdentityRole(this, 'ControllerIdentity', {
      cluster: props.cluster,
      namespace: KARPENTER_NAMESPACE,
      serviceAccount: KARPENTER_SERVICE_ACCOUNT,
      description: `Karpenter controller of EKS cluster ${this.clusterName}`,
    });
    for (const s of karpenterControllerStatements(this, {
      clusterName: this.clusterName,
      clusterArn: props.cluster.clusterArn,
      nodeRoleArn: this.nodeRole.roleArn,
      interruptionQueueArn: this.interruptionQueue.queueArn,
    })) {
      this.controllerRole.addToPolicy(s);
    }

    acknowledgeNagFindings(this.nodeRole, NagFindingRule.MANAGED_POLICIES,
       'Karpenter nodes need the four AWS managed node policies upstream prescribes (EKS worker, CNI, ECR pull, SSM)');
    acknowledgeNagFindings(this.controllerRole, NagFindingRule.WILDCARDS,
       'Upstream Karpenter controller policy: EC2 resource wildcards are scoped by cluster and nodepool tag conditions; Describe*, pricing and instance-profile listing have no resource-level permissions');
    Validations.of(this.interruptionQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'Interruption events expire after 300 s by design (upstream); a dead-letter queue would only hold stale events',
    });

    this.crds = new HelmComponent(definition, 'KarpenterCrd', {
      name: 'karpenter-crd',
      namespace: KARPENTER_NAMESPACE,
      stage: Stage.CRDS,
      description: 'Karpenter CRDs: NodePool, NodeClaim, EC2NodeClass',
      chart: HelmChartVersion.of({
        chart: 'karpenter-crd',
        repository: chart.repository,
        version: chart.version,
        source: chart.source.source,
        checked: chart.source.checked,
      }),
    });
    const queueName = this.interruptionQueue.queueName;
    this.controller = new HelmComponent(definition, 'Karpenter', {
      name: 'karpenter',
      namespace: KARPENTER_NAMESPACE,
      stage: Stage.CONTROLLERS,
      description: 'Karpenter controller: launches and consolidates nodes for pending pods',
      chart,
      includesCrds: false,
      values: { render: () => ({
        settings: {
          clusterName: this.clusterName,
          interruptionQueue: queueName,
          ...(this.featureGates.size > 0
            ? { featureGates: Object.fromEntries([...this.featureGates].sort().map((g) => [g, true])) } : {}),
        },
        serviceAccount: { create: true, name: KARPENTER_SERVICE_ACCOUNT },
        // Scraped by kube-prometheus-stack (the CRD comes from the stage-CRDS prometheus-operator-crds component).
        serviceMonitor: { enabled: true, additionalLabels: { release: 'kube-prometheus-stack' } },
        controller: {
          resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } },
        },
      }) },
      valueOverrides: props.values,
    });
    this.controller.addDependency(this.crds);

    this.nodePools = new KubernetesComponent(definition, 'KarpenterNodePools', {
      name: 'karpenter-nodepools',
      stage: Stage.CONFIGURATION,
      description: 'Karpenter NodePools and EC2NodeClasses',
    });
    this.nodePools.addDependency(this.controller);
  }

  /** Adds a NodePool (with its own EC2NodeClass unless one is shared). */
  public addNodePool(id: string, options: NodePoolOptions): NodePool {
    return this.registerNodePool(new NodePool(this.nodePools, id, {
      ...options,
      clusterName: this.clusterName,
      nodeRoleName: Karpenter.nodeRoleName(this.clusterName),
    }));
  }

  /**
   * Registers a pool created by another layer in {@link nodePools} (e.g. a GPU pool) and turns on the feature gates
   * it needs (`staticCapacity` for pools with `replicas`).
   */
  public registerNodePool<T extends NodePool>(pool: T): T {
    if (pool.replicas !== undefined) this.enableFeatureGate('staticCapacity');
    this.pools.push(pool);
    return pool;
  }

  /** Turns on a Karpenter feature gate (`settings.featureGates.<gate>: true`). */
  public enableFeatureGate(gate: string): void {
    this.featureGates.add(gate);
  }

  /** Cluster name and node role name the pools of this Karpenter need. */
  public get nodePoolContext(): NodePoolContext {
    return { clusterName: this.clusterName, nodeRoleName: Karpenter.nodeRoleName(this.clusterName) };
  }

  /** The NodePools added so far. */
  public get nodePoolList(): NodePool[] {
    return [...this.pools];
  }
}

/** What the NodePools of a Karpenter need from it. */
export interface NodePoolContext {
  /** The cluster's name. */
  readonly clusterName: string;
  /** Name of the node role of its EC2NodeClasses. */
  readonly nodeRoleName: string;
}
