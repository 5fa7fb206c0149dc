import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { celRuleProblem, describeWithSchemas, expectValidK8sObjects, SCHEMAS_DIR, validateK8sObject } from './k8s-schema';

function deployment(spec: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'apps', labels: { 'app.kubernetes.io/name': 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'web' } },
        spec: {
          containers: [{
            name: 'web',
            image: 'nginx:1.27',
            ports: [{ containerPort: 8080, name: 'http' }],
            resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { 'nvidia.com/gpu': 1 } },
          }],
        },
      },
      ...spec,
    },
  };
}

function nodePool(overrides: { requirements?: unknown[]; budgets?: unknown[]; template?: Record<string, unknown> } = {}) {
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name: 'gpu' },
    spec: {
      template: {
        metadata: { labels: { 'agentic-eks/pool': 'gpu' } },
        spec: {
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
          requirements: overrides.requirements ?? [
            { key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['p5', 'g6e'] },
            { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
            { key: 'karpenter.k8s.aws/instance-gpu-count', operator: 'Gt', values: ['0'] },
          ],
          taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }],
          expireAfter: '720h',
          ...overrides.template,
        },
      },
      disruption: {
        consolidationPolicy: 'WhenEmpty',
        consolidateAfter: '5m',
        budgets: overrides.budgets ?? [{ nodes: '10%' }, { nodes: '0', schedule: '0 9 * * mon-fri', duration: '8h' }],
      },
      limits: { 'cpu': '1000', 'nvidia.com/gpu': 64 },
      weight: 10,
    },
  };
}

const externalSecret = {
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  metadata: { name: 'hf-token', namespace: 'models' },
  spec: {
    refreshInterval: '1h',
    secretStoreRef: { kind: 'ClusterSecretStore', name: 'aws-secrets-manager' },
    target: { name: 'hf-token', creationPolicy: 'Owner' },
    data: [{ secretKey: 'token', remoteRef: { key: 'agentic-eks/hf-token', property: 'token' } }],
  },
};

const argoApplication = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'platform', namespace: 'argocd' },
  spec: {
    project: 'default',
    source: { repoURL: 'https://github.com/example/agentic-eks-gitops.git', targetRevision: 'main', path: 'dist/platform' },
    destination: { server: 'https://kubernetes.default.svc', namespace: 'platform' },
    syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'] },
  },
};

const httpRoute = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'llm', namespace: 'serving' },
  spec: {
    parentRefs: [{ name: 'inference-gateway' }],
    rules: [{
      matches: [{ path: { type: 'PathPrefix', value: '/v1' } }],
      backendRefs: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'llama' }],
    }],
  },
};

describeWithSchemas('validateK8sObject: core kinds', () => {
  test('a valid Deployment passes', () => {
    expect(validateK8sObject(deployment())).toEqual([]);
  });

  test('an unknown field fails and names its path', () => {
    expect(validateK8sObject(deployment({ replica: 1 }))).toEqual(['unknown field "spec.replica"']);
  });

  test('unknown fields deep inside referenced definitions fail too', () => {
    const obj = deployment();
    Object.assign(obj.spec.template.spec.containers[0], { imagePullPolicyy: 'Always' });
    expect(validateK8sObject(obj)).toEqual(['unknown field "spec.template.spec.containers[0].imagePullPolicyy"']);
  });

  test('a wrong type fails with its path', () => {
    const obj = deployment({ replicas: '2' });
    expect(validateK8sObject(obj)).toEqual(['spec.replicas: must be integer']);
  });

  test('IntOrString accepts a string or an integer, nothing else', () => {
    const service = (targetPort: unknown) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort }] },
    });
    expect(validateK8sObject(service('http'))).toEqual([]);
    expect(validateK8sObject(service(8080))).toEqual([]);
    expect(validateK8sObject(service(true))).toEqual(['spec.ports[0].targetPort: must be string or integer']);
  });

  test('apiVersion, kind and metadata.name are required', () => {
    expect(validateK8sObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} })).toEqual(['metadata.name: required']);
    expect(validateK8sObject({ metadata: { name: 'x' } })).toEqual(['apiVersion: required', 'kind: required']);
    expect(validateK8sObject('ConfigMap')).toEqual(['a Kubernetes object must be a mapping, got string']);
  });

  test('names and labels the API server would reject fail', () => {
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'My_Config', labels: { team: 'a b' } } };
    expect(validateK8sObject(obj)).toEqual([
      'metadata.name: "My_Config" must be a DNS-1123 subdomain (lowercase alphanumerics, \'-\' and \'.\', at most 253)',
      'metadata.labels["team"]: value "a b" must be at most 63 alphanumerics, \'-\', \'_\' or \'.\', starting and ending with an alphanumeric',
    ]);
  });

  test('an unknown kind fails', () => {
    expect(validateK8sObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }))
      .toEqual(['no schema for example.com/v1 Widget']);
    expect(validateK8sObject({ apiVersion: 'v1', kind: 'Deployment', metadata: { name: 'w' } }))
      .toEqual(['no schema for v1 Deployment']);
  });
});

describeWithSchemas('validateK8sObject: custom kinds', () => {
  test('a valid Karpenter NodePool passes', () => {
    expect(validateK8sObject(nodePool())).toEqual([]);
  });

  test('a NodePool with an unknown field fails', () => {
    expect(validateK8sObject(nodePool({ template: { nodeClass: 'default' } })))
      .toEqual(['unknown field "spec.template.spec.nodeClass"']);
  });

  test('CRD metadata is validated as ObjectMeta', () => {
    const obj = { ...nodePool(), metadata: { name: 'gpu', label: { a: 'b' } } };
    expect(validateK8sObject(obj)).toEqual(['unknown field "metadata.label"']);
  });

  test('a disruption budget with a schedule but no duration fails through CEL', () => {
    expect(validateK8sObject(nodePool({ budgets: [{ nodes: '0', schedule: '@daily' }] }))).toEqual([
      'spec.disruption.budgets: \'schedule\' must be set with \'duration\' (rule: self.all(x, has(x.schedule) == has(x.duration)))',
    ]);
  });

  test('a requirement on a restricted label domain fails through CEL (the AWS copy of the CRD is used)', () => {
    const errors = validateK8sObject(nodePool({ requirements: [{ key: 'karpenter.k8s.aws/foo', operator: 'Exists' }] }));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^spec\.template\.spec\.requirements\[0\]\.key: label domain "karpenter\.k8s\.aws" is restricted \(rule: /);
  });

  test('a valid External Secrets ExternalSecret passes', () => {
    expect(validateK8sObject(externalSecret)).toEqual([]);
  });

  test('a version the CRD no longer serves fails', () => {
    expect(validateK8sObject({ ...externalSecret, apiVersion: 'external-secrets.io/v1beta1' })).toEqual([
      'external-secrets.io/v1beta1 ExternalSecret is not served by its CRD (external-secrets/external-secrets.io_externalsecrets.yaml)',
    ]);
  });

  test('a valid Argo CD Application passes', () => {
    expect(validateK8sObject(argoApplication)).toEqual([]);
  });

  test('CEL sees schema defaults and escaped names (Gateway API parentRefs use __namespace__)', () => {
    expect(validateK8sObject(httpRoute)).toEqual([]);
  });

  test('CEL regexes are read as RE2 ((?i) flags), has() works on indexed values', () => {
    const grpcRoute = (rules: number, matchesPerRule: number) => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GRPCRoute',
      metadata: { name: 'tools', namespace: 'agents' },
      spec: {
        parentRefs: [{ name: 'agent-gateway' }],
        rules: Array.from({ length: rules }, () => ({
          matches: Array.from({ length: matchesPerRule }, () => ({ method: { service: 'tools.v1.Search' } })),
        })),
      },
    });
    expect(validateK8sObject(grpcRoute(2, 2))).toEqual([]);
    const errors = validateK8sObject(grpcRoute(16, 9));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^spec\.rules: While 16 rules and 64 matches per rule are allowed, the total number of matches/);
  });

  test('Kubernetes quantity() is available to CEL rules', () => {
    const trafficPolicy = (maxRequestSize: string | number) => ({
      apiVersion: 'gateway.kgateway.dev/v1alpha1',
      kind: 'TrafficPolicy',
      metadata: { name: 'uploads' },
      spec: { buffer: { maxRequestSize } },
    });
    expect(validateK8sObject(trafficPolicy('64Mi'))).toEqual([]);
    expect(validateK8sObject(trafficPolicy(1024))).toEqual([]);
    expect(validateK8sObject(trafficPolicy('5Gi'))).toEqual([
      expect.stringMatching(/^spec\.buffer\.maxRequestSize: maxRequestSize must be greater than 0 and less than 4Gi/),
    ]);
  });

  test('the input object is not modified (defaults go to a copy)', () => {
    const obj = nodePool();
    const before = JSON.stringify(obj);
    validateK8sObject(obj);
    expect(JSON.stringify(obj)).toEqual(before);
  });

  test('every CEL rule in the stored CRDs can be evaluated (none is silently skipped)', () => {
    const problems = storedCelRules().filter((rule) => !/\boldSelf\b/.test(rule))
      .map((rule) => ({ rule, problem: celRuleProblem(rule) }))
      .filter((r) => r.problem !== undefined);
    expect(problems).toEqual([]);
  });

  test('a rule using an unknown function is reported, not skipped', () => {
    expect(celRuleProblem('self.frobnicate()')).toMatch(/^unsupported by the validator: /);
  });
});

describeWithSchemas('expectValidK8sObjects', () => {
  test('returns quietly for valid objects', () => {
    expect(() => expectValidK8sObjects([deployment(), nodePool(), externalSecret, argoApplication])).not.toThrow();
  });

  test('throws one error listing every problem with apiVersion/kind/name', () => {
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    expect(() => expectValidK8sObjects([deployment({ replica: 1 }), nodePool(), widget]))
      .toThrow([
        '2 Kubernetes schema error(s) in 3 object(s):',
        '  apps/v1/Deployment/web: unknown field "spec.replica"',
        '  example.com/v1/Widget/w: no schema for example.com/v1 Widget',
      ].join('\n'));
  });

  test('validates 1,000 objects quickly once schemas are compiled', () => {
    const objs = Array.from({ length: 250 }, () => [deployment(), nodePool(), externalSecret, httpRoute]).flat();
    expectValidK8sObjects(objs.slice(0, 4)); // compile outside the timed part
    const start = process.hrtime.bigint();
    expectValidK8sObjects(objs);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    expect(ms).toBeLessThan(2000);
  });
});

/** Every `x-kubernetes-validations` rule of every CRD stored under SCHEMAS_DIR (kubernetes/ excluded). */
function storedCelRules(): string[] {
  const rules = new Set<string>();
  const collect = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(collect);
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'x-kubernetes-validations' && Array.isArray(value)) value.forEach((v) => typeof v?.rule === 'string' && rules.add(v.rule));
      else collect(value);
    }
  };
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && full !== path.join(SCHEMAS_DIR, 'kubernetes')) walk(full);
      else if (entry.name.endsWith('.yaml')) yaml.loadAll(fs.readFileSync(full, 'utf8')).forEach(collect);
    }
  };
  walk(SCHEMAS_DIR);
  return [...rules];
}
