import { Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-34';

/** A Kubernetes memory quantity for a size, in the largest binary unit that keeps it whole (`4Gi`, `512Mi`). */
export function memoryQuantity(size: Size): k8s.Quantity {
  const kib = size.toKibibytes();
  if (kib % (1024 * 1024) === 0) return k8s.Quantity.fromString(`${kib / (1024 * 1024)}Gi`);
  if (kib % 1024 === 0) return k8s.Quantity.fromString(`${kib / 1024}Mi`);
  return k8s.Quantity.fromString(`${kib}Ki`);
}

/** A Kubernetes CPU quantity. */
export function cpuQuantity(cpu: Cpu): k8s.Quantity {
  return k8s.Quantity.fromString(cpu.amount);
}
