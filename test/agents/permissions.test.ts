import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AgentsPermissionsBoundary, checkPermissions } from '../../lib';

function boundary(options = {}): { b: AgentsPermissionsBoundary; stack: Stack } {
  const stack = new Stack();
  return { b: new AgentsPermissionsBoundary(stack, 'Boundary', options), stack };
}

const WIDER = (action: string, resource: string, allowed: string) => `agent 'rag' asks for '${action}' on '${resource}' ('permissions'): `
  + `a permissions boundary wider than the platform's, which allows ${allowed}; widen the agents layer's 'permissionsBoundary' or narrow the agent's 'permissions'`;
const BEDROCK = 'bedrock:InvokeModel, bedrock:InvokeModelWithResponseStream on Bedrock foundation models and inference profiles';

describe('AgentsPermissionsBoundary', () => {
  test('default: a managed policy that allows Bedrock invocation only', () => {
    // GIVEN / WHEN
    const { b, stack } = boundary();

    // THEN
    expect(b.allowed).toEqual([BEDROCK]);
    const policies = Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy');
    const statements = (Object.values(policies)[0] as any).Properties.PolicyDocument.Statement;
    expect(statements.map((s: any) => s.Sid)).toEqual(['InvokeBedrockModels']);
    expect(statements[0].Action).toEqual(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream']);
  });

  test('allowedActions on allowedResources become a second statement', () => {
    // GIVEN / WHEN
    const { b, stack } = boundary({ allowedActions: ['s3:GetObject', 's3:List*'], allowedResources: ['arn:aws:s3:::docs', 'arn:aws:s3:::docs/*'] });

    // THEN
    expect(b.allowed[1]).toBe('s3:GetObject, s3:List* on arn:aws:s3:::docs, arn:aws:s3:::docs/*');
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [{ Sid: 'InvokeBedrockModels' }, { Sid: 'PlatformAllowed', Action: ['s3:GetObject', 's3:List*'], Resource: ['arn:aws:s3:::docs', 'arn:aws:s3:::docs/*'] }] },
    });
  });

  test('checkWithin accepts what a statement covers, wildcards included', () => {
    // GIVEN
    const { b } = boundary({ allowedActions: ['s3:Get*', 'sqs:SendMessage'], allowedResources: ['arn:aws:s3:::docs/*', 'arn:aws:sqs:us-west-2:111111111111:*'] });

    // WHEN / THEN
    expect(() => b.checkWithin('rag', [
      { actions: ['s3:GetObject', 's3:getobjectversion', 's3:Get*'], resources: ['arn:aws:s3:::docs/a/*'] },
      { actions: ['bedrock:InvokeModel'], resources: ['arn:aws:bedrock:us-west-2::foundation-model/amazon.titan-embed-text-v2:0'] },
      { actions: ['sqs:SendMessage'], resources: ['arn:aws:sqs:us-west-2:111111111111:tasks'] },
    ])).not.toThrow();
  });

  test('checkWithin refuses an action, a resource or a wildcard wider than the boundary', () => {
    // GIVEN
    const { b } = boundary({ allowedActions: ['s3:GetObject'], allowedResources: ['arn:aws:s3:::docs/*'] });
    const allowed = `${BEDROCK}; s3:GetObject on arn:aws:s3:::docs/*`;

    // WHEN / THEN
    expect(() => b.checkWithin('rag', [{ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::docs/*'] }])).toThrow(WIDER('s3:PutObject', 'arn:aws:s3:::docs/*', allowed));
    expect(() => b.checkWithin('rag', [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::other/*'] }])).toThrow(WIDER('s3:GetObject', 'arn:aws:s3:::other/*', allowed));
    expect(() => b.checkWithin('rag', [{ actions: ['s3:Get*'], resources: ['arn:aws:s3:::docs/*'] }])).toThrow(WIDER('s3:Get*', 'arn:aws:s3:::docs/*', allowed));
    expect(() => b.checkWithin('rag', [{ actions: ['s3:GetObject'], resources: ['*'] }])).toThrow(WIDER('s3:GetObject', '*', allowed));
  });

  test('errors: half a boundary, malformed actions and resources, tokens', () => {
    expect(() => boundary({ allowedActions: ['s3:GetObject'] })).toThrow(
      "'permissionsBoundary' needs both 'allowedActions' and 'allowedResources' (got 1 action(s) and 0 resource(s))");
    expect(() => boundary({ allowedActions: ['GetObject'], allowedResources: ['*'] })).toThrow(
      "action 'GetObject' of 'permissionsBoundary' must be an IAM action such as s3:GetObject");
    expect(() => checkPermissions('permissions', [{ actions: ['s3:GetObject'], resources: ['bucket/*'] }])).toThrow(
      "resource 'bucket/*' of 'permissions' must be an ARN (arn:partition:service:region:account:resource) or '*'");
    expect(() => checkPermissions('permissions', [{ actions: ['s3:GetObject'], resources: [new Stack().stackId] }])).toThrow(
      "resource of 'permissions' must be a literal ARN, not a token: it is checked against the platform's permissions boundary at synth");
    expect(() => checkPermissions('permissions', [{ actions: [], resources: ['*'] }])).toThrow(
      "each entry of 'permissions' needs at least one action and one resource");
  });
});
