import { Token } from 'aws-cdk-lib';
import { GpuModel, GpuNodePool, ModelOptions, ModelSource, ModelSourceKind, ModelSpec, PlatformStack } from '../../lib';
import { PlatformValidationError } from '../../lib/core/validation';
import { expectValidK8sObjects } from '../k8s-schema';
import { find, objects, testPlatform } from '../util';

const LLAMA_REPO = 'meta-llama/Llama-3.1-8B-Instruct';
const DNS_SUBDOMAIN_RULE = "must be a DNS subdomain: 1-253 lower-case letters, digits, '-' or '.', starting and ending with a letter or digit";
const TOKEN_RULE = 'must be a literal string, not a token: Kubernetes manifests of the GitOps rendering cannot carry CloudFormation tokens';

/** A test platform with an L40S pool. */
function withPool(): { platform: PlatformStack; pool: GpuNodePool } {
  const platform = testPlatform();
  return { platform, pool: platform.gpu.addNodePool('l40s', { gpus: [GpuModel.L40S], limits: { gpus: 64 } }) };
}

/** The vLLM container and pod spec of Llama 3.1 8B (`llama`) loaded from `source`. */
function servedFrom(source: ModelSource, options: Partial<ModelOptions> = {}): { pod: Record<string, any>; container: Record<string, any> } {
  const { platform, pool } = withPool();
  const model = platform.serving.addModel('Llama', { name: 'llama', spec: ModelSpec.LLAMA_3_1_8B, pools: [pool], source, ...options });
  const pod = find(objects(platform.serving.componentOf(model)), 'Deployment', 'llama').spec.template.spec;
  return { pod, container: pod.containers[0] };
}

describe('ModelSource', () => {
  describe('fromHuggingFace', () => {
    test('serves the repository by name, without revision or token by default', () => {
      // GIVEN / WHEN
      const source = ModelSource.fromHuggingFace(LLAMA_REPO);

      // THEN
      expect(source.kind).toBe(ModelSourceKind.HUGGING_FACE);
      expect(source.uri).toBe(LLAMA_REPO);
      expect(source.revision).toBeUndefined();
      expect(source.tokenSecret).toBeUndefined();
      expect(source.claimName).toBeUndefined();
    });

    test('revision and tokenSecret are kept', () => {
      // GIVEN / WHEN
      const source = ModelSource.fromHuggingFace(LLAMA_REPO, { revision: 'v1.0', tokenSecret: { name: 'hf-token', key: 'token' } });

      // THEN
      expect(source.revision).toBe('v1.0');
      expect(source.tokenSecret).toEqual({ name: 'hf-token', key: 'token' });
    });

    test('repositories with dots, dashes and underscores are accepted', () => {
      // GIVEN / WHEN
      const source = ModelSource.fromHuggingFace('Qwen/Qwen2.5-7B_Instruct');

      // THEN
      expect(source.uri).toBe('Qwen/Qwen2.5-7B_Instruct');
    });

    test('in a model: the repository is the first argument, the revision --revision, the token HF_TOKEN', () => {
      // GIVEN / WHEN
      const { container } = servedFrom(ModelSource.fromHuggingFace(LLAMA_REPO, { revision: 'v1.0', tokenSecret: { name: 'hf-token' } }));

      // THEN
      expect(container.args[0]).toBe(LLAMA_REPO);
      expect(container.args[container.args.indexOf('--revision') + 1]).toBe('v1.0');
      expect(container.env).toContainEqual({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'HF_TOKEN' } } });
    });

    test('in a model: a different repository than the spec\'s is served under the spec\'s name', () => {
      // GIVEN / WHEN
      const { container } = servedFrom(ModelSource.fromHuggingFace('org/llama-3.1-8b-finetune'));

      // THEN
      expect(container.args[0]).toBe('org/llama-3.1-8b-finetune');
      expect(container.args[container.args.indexOf('--served-model-name') + 1]).toBe(LLAMA_REPO);
    });

    test.each(['llama', 'a/b/c', 'org/', '/name', 'org/na me'])('a repository %j that is not org/name', (repo) => {
      // GIVEN / WHEN / THEN
      expect(() => ModelSource.fromHuggingFace(repo)).toThrow(`Hugging Face repository (${repo}) must look like 'org/name'`);
    });

    test('a token Secret name that is not a DNS subdomain', () => {
      // GIVEN / WHEN / THEN
      expect(() => ModelSource.fromHuggingFace(LLAMA_REPO, { tokenSecret: { name: 'HF_Token' } }))
        .toThrow(`'tokenSecret.name' (HF_Token) ${DNS_SUBDOMAIN_RULE}`);
    });

    test('a token as token Secret name', () => {
      // GIVEN / WHEN / THEN
      expect(() => ModelSource.fromHuggingFace(LLAMA_REPO, { tokenSecret: { name: Token.asString({ Ref: 'Secret' }) } }))
        .toThrow(`'tokenSecret.name' ${TOKEN_RULE}`);
    });

    test('errors are PlatformValidationErrors', () => {
      // GIVEN / WHEN / THEN
      expect(() => ModelSource.fromHuggingFace('llama')).toThrow(PlatformValidationError);
    });
  });

  describe('fromS3', () => {
    test('builds s3://bucket/prefix without leading or trailing slashes', () => {
      // GIVEN / WHEN
      const source = ModelSource.fromS3('my-models', '/llama/3.1-8b/');

      // THEN
      expect(source.kind).toBe(ModelSourceKind.S3);
      expect(source.uri).toBe('s3://my-models/llama/3.1-8b');
      expect(source.revision).toBeUndefined();
      expect(source.tokenSecret).toBeUndefined();
    });

    test('in a model: the S3 URI is the first argument, loaded with the Run:ai streamer, no HF token', () => {
      // GIVEN / WHEN
      const { container } = servedFrom(ModelSource.fromS3('my-models', 'llama/3.1-8b'));

      // THEN
      expect(container.args[0]).toBe('s3://my-models/llama/3.1-8b');
      expect(container.args[container.args.indexOf('--load-format') + 1]).toBe('runai_streamer');
      expect(container.env.map((e: { name: string }) => e.name)).not.toContain('HF_TOKEN');
    });

    test.each(['My_Models', 'ab', '-models', 'models-'])('a bucket name %j that is not valid', (bucket) => {
      // GIVEN / WHEN / THEN
      expect(() => ModelSource.fromS3(bucket, 'llama')).toThrow(`S3 bucket name (${bucket}) is not a valid bucket name`);
    });
  });

  describe('fromPvc', () => {
    test('serves the path under /models', () => {
      // GIVEN / WHEN
      const source = ModelSource.fromPvc('fsx-models', '/llama/3.1-8b');

      // THEN
      expect(source.kind).toBe(ModelSourceKind.PVC);
      expect(source.uri).toBe('/models/llama/3.1-8b');
      expect(source.claimName).toBe('fsx-models');
    });

    test('in a model: the claim is mounted read-only at /models', () => {
      // GIVEN / WHEN
      const { pod, container } = servedFrom(ModelSource.fromPvc('fsx-models', 'llama/3.1-8b'));

      // THEN
      expect(container.args[0]).toBe('/models/llama/3.1-8b');
      expect(pod.volumes).toContainEqual({ name: 'models', persistentVolumeClaim: { claimName: 'fsx-models', readOnly: true } });
      expect(container.volumeMounts).toContainEqual({ name: 'models', mountPath: '/models', readOnly: true });
    });

    test('a path that climbs out of the volume', () => {
      // GIVEN / WHEN / THEN
      expect(() => ModelSource.fromPvc('fsx-models', 'llama/../../etc')).toThrow("PVC model path (llama/../../etc) must not contain '..'");
    });

    test('a claim name that is not a DNS subdomain', () => {
      // GIVEN / WHEN / THEN
      expect(() => ModelSource.fromPvc('FSx_Models', 'llama')).toThrow(`'claimName' (FSx_Models) ${DNS_SUBDOMAIN_RULE}`);
    });

    test('a token as claim name', () => {
      // GIVEN / WHEN / THEN
      expect(() => ModelSource.fromPvc(Token.asString({ Ref: 'Claim' }), 'llama')).toThrow(`'claimName' ${TOKEN_RULE}`);
    });
  });

  test('models of every source emit objects valid against their schemas (strict, with CEL)', () => {
    // GIVEN
    const { platform, pool } = withPool();
    const sources = [
      ModelSource.fromHuggingFace(LLAMA_REPO, { revision: 'main', tokenSecret: { name: 'hf-token', key: 'token' } }),
      ModelSource.fromS3('my-models', 'llama/3.1-8b'),
      ModelSource.fromPvc('fsx-models', 'llama/3.1-8b'),
    ];

    // WHEN
    const objs = sources.flatMap((source, i) => {
      const model = platform.serving.addModel(`Llama${i}`, { name: `llama-${i}`, spec: ModelSpec.LLAMA_3_1_8B, pools: [pool], source });
      return objects(platform.serving.componentOf(model));
    });

    // THEN
    expect(objs.filter((o) => o.kind === 'Deployment')).toHaveLength(3);
    expectValidK8sObjects(objs);
  });
});
