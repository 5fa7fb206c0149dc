import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** Props of a Pod Identity role. */
export interface PodIdentityRoleProps {
  /** The cluster. */
  readonly cluster: eks.Cluster;
  /** Namespace of the ServiceAccount (created by the component's chart, not by this construct). */
  readonly namespace: string;
  /** ServiceAccount name. */
  readonly serviceAccount: string;
  /** What the role is for (IAM description). */
  readonly description: string;
}

/**
 * An IAM role that a Kubernetes ServiceAccount assumes through an EKS Pod Identity association. The ServiceAccount
 * itself stays in the component's chart, so manifests carry no role ARN annotation and the GitOps output stays free
 * of CloudFormation tokens.
 */
export class PodIdentityRole extends Construct {
  /** The role. */
  public readonly role: iam.Role;
  /** The association. */
  public readonly association: eks.CfnPodIdentityAssociation;

  constructor(scope: Construct, id: string, props: PodIdentityRoleProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com').withSessionTags(),
      description: props.description,
    });
    this.association = new eks.CfnPodIdentityAssociation(this, 'Association', {
      clusterName: props.cluster.clusterName,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      roleArn: this.role.roleArn,
    });
    const agent = props.cluster.eksPodIdentityAgent;
    if (agent) this.association.node.addDependency(agent);
  }

  /** Adds a statement to the role's default policy. */
  public addToPolicy(statement: iam.PolicyStatement): void {
    this.role.addToPrincipalPolicy(statement);
  }
}
