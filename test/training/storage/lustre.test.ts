import { Size } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { FsxCsiDriver, LustreDeploymentType, LustreFileSystem } from '../../../lib';
import { find, template, testPlatform } from '../../util';

describe('LustreFileSystem', () => {
  test('PERSISTENT_2 with throughput, EFA, Lustre ports from the cluster, static PV and RWX PVC', () => {
    const platform = testPlatform();
    const driver = new FsxCsiDriver(platform, 'Fsx', { definition: platform.definition, cluster: platform.cluster });
    const fs = new LustreFileSystem(platform, 'Ckpt', {
      definition: platform.definition, cluster: platform.cluster, driver, name: 'checkpoints', namespace: 'research',
      storageCapacity: Size.gibibytes(4800), throughputPerTib: 500, efa: true,
    });
    const t = template(platform);
    t.hasResourceProperties('AWS::FSx::FileSystem', {
      FileSystemType: 'LUSTRE', StorageCapacity: 4800,
      LustreConfiguration: { DeploymentType: 'PERSISTENT_2', PerUnitStorageThroughput: 500, EfaEnabled: true, MetadataConfiguration: { Mode: 'AUTOMATIC' } },
    });
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 1018, ToPort: 1023, IpProtocol: 'tcp' });
    t.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'kube-system', ServiceAccount: 'fsx-csi-controller-sa' });
    t.hasResource('AWS::FSx::FileSystem', { DeletionPolicy: 'Retain' });
    const objs = fs.component.toJson();
    expect(find(objs, 'PersistentVolumeClaim', 'checkpoints').spec.accessModes).toEqual(['ReadWriteMany']);
    expect(find(objs, 'PersistentVolume', 'lustre-research-checkpoints').spec.csi.driver).toBe('fsx.csi.aws.com');
    void Match;
  });

  test('errors', () => {
    const platform = testPlatform();
    const driver = new FsxCsiDriver(platform, 'Fsx', { definition: platform.definition, cluster: platform.cluster });
    const base = { definition: platform.definition, cluster: platform.cluster, driver, name: 'd', namespace: 'ns' };
    expect(() => new LustreFileSystem(platform, 'A', { ...base, storageCapacity: Size.gibibytes(2000) })).toThrow(
      "'storageCapacity' (2000 GiB) of Lustre file system 'd' must be 1200 GiB or a multiple of 2400 GiB (PERSISTENT_2)");
    expect(() => new LustreFileSystem(platform, 'B', { ...base, throughputPerTib: 300 })).toThrow(
      "'throughputPerTib' (300) of Lustre file system 'd' must be one of 125, 250, 500, 1000 MB/s/TiB for PERSISTENT_2");
    expect(() => new LustreFileSystem(platform, 'C', { ...base, deploymentType: LustreDeploymentType.SCRATCH_2, efa: true })).toThrow(
      "'efa' of Lustre file system 'd' needs deploymentType PERSISTENT_2, not SCRATCH_2");
    expect(() => new LustreFileSystem(platform, 'D', { ...base, existing: { fileSystemId: 'x', dnsName: 'a', mountName: 'b' } })).toThrow(
      "'existing.fileSystemId' (x) of Lustre file system 'd' must be an FSx id such as fs-0123456789abcdef0");
  });
});
