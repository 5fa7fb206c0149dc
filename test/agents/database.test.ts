import { Size } from 'aws-cdk-lib';
import { AgentsDatabase, AgentsDatabaseKind } from '../../lib';

describe('AgentsDatabase', () => {
  test('inCluster: 10 GiB on the default StorageClass unless given', () => {
    const d = AgentsDatabase.inCluster();
    expect([d.kind, d.storage!.toGibibytes(), d.storageClass]).toEqual([AgentsDatabaseKind.IN_CLUSTER, 10, undefined]);
    const e = AgentsDatabase.inCluster({ storage: Size.gibibytes(50), storageClass: 'gp3' });
    expect([e.storage!.toGibibytes(), e.storageClass]).toEqual([50, 'gp3']);
  });

  test('external: the URL secret name', () => {
    expect(AgentsDatabase.external().urlSecret).toBe('kagent-database-url');
    expect(AgentsDatabase.external({ urlSecret: 'rds-kagent' })).toMatchObject({ kind: AgentsDatabaseKind.EXTERNAL, urlSecret: 'rds-kagent' });
  });

  test('errors', () => {
    expect(() => AgentsDatabase.inCluster({ storage: Size.mebibytes(512) })).toThrow("'storage' (512Mi) of the kagent database must be at least 1Gi");
    expect(() => AgentsDatabase.external({ urlSecret: 'RDS' })).toThrow("'urlSecret' (RDS) must be a DNS subdomain");
  });
});
