import { ClusterModel, ModelObject } from '../model';

/** Every Milvus object (`milvus.io`, kind Milvus) of the platform, in apply order. */
export function milvusObjects(model: ClusterModel): ModelObject[] {
  return model.ofKind('Milvus').filter((o) => o.apiVersion.startsWith('milvus.io/'));
}
