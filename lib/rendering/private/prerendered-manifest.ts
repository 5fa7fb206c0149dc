import { CfnResource } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';

/** The prefix of the prune label `eks.KubernetesManifest` adds to every object (`aws.cdk.eks/prune-<ADDR>`). */
const PRUNE_LABEL_PREFIX = 'aws.cdk.eks/prune-';

/**
 * What may stand for a CloudFormation value in JSON text: a string, list or number token of the CDK, or an intrinsic
 * function written as an object. Such objects need the CDK's own, token-aware serialization.
 */
const CFN_VALUE = /\$\{Token\[|#\{Token\[|-1\.888\d*e\+289|\{"Fn::|"Ref":|\{\{resolve:/;

/**
 * An `eks.KubernetesManifest` of `objects` whose template is the same as `new eks.KubernetesManifest(scope, id,
 * { cluster, manifest: objects })` gives, but cheaper to synthesize, and that leaves `objects` unchanged.
 *
 * `KubernetesManifest` keeps its manifest as a token that CDK's token-aware JSON writer renders every time the
 * template is resolved: three times per synthesis for a nested stack (references, the nested stack's asset hash,
 * the template file), walking every object each time, which at hundreds of models is most of `app.synth()`. Here the
 * `Manifest` property is the JSON text of the objects, written once (`JSON.stringify` gives the same text for plain
 * JSON), with the prune label the construct would add (`aws.cdk.eks/prune-<ADDR>`, documented on the `prune` option)
 * on copies of the objects. Objects that carry a CDK token or a CloudFormation intrinsic take the construct's own
 * path instead.
 */
export function prerenderedManifest(
  scope: Construct, id: string, cluster: eks.ICluster, objects: Record<string, unknown>[],
): eks.KubernetesManifest {
  const text = JSON.stringify(objects);
  if (CFN_VALUE.test(text)) {
    // The construct adds its prune label to the objects in place: give it copies.
    return new eks.KubernetesManifest(scope, id, { cluster, manifest: objects.map(copyWithMetadata) });
  }
  const manifest = new eks.KubernetesManifest(scope, id, { cluster, manifest: [] });
  const label = cluster.prune ? `${PRUNE_LABEL_PREFIX}${manifest.node.addr}` : undefined;
  const rendered = label === undefined ? text : JSON.stringify(objects.map((o) => withLabel(o, label)));
  (manifest.node.defaultChild as CfnResource).addPropertyOverride('Manifest', rendered);
  return manifest;
}

/** A copy of a Kubernetes object and of its metadata. */
function copyWithMetadata(o: Record<string, unknown>): Record<string, unknown> {
  return o.metadata === undefined ? { ...o } : { ...o, metadata: { ...(o.metadata as Record<string, unknown>) } };
}

/** A copy of `o` with the prune label first among its labels, as `KubernetesManifest` adds it (objects with a kind). */
function withLabel(o: Record<string, unknown>, label: string): Record<string, unknown> {
  if (typeof o !== 'object' || o === null || !o.kind) return o;
  const metadata = (o.metadata ?? {}) as Record<string, unknown>;
  const labels = (metadata.labels ?? {}) as Record<string, unknown>;
  return { ...o, metadata: { ...metadata, labels: { [label]: '', ...labels } } };
}
