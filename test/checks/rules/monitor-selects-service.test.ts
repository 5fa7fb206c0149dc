import { RuleStatus } from '../../../lib';
import { MONITOR_SELECTS_SERVICE } from '../../../lib/checks/rules/monitor-selects-service';
import { addComponent, check, definition, deployment, service } from '../fixtures';

function serviceMonitor(name: string, namespace: string, selector: Record<string, string>, port: string, namespaceSelector?: Record<string, unknown>) {
  return {
    apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name, namespace },
    spec: { selector: { matchLabels: selector }, endpoints: [{ port }], ...(namespaceSelector ? { namespaceSelector } : {}) },
  };
}

describe('monitor-selects-service', () => {
  test('compliant: ServiceMonitor (other namespace via matchNames) and PodMonitor select and name existing ports', () => {
    // GIVEN
    const def = definition();
    addComponent(def, 'app', [
      deployment('api', 'apps', { app: 'api' }),
      service('api', 'apps', { app: 'api' }, [{ name: 'http', port: 80, targetPort: 'http' }], { app: 'api' }),
      serviceMonitor('api', 'monitoring', { app: 'api' }, 'http', { matchNames: ['apps'] }),
      { apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', metadata: { name: 'api', namespace: 'apps' }, spec: { selector: { matchLabels: { app: 'api' } }, podMetricsEndpoints: [{ port: 'http' }] } },
    ]);
    // WHEN / THEN
    expect(check(MONITOR_SELECTS_SERVICE, def)).toEqual({ status: RuleStatus.COMPLIANT, messages: [] });
  });

  test('non-compliant: a ServiceMonitor outside the Service namespace, a missing port name, a PodMonitor without pods', () => {
    // GIVEN
    const def = definition();
    addComponent(def, 'app', [
      deployment('api', 'apps', { app: 'api' }),
      service('api', 'apps', { app: 'api' }, [{ name: 'http', port: 80, targetPort: 'http' }], { app: 'api' }),
      serviceMonitor('api', 'monitoring', { app: 'api' }, 'http'),
      serviceMonitor('api-metrics', 'apps', { app: 'api' }, 'metrics'),
      { apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', metadata: { name: 'web', namespace: 'apps' }, spec: { selector: { matchLabels: { app: 'web' } }, podMetricsEndpoints: [{ port: 'http' }] } },
    ]);
    // WHEN / THEN
    expect(check(MONITOR_SELECTS_SERVICE, def)).toEqual({
      status: RuleStatus.NON_COMPLIANT,
      messages: [
        "ServiceMonitor 'monitoring/api' selects no Service (selector app=api in namespace 'monitoring'); fix: match the labels of the Service to scrape, or set namespaceSelector",
        "ServiceMonitor 'apps/api-metrics' endpoint port 'metrics' is not a port name of Service 'apps/api' (ports: http); fix: use a named port of the Service",
        "PodMonitor 'apps/web' selects no pods (selector app=web in namespace 'apps'); fix: match the pod labels of the workload to scrape, or set namespaceSelector",
      ],
    });
  });
});
