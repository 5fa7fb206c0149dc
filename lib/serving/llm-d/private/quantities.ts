import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-34';

/** A Kubernetes memory quantity for a size, in the largest binary unit that keeps it whole (`4Gi`, `512Mi`). */
export function memoryQuantity(size: Size): string {
  const kib = size.toKibibytes();
  if (kib % (1024 * 1024) === 0) return `${kib / (1024 * 1024)}Gi`;
  if (kib % 1024 === 0) return `${kib / 1024}Mi`;
  return `${kib}Ki`;
}

/** Mebibytes of a size, for comparisons. */
export function mebibytes(size: Size): number {
  return size.toKibibytes() / 1024;
}

/** Millicores of a CPU amount (`2` → 2000, `500m` → 500), or undefined when the amount is not a plain quantity. */
export function millicores(cpu: Cpu): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(cpu.amount);
  if (!m) return undefined;
  const value = Number(m[1]);
  return m[2] === 'm' ? value : value * 1000;
}
