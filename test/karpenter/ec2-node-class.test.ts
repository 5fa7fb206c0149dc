import { Aws, Size } from 'aws-cdk-lib';
import { Chart, Testing } from 'cdk8s';
import { AL2023_AMI_ALIAS, Ec2NodeClass, Ec2NodeClassProps } from '../../lib';
import { expectValidK8sObjects } from '../k8s-schema';
import { find, objects } from '../util';

const CLUSTER = 'test';
const NODE_ROLE = 'KarpenterNodeRole-test';

/** An Ec2NodeClass with id 'default' in a fresh chart; `props` override the required props. */
function newNodeClass(props: Partial<Ec2NodeClassProps> = {}, id = 'default'): { chart: Chart; nodeClass: Ec2NodeClass } {
  const chart = Testing.chart();
  const nodeClass = new Ec2NodeClass(chart, id, { clusterName: CLUSTER, nodeRoleName: NODE_ROLE, ...props });
  return { chart, nodeClass };
}

/** The spec of the synthesized EC2NodeClass named `name`. */
function specOf(chart: Chart, name = 'default'): Record<string, any> {
  return find(objects(chart), 'EC2NodeClass', name).spec;
}

describe('Ec2NodeClass', () => {
  describe('defaults', () => {
    test('names the object after the construct id', () => {
      // GIVEN / WHEN
      const { chart, nodeClass } = newNodeClass();

      // THEN
      expect(nodeClass.name).toBe('default');
      expect(find(objects(chart), 'EC2NodeClass', 'default').metadata).toEqual({ name: 'default' });
    });

    test('emits a karpenter.k8s.aws/v1 EC2NodeClass', () => {
      // GIVEN / WHEN
      const { chart } = newNodeClass();

      // THEN
      expect(find(objects(chart), 'EC2NodeClass', 'default').apiVersion).toBe('karpenter.k8s.aws/v1');
    });

    test('selects the pinned AL2023 AMI alias of the catalog', () => {
      // GIVEN / WHEN
      const { chart, nodeClass } = newNodeClass();

      // THEN
      expect(nodeClass.amiAlias).toBe(AL2023_AMI_ALIAS.alias);
      expect(specOf(chart).amiSelectorTerms).toEqual([{ alias: AL2023_AMI_ALIAS.alias }]);
    });

    test('the catalog alias is pinned, not @latest', () => {
      // GIVEN / WHEN / THEN
      expect(AL2023_AMI_ALIAS.alias).toMatch(/^al2023@v\d{8}$/);
    });

    test('uses the node role by name', () => {
      // GIVEN / WHEN
      const { chart } = newNodeClass();

      // THEN
      expect(specOf(chart).role).toBe(NODE_ROLE);
    });

    test('discovers subnets by the karpenter.sh/discovery tag', () => {
      // GIVEN / WHEN
      const { chart } = newNodeClass();

      // THEN
      expect(specOf(chart).subnetSelectorTerms).toEqual([{ tags: { 'karpenter.sh/discovery': CLUSTER } }]);
    });

    test('discovers security groups by the karpenter.sh/discovery tag', () => {
      // GIVEN / WHEN
      const { chart } = newNodeClass();

      // THEN
      expect(specOf(chart).securityGroupSelectorTerms).toEqual([{ tags: { 'karpenter.sh/discovery': CLUSTER } }]);
    });

    test('has an encrypted 100Gi gp3 root volume with 3000 IOPS and 125 MiB/s', () => {
      // GIVEN / WHEN
      const { chart } = newNodeClass();

      // THEN
      expect(specOf(chart).blockDeviceMappings).toEqual([{
        deviceName: '/dev/xvda',
        rootVolume: true,
        ebs: { volumeSize: '100Gi', volumeType: 'gp3', iops: 3000, throughput: 125, encrypted: true, deleteOnTermination: true },
      }]);
    });

    test('requires IMDSv2 with hop limit 1', () => {
      // GIVEN / WHEN
      const { chart } = newNodeClass();

      // THEN
      expect(specOf(chart).metadataOptions).toEqual({
        httpEndpoint: 'enabled',
        httpProtocolIPv6: 'disabled',
        httpPutResponseHopLimit: 1,
        httpTokens: 'required',
      });
    });

    test('sets no tags', () => {
      // GIVEN / WHEN
      const { chart } = newNodeClass();

      // THEN
      expect(specOf(chart).tags).toBeUndefined();
    });

    test('uses the stable construct id Resource', () => {
      // GIVEN / WHEN
      const { nodeClass } = newNodeClass();

      // THEN
      expect(nodeClass.node.findChild('Resource')).toBe(nodeClass.resource);
    });
  });

  describe('bottlerocket', () => {
    test('a bottlerocket alias gives a 4Gi OS volume and the data volume as root volume', () => {
      // GIVEN / WHEN
      const { chart } = newNodeClass({ amiAlias: 'bottlerocket@v1.55.0' });

      // THEN
      expect(specOf(chart).blockDeviceMappings).toEqual([
        { deviceName: '/dev/xvda', ebs: { volumeSize: '4Gi', volumeType: 'gp3', encrypted: true, deleteOnTermination: true } },
        {
          deviceName: '/dev/xvdb',
          rootVolume: true,
          ebs: { volumeSize: '100Gi', volumeType: 'gp3', iops: 3000, throughput: 125, encrypted: true, deleteOnTermination: true },
        },
      ]);
    });

    test('a bottlerocket alias is selected as given', () => {
      // GIVEN / WHEN
      const { chart, nodeClass } = newNodeClass({ amiAlias: 'bottlerocket@v1.55.0' });

      // THEN
      expect(nodeClass.amiAlias).toBe('bottlerocket@v1.55.0');
      expect(specOf(chart).amiSelectorTerms).toEqual([{ alias: 'bottlerocket@v1.55.0' }]);
    });

    test('the root volume props size the bottlerocket data volume', () => {
      // GIVEN / WHEN
      const { chart } = newNodeClass({
        amiAlias: 'bottlerocket@v1.55.0', rootVolumeSize: Size.gibibytes(500), rootVolumeIops: 8000, rootVolumeThroughput: 500,
      });

      // THEN
      const [os, data] = specOf(chart).blockDeviceMappings;
      expect(os.ebs.volumeSize).toBe('4Gi');
      expect(data.ebs).toMatchObject({ volumeSize: '500Gi', iops: 8000, throughput: 500 });
    });
  });

  describe('props', () => {
    test('name sets the object name', () => {
      // GIVEN / WHEN
      const { chart, nodeClass } = newNodeClass({ name: 'gpu.nodes' });

      // THEN
      expect(nodeClass.name).toBe('gpu.nodes');
      expect(find(objects(chart), 'EC2NodeClass', 'gpu.nodes')).toBeDefined();
    });

    test('amiAlias selects another pinned AL2023 release', () => {
      // GIVEN / WHEN
      const { chart } = newNodeClass({ amiAlias: 'al2023@v20251001' });

      // THEN
      expect(specOf(chart).amiSelectorTerms).toEqual([{ alias: 'al2023@v20251001' }]);
    });

    test('clusterName sets the discovery tag value', () => {
      // GIVEN / WHEN
      const { chart } = newNodeClass({ clusterName: 'prod-eu' });

      // THEN
      expect(specOf(chart).subnetSelectorTerms).toEqual([{ tags: { 'karpenter.sh/discovery': 'prod-eu' } }]);
      expect(specOf(chart).securityGroupSelectorTerms).toEqual([{ tags: { 'karpenter.sh/discovery': 'prod-eu' } }]);
    });

    test('nodeRoleName sets the role', () => {
      // GIVEN / WHEN
      const { chart } = newNodeClass({ nodeRoleName: 'OtherRole' });

      // THEN
      expect(specOf(chart).role).toBe('OtherRole');
    });

    test('rootVolumeSize sets the volume size in Gi', () => {
      // GIVEN / WHEN
      const { chart } = newNodeClass({ rootVolumeSize: Size.gibibytes(250) });

      // THEN
      expect(specOf(chart).blockDeviceMappings[0].ebs.volumeSize).toBe('250Gi');
    });

    test('rootVolumeSize in TiB renders in Gi', () => {
      // GIVEN / WHEN
      const { chart } = newNodeClass({ rootVolumeSize: Size.tebibytes(1) });

      // THEN
      expect(specOf(chart).blockDeviceMappings[0].ebs.volumeSize).toBe('1024Gi');
    });

    test('rootVolumeThroughput sets the throughput', () => {
      // GIVEN / WHEN
      const { chart } = newNodeClass({ rootVolumeThroughput: 250 });

      // THEN
      expect(specOf(chart).blockDeviceMappings[0].ebs.throughput).toBe(250);
    });

    test('rootVolumeIops sets the IOPS', () => {
      // GIVEN / WHEN
      const { chart } = newNodeClass({ rootVolumeIops: 6000 });

      // THEN
      expect(specOf(chart).blockDeviceMappings[0].ebs.iops).toBe(6000);
    });

    test('tags are set on the EC2NodeClass', () => {
      // GIVEN / WHEN
      const { chart } = newNodeClass({ tags: { 'team': 'ml', 'cost-center': '42' } });

      // THEN
      expect(specOf(chart).tags).toEqual({ 'team': 'ml', 'cost-center': '42' });
    });

    test('empty tags render no tags field', () => {
      // GIVEN / WHEN
      const { chart } = newNodeClass({ tags: {} });

      // THEN
      expect(specOf(chart).tags).toBeUndefined();
    });

    test('tags are copied', () => {
      // GIVEN
      const tags: Record<string, string> = { team: 'ml' };

      // WHEN
      const { chart } = newNodeClass({ tags });
      tags.extra = 'late';

      // THEN
      expect(specOf(chart).tags).toEqual({ team: 'ml' });
    });

    test.each([
      ['rootVolumeSize 20 GiB', { rootVolumeSize: Size.gibibytes(20) }],
      ['rootVolumeSize 16384 GiB', { rootVolumeSize: Size.gibibytes(16384) }],
      ['rootVolumeThroughput 125', { rootVolumeThroughput: 125 }],
      ['rootVolumeThroughput 1000', { rootVolumeThroughput: 1000, rootVolumeIops: 4000 }],
      ['rootVolumeIops 3000', { rootVolumeIops: 3000 }],
      ['rootVolumeIops 16000', { rootVolumeIops: 16000 }],
    ])('accepts the boundary %s', (_name, props) => {
      // GIVEN / WHEN / THEN
      expect(() => newNodeClass(props)).not.toThrow();
    });
  });

  describe('validation', () => {
    test('rejects an @latest alias', () => {
      // GIVEN / WHEN / THEN
      expect(() => newNodeClass({ amiAlias: 'al2023@latest' })).toThrow(
        `'amiAlias' (al2023@latest) must pin an AMI release, e.g. ${AL2023_AMI_ALIAS.alias} or bottlerocket@v1.55.0; '@latest' drifts every node on each AMI release`,
      );
    });

    test('rejects a bottlerocket @latest alias', () => {
      // GIVEN / WHEN / THEN
      expect(() => newNodeClass({ amiAlias: 'bottlerocket@latest' })).toThrow(
        `'amiAlias' (bottlerocket@latest) must pin an AMI release, e.g. ${AL2023_AMI_ALIAS.alias} or bottlerocket@v1.55.0; '@latest' drifts every node on each AMI release`,
      );
    });

    test('rejects an alias without a version', () => {
      // GIVEN / WHEN / THEN
      expect(() => newNodeClass({ amiAlias: 'al2023' })).toThrow(
        `'amiAlias' (al2023) must pin an AMI release, e.g. ${AL2023_AMI_ALIAS.alias} or bottlerocket@v1.55.0; '@latest' drifts every node on each AMI release`,
      );
    });

    test('rejects an alias of another AMI family', () => {
      // GIVEN / WHEN / THEN
      expect(() => newNodeClass({ amiAlias: 'ubuntu@v20260101' })).toThrow(
        `'amiAlias' (ubuntu@v20260101) must pin an AMI release, e.g. ${AL2023_AMI_ALIAS.alias} or bottlerocket@v1.55.0; '@latest' drifts every node on each AMI release`,
      );
    });

    test('rejects a root volume below 20 GiB', () => {
      // GIVEN / WHEN / THEN
      expect(() => newNodeClass({ rootVolumeSize: Size.gibibytes(19) })).toThrow(
        "'rootVolumeSize' (19 GiB) must be between 20 and 16384 GiB",
      );
    });

    test('rejects a root volume above 16384 GiB', () => {
      // GIVEN / WHEN / THEN
      expect(() => newNodeClass({ rootVolumeSize: Size.gibibytes(16385) })).toThrow(
        "'rootVolumeSize' (16385 GiB) must be between 20 and 16384 GiB",
      );
    });

    test('rejects throughput below 125 MiB/s', () => {
      // GIVEN / WHEN / THEN
      expect(() => newNodeClass({ rootVolumeThroughput: 124 })).toThrow(
        "'rootVolumeThroughput' (124) must be between 125 and 1000 MiB/s (gp3)",
      );
    });

    test('rejects throughput above 1000 MiB/s', () => {
      // GIVEN / WHEN / THEN
      expect(() => newNodeClass({ rootVolumeThroughput: 1001 })).toThrow(
        "'rootVolumeThroughput' (1001) must be between 125 and 1000 MiB/s (gp3)",
      );
    });

    test('rejects IOPS below 3000', () => {
      // GIVEN / WHEN / THEN
      expect(() => newNodeClass({ rootVolumeIops: 2999 })).toThrow("'rootVolumeIops' (2999) must be between 3000 and 16000 (gp3)");
    });

    test('rejects IOPS above 16000', () => {
      // GIVEN / WHEN / THEN
      expect(() => newNodeClass({ rootVolumeIops: 16001 })).toThrow("'rootVolumeIops' (16001) must be between 3000 and 16000 (gp3)");
    });

    test('rejects an invalid name', () => {
      // GIVEN / WHEN / THEN
      expect(() => newNodeClass({ name: 'GPU_Nodes' })).toThrow(
        "'name' (GPU_Nodes) must be a DNS subdomain: 1-253 lower-case letters, digits, '-' or '.', starting and ending with a letter or digit",
      );
    });

    test('rejects a token as name', () => {
      // GIVEN / WHEN / THEN
      expect(() => newNodeClass({ name: Aws.STACK_NAME })).toThrow(
        "'name' must be a literal string, not a token: Kubernetes manifests of the GitOps rendering cannot carry CloudFormation tokens",
      );
    });
  });

  test('every emitted object is valid against its upstream schema', () => {
    // GIVEN
    const chart = Testing.chart();

    // WHEN
    new Ec2NodeClass(chart, 'default', { clusterName: CLUSTER, nodeRoleName: NODE_ROLE });
    new Ec2NodeClass(chart, 'bottlerocket', { clusterName: CLUSTER, nodeRoleName: NODE_ROLE, amiAlias: 'bottlerocket@v1.55.0' });
    new Ec2NodeClass(chart, 'custom', {
      clusterName: CLUSTER,
      nodeRoleName: NODE_ROLE,
      amiAlias: 'al2023@v20251001',
      rootVolumeSize: Size.gibibytes(500),
      rootVolumeIops: 16000,
      rootVolumeThroughput: 1000,
      tags: { team: 'ml' },
    });
    const objs = objects(chart);

    // THEN
    expect(objs).toHaveLength(3);
    expectValidK8sObjects(objs);
  });
});

describe('Ec2NodeClass: gp3 ratios', () => {
  test('throughput above 0.25 MiB/s per IOPS', () => {
    expect(() => newNodeClass({ rootVolumeThroughput: 1000 }))
      .toThrow("'rootVolumeThroughput' (1000) must be at most 0.25 MiB/s per provisioned IOPS (3000 IOPS allow 750) (gp3)");
  });

  test('IOPS above 500 per GiB', () => {
    expect(() => newNodeClass({ rootVolumeSize: Size.gibibytes(20), rootVolumeIops: 12000 }))
      .toThrow("'rootVolumeIops' (12000) must be at most 500 per GiB of the 20 GiB root volume (gp3)");
  });

  test('a root volume that is not a whole number of GiB', () => {
    expect(() => newNodeClass({ rootVolumeSize: Size.mebibytes(102500) }))
      .toThrow("'rootVolumeSize' (100.09765625 GiB) must be a whole number of GiB");
  });
});

describe('Ec2NodeClass: CRD rules on tags and the AMI alias are checked at the door', () => {
  const props = { clusterName: 'test', nodeRoleName: 'KarpenterNodeRole-test' };

  test.each([
    ['karpenter.sh/nodepool'], ['karpenter.sh/nodeclaim'], ['karpenter.k8s.aws/ec2nodeclass'], ['eks:eks-cluster-name'],
    ['kubernetes.io/cluster/test'],
  ])('refuses the restricted tag %s', (key) => {
    expect(() => new Ec2NodeClass(Testing.chart(), 'class', { ...props, tags: { [key]: 'x' } }))
      .toThrow(`tag '${key}' in 'tags' is set by Karpenter or EKS itself and is refused by the EC2NodeClass: restricted are eks:eks-cluster-name, karpenter.sh/nodepool, karpenter.sh/nodeclaim, karpenter.k8s.aws/ec2nodeclass and kubernetes.io/cluster/*`);
  });

  test('refuses an empty tag key', () => {
    expect(() => new Ec2NodeClass(Testing.chart(), 'class', { ...props, tags: { '': 'x' } }))
      .toThrow("'tags' of an EC2NodeClass must not have an empty key");
  });

  test('refuses an AMI alias longer than 30 characters', () => {
    expect(() => new Ec2NodeClass(Testing.chart(), 'class', { ...props, amiAlias: 'bottlerocket@v1.55.0.0123456789ab' }))
      .toThrow("'amiAlias' (bottlerocket@v1.55.0.0123456789ab) must be at most 30 characters (EC2NodeClass amiSelectorTerms.alias)");
  });

  test('accepts cost-allocation tags; the object passes the CRD', () => {
    const chart = Testing.chart();
    new Ec2NodeClass(chart, 'class', { ...props, tags: { 'team': 'ml', 'example.com/cost-center': 'cc-1' } });
    expectValidK8sObjects(objects(chart));
  });
});
