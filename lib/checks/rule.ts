import { ClusterModel } from './model';

/** What a rule concluded about a platform (cdk-nag style). */
export enum RuleStatus {
  /** The platform satisfies the rule. */
  COMPLIANT = 'compliant',
  /** The platform breaks the rule; see the findings. */
  NON_COMPLIANT = 'non-compliant',
  /** Nothing in the platform the rule applies to. */
  NOT_APPLICABLE = 'not-applicable',
}

/** One thing a rule found wrong: a message naming the objects and the fix. */
export interface RuleFinding {
  /** The message, e.g. `Service 'models/qwen' selects no pods: ...; fix: ...`. */
  readonly message: string;
}

/** The outcome of one rule on one platform. */
export interface RuleEvaluation {
  /** Compliant, non-compliant or not applicable. */
  readonly status: RuleStatus;
  /** Findings; empty unless non-compliant. */
  readonly findings: RuleFinding[];
}

/** What a platform rule checks (the README table's columns). */
export interface PlatformRuleInfo {
  /** Stable id, kebab-case (`service-selects-pods`); findings are acknowledged by it. */
  readonly id: string;
  /** What the rule checks, one line. */
  readonly description: string;
  /** Why it matters: what fails in the cluster without it. */
  readonly why: string;
  /** An example finding message. */
  readonly example: string;
}

/**
 * A platform check: one rule per file under `lib/checks/rules/`, listed in the pack (`PLATFORM_RULES`). Rules read
 * the {@link ClusterModel} (every object the platform applies plus what its Helm charts provide) and never change it.
 */
export interface IPlatformRule extends PlatformRuleInfo {
  /** Stable id, kebab-case (`service-selects-pods`); users acknowledge findings by it. */
  readonly id: string;
  /** What the rule checks, one line (README table). */
  readonly description: string;
  /** Why it matters: what fails in the cluster without it (README table). */
  readonly why: string;
  /** An example finding message (README table). */
  readonly example: string;
  /** Evaluates the rule. */
  evaluate(model: ClusterModel): RuleEvaluation;
}

/** Helper for rules: a compliant / non-compliant evaluation from findings, or not applicable when `applicable` is false. */
export function evaluation(applicable: boolean, findings: string[]): RuleEvaluation {
  if (!applicable) return { status: RuleStatus.NOT_APPLICABLE, findings: [] };
  if (findings.length === 0) return { status: RuleStatus.COMPLIANT, findings: [] };
  return { status: RuleStatus.NON_COMPLIANT, findings: findings.map((message) => ({ message })) };
}
