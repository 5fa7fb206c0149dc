import { platformCheckAcknowledgements } from './acknowledgements';
import { ClusterModel } from './model';
import { PLATFORM_RULES } from './pack';
import { IPlatformRule, PlatformRuleInfo, RuleEvaluation, RuleFinding, RuleStatus } from './rule';
import { PlatformDefinition } from '../core/platform-definition';
import { PlatformValidationError } from '../core/validation';

/** A finding acknowledged with `PlatformChecks.acknowledge`, and the reason given. */
export interface AcknowledgedFinding extends RuleFinding {
  /** Why it was acknowledged. */
  readonly reason: string;
}

/** The outcome of one rule, with the rule. */
export interface PlatformCheckResult extends RuleEvaluation {
  /** The rule. */
  readonly rule: PlatformRuleInfo;
  /** Findings acknowledged on the definition; they do not fail the renderings (`findings` holds the others). */
  readonly acknowledged: AcknowledgedFinding[];
}

const PASSED = new WeakMap<ClusterModel, IPlatformRule[]>();

/** Runs the platform checks on a definition; never throws for findings. */
export function evaluatePlatformChecks(
  definition: PlatformDefinition, rules: IPlatformRule[] = PLATFORM_RULES, model: ClusterModel = ClusterModel.of(definition),
): PlatformCheckResult[] {
  return evaluateOn(model, rules);
}

function evaluateOn(model: ClusterModel, rules: IPlatformRule[]): PlatformCheckResult[] {
  const definition = model.definition;
  const acks = platformCheckAcknowledgements(definition);
  return rules.map((rule) => {
    const result = rule.evaluate(model);
    const mine = acks.filter((a) => a.ruleId === rule.id);
    const acknowledged: AcknowledgedFinding[] = [];
    const findings: RuleFinding[] = [];
    for (const f of result.findings) {
      const ack = mine.find((a) => a.appliesTo === undefined || f.message.includes(a.appliesTo));
      if (ack !== undefined) acknowledged.push({ ...f, reason: ack.reason });
      else findings.push(f);
    }
    return { rule, status: result.status, findings, acknowledged };
  });
}

/**
 * Runs the platform checks and throws one {@link PlatformValidationError} listing every finding (`[rule-id] message`)
 * that is not acknowledged. Both renderings call it before they render, so every platform gets the checks with no
 * extra call.
 * @returns the model the checks read, whose `manifestsOf()` a rendering may reuse instead of calling `toJson()` again
 */
export function assertPlatformChecks(
  definition: PlatformDefinition, rules: IPlatformRule[] = PLATFORM_RULES, model: ClusterModel = ClusterModel.of(definition),
): ClusterModel {
  // A model that passed these rules passes them again (acknowledgements only remove findings): both renderings in one
  // process share the model and run the rules once.
  if (PASSED.get(model) === rules) return model;
  const failed = evaluateOn(model, rules).filter((r) => r.status === RuleStatus.NON_COMPLIANT && r.findings.length > 0);
  if (failed.length === 0) {
    PASSED.set(model, rules);
    return model;
  }
  const lines = failed.flatMap((r) => r.findings.map((f) => `[${r.rule.id}] ${f.message}`));
  throw new PlatformValidationError(`platform checks failed (${lines.length}):\n  ${lines.join('\n  ')}`);
}
