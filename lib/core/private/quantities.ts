import { Size, SizeRoundingBehavior } from 'aws-cdk-lib';
import { k8s } from 'cdk8s-plus-34';
import { check } from '../validation';
import { Cpu } from '../units';

const KIB = 1024;
const MIB = KIB * 1024;
const GIB = MIB * 1024;

/**
 * The Kubernetes quantity of a size, in the largest binary unit that keeps it whole (`4Gi`, `512Mi`, `100Ki`, or
 * bytes). `prop` names the size in the error thrown for a token or a fraction of a byte.
 */
export function sizeQuantityString(size: Size, prop: string = 'size'): string {
  check(!size.isUnresolved(), `'${prop}' must be a literal size, not a token: sizes are written into Kubernetes manifests`);
  const bytes = size.toBytes({ rounding: SizeRoundingBehavior.NONE });
  check(Number.isInteger(bytes) && bytes >= 0, `'${prop}' (${bytes} bytes) must be a whole number of bytes, zero or more`);
  if (bytes === 0) return '0';
  if (bytes % GIB === 0) return `${bytes / GIB}Gi`;
  if (bytes % MIB === 0) return `${bytes / MIB}Mi`;
  if (bytes % KIB === 0) return `${bytes / KIB}Ki`;
  return `${bytes}`;
}

/** A Kubernetes memory (or storage) quantity for a size, in the largest binary unit that keeps it whole. */
export function memoryQuantity(size: Size, prop?: string): k8s.Quantity {
  return k8s.Quantity.fromString(sizeQuantityString(size, prop));
}

/** A Kubernetes CPU quantity (`2`, `250m`). */
export function cpuQuantity(cpu: Cpu): k8s.Quantity {
  return k8s.Quantity.fromString(cpu.toString());
}

/** Mebibytes of a size, for comparisons (fractional when the size is not whole mebibytes). */
export function mebibytes(size: Size): number {
  return size.toBytes({ rounding: SizeRoundingBehavior.NONE }) / MIB;
}
