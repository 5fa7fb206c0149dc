import { App, Aws, Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Template } from 'aws-cdk-lib/assertions';
import { prerenderedManifest } from '../../lib/rendering/private/prerendered-manifest';

/** A stack with an imported cluster (its kubectl provider imported too); `prune` as the cluster's option. */
function stackWithCluster(prune?: boolean): { stack: Stack; cluster: eks.ICluster } {
  const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-west-2' } });
  const kubectlProvider = eks.KubectlProvider.fromKubectlProviderAttributes(stack, 'Provider', {
    serviceToken: 'arn:aws:lambda:us-west-2:111111111111:function:kubectl',
  });
  const cluster = eks.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'test', kubectlProvider, prune });
  return { stack, cluster };
}

/** Objects with labels, without labels, without metadata, and an item without a kind (left alone by the prune label). */
function objects(): Record<string, unknown>[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'models', labels: { team: 'a' } } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'models' }, data: { text: 'a "quoted" {{ value }}\n', n: '1' } },
    { apiVersion: 'v1', kind: 'ConfigMap', data: { empty: '' } },
    { note: 'no kind' },
  ];
}

/** The properties of the one KubernetesResource of a stack, the prune label's address replaced by ADDR. */
function manifestProperties(stack: Stack): Record<string, unknown> {
  const resources = Template.fromStack(stack).findResources('Custom::AWSCDK-EKS-KubernetesResource');
  const [resource] = Object.values(resources);
  return JSON.parse(JSON.stringify(resource.Properties).replace(/aws\.cdk\.eks\/prune-[0-9a-f]{42}/g, 'aws.cdk.eks/prune-ADDR'));
}

describe('prerenderedManifest', () => {
  test.each([
    ['the default (prune on)', undefined],
    ['prune off', false],
  ])('writes the same template as eks.KubernetesManifest, %s', (_, prune) => {
    // GIVEN the same objects, once through eks.KubernetesManifest and once prerendered
    const reference = stackWithCluster(prune);
    new eks.KubernetesManifest(reference.stack, 'Manifest', { cluster: reference.cluster, manifest: objects() });
    const pre = stackWithCluster(prune);

    // WHEN
    prerenderedManifest(pre.stack, 'Manifest', pre.cluster, objects());

    // THEN
    expect(manifestProperties(pre.stack)).toEqual(manifestProperties(reference.stack));
    expect(Template.fromStack(pre.stack).toJSON()).toEqual(Template.fromStack(reference.stack).toJSON());
  });

  test('labels the objects with the prune label the construct declares', () => {
    // GIVEN
    const { stack, cluster } = stackWithCluster();

    // WHEN
    const manifest = prerenderedManifest(stack, 'Manifest', cluster, objects());

    // THEN
    const props = Object.values(Template.fromStack(stack).findResources('Custom::AWSCDK-EKS-KubernetesResource'))[0].Properties;
    expect(props.PruneLabel).toBe(`aws.cdk.eks/prune-${manifest.node.addr}`);
    const applied = JSON.parse(props.Manifest) as Record<string, any>[];
    expect(applied[0].metadata.labels).toEqual({ [props.PruneLabel]: '', team: 'a' });
    expect(applied[2].metadata).toEqual({ labels: { [props.PruneLabel]: '' } });
    expect(applied[3]).toEqual({ note: 'no kind' });
  });

  test('leaves the objects it is given unchanged', () => {
    // GIVEN
    const { stack, cluster } = stackWithCluster();
    const given = objects();

    // WHEN
    prerenderedManifest(stack, 'Manifest', cluster, given);
    Template.fromStack(stack);

    // THEN
    expect(given).toEqual(objects());
  });

  test('objects that carry a CDK token take the construct\'s own token-aware serialization', () => {
    // GIVEN an object whose data is a CloudFormation reference
    const make = () => [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { account: Aws.ACCOUNT_ID, text: 'say "hi"' } }];
    const reference = stackWithCluster();
    new eks.KubernetesManifest(reference.stack, 'Manifest', { cluster: reference.cluster, manifest: make() });
    const pre = stackWithCluster();
    const withToken = make();
    expect(Token.isUnresolved(withToken[0].data.account)).toBe(true);

    // WHEN
    prerenderedManifest(pre.stack, 'Manifest', pre.cluster, withToken);

    // THEN the Manifest is a Fn::Join around the reference, as with the construct, and the given objects are unchanged
    const manifest = manifestProperties(pre.stack).Manifest;
    expect(manifest).toEqual(manifestProperties(reference.stack).Manifest);
    expect(JSON.stringify(manifest)).toContain('"Ref":"AWS::AccountId"');
    expect((withToken[0].metadata as Record<string, unknown>).labels).toBeUndefined();
  });
});
