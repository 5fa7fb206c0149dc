import { at, list, wholeNumber } from './workloads';
import { GpuInstanceType } from '../../gpu/catalog';
import { ClusterModel, ModelObject } from '../model';

/** The GPUs a NodePool can hold, and the prop that sets them. */
export interface GpuPoolCapacity {
  readonly pool: ModelObject;
  readonly gpus: number;
  /** What sets the number: `limits.gpus` (`nvidia.com/gpu`) or the static `replicas` x GPUs per node. */
  readonly source: string;
}

/** Catalog instance types a static pool's requirements allow (instance type or family `In`). */
function catalogTypes(pool: ModelObject): GpuInstanceType[] {
  const all = GpuInstanceType.all();
  let types = all;
  let narrowed = false;
  for (const r of list(pool.object, 'spec', 'template', 'spec', 'requirements')) {
    const values = (at(r, 'values') as string[] | undefined) ?? [];
    if (at(r, 'operator') !== 'In') continue;
    if (at(r, 'key') === 'node.kubernetes.io/instance-type') {
      types = types.filter((t) => values.includes(t.name));
      narrowed = true;
    } else if (at(r, 'key') === 'karpenter.k8s.aws/instance-family') {
      types = types.filter((t) => values.includes(t.family));
      narrowed = true;
    }
  }
  return narrowed ? types : [];
}

/**
 * The GPU capacity of a NodePool: its `nvidia.com/gpu` limit, or for a static pool (`replicas`) the nodes times the
 * GPUs of its largest catalog instance type. Undefined for pools without a GPU bound.
 */
export function gpuCapacity(pool: ModelObject): GpuPoolCapacity | undefined {
  const limit = wholeNumber(at(pool.object, 'spec', 'limits', 'nvidia.com/gpu'));
  if (limit !== undefined) return { pool, gpus: limit, source: `'limits.gpus' (nvidia.com/gpu: ${limit})` };
  const replicas = wholeNumber(at(pool.object, 'spec', 'replicas'));
  if (replicas === undefined) return undefined;
  const types = catalogTypes(pool);
  if (types.length === 0) return undefined;
  const perNode = Math.max(...types.map((t) => t.gpuCount));
  return { pool, gpus: replicas * perNode, source: `'replicas' (${replicas} nodes x ${perNode} GPUs)` };
}

/** Every NodePool with a known GPU capacity. */
export function gpuPools(model: ClusterModel): GpuPoolCapacity[] {
  return model.ofKind('NodePool').map(gpuCapacity).filter((c): c is GpuPoolCapacity => c !== undefined);
}
