import { check } from '../core/validation';

/** Options of {@link ComponentStacks.nested}. */
export interface NestedComponentStacksOptions {
  /**
   * Nested stacks the WORKLOADS stage is spread over; each component goes to one by a hash of its name. Raise it when
   * synthesis reports a workloads nested stack over its budget. Changing it moves components between nested stacks,
   * which CloudFormation applies as install-then-uninstall: choose it before the first deployment.
   * @default 4
   */
  readonly workloadStacks?: number;
}

/**
 * Which CloudFormation stacks hold the charts and manifests of the CDK rendering (`Delivery.CDK`). A component moved
 * from one stack to another is created in the new one before it is deleted from the old one, which uninstalls it:
 * keep the choice a deployed platform was made with.
 */
export class ComponentStacks {
  /**
   * Nested stacks of the platform stack: one per stage, the WORKLOADS stage in `workloadStacks` parts, and components
   * that depend on a component of their own stage one level further. Keeps every template under CloudFormation's
   * 1 MB and 500 resources (measured: about 580 models over 58 GPU pools with the defaults).
   */
  public static nested(options: NestedComponentStacksOptions = {}): ComponentStacks {
    const parts = options.workloadStacks ?? 4;
    check(Number.isInteger(parts) && parts >= 1 && parts <= 50, `'workloadStacks' (${parts}) must be a whole number from 1 to 50`);
    return new ComponentStacks(true, parts);
  }

  /**
   * The platform stack itself, next to the cluster, with the construct ids of releases before nested stacks: for
   * platforms already deployed that way. One template holds every manifest, so it reaches CloudFormation's 1 MB at
   * about 160 models.
   */
  public static parent(): ComponentStacks {
    return new ComponentStacks(false, 1);
  }

  private constructor(
    /** True for nested stacks. */
    public readonly isNested: boolean,
    /** Parts of the WORKLOADS stage (1 with {@link ComponentStacks.parent}). */
    public readonly workloadStacks: number,
  ) {}
}
