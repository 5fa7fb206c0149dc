import { Duration, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * Properties of a {@link KarpenterInterruptionQueue}.
 */
export interface KarpenterInterruptionQueueProps {
  /**
   * Name of the SQS queue; Karpenter's `settings.interruptionQueue` must name the same queue.
   *
   * Upstream uses the cluster name. 1-80 characters of letters, digits, `-` or `_`.
   *
   * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html
   */
  readonly queueName: string;
}

/** EventBridge rules forwarded to the queue: construct id, event source, detail-type. */
const INTERRUPTION_RULES: ReadonlyArray<readonly [id: string, source: string, detailType: string]> = [
  ['HealthEventRule', 'aws.health', 'AWS Health Event'],
  ['SpotInterruptionRule', 'aws.ec2', 'EC2 Spot Instance Interruption Warning'],
  ['RebalanceRule', 'aws.ec2', 'EC2 Instance Rebalance Recommendation'],
  ['InstanceStateChangeRule', 'aws.ec2', 'EC2 Instance State-change Notification'],
  ['CapacityReservationInterruptionRule', 'aws.ec2', 'EC2 Capacity Reservation Instance Interruption Warning'],
];

const QUEUE_NAME_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * The SQS queue and EventBridge rules Karpenter uses for interruption handling.
 *
 * Matches the upstream Karpenter 1.14 getting-started template: a queue with 300 s retention and SQS-managed
 * SSE, a resource policy that lets EventBridge and SQS send messages and denies non-TLS access, and five
 * rules (AWS Health, Spot interruption, rebalance recommendation, instance state change, capacity
 * reservation interruption) targeting it. Unlike upstream, the queue policy also holds one
 * `aws:SourceArn`-scoped `events.amazonaws.com` grant per rule, added by `aws-events-targets.SqsQueue`.
 *
 * Construct ids: the queue is `'Queue'` (this construct composes a queue and rules, so no child is
 * `'Resource'`); rules are `'HealthEventRule'`, `'SpotInterruptionRule'`, `'RebalanceRule'`,
 * `'InstanceStateChangeRule'` and `'CapacityReservationInterruptionRule'`.
 *
 * @see https://karpenter.sh/docs/concepts/disruption/#interruption
 */
export class KarpenterInterruptionQueue extends Construct {
  /** The interruption queue. */
  public readonly queue: sqs.IQueue;
  /**
   * Name of the interruption queue, for `settings.interruptionQueue`.
   *
   * The plain `queueName` prop, not a CloudFormation attribute, so it also renders in GitOps output.
   */
  public readonly queueName: string;
  /** ARN of the interruption queue (for the controller's IAM policy). */
  public readonly queueArn: string;

  constructor(scope: Construct, id: string, props: KarpenterInterruptionQueueProps) {
    super(scope, id);

    const { queueName } = props;
    if (!Token.isUnresolved(queueName) && !QUEUE_NAME_PATTERN.test(queueName)) {
      throw new Error(`'queueName' (${queueName}) must be 1-80 characters of letters, digits, '-' or '_'`);
    }

    const queue = new sqs.Queue(this, 'Queue', {
      queueName,
      retentionPeriod: Duration.seconds(300),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    queue.addToResourcePolicy(
      new iam.PolicyStatement({
        actions: ['sqs:SendMessage'],
        principals: [new iam.ServicePrincipal('events.amazonaws.com'), new iam.ServicePrincipal('sqs.amazonaws.com')],
        resources: [queue.queueArn],
      }),
    );

    for (const [ruleId, source, detailType] of INTERRUPTION_RULES) {
      new events.Rule(this, ruleId, {
        eventPattern: { source: [source], detailType: [detailType] },
        targets: [new targets.SqsQueue(queue)],
      });
    }

    this.queue = queue;
    this.queueName = queueName;
    this.queueArn = queue.queueArn;
  }
}
