import { IConstruct } from 'constructs';
import {
  acknowledgePlatformCheck, ConsumedSecret, declareConsumedSecrets, PlatformCheckAcknowledgement,
  PlatformCheckAcknowledgementOptions, platformCheckAcknowledgements,
} from './acknowledgements';
import { PLATFORM_RULES } from './pack';
import { addPrerequisite, computePrerequisites, Prerequisite, renderPrerequisites, summarizePrerequisites } from './prerequisites';
import { PlatformRuleInfo } from './rule';
import { evaluatePlatformChecks, PlatformCheckResult } from './run';
import { HelmComponent } from '../core/component';
import { PlatformDefinition } from '../core/platform-definition';

/**
 * The platform checks every synth runs (the rules of the README's "Platform checks" table): evaluate them on a
 * definition, acknowledge a finding with a reason, declare Secrets a Helm chart reads that its values do not show.
 */
export class PlatformChecks {
  /** The rules, in the order they run. */
  public static rules(): PlatformRuleInfo[] {
    return PLATFORM_RULES.map((r) => ({ id: r.id, description: r.description, why: r.why, example: r.example }));
  }

  /** Runs every rule on a definition; never throws for findings (the renderings do). */
  public static evaluate(definition: PlatformDefinition): PlatformCheckResult[] {
    return evaluatePlatformChecks(definition);
  }

  /**
   * Acknowledges findings of a rule with a reason (cdk-nag style): still reported by {@link evaluate} (in
   * `acknowledged`), no longer failing the renderings.
   */
  public static acknowledge(definition: PlatformDefinition, ruleId: string, reason: string, options: PlatformCheckAcknowledgementOptions = {}): void {
    acknowledgePlatformCheck(definition, ruleId, reason, options);
  }

  /** The acknowledgements recorded on a definition. */
  public static acknowledgements(definition: PlatformDefinition): PlatformCheckAcknowledgement[] {
    return platformCheckAcknowledgements(definition);
  }

  /**
   * Declares Secrets a Helm component's pods read that its values do not show as `secretKeyRef` or `existingSecret`:
   * `references-exist` then requires them in the component's namespace.
   */
  public static declareConsumedSecrets(component: HelmComponent, ...secrets: ConsumedSecret[]): void {
    declareConsumedSecrets(component, ...secrets);
  }

  private constructor() {}
}

/**
 * What the operator must create or do before the first sync (AWS secrets the platform reads but does not generate,
 * placement groups, capacity reservations, file systems, one-time steps), computed from the definition.
 */
export class Prerequisites {
  /** The prerequisites of a definition. */
  public static of(definition: PlatformDefinition): Prerequisite[] {
    return computePrerequisites(definition);
  }

  /**
   * Records a prerequisite that cannot be read from the emitted objects (e.g. a one-time API call). `scope` is any
   * construct of the platform's definition.
   */
  public static add(scope: IConstruct, prerequisite: Prerequisite): void {
    addPrerequisite(scope, prerequisite);
  }

  /** The Markdown section of `dist/README.md` ("Before the first sync"). */
  public static toMarkdown(prerequisites: Prerequisite[]): string {
    return renderPrerequisites(prerequisites);
  }

  /** The one-line summary printed at synth. */
  public static summarize(prerequisites: Prerequisite[]): string {
    return summarizePrerequisites(prerequisites);
  }

  private constructor() {}
}
