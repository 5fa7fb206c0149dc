import { Construct } from 'constructs';
import { Testing } from 'cdk8s';
import { HelmChartVersion, HelmComponent, KubernetesComponent, PlatformDefinition, Stage } from '../../lib';
import { testDefinition } from '../util';

const CHART = HelmChartVersion.of({
  chart: 'demo',
  repository: 'https://charts.example.com',
  version: '1.2.3',
  source: 'example/demo@v1.2.3:Chart.yaml',
  checked: '2026-11-24',
});

/** A Kubernetes component named after its id (lower-cased). */
function kube(scope: Construct, id: string, stage: Stage): KubernetesComponent {
  return new KubernetesComponent(scope, id, { name: id.toLowerCase(), stage, description: id });
}

/** A Helm component named after its id (lower-cased), in namespace 'demo'. */
function helm(scope: Construct, id: string, stage: Stage): HelmComponent {
  return new HelmComponent(scope, id, { name: id.toLowerCase(), namespace: 'demo', stage, description: id, chart: CHART });
}

/** The names of the definition's components, in apply order. */
function order(definition: PlatformDefinition): string[] {
  return definition.components.map((c) => c.componentName);
}

describe('PlatformDefinition', () => {
  describe('props', () => {
    test('exposes cluster name, region and Kubernetes version', () => {
      // GIVEN / WHEN
      const definition = new PlatformDefinition({ clusterName: 'prod', region: 'eu-west-1', kubernetesVersion: '1.35' });

      // THEN
      expect(definition.clusterName).toBe('prod');
      expect(definition.region).toBe('eu-west-1');
      expect(definition.kubernetesVersion).toBe('1.35');
    });

    test('has no components when empty', () => {
      // GIVEN / WHEN
      const definition = testDefinition();

      // THEN
      expect(definition.components).toEqual([]);
    });
  });

  describe('of', () => {
    test('returns the definition a nested construct belongs to', () => {
      // GIVEN
      const definition = testDefinition();
      const component = kube(definition, 'App', Stage.WORKLOADS);

      // WHEN
      const child = new Construct(component, 'Child');

      // THEN
      expect(PlatformDefinition.ofConstruct(child)).toBe(definition);
    });

    test('throws for a construct outside any definition', () => {
      // GIVEN
      const chart = Testing.chart();

      // WHEN / THEN
      expect(() => PlatformDefinition.ofConstruct(chart)).toThrow('construct is not part of a PlatformDefinition');
    });
  });

  describe('components', () => {
    test('orders components by stage, whatever the creation order', () => {
      // GIVEN
      const definition = testDefinition();
      kube(definition, 'Workload', Stage.WORKLOADS);
      kube(definition, 'Config', Stage.CONFIGURATION);
      helm(definition, 'Controller', Stage.CONTROLLERS);
      helm(definition, 'Crds', Stage.CRDS);

      // WHEN / THEN
      expect(order(definition)).toEqual(['crds', 'controller', 'config', 'workload']);
    });

    test('keeps creation order within a stage', () => {
      // GIVEN
      const definition = testDefinition();
      kube(definition, 'B', Stage.WORKLOADS);
      kube(definition, 'A', Stage.WORKLOADS);
      kube(definition, 'C', Stage.WORKLOADS);

      // WHEN / THEN
      expect(order(definition)).toEqual(['b', 'a', 'c']);
    });

    test('puts a dependency of the same stage first, even when created later', () => {
      // GIVEN
      const definition = testDefinition();
      const app = kube(definition, 'App', Stage.WORKLOADS);
      const db = kube(definition, 'Db', Stage.WORKLOADS);

      // WHEN
      app.addDependency(db);

      // THEN
      expect(order(definition)).toEqual(['db', 'app']);
    });

    test('orders a chain of same-stage dependencies', () => {
      // GIVEN
      const definition = testDefinition();
      const a = kube(definition, 'A', Stage.WORKLOADS);
      const b = kube(definition, 'B', Stage.WORKLOADS);
      const c = kube(definition, 'C', Stage.WORKLOADS);

      // WHEN
      a.addDependency(b);
      b.addDependency(c);

      // THEN
      expect(order(definition)).toEqual(['c', 'b', 'a']);
    });

    test('allows a dependency on an earlier stage', () => {
      // GIVEN
      const definition = testDefinition();
      const store = kube(definition, 'Store', Stage.CONFIGURATION);
      const operator = helm(definition, 'Operator', Stage.CONTROLLERS);

      // WHEN
      store.addDependency(operator);

      // THEN
      expect(order(definition)).toEqual(['operator', 'store']);
    });

    test('lists each component once', () => {
      // GIVEN
      const definition = testDefinition();
      const a = kube(definition, 'A', Stage.WORKLOADS);
      const b = kube(definition, 'B', Stage.WORKLOADS);
      const c = kube(definition, 'C', Stage.WORKLOADS);

      // WHEN
      a.addDependency(c);
      b.addDependency(c);

      // THEN
      expect(order(definition)).toEqual(['c', 'a', 'b']);
    });

    test('finds components nested below other constructs', () => {
      // GIVEN
      const definition = testDefinition();
      const group = new Construct(definition, 'Group');

      // WHEN
      kube(group, 'Nested', Stage.WORKLOADS);

      // THEN
      expect(order(definition)).toEqual(['nested']);
    });

    test('ignores plain constructs that are not components', () => {
      // GIVEN
      const definition = testDefinition();
      kube(definition, 'App', Stage.WORKLOADS);

      // WHEN
      new Construct(definition, 'Other');

      // THEN
      expect(order(definition)).toEqual(['app']);
    });
  });

  describe('validation', () => {
    test('rejects a dependency cycle', () => {
      // GIVEN
      const definition = testDefinition();
      const a = kube(definition, 'A', Stage.WORKLOADS);
      const b = kube(definition, 'B', Stage.WORKLOADS);
      a.addDependency(b);
      b.addDependency(a);

      // WHEN / THEN
      expect(() => definition.components).toThrow('components depend on each other in a cycle: a -> b -> a');
    });

    test('rejects a longer dependency cycle, naming every member', () => {
      // GIVEN
      const definition = testDefinition();
      const a = kube(definition, 'A', Stage.WORKLOADS);
      const b = kube(definition, 'B', Stage.WORKLOADS);
      const c = kube(definition, 'C', Stage.WORKLOADS);
      a.addDependency(b);
      b.addDependency(c);
      c.addDependency(a);

      // WHEN / THEN
      expect(() => definition.components).toThrow('components depend on each other in a cycle: a -> b -> c -> a');
    });

    test('rejects a component that depends on itself', () => {
      // GIVEN
      const definition = testDefinition();
      const a = kube(definition, 'A', Stage.WORKLOADS);
      a.addDependency(a);

      // WHEN / THEN
      expect(() => definition.components).toThrow('components depend on each other in a cycle: a -> a');
    });

    test('rejects a dependency on a later stage', () => {
      // GIVEN
      const definition = testDefinition();
      const crds = helm(definition, 'Crds', Stage.CRDS);
      const app = kube(definition, 'App', Stage.WORKLOADS);
      crds.addDependency(app);

      // WHEN / THEN
      expect(() => definition.components).toThrow("component 'crds' (stage crds) depends on 'app' of the later stage workloads");
    });

    test('rejects two components with the same name', () => {
      // GIVEN
      const definition = testDefinition();
      new KubernetesComponent(definition, 'First', { name: 'app', stage: Stage.WORKLOADS, description: 'first' });
      new HelmComponent(definition, 'Second', { name: 'app', namespace: 'demo', stage: Stage.CONTROLLERS, description: 'second', chart: CHART });

      // WHEN / THEN
      expect(() => definition.components).toThrow("component name 'app' is used twice (First and Second); names must be unique");
    });

    test('names nested paths in the duplicate-name error', () => {
      // GIVEN
      const definition = testDefinition();
      kube(definition, 'App', Stage.WORKLOADS);
      const group = new Construct(definition, 'Group');
      kube(group, 'App', Stage.WORKLOADS);

      // WHEN / THEN
      expect(() => definition.components).toThrow("component name 'app' is used twice (App and Group/App); names must be unique");
    });
  });
});
