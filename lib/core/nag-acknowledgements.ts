import { Aspects, CfnResource, IAspect, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/** The cdk-nag rules whose findings are per policy or per resource, and so acknowledged finding by finding. */
export enum NagFindingRule {
  /** AWS managed policies (`AwsSolutions-IAM4[Policy::...]`). */
  MANAGED_POLICIES = 'AwsSolutions-IAM4',
  /** Wildcards in actions or resources (`AwsSolutions-IAM5[Action::...]`, `[Resource::...]`). */
  WILDCARDS = 'AwsSolutions-IAM5',
}

/** Renders a resolved CloudFormation value the way cdk-nag names it in finding ids. */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.Ref === 'string') return `<${o.Ref}>`;
    const getAtt = o['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<${getAtt.join('.')}>`;
    const sub = o['Fn::Sub'];
    if (typeof sub === 'string') return sub.replace(/\$\{([^}]+)\}/g, '<$1>');
    const join = o['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      return (join[1] as unknown[]).map(flatten).join(join[0]);
    }
  }
  return JSON.stringify(value);
}

function asArray(x: unknown): unknown[] {
  if (x === undefined) return [];
  return Array.isArray(x) ? x : [x];
}

interface PolicyDocument { Statement?: { Effect?: string; Action?: unknown; Resource?: unknown }[] }

function wildcardFindings(doc: PolicyDocument | undefined): string[] {
  const out: string[] = [];
  for (const s of doc?.Statement ?? []) {
    if (s.Effect !== 'Allow') continue;
    for (const a of asArray(s.Action).map(flatten)) if (a.includes('*')) out.push(`Action::${a}`);
    for (const r of asArray(s.Resource).map(flatten)) if (r.includes('*')) out.push(`Resource::${r}`);
  }
  return out;
}

function findings(node: CfnResource, rule: NagFindingRule): string[] {
  const stack = Stack.of(node);
  if (rule === NagFindingRule.MANAGED_POLICIES) {
    if (node instanceof iam.CfnRole || node instanceof iam.CfnUser || node instanceof iam.CfnGroup) {
      return asArray(stack.resolve(node.managedPolicyArns)).map((p) => `Policy::${flatten(p)}`);
    }
    return [];
  }
  if (node instanceof iam.CfnPolicy || node instanceof iam.CfnManagedPolicy) {
    return wildcardFindings(stack.resolve(node.policyDocument) as PolicyDocument);
  }
  if (node instanceof iam.CfnRole) {
    const policies = asArray(stack.resolve(node.policies)) as { PolicyDocument?: PolicyDocument; policyDocument?: PolicyDocument }[];
    return policies.flatMap((p) => wildcardFindings(p.PolicyDocument ?? p.policyDocument));
  }
  return [];
}

/**
 * Acknowledges, at synthesis, every finding of a per-finding cdk-nag rule on the IAM resources under `scope`, with
 * one reason. cdk-nag matches acknowledgements by exact finding id (which embeds resolved ARNs), so the ids are
 * computed from the synthesized policies rather than written by hand. Use it only where every finding under
 * `scope` has the same justification.
 */
export function acknowledgeNagFindings(scope: IConstruct, rule: NagFindingRule, reason: string): void {
  const aspect: IAspect = {
    visit(node: IConstruct) {
      if (!(node instanceof CfnResource)) return;
      for (const f of findings(node, rule)) {
        Validations.of(node).acknowledge({ id: `${rule}[${f}]`, reason });
      }
    },
  };
  Aspects.of(scope).add(aspect, { priority: 900 });
}
