import { Aws } from 'aws-cdk-lib';
import { ApiObject, Chart } from 'cdk8s';
import { HelmChartVersion, HelmComponent, HelmComponentProps, KubernetesComponent, KubernetesComponentProps, Stage, syncWave } from '../../lib';
import { expectValidK8sObjects } from '../k8s-schema';
import { objects, testDefinition } from '../util';

const CHART = HelmChartVersion.of({
  chart: 'demo',
  repository: 'https://charts.example.com',
  version: '1.2.3',
  source: 'example/demo@v1.2.3:Chart.yaml',
  checked: '2026-11-24',
});

/** A KubernetesComponent 'app' in a fresh definition; `props` override the defaults. */
function newKubernetesComponent(props: Partial<KubernetesComponentProps> = {}): KubernetesComponent {
  return new KubernetesComponent(testDefinition(), 'App', { name: 'app', stage: Stage.WORKLOADS, description: 'an app', ...props });
}

/** A HelmComponent 'demo' in namespace 'demo' in a fresh definition; `props` override the defaults. */
function newHelmComponent(props: Partial<HelmComponentProps> = {}): HelmComponent {
  return new HelmComponent(testDefinition(), 'Demo', {
    name: 'demo', namespace: 'demo', stage: Stage.CONTROLLERS, description: 'a demo chart', chart: CHART, ...props,
  });
}

describe('syncWave', () => {
  test.each([
    [Stage.CRDS, -30],
    [Stage.CONTROLLERS, -20],
    [Stage.CONFIGURATION, -10],
    [Stage.WORKLOADS, 0],
  ])('stage %s is wave %p', (stage, wave) => {
    // GIVEN / WHEN / THEN
    expect(syncWave(stage)).toBe(wave);
  });
});

describe('KubernetesComponent', () => {
  describe('props', () => {
    test('exposes name, stage and description', () => {
      // GIVEN / WHEN
      const component = newKubernetesComponent({ name: 'rag', stage: Stage.CONFIGURATION, description: 'retrieval' });

      // THEN
      expect(component.componentName).toBe('rag');
      expect(component.stage).toBe(Stage.CONFIGURATION);
      expect(component.description).toBe('retrieval');
    });

    test('namespace is set on the objects it holds', () => {
      // GIVEN
      const component = newKubernetesComponent({ namespace: 'team-a' });

      // WHEN
      new ApiObject(component, 'Config', { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' } });

      // THEN
      expect(component.namespace).toBe('team-a');
      expect(objects(component)[0].metadata).toEqual({ name: 'app-config', namespace: 'team-a' });
    });

    test('generated object names carry no hash by default', () => {
      // GIVEN
      const component = newKubernetesComponent();

      // WHEN
      new ApiObject(component, 'Config', { apiVersion: 'v1', kind: 'ConfigMap' });

      // THEN
      expect(objects(component)[0].metadata).toEqual({ name: 'app-config' });
    });

    test('disableResourceNameHashes false restores cdk8s name hashes', () => {
      // GIVEN
      const component = newKubernetesComponent({ disableResourceNameHashes: false });

      // WHEN
      new ApiObject(component, 'Config', { apiVersion: 'v1', kind: 'ConfigMap' });

      // THEN
      expect((objects(component)[0].metadata as { name: string }).name).toMatch(/^app-config-c[0-9a-f]{7}$/);
    });

    test('isKubernetesComponent tells Kubernetes components from Helm components', () => {
      // GIVEN
      const component = newKubernetesComponent();

      // WHEN / THEN
      expect(KubernetesComponent.isKubernetesComponent(component)).toBe(true);
      expect(KubernetesComponent.isKubernetesComponent(newHelmComponent())).toBe(false);
    });
  });

  describe('dependencies', () => {
    test('has no dependencies by default', () => {
      // GIVEN / WHEN
      const component = newKubernetesComponent();

      // THEN
      expect(component.dependencies).toEqual([]);
    });

    test('addDependency records each component once', () => {
      // GIVEN
      const definition = testDefinition();
      const a = new KubernetesComponent(definition, 'A', { name: 'a', stage: Stage.WORKLOADS, description: 'a' });
      const b = new KubernetesComponent(definition, 'B', { name: 'b', stage: Stage.WORKLOADS, description: 'b' });

      // WHEN
      a.addDependency(b);
      a.addDependency(b);

      // THEN
      expect(a.dependencies).toEqual([b]);
    });

    test('addDependency refuses a construct that is not a component (cdk8s Chart.addDependency takes any construct)', () => {
      // GIVEN
      const definition = testDefinition();
      const a = new KubernetesComponent(definition, 'A', { name: 'a', stage: Stage.WORKLOADS, description: 'a' });
      const plain = new Chart(definition, 'Plain');

      // WHEN / THEN
      expect(() => a.addDependency(plain)).toThrow(
        "'Plain' is not a component of the platform: a component can only depend on components (KubernetesComponent, HelmComponent)");
      expect(a.dependencies).toEqual([]);
    });

    test('dependencies returns a copy', () => {
      // GIVEN
      const definition = testDefinition();
      const a = new KubernetesComponent(definition, 'A', { name: 'a', stage: Stage.WORKLOADS, description: 'a' });
      const b = new KubernetesComponent(definition, 'B', { name: 'b', stage: Stage.WORKLOADS, description: 'b' });
      a.addDependency(b);

      // WHEN
      a.dependencies.pop();

      // THEN
      expect(a.dependencies).toEqual([b]);
    });
  });

  describe('toJsonAll', () => {
    /** A definition with three components: objects out of creation order, a cross-chart dependency, late objects. */
    function threeComponents(): KubernetesComponent[] {
      const definition = testDefinition();
      const a = new KubernetesComponent(definition, 'A', { name: 'a', namespace: 'a', stage: Stage.WORKLOADS, description: 'a' });
      const b = new KubernetesComponent(definition, 'B', { name: 'b', namespace: 'b', stage: Stage.WORKLOADS, description: 'b' });
      const c = new KubernetesComponent(definition, 'C', { name: 'c', namespace: 'c', stage: Stage.WORKLOADS, description: 'c' });
      new ApiObject(a, 'Config', { apiVersion: 'v1', kind: 'ConfigMap', data: { a: '1' } });
      // In b, 'Second' is created first but depends on 'First': cdk8s renders First, then Second.
      const second = new ApiObject(b, 'Second', { apiVersion: 'v1', kind: 'ConfigMap', data: { order: '2' } });
      const first = new ApiObject(b, 'First', { apiVersion: 'v1', kind: 'ConfigMap', data: { order: '1' } });
      second.node.addDependency(first);
      const cm = new ApiObject(c, 'Config', { apiVersion: 'v1', kind: 'ConfigMap', data: { c: '1' } });
      cm.node.addDependency(first);
      c._addLateObjects(() => [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'late' } }]);
      return [a, b, c];
    }

    test('gives every component the objects its toJson() gives, in the same order', () => {
      // GIVEN
      const components = threeComponents();

      // WHEN
      const all = KubernetesComponent._toJsonAll(components);

      // THEN
      expect([...all.keys()]).toEqual(components);
      for (const c of components) expect(all.get(c)).toEqual(c.toJson());
      expect(all.get(components[1])!.map((o) => (o.data as Record<string, string>).order)).toEqual(['1', '2']);
      expect(all.get(components[2])!.map((o) => o.kind)).toEqual(['ConfigMap', 'Namespace']);
    });

    test('prepares the cdk8s App once for all its components, not once per component', () => {
      // GIVEN
      const components = threeComponents();
      const chartToJson = jest.spyOn(Chart.prototype, 'toJson');

      // WHEN
      KubernetesComponent._toJsonAll(components);

      // THEN cdk8s' Chart.toJson() (which prepares the whole App, then renders one chart) ran for the first only
      expect(chartToJson).toHaveBeenCalledTimes(1);
      chartToJson.mockRestore();
    });

    test('components of different definitions are each rendered within their own', () => {
      // GIVEN
      const [a1] = threeComponents();
      const [, b2] = threeComponents();

      // WHEN
      const all = KubernetesComponent._toJsonAll([a1, b2]);

      // THEN
      expect(all.get(a1)).toEqual(a1.toJson());
      expect(all.get(b2)).toEqual(b2.toJson());
    });

    test('a subclass that overrides toJson() keeps its own rendering', () => {
      // GIVEN
      class Custom extends KubernetesComponent {
        public toJson(): Record<string, unknown>[] {
          return [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'custom' } }];
        }
      }
      const [a] = threeComponents();
      const custom = new Custom(a.node.scope!, 'Custom', { name: 'custom', stage: Stage.WORKLOADS, description: 'custom' });

      // WHEN
      const all = KubernetesComponent._toJsonAll([a, custom]);

      // THEN
      expect(all.get(custom)).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'custom' } }]);
    });
  });

  describe('validation', () => {
    test.each(['App', 'my_app', 'a.b', '', 'x'.repeat(64)])('rejects name %p', (name) => {
      // GIVEN / WHEN / THEN
      expect(() => newKubernetesComponent({ name })).toThrow(
        `'name' (${name}) must be a DNS label: 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit`,
      );
    });

    test('rejects an invalid namespace', () => {
      // GIVEN / WHEN / THEN
      expect(() => newKubernetesComponent({ namespace: 'Team_A' })).toThrow(
        "'namespace' (Team_A) must be a DNS label: 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit",
      );
    });

    test('rejects a token as name', () => {
      // GIVEN / WHEN / THEN
      expect(() => newKubernetesComponent({ name: Aws.STACK_NAME })).toThrow(
        "'name' must be a literal string, not a token: Kubernetes manifests of the GitOps rendering cannot carry CloudFormation tokens",
      );
    });
  });

  test('every emitted object is valid against its upstream schema', () => {
    // GIVEN
    const component = newKubernetesComponent({ namespace: 'team-a' });

    // WHEN
    new ApiObject(component, 'Config', { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' } });
    const objs = objects(component);

    // THEN
    expect(objs).toHaveLength(1);
    expectValidK8sObjects(objs);
  });
});

describe('HelmComponent', () => {
  describe('props', () => {
    test('exposes name, namespace, stage, description and chart', () => {
      // GIVEN / WHEN
      const component = newHelmComponent();

      // THEN
      expect(component.componentName).toBe('demo');
      expect(component.namespace).toBe('demo');
      expect(component.stage).toBe(Stage.CONTROLLERS);
      expect(component.description).toBe('a demo chart');
      expect(component.chart).toBe(CHART);
    });

    test('releaseName defaults to the component name', () => {
      // GIVEN / WHEN
      const component = newHelmComponent();

      // THEN
      expect(component.releaseName).toBe('demo');
    });

    test('releaseName sets the Helm release name', () => {
      // GIVEN / WHEN
      const component = newHelmComponent({ releaseName: 'demo-release' });

      // THEN
      expect(component.releaseName).toBe('demo-release');
    });

    test('includesCrds defaults to true', () => {
      // GIVEN / WHEN
      const component = newHelmComponent();

      // THEN
      expect(component.includesCrds).toBe(true);
    });

    test('includesCrds false is kept', () => {
      // GIVEN / WHEN
      const component = newHelmComponent({ includesCrds: false });

      // THEN
      expect(component.includesCrds).toBe(false);
    });

    test('isHelmComponent tells Helm components from other components', () => {
      // GIVEN
      const component = newHelmComponent();

      // WHEN / THEN
      expect(HelmComponent.isHelmComponent(component)).toBe(true);
      expect(HelmComponent.isHelmComponent(newKubernetesComponent())).toBe(false);
    });
  });

  describe('values', () => {
    test('are empty without computed values or overrides', () => {
      // GIVEN / WHEN
      const component = newHelmComponent();

      // THEN
      expect(component.values()).toEqual({});
    });

    test('are the computed values', () => {
      // GIVEN / WHEN
      const component = newHelmComponent({ values: { render: () => ({ replicas: 2, image: { tag: 'v1' } }) } });

      // THEN
      expect(component.values()).toEqual({ replicas: 2, image: { tag: 'v1' } });
    });

    test('are computed when asked for, not at construction', () => {
      // GIVEN
      let replicas = 1;
      const component = newHelmComponent({ values: { render: () => ({ replicas }) } });

      // WHEN
      replicas = 3;

      // THEN
      expect(component.values()).toEqual({ replicas: 3 });
    });

    test('overrides are deep-merged over the computed values', () => {
      // GIVEN / WHEN
      const component = newHelmComponent({
        values: { render: () => ({ image: { repository: 'demo', tag: 'v1' }, replicas: 2 }) },
        valueOverrides: { image: { tag: 'v2' } },
      });

      // THEN
      expect(component.values()).toEqual({ image: { repository: 'demo', tag: 'v2' }, replicas: 2 });
    });

    test('override arrays replace computed arrays', () => {
      // GIVEN / WHEN
      const component = newHelmComponent({
        values: { render: () => ({ tolerations: [{ key: 'a', operator: 'Exists' }] }) },
        valueOverrides: { tolerations: [{ key: 'b', operator: 'Exists' }] },
      });

      // THEN
      expect(component.values()).toEqual({ tolerations: [{ key: 'b', operator: 'Exists' }] });
    });

    test('overrides apply without computed values', () => {
      // GIVEN / WHEN
      const component = newHelmComponent({ valueOverrides: { replicas: 5 } });

      // THEN
      expect(component.values()).toEqual({ replicas: 5 });
    });
  });

  describe('dependencies', () => {
    test('addDependency records each component once', () => {
      // GIVEN
      const definition = testDefinition();
      const crds = new HelmComponent(definition, 'Crds', { name: 'crds', namespace: 'demo', stage: Stage.CRDS, description: 'crds', chart: CHART });
      const controller = new HelmComponent(definition, 'Ctl', { name: 'ctl', namespace: 'demo', stage: Stage.CONTROLLERS, description: 'ctl', chart: CHART });

      // WHEN
      controller.addDependency(crds);
      controller.addDependency(crds);

      // THEN
      expect(controller.dependencies).toEqual([crds]);
    });

    test('dependencies returns a copy', () => {
      // GIVEN
      const definition = testDefinition();
      const crds = new HelmComponent(definition, 'Crds', { name: 'crds', namespace: 'demo', stage: Stage.CRDS, description: 'crds', chart: CHART });
      const controller = new HelmComponent(definition, 'Ctl', { name: 'ctl', namespace: 'demo', stage: Stage.CONTROLLERS, description: 'ctl', chart: CHART });
      controller.addDependency(crds);

      // WHEN
      controller.dependencies.pop();

      // THEN
      expect(controller.dependencies).toEqual([crds]);
    });
  });

  describe('validation', () => {
    test('rejects a missing namespace', () => {
      // GIVEN / WHEN / THEN
      expect(() => newHelmComponent({ namespace: undefined })).toThrow("Helm component 'demo' needs a 'namespace'");
    });

    test('rejects an invalid name', () => {
      // GIVEN / WHEN / THEN
      expect(() => newHelmComponent({ name: 'Demo' })).toThrow(
        "'name' (Demo) must be a DNS label: 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit",
      );
    });

    test('rejects an invalid namespace', () => {
      // GIVEN / WHEN / THEN
      expect(() => newHelmComponent({ namespace: 'kube_system' })).toThrow(
        "'namespace' (kube_system) must be a DNS label: 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit",
      );
    });

    test('rejects an invalid releaseName', () => {
      // GIVEN / WHEN / THEN
      expect(() => newHelmComponent({ releaseName: 'Demo.Release' })).toThrow(
        "'releaseName' (Demo.Release) must be a DNS label: 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit",
      );
    });
  });
});

describe('component identity', () => {
  test('a plain cdk8s Chart inside the definition is not a component', () => {
    const definition = testDefinition();
    const { Chart } = require('cdk8s');
    new Chart(definition, 'Plain1');
    new Chart(definition, 'Plain2');
    expect(KubernetesComponent.isKubernetesComponent(new Chart(definition, 'Plain3'))).toBe(false);
    expect(definition.components).toEqual([]);
  });

  test('addDependency(b, b) records b once', () => {
    const a = newKubernetesComponent({ name: 'a' });
    const b = new HelmComponent(a.node.root as never, 'B', { name: 'b', namespace: 'b', stage: Stage.CRDS, description: 'b', chart: CHART });
    a.addDependency(b, b);
    expect(a.dependencies).toEqual([b]);
  });
});
