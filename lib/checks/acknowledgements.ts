import { HelmComponent } from '../core/component';
import { PlatformDefinition } from '../core/platform-definition';
import { check } from '../core/validation';

const ACKNOWLEDGEMENT = 'agentic-eks:platform-check-acknowledgement';
const CONSUMED_SECRET = 'agentic-eks:consumes-secret';

/** Options of {@link acknowledgePlatformCheck}. */
export interface PlatformCheckAcknowledgementOptions {
  /**
   * Acknowledge only findings whose message contains this text (e.g. an object label `Deployment 'models/x'`).
   * @default - every finding of the rule
   */
  readonly appliesTo?: string;
}

/** An acknowledged platform-check finding (cdk-nag `NagSuppressions` style). */
export interface PlatformCheckAcknowledgement {
  /** Rule id, e.g. `references-exist`. */
  readonly ruleId: string;
  /** Why the finding is acceptable; shown next to the finding. */
  readonly reason: string;
  /** Only findings whose message contains this text. @default - every finding of the rule */
  readonly appliesTo?: string;
}

/**
 * Acknowledges findings of a platform check with a reason: they are still reported by `evaluatePlatformChecks`
 * (marked acknowledged) but no longer fail the renderings. Stored as construct metadata on the definition.
 */
export function acknowledgePlatformCheck(
  definition: PlatformDefinition, ruleId: string, reason: string, options: PlatformCheckAcknowledgementOptions = {},
): void {
  check(/^[a-z0-9]+(-[a-z0-9]+)*$/.test(ruleId), `'ruleId' (${ruleId}) of a platform-check acknowledgement must be a rule id such as 'references-exist'`);
  check(reason.trim().length >= 10, `'reason' ('${reason}') of the acknowledgement of '${ruleId}' must say why, in at least 10 characters`);
  const data: PlatformCheckAcknowledgement = { ruleId, reason, ...(options.appliesTo !== undefined ? { appliesTo: options.appliesTo } : {}) };
  definition.node.addMetadata(ACKNOWLEDGEMENT, data);
}

/** The acknowledgements of a definition. */
export function platformCheckAcknowledgements(definition: PlatformDefinition): PlatformCheckAcknowledgement[] {
  return definition.node.metadata.filter((m) => m.type === ACKNOWLEDGEMENT).map((m) => m.data as PlatformCheckAcknowledgement);
}

/** A Secret a Helm component's pods read. */
export interface ConsumedSecret {
  /** Secret name (in the component's namespace). */
  readonly name: string;
  /** Key read. @default - the whole Secret */
  readonly key?: string;
}

/**
 * Declares Secrets a Helm component's pods read that its values do not show as `secretKeyRef` or `existingSecret`
 * (the `references-exist` check finds those by itself): the check then requires them in the component's namespace.
 */
export function declareConsumedSecrets(component: HelmComponent, ...secrets: ConsumedSecret[]): void {
  for (const s of secrets) component.node.addMetadata(CONSUMED_SECRET, { ...s });
}

/** Secrets declared with {@link declareConsumedSecrets}. */
export function consumedSecrets(component: HelmComponent): ConsumedSecret[] {
  return component.node.metadata.filter((m) => m.type === CONSUMED_SECRET).map((m) => m.data as ConsumedSecret);
}
