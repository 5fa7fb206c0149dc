import { ClusterModel } from './model';
import { PLATFORM_RULES } from './pack';
import { IPlatformRule, RuleEvaluation, RuleStatus } from './rule';
import { PlatformDefinition } from '../core/platform-definition';
import { PlatformValidationError } from '../core/validation';

/** The outcome of one rule, with the rule. */
export interface PlatformCheckResult extends RuleEvaluation {
  /** The rule. */
  readonly rule: IPlatformRule;
}

/** Runs the platform checks on a definition; never throws for findings. */
export function evaluatePlatformChecks(
  definition: PlatformDefinition, rules: IPlatformRule[] = PLATFORM_RULES, model: ClusterModel = ClusterModel.of(definition),
): PlatformCheckResult[] {
  return rules.map((rule) => ({ rule, ...rule.evaluate(model) }));
}

/**
 * Runs the platform checks and throws one {@link PlatformValidationError} listing every finding (`[rule-id] message`).
 * Both renderings call it before they render, so every platform gets the checks with no extra call.
 */
export function assertPlatformChecks(
  definition: PlatformDefinition, rules: IPlatformRule[] = PLATFORM_RULES, model: ClusterModel = ClusterModel.of(definition),
): void {
  const failed = evaluatePlatformChecks(definition, rules, model).filter((r) => r.status === RuleStatus.NON_COMPLIANT);
  if (failed.length === 0) return;
  const lines = failed.flatMap((r) => r.findings.map((f) => `[${r.rule.id}] ${f.message}`));
  throw new PlatformValidationError(`platform checks failed (${lines.length}):\n  ${lines.join('\n  ')}`);
}
