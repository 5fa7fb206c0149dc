import { k8s } from 'cdk8s-plus-34';
import { KubernetesComponent, Stage } from '../core/component';
import { PlatformDefinition } from '../core/platform-definition';

/** Name of the platform's default StorageClass. */
export const DEFAULT_STORAGE_CLASS = 'gp3';

/**
 * The platform's default StorageClass `gp3` (EBS CSI driver, encrypted, WaitForFirstConsumer, expandable), applied in
 * the first stage so databases and Prometheus find it: EKS clusters created by aws-eks-v2 mark no StorageClass default.
 */
export function addStorageClasses(definition: PlatformDefinition): KubernetesComponent {
  const component = new KubernetesComponent(definition, 'StorageClasses', {
    name: 'storage-classes',
    stage: Stage.CRDS,
    description: `StorageClass '${DEFAULT_STORAGE_CLASS}' (EBS gp3, encrypted), the cluster default`,
  });
  new k8s.KubeStorageClass(component, 'Gp3', {
    metadata: { name: DEFAULT_STORAGE_CLASS, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'ebs.csi.aws.com',
    parameters: { type: 'gp3', encrypted: 'true', fsType: 'ext4' },
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: true,
    reclaimPolicy: 'Delete',
  });
  return component;
}
