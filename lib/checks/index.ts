// The public side of the platform checks. The engine (the cluster model, the rules, the Helm chart facts) is internal:
// the library's own code and tests import it from its modules.
export { RuleStatus } from './rule';
export type { RuleFinding, RuleEvaluation, PlatformRuleInfo } from './rule';
export type { AcknowledgedFinding, PlatformCheckResult } from './run';
export type { PlatformCheckAcknowledgementOptions, PlatformCheckAcknowledgement, ConsumedSecret } from './acknowledgements';
export { PrerequisiteKind } from './prerequisites';
export type { Prerequisite } from './prerequisites';
export { PlatformChecks, Prerequisites } from './platform-checks';
