import { RemovalPolicy, Size } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { Cpu } from '../../lib';
import {
  ContainerImage, FlowPeer, MessageStream, MilvusVectorStore, NetworkFlows, PlatformStack, VectorStoreMode, VectorStoreOptions,
} from '../../lib';
import { expectValidK8sObjects } from '../k8s-schema';
import { find, template, testPlatform } from '../util';

function store(options: Partial<VectorStoreOptions> = {}, platform: PlatformStack = testPlatform()): MilvusVectorStore {
  return platform.retrieval.addVectorStore('Docs', { name: 'docs', ...options });
}

function milvus(s: MilvusVectorStore): Record<string, any> {
  return find(s.component.toJson() as any[], 'Milvus', s.storeName);
}

function flowNames(platform: PlatformStack): string[] {
  return NetworkFlows.of(platform.definition).flows.map((f) => f.name);
}

describe('MilvusVectorStore', () => {
  describe('defaults', () => {
    test('a standalone Milvus 2.6 on a created S3 bucket through IAM, Woodpecker, one etcd replica kept on deletion', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN
      const s = store({}, platform);

      // THEN
      const objs = s.component.toJson() as any[];
      expectValidK8sObjects(objs);
      const m = find(objs, 'Milvus', 'docs');
      expect(m.apiVersion).toBe('milvus.io/v1beta1');
      expect(m.metadata.namespace).toBe('milvus');
      expect(m.spec.mode).toBe('standalone');
      expect(m.spec.components).toEqual({
        image: 'milvusdb/milvus:v2.6.11', serviceAccountName: 'milvus-docs', disableMetric: false, standalone: {},
      });
      expect(m.spec.config).toEqual({
        minio: { bucketName: 'test-milvus-docs-us-west-2', rootPath: 'milvus/docs', useSSL: true, useIAM: true, cloudProvider: 'aws', region: 'us-west-2' },
      });
      expect(m.spec.dependencies).toEqual({
        msgStreamType: 'woodpecker',
        storage: { external: true, type: 'S3', endpoint: 's3.us-west-2.amazonaws.com:443' },
        etcd: { inCluster: { deletionPolicy: 'Retain', pvcDeletion: false, values: { replicaCount: 1, persistence: { enabled: true, size: '10Gi' } } } },
      });
      expect(find(objs, 'ServiceAccount', 'milvus-docs').metadata.namespace).toBe('milvus');
      expect(s.component.componentName).toBe('vector-store-docs');
    });

    test('exposes the endpoint consumers connect to', () => {
      // GIVEN / WHEN
      const s = store();

      // THEN
      expect(s.serviceName).toBe('docs-milvus');
      expect(s.port).toBe(19530);
      expect(s.endpoint).toBe('docs-milvus.milvus.svc.cluster.local:19530');
      expect(s.url).toBe('http://docs-milvus.milvus.svc.cluster.local:19530');
      expect(s.podLabels).toEqual({ 'app.kubernetes.io/instance': 'docs', 'app.kubernetes.io/name': 'milvus' });
    });

    test('the bucket is created encrypted, SSL only, private and retained; the Pod Identity role may use only the store prefix', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN
      store({}, platform);

      // THEN
      const t = template(platform);
      t.hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          BucketName: 'test-milvus-docs-us-west-2',
          BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        },
      });
      t.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
      t.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'milvus', ServiceAccount: 'milvus-docs' });
      t.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Sid: 'ListStorage', Action: ['s3:ListBucket', 's3:GetBucketLocation'] }),
            Match.objectLike({
              Sid: 'ReadWriteStorage',
              Resource: { 'Fn::Join': ['', [Match.objectLike({ 'Fn::GetAtt': [Match.anyValue(), 'Arn'] }), '/milvus/docs/*']] },
            }),
          ]),
        },
      });
    });

    test('depends on the operator chart and the namespace, which runs at Pod Security baseline', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN
      const s = store({}, platform);

      // THEN
      expect(s.component.dependencies).toEqual(expect.arrayContaining([platform.retrieval.milvusOperator!.chart, platform.definition.namespaces]));
      expect(platform.definition.podSecurityOf('milvus')).toBe('baseline');
    });

    test('declares the flows of Milvus, etcd, S3, Pod Identity, the operator and Prometheus', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN
      store({}, platform);

      // THEN
      expect(flowNames(platform)).toEqual(expect.arrayContaining([
        'milvus-docs-internal', 'milvus-docs-to-etcd', 'milvus-docs-etcd-peers', 'milvus-docs-to-s3', 'milvus-docs-pod-identity',
        'milvus-operator-to-docs-etcd', 'monitoring-to-milvus-docs', 'monitoring-to-milvus-docs-etcd',
      ]));
      const describe = NetworkFlows.of(platform.definition).describe();
      expect(describe).toContain("flow 'milvus-docs-to-etcd' (pods app.kubernetes.io/instance=docs,app.kubernetes.io/name=milvus in 'milvus' -> pods app.kubernetes.io/instance=docs-etcd in 'milvus', TCP 2379)");
      expect(describe).toContain("flow 'milvus-operator-to-docs-etcd' (pods app.kubernetes.io/name=milvus-operator,app.kubernetes.io/instance=milvus-operator in 'milvus-operator' -> pods app.kubernetes.io/instance=docs-etcd in 'milvus', TCP 2379)");
      expect(flowNames(platform).some((n) => n.includes('pulsar') || n.includes('kafka'))).toBe(false);
    });
  });

  describe('props', () => {
    test('cluster mode: every 2.6 component with replicas and resources, three etcd replicas', () => {
      // GIVEN / WHEN
      const s = store({
        mode: VectorStoreMode.CLUSTER,
        components: {
          proxy: { replicas: 2, resources: { cpu: { request: Cpu.cores(1) }, memory: { request: Size.gibibytes(2), limit: Size.gibibytes(4) } } },
          queryNode: { replicas: 3, resources: { cpu: { request: Cpu.cores(4), limit: Cpu.cores(8) }, memory: { request: Size.gibibytes(32) } } },
        },
      });

      // THEN
      const m = milvus(s);
      expectValidK8sObjects([m]);
      expect(m.spec.mode).toBe('cluster');
      expect(m.spec.components.proxy).toEqual({ replicas: 2, resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '4Gi' } } });
      expect(m.spec.components.queryNode).toEqual({ replicas: 3, resources: { requests: { cpu: '4', memory: '32Gi' }, limits: { cpu: '8' } } });
      for (const c of ['mixCoord', 'dataNode', 'streamingNode']) expect(m.spec.components[c]).toEqual({ replicas: 1 });
      expect(m.spec.components.standalone).toBeUndefined();
      expect(m.spec.dependencies.etcd.inCluster.values.replicaCount).toBe(3);
      expect(s.etcdReplicas).toBe(3);
    });

    test('standalone resources', () => {
      // GIVEN / WHEN
      const s = store({ standalone: { resources: { cpu: { request: Cpu.millis(1500) }, memory: { request: Size.mebibytes(8192) } } } });

      // THEN
      expect(milvus(s).spec.components.standalone).toEqual({ resources: { requests: { cpu: '1500m', memory: '8Gi' } } });
    });

    test('namespace, etcd replicas and storage, image, prefix, monitoring off', () => {
      // GIVEN
      const platform = testPlatform();
      const image = ContainerImage.of({ repository: 'milvusdb/milvus', tag: 'v2.6.12', source: 'test', checked: '2026-12-02' });

      // WHEN
      const s = store({
        namespace: 'rag', etcd: { replicas: 5, storage: Size.gibibytes(20) }, image, monitoring: false, storage: { prefix: 'vectors/docs' },
      }, platform);

      // THEN
      const m = milvus(s);
      expect(m.metadata.namespace).toBe('rag');
      expect(m.spec.components.image).toBe('milvusdb/milvus:v2.6.12');
      expect(m.spec.components.disableMetric).toBe(true);
      expect(m.spec.dependencies.etcd.inCluster.values).toEqual({ replicaCount: 5, persistence: { enabled: true, size: '20Gi' } });
      expect(m.spec.config.minio.rootPath).toBe('vectors/docs');
      expect(s.endpoint).toBe('docs-milvus.rag.svc.cluster.local:19530');
      expect(flowNames(platform).filter((n) => n.startsWith('monitoring-to-milvus'))).toEqual([]);
      template(platform).hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'rag', ServiceAccount: 'milvus-docs' });
    });

    test('a created bucket with its own name, versioning and removal policy', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN
      store({ storage: { bucketName: 'acme-rag-vectors', versioned: true, removalPolicy: RemovalPolicy.DESTROY } }, platform);

      // THEN
      template(platform).hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Delete',
        Properties: { BucketName: 'acme-rag-vectors', VersioningConfiguration: { Status: 'Enabled' } },
      });
    });

    test('an existing bucket by name: no bucket created, the role is scoped to the bucket ARN', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN
      const s = store({ storage: { createBucket: false, bucketName: 'shared-vectors' } }, platform);

      // THEN
      expect(s.bucket).toBeUndefined();
      expect(milvus(s).spec.config.minio.bucketName).toBe('shared-vectors');
      const t = template(platform);
      t.resourceCountIs('AWS::S3::Bucket', 0);
      t.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({
            Sid: 'ReadWriteStorage', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::shared-vectors/milvus/docs/*']] },
          })]),
        },
      });
    });

    test('config is deep-merged after the computed milvus.yaml settings', () => {
      // GIVEN / WHEN
      const s = store({ config: { minio: { useVirtualHost: true }, queryNode: { segcore: { knowhereThreadPoolNumRatio: 2 } } } });

      // THEN
      const config = milvus(s).spec.config;
      expect(config.minio).toEqual(expect.objectContaining({ bucketName: 'test-milvus-docs-us-west-2', useIAM: true, useVirtualHost: true }));
      expect(config.queryNode).toEqual({ segcore: { knowhereThreadPoolNumRatio: 2 } });
    });

    test('clients (prop and allowFrom) get a flow to Milvus on 19530', () => {
      // GIVEN
      const platform = testPlatform();
      const s = store({ clients: [{ name: 'ingest', peer: FlowPeer.teams() }] }, platform);

      // WHEN
      s.allowFrom('rag-mcp', FlowPeer.pods('agents', { app: 'rag-mcp' }), 'the RAG MCP server searches the documents');

      // THEN
      const flows = NetworkFlows.of(platform.definition).flows;
      const mcp = flows.find((f) => f.name === 'milvus-docs-from-rag-mcp')!;
      expect(mcp.ports.map((p) => p.toString())).toEqual(['TCP 19530']);
      expect(mcp.to.labels).toEqual(s.podLabels);
      expect(mcp.description).toBe('the RAG MCP server searches the documents');
      expect(flows.find((f) => f.name === 'milvus-docs-from-ingest')!.description).toBe("ingest queries vector store 'docs' (Milvus gRPC/RESTful)");
    });

    test('in-cluster Pulsar: the dependency is kept on deletion and its pods may talk among themselves', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN
      const s = store({ mode: VectorStoreMode.CLUSTER, messageStream: MessageStream.pulsar() }, platform);

      // THEN
      const deps = milvus(s).spec.dependencies;
      expect(deps.msgStreamType).toBe('pulsar');
      expect(deps.pulsar).toEqual({ inCluster: { deletionPolicy: 'Retain', pvcDeletion: false } });
      expect(flowNames(platform)).toEqual(expect.arrayContaining(['milvus-docs-to-pulsar', 'milvus-docs-pulsar-internal', 'milvus-operator-to-docs-pulsar']));
    });

    test('in-cluster Kafka with its brokers', () => {
      // GIVEN / WHEN
      const s = store({ mode: VectorStoreMode.CLUSTER, messageStream: MessageStream.kafka({ replicas: 5 }) });

      // THEN
      const deps = milvus(s).spec.dependencies;
      expectValidK8sObjects([milvus(s)]);
      expect(deps.msgStreamType).toBe('kafka');
      expect(deps.kafka).toEqual({ inCluster: { deletionPolicy: 'Retain', pvcDeletion: false, values: { replicaCount: 5 } } });
    });

    test('an external Kafka (MSK): broker list and a flow on the brokers ports', () => {
      // GIVEN
      const platform = testPlatform();

      // WHEN
      const s = store({ messageStream: MessageStream.externalKafka(['b-1.msk.example.com:9092', 'b-2.msk.example.com:9092']) }, platform);

      // THEN
      expect(milvus(s).spec.dependencies.kafka).toEqual({ external: true, brokerList: ['b-1.msk.example.com:9092', 'b-2.msk.example.com:9092'] });
      const flow = NetworkFlows.of(platform.definition).flows.find((f) => f.name === 'milvus-docs-to-kafka')!;
      expect(flow.ports.map((p) => p.toString())).toEqual(['TCP 9092']);
      expect(flowNames(platform)).not.toContain('milvus-docs-kafka-internal');
    });

    test('RocksMQ in standalone mode', () => {
      // GIVEN / WHEN
      const s = store({ messageStream: MessageStream.rocksmq() });

      // THEN
      expect(milvus(s).spec.dependencies.msgStreamType).toBe('rocksmq');
    });
  });

  describe('errors', () => {
    test.each<[string, Partial<VectorStoreOptions>, string]>([
      ['cluster mode with a single etcd replica', { mode: VectorStoreMode.CLUSTER, etcd: { replicas: 1 } },
        "vector store 'docs' runs in cluster mode with 1 etcd replica: a single replica of a stateful dependency is a single point of failure; set 'etcd.replicas' to 3 or 5, or use VectorStoreMode.STANDALONE"],
      ['cluster mode with a single in-cluster Kafka broker', { mode: VectorStoreMode.CLUSTER, messageStream: MessageStream.kafka({ replicas: 1 }) },
        "vector store 'docs' runs in cluster mode with 1 in-cluster Kafka broker: a single replica of a stateful dependency is a single point of failure; use MessageStream.kafka({ replicas: 3 }) or MessageStream.woodpecker()"],
      ['S3 storage without a bucket', { storage: { createBucket: false } },
        "S3 storage of vector store 'docs' has no bucket: set 'storage.bucketName' to an existing bucket, or leave 'storage.createBucket' on to create one"],
      ['an even number of etcd replicas', { etcd: { replicas: 2 } },
        "'etcd.replicas' (2) of vector store 'docs' must be an odd number >= 1: etcd keeps quorum with a majority of its members"],
      ['RocksMQ in cluster mode', { mode: VectorStoreMode.CLUSTER, messageStream: MessageStream.rocksmq() },
        "message stream rocksmq of vector store 'docs' works in standalone mode only: use MessageStream.woodpecker(), MessageStream.pulsar() or MessageStream.kafka() in cluster mode"],
      ['Woodpecker before Milvus 2.6', { image: ContainerImage.of({ repository: 'milvusdb/milvus', tag: 'v2.5.16', source: 'test', checked: '2026-12-02' }) },
        "message stream woodpecker of vector store 'docs' needs Milvus 2.6 or later; image 'milvusdb/milvus:v2.5.16' is 2.5: use MessageStream.pulsar() or MessageStream.kafka() (or MessageStream.rocksmq() in standalone mode)"],
      ['a name that is too long', { name: 'a'.repeat(41) },
        `'name' (${'a'.repeat(41)}) of a vector store must be at most 40 characters: the operator derives Service, etcd and pod names from it`],
      ['a bucket name S3 refuses', { storage: { bucketName: 'Docs_Vectors' } },
        "'storage.bucketName' (Docs_Vectors) of vector store 'docs' must be an S3 bucket name: 3-63 lower-case letters, digits, '.' or '-'"],
      ['bucket settings on an existing bucket', { storage: { createBucket: false, bucketName: 'shared-vectors', versioned: true } },
        "'storage.removalPolicy' and 'storage.versioned' of vector store 'docs' apply to a bucket the store creates, not to the existing bucket 'shared-vectors'"],
      ['a prefix with a leading slash', { storage: { prefix: '/milvus' } },
        "'storage.prefix' (/milvus) of vector store 'docs' must be an S3 key prefix without leading or trailing '/', e.g. milvus/docs"],
      ['components in standalone mode', { components: { queryNode: { replicas: 2 } } },
        "'components' of vector store 'docs' apply to VectorStoreMode.CLUSTER; in standalone mode use 'standalone'"],
      ['standalone resources in cluster mode', { mode: VectorStoreMode.CLUSTER, standalone: {} },
        "'standalone' of vector store 'docs' applies to VectorStoreMode.STANDALONE; in cluster mode size each of 'components'"],
      ['two standalone replicas', { standalone: { replicas: 2 } },
        "'standalone.replicas' (2) of vector store 'docs' must be 1: a standalone Milvus runs one pod; use VectorStoreMode.CLUSTER to scale"],
      ['zero query nodes', { mode: VectorStoreMode.CLUSTER, components: { queryNode: { replicas: 0 } } },
        "'components.queryNode.replicas' (0) of vector store 'docs' must be an integer >= 1"],
      ['an etcd volume under 1 GiB', { etcd: { storage: Size.mebibytes(512) } },
        "'etcd.storage' (0 GiB) of vector store 'docs' must be at least 1 GiB"],
    ])('%s', (_what, options, message) => {
      // GIVEN
      const platform = testPlatform();

      // WHEN / THEN
      expect(() => store(options, platform)).toThrow(message);
    });

    test('a client allowed twice', () => {
      // GIVEN
      const s = store();
      s.allowFrom('rag', FlowPeer.teams());

      // WHEN / THEN
      expect(() => s.allowFrom('rag', FlowPeer.teams())).toThrow("client 'rag' of vector store 'docs' is allowed twice");
    });
  });
});
