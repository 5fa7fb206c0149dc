import { Duration, Size, Token } from 'aws-cdk-lib';
import { PlatformValidationError } from './validation';

/** A Kubernetes / Go duration string (`720h`, `5m`, `30s`) for a CDK `Duration`, in the largest exact unit. */
export function goDuration(d: Duration): string {
  const s = d.toSeconds();
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

/**
 * An amount of CPU as Kubernetes counts it: cores (vCPUs) in steps of one millicore. The one way the library takes
 * CPU (quotas, container resources, NodePool limits); memory and storage are aws-cdk-lib `Size`s.
 *
 * `Cpu.cores(2)` renders as the Kubernetes quantity `2`, `Cpu.millis(250)` and `Cpu.cores(0.25)` as `250m`.
 * @see https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#meaning-of-cpu
 */
export class Cpu {
  /** `amount` cores (vCPUs), e.g. `Cpu.cores(2)` or `Cpu.cores(0.5)`: zero or more, in steps of 0.001. */
  public static cores(amount: number): Cpu {
    return new Cpu('Cpu.cores', amount, amount * 1000);
  }

  /** `amount` millicores (thousandths of a core), e.g. `Cpu.millis(250)`: a whole number, zero or more. */
  public static millis(amount: number): Cpu {
    return new Cpu('Cpu.millis', amount, amount);
  }

  private readonly millicores: number;

  private constructor(factory: string, amount: number, millicores: number) {
    if (Token.isUnresolved(amount)) {
      throw new PlatformValidationError(`${factory}() needs a literal number, not a token: CPU amounts are written into Kubernetes manifests`);
    }
    const call = `${factory}(${amount})`;
    if (!Number.isFinite(amount) || amount < 0) {
      throw new PlatformValidationError(`${call} is not a CPU amount: it must be a finite number, zero or more`);
    }
    const rounded = Math.round(millicores);
    if (Math.abs(rounded - millicores) > 1e-6) {
      throw new PlatformValidationError(`${call} is not a whole number of millicores: Kubernetes counts CPU in steps of 1m (0.001 cores)`);
    }
    this.millicores = rounded;
  }

  /** The amount in millicores. */
  public toMillis(): number {
    return this.millicores;
  }

  /** The amount in cores (may be fractional). */
  public toCores(): number {
    return this.millicores / 1000;
  }

  /** The Kubernetes quantity: whole cores as `2`, anything else in millicores as `250m`. */
  public toString(): string {
    return this.millicores % 1000 === 0 ? `${this.millicores / 1000}` : `${this.millicores}m`;
  }
}

/** CPU request and limit of a container. */
export interface CpuResources {
  /** CPU request (what the scheduler reserves). @default - none */
  readonly request?: Cpu;
  /** CPU limit (the container is throttled above it). @default - none */
  readonly limit?: Cpu;
}

/** Memory request and limit of a container. */
export interface MemoryResources {
  /** Memory request (what the scheduler reserves). @default - none */
  readonly request?: Size;
  /** Memory limit (the container is killed above it). @default - none */
  readonly limit?: Size;
}

/** Ephemeral storage request and limit of a container (writable layer, logs, emptyDir volumes). */
export interface EphemeralStorageResources {
  /** Ephemeral storage request. @default - none */
  readonly request?: Size;
  /** Ephemeral storage limit (the pod is evicted above it). @default - none */
  readonly limit?: Size;
}

/**
 * CPU, memory and ephemeral storage of a container, as the library's workloads take them.
 * @see https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
 */
export interface ContainerResources {
  /** CPU request and limit. @default - the workload's default */
  readonly cpu?: CpuResources;
  /** Memory request and limit. @default - the workload's default */
  readonly memory?: MemoryResources;
  /** Ephemeral storage request and limit. @default - the workload's default */
  readonly ephemeralStorage?: EphemeralStorageResources;
}
