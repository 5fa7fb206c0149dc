import { Size, Token } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { FsxCsiDriver, GitOpsRendering, LustreDeploymentType, LustreFileSystem } from '../../../lib';
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
    const objs = fs.component.toJson() as any[];
    expect(find(objs, 'PersistentVolumeClaim', 'checkpoints').spec.accessModes).toEqual(['ReadWriteMany']);
    expect(find(objs, 'PersistentVolume', 'lustre-research-checkpoints').spec.csi.driver).toBe('fsx.csi.aws.com');
    void Match;
  });

  test('GIVEN a file system the stack creates THEN its attributes are stack outputs and the GitOps rendering refuses the PV with what to do', () => {
    // GIVEN
    const platform = testPlatform();
    const team = platform.teams.add({ name: 'research' });

    // WHEN
    const fs = platform.training.addLustreFileSystem('Datasets', { name: 'datasets', namespace: team.namespace });

    // THEN
    const outputs = template(platform).findOutputs('*');
    expect(Object.values(outputs).map((o: any) => o.Description).sort()).toEqual([
      'FSx for Lustre datasets: existing.dnsName', 'FSx for Lustre datasets: existing.fileSystemId', 'FSx for Lustre datasets: existing.mountName',
    ]);
    const explanation = "Lustre file system 'datasets' is created by this stack, so its id, DNS name and mount name are CloudFormation tokens: "
      + 'create the file system first (deploy the stack once, it outputs FileSystemId, DnsName and MountName; or run aws fsx create-file-system), '
      + "then pass the literal values as 'existing: { fileSystemId, dnsName, mountName }'";
    expect(fs.component.tokenExplanations).toEqual([explanation]);
    expect(() => GitOpsRendering.folders(platform.definition, platform.gitOps!)).toThrow(
      "GitOps rendering: PersistentVolume 'lustre-research-datasets' in 'lustre-datasets' carries a CloudFormation token; "
      + `Kubernetes-side props must be literal strings. ${explanation}`);
  });

  test('GIVEN an existing file system THEN no AWS resource, a literal PV in both renderings', () => {
    // GIVEN
    const platform = testPlatform();
    const team = platform.teams.add({ name: 'research' });

    // WHEN
    const fs = platform.training.addLustreFileSystem('Datasets', {
      name: 'datasets', namespace: team.namespace,
      existing: { fileSystemId: 'fs-0123456789abcdef0', dnsName: 'fs-0123456789abcdef0.fsx.us-west-2.amazonaws.com', mountName: 'abcdefgh' },
    });

    // THEN
    expect(fs.fileSystem).toBeUndefined();
    template(platform).resourceCountIs('AWS::FSx::FileSystem', 0);
    expect(fs.component.tokenExplanations).toEqual([]);
    const pv = find(GitOpsRendering.folders(platform.definition, platform.gitOps!).find((f) => f.folder === 'lustre-datasets')!.objects,
      'PersistentVolume', 'lustre-research-datasets');
    expect(pv.metadata).toEqual({ name: 'lustre-research-datasets' });
    expect(find(GitOpsRendering.folders(platform.definition, platform.gitOps!).find((f) => f.folder === 'lustre-datasets')!.objects,
      'PersistentVolumeClaim', 'datasets').metadata.namespace).toBe('research');
    expect(pv.spec.csi).toEqual({
      driver: 'fsx.csi.aws.com', volumeHandle: 'fs-0123456789abcdef0',
      volumeAttributes: { dnsname: 'fs-0123456789abcdef0.fsx.us-west-2.amazonaws.com', mountname: 'abcdefgh' },
    });
  });

  test('GIVEN existing attributes that are tokens THEN accepted for the CDK rendering and explained to the GitOps rendering', () => {
    const platform = testPlatform();
    const fsId = Token.asString({ Ref: 'SharedFs' });
    const fs = platform.training.addLustreFileSystem('Datasets', {
      name: 'datasets', namespace: 'research', existing: { fileSystemId: fsId, dnsName: `${fsId}.fsx.us-west-2.amazonaws.com`, mountName: 'abcdefgh' },
    });
    expect(fs.component.tokenExplanations[0]).toMatch(/^The 'existing' attributes of Lustre file system 'datasets' are CloudFormation tokens: create the file system first/);
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
    const id = 'fs-0123456789abcdef0';
    expect(() => new LustreFileSystem(platform, 'E', { ...base, existing: { fileSystemId: id, dnsName: 'fs-0aaaaaaaaaaaaaaaa.fsx.us-west-2.amazonaws.com', mountName: 'abcdefgh' } }))
      .toThrow("'existing.dnsName' (fs-0aaaaaaaaaaaaaaaa.fsx.us-west-2.amazonaws.com) of Lustre file system 'd' must be the DNS name of fs-0123456789abcdef0: fs-0123456789abcdef0.fsx.<region>.amazonaws.com");
    expect(() => new LustreFileSystem(platform, 'F', { ...base, existing: { fileSystemId: id, dnsName: `${id}.fsx.us-west-2.amazonaws.com`, mountName: 'ABC/def' } }))
      .toThrow("'existing.mountName' (ABC/def) of Lustre file system 'd' must be its Lustre mount name: 3 to 8 lowercase letters and digits (LustreConfiguration.MountName)");
  });
});
