import { FlowPeer, VectorStoreMode } from '../../lib';
import { assertPlatformChecks } from '../../lib/checks/run';
import { ClusterModel } from '../../lib/checks/model';
import { PLATFORM_RULES } from '../../lib/checks/pack';
import { addGeneralPool, testPlatform } from '../util';

describe('RetrievalLayer', () => {
  test('no operator until the first vector store; one operator for every store', () => {
    // GIVEN
    const platform = testPlatform();
    expect(platform.retrieval.milvusOperator).toBeUndefined();

    // WHEN
    const a = platform.retrieval.addVectorStore('Docs', { name: 'docs' });
    const b = platform.retrieval.addVectorStore('Tickets', { name: 'tickets', namespace: 'support', mode: VectorStoreMode.CLUSTER });

    // THEN
    const operator = platform.retrieval.milvusOperator!;
    expect(a.component.dependencies).toContain(operator.chart);
    expect(b.component.dependencies).toContain(operator.chart);
    expect(platform.definition.components.filter((c) => c.componentName === 'milvus-operator')).toHaveLength(1);
    expect(platform.retrieval.vectorStores.map((s) => s.storeName)).toEqual(['docs', 'tickets']);
  });

  test('operator options reach the operator', () => {
    // GIVEN
    const platform = testPlatform({ retrieval: { milvusOperator: { namespace: 'vector-ops', monitoring: false } } });

    // WHEN
    platform.retrieval.addVectorStore('Docs', { name: 'docs' });

    // THEN
    const chart = platform.retrieval.milvusOperator!.chart;
    expect(chart.namespace).toBe('vector-ops');
    expect(chart.values().monitoringEnabled).toBe(false);
  });

  test('a platform with vector stores passes the platform checks (CRDs first, flows allowed, names unique)', () => {
    // GIVEN
    const platform = testPlatform();
    addGeneralPool(platform);
    const team = platform.teams.add({ name: 'rag', gpuQuota: 0 });
    const docs = platform.retrieval.addVectorStore('Docs', { name: 'docs' });
    platform.retrieval.addVectorStore('Big', { name: 'big', mode: VectorStoreMode.CLUSTER });

    // WHEN
    docs.allowFrom('team-rag', FlowPeer.inNamespace(team.namespace));

    // THEN
    expect(() => assertPlatformChecks(platform.definition, PLATFORM_RULES, ClusterModel.of(platform.definition))).not.toThrow();
  });

  test('a vector store name is used once', () => {
    // GIVEN
    const platform = testPlatform();
    platform.retrieval.addVectorStore('Docs', { name: 'docs' });

    // WHEN / THEN
    expect(() => platform.retrieval.addVectorStore('Docs2', { name: 'docs', namespace: 'other' })).toThrow(
      "vector store 'docs' is added twice: vector store names must be unique in the platform");
  });
});
