import { ApiObject } from 'cdk8s';
import { HelmChartVersion, HelmComponent, RuleStatus, Stage } from '../../../lib';
import { CRDS_INSTALLED_FIRST } from '../../../lib/checks/rules/crds-installed-first';
import { addComponent, check, definition } from '../fixtures';

const KEDA = HelmChartVersion.of({ chart: 'keda', repository: 'https://kedacore.github.io/charts', version: '2.20.2', source: 'test', checked: '2026-12-02' });
const LANGFUSE = HelmChartVersion.of({ chart: 'langfuse', repository: 'https://langfuse.github.io/langfuse-k8s', version: '2.0.0', source: 'test', checked: '2026-12-02' });

const SCALED = { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 's', namespace: 'apps' }, spec: { scaleTargetRef: { name: 'x' } } };
const WIDGET_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
  spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced', versions: [] },
};
const WIDGET = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'apps' } };

describe('crds-installed-first', () => {
  test('compliant: a Helm chart in an earlier stage, CRD objects in a dependency of the same stage, built-in groups', () => {
    // GIVEN
    const def = definition();
    new HelmComponent(def, 'Keda', { name: 'keda', namespace: 'keda', stage: Stage.CONTROLLERS, description: 'keda', chart: KEDA });
    const crds = addComponent(def, 'widget-crds', [WIDGET_CRD]);
    const app = addComponent(def, 'app', [SCALED, WIDGET, { apiVersion: 'resource.k8s.io/v1', kind: 'DeviceClass', metadata: { name: 'd' } }]);
    app.addDependency(crds);
    // WHEN / THEN
    expect(check(CRDS_INSTALLED_FIRST, def)).toEqual({ status: RuleStatus.COMPLIANT, messages: [] });
  });

  test('non-compliant: no CRD, two owners, same stage without dependency, a chart that creates custom resources', () => {
    // GIVEN
    const def = definition();
    new HelmComponent(def, 'Keda', { name: 'keda', namespace: 'keda', stage: Stage.WORKLOADS, description: 'keda', chart: KEDA });
    new HelmComponent(def, 'Keda2', { name: 'keda-again', namespace: 'keda', stage: Stage.CRDS, description: 'keda', chart: KEDA });
    addComponent(def, 'widget-crds', [WIDGET_CRD]);
    addComponent(def, 'app', [SCALED, WIDGET, { apiVersion: 'example.org/v1', kind: 'Gadget', metadata: { name: 'g' } }]);
    new HelmComponent(def, 'Langfuse', { name: 'langfuse', namespace: 'langfuse', stage: Stage.WORKLOADS, description: 'langfuse', chart: LANGFUSE, values: { render: () => ({ clickhouse: { keeper: { enabled: false } } }) } });
    // WHEN / THEN
    expect(check(CRDS_INSTALLED_FIRST, def).messages).toEqual([
      "CRD ScaledObject.keda.sh (used by ScaledObject 'apps/s') is installed by 2 components: 'keda-again' (chart keda), 'keda' (chart keda); fix: let one component own it (set includesCrds: false on the others)",
      "Widget 'apps/w' (component 'app', stage workloads) is not applied after the CRD Widget.example.com of component 'widget-crds' (stage workloads); fix: install the CRD in an earlier stage, or addDependency('widget-crds') on 'app' within the same stage",
      "Gadget 'g' needs the CRD Gadget.example.org, which no component installs; fix: add the component that installs it (its CRD chart with includesCrds, or the CRD objects) in an earlier stage",
      "ClickHouseCluster (clickhouse.com) of Helm component 'langfuse' needs the CRD ClickHouseCluster.clickhouse.com, which no component installs; fix: add the component that installs it (its CRD chart with includesCrds, or the CRD objects) in an earlier stage",
    ]);
  });

  test('the CRD objects of the same component count as applied with it', () => {
    const def = definition();
    const c = addComponent(def, 'both', [WIDGET_CRD]);
    new ApiObject(c, 'w', WIDGET);
    expect(check(CRDS_INSTALLED_FIRST, def).status).toBe(RuleStatus.COMPLIANT);
  });
});
