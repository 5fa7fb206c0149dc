import { App, Aws, CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { KarpenterInterruptionQueue } from '../../lib/karpenter/interruption-queue';

function newStack(): Stack {
  return new Stack(new App(), 'S');
}

function synth(queueName: string = 'my-cluster'): { stack: Stack; construct: KarpenterInterruptionQueue; template: Template } {
  const stack = newStack();
  const construct = new KarpenterInterruptionQueue(stack, 'Interruption', { queueName });
  return { stack, construct, template: Template.fromStack(stack) };
}

const QUEUE_ARN = { 'Fn::GetAtt': [Match.stringLikeRegexp('^InterruptionQueue'), 'Arn'] };

describe('KarpenterInterruptionQueue', () => {
  describe('queue', () => {
    test('has the given name, 300 s retention and SQS-managed SSE', () => {
      // GIVEN / WHEN
      const { template } = synth('my-cluster');

      // THEN
      template.resourceCountIs('AWS::SQS::Queue', 1);
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: 'my-cluster',
        MessageRetentionPeriod: 300,
        SqsManagedSseEnabled: true,
      });
    });

    test('uses the stable construct id Queue', () => {
      // GIVEN / WHEN
      const { construct } = synth();

      // THEN
      expect(construct.node.findChild('Queue')).toBe(construct.queue);
    });

    test('exposes the plain queue name and the queue ARN', () => {
      // GIVEN / WHEN
      const { stack, construct } = synth('my-cluster');

      // THEN
      expect(construct.queueName).toBe('my-cluster');
      expect(stack.resolve(construct.queueArn)).toEqual({
        'Fn::GetAtt': [stack.getLogicalId(construct.queue.node.defaultChild as CfnElement), 'Arn'],
      });
    });

    test('passes an unresolved queue name through without validation', () => {
      // GIVEN
      const stack = newStack();

      // WHEN
      new KarpenterInterruptionQueue(stack, 'Interruption', { queueName: Aws.STACK_NAME });

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', {
        QueueName: { Ref: 'AWS::StackName' },
      });
    });
  });

  describe('queue policy', () => {
    test('denies non-TLS access to the queue', () => {
      // GIVEN / WHEN
      const { template } = synth();

      // THEN
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 'sqs:*',
              Resource: QUEUE_ARN,
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ]),
        },
      });
    });

    test('allows sqs:SendMessage from EventBridge and SQS', () => {
      // GIVEN / WHEN
      const { template } = synth();

      // THEN
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Effect: 'Allow',
              Principal: { Service: ['events.amazonaws.com', 'sqs.amazonaws.com'] },
              Action: 'sqs:SendMessage',
              Resource: QUEUE_ARN,
            },
          ]),
        },
      });
    });

    test('holds only the deny, the broad allow and one SourceArn-scoped grant per rule', () => {
      // GIVEN / WHEN
      const { template } = synth();

      // THEN: aws-events-targets.SqsQueue adds a grant to events.amazonaws.com per rule, scoped to that rule
      const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy'));
      expect(policies).toHaveLength(1);
      const statements: Array<{ Condition?: { ArnEquals?: unknown } }> =
        policies[0].Properties.PolicyDocument.Statement;
      expect(statements).toHaveLength(7);
      expect(statements.filter((st) => st.Condition?.ArnEquals !== undefined)).toHaveLength(5);
    });
  });

  describe('rules', () => {
    const cases: ReadonlyArray<readonly [string, string, string]> = [
      ['HealthEventRule', 'aws.health', 'AWS Health Event'],
      ['SpotInterruptionRule', 'aws.ec2', 'EC2 Spot Instance Interruption Warning'],
      ['RebalanceRule', 'aws.ec2', 'EC2 Instance Rebalance Recommendation'],
      ['InstanceStateChangeRule', 'aws.ec2', 'EC2 Instance State-change Notification'],
      ['CapacityReservationInterruptionRule', 'aws.ec2', 'EC2 Capacity Reservation Instance Interruption Warning'],
    ];

    test('creates exactly five rules', () => {
      // GIVEN / WHEN
      const { template } = synth();

      // THEN
      template.resourceCountIs('AWS::Events::Rule', 5);
    });

    test.each(cases)('%s matches %s / %s and targets the queue', (ruleId, source, detailType) => {
      // GIVEN / WHEN
      const { stack, construct, template } = synth();

      // THEN
      const rule = construct.node.findChild(ruleId);
      const logicalId = stack.getLogicalId(rule.node.defaultChild as CfnElement);
      expect(template.toJSON().Resources[logicalId].Properties).toEqual({
        EventPattern: { 'source': [source], 'detail-type': [detailType] },
        State: 'ENABLED',
        Targets: [{ Id: 'Target0', Arn: stack.resolve(construct.queueArn) }],
      });
    });
  });

  describe('validation', () => {
    test.each(['bad name!', '', 'a'.repeat(81), 'queue.fifo'])('rejects queueName %p', (queueName) => {
      // GIVEN
      const stack = newStack();

      // WHEN / THEN
      expect(() => new KarpenterInterruptionQueue(stack, 'Interruption', { queueName })).toThrow(
        new Error(`'queueName' (${queueName}) must be 1-80 characters of letters, digits, '-' or '_'`),
      );
    });

    test('reports the exact message for an invalid name', () => {
      // GIVEN
      const stack = newStack();

      // WHEN / THEN
      expect(() => new KarpenterInterruptionQueue(stack, 'Interruption', { queueName: 'bad name!' })).toThrow(
        new Error("'queueName' (bad name!) must be 1-80 characters of letters, digits, '-' or '_'"),
      );
    });

    test('accepts 80 characters of letters, digits, - and _', () => {
      // GIVEN
      const stack = newStack();
      const queueName = `Ab0-_${'x'.repeat(75)}`;

      // WHEN
      new KarpenterInterruptionQueue(stack, 'Interruption', { queueName });

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', { QueueName: queueName });
    });
  });
});

