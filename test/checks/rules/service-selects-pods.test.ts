import { RuleStatus } from '../../../lib';
import { SERVICE_SELECTS_PODS } from '../../../lib/checks/rules/service-selects-pods';
import { addComponent, check, definition, deployment, podSpec, service } from '../fixtures';

describe('service-selects-pods', () => {
  test('compliant: the Service selects the Deployment and its named and numbered targetPorts exist', () => {
    // GIVEN
    const def = definition();
    addComponent(def, 'app', [
      deployment('api', 'apps', { app: 'api' }),
      service('api', 'apps', { app: 'api' }, [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'alt', port: 81, targetPort: 8000 }]),
    ]);
    // WHEN / THEN
    expect(check(SERVICE_SELECTS_PODS, def)).toEqual({ status: RuleStatus.COMPLIANT, messages: [] });
  });

  test('compliant: an undeclared numbered targetPort is accepted when the pods declare no ports', () => {
    // GIVEN
    const def = definition();
    addComponent(def, 'app', [
      deployment('api', 'apps', { app: 'api' }, podSpec({}, { ports: undefined })),
      service('api', 'apps', { app: 'api' }, [{ port: 80, targetPort: 9999 }]),
    ]);
    // WHEN / THEN
    expect(check(SERVICE_SELECTS_PODS, def).status).toBe(RuleStatus.COMPLIANT);
  });

  test('non-compliant: a Service that selects no pods', () => {
    // GIVEN
    const def = definition();
    addComponent(def, 'app', [
      deployment('api', 'apps', { app: 'api' }),
      service('api', 'apps', { app: 'apii' }, [{ name: 'http', port: 80, targetPort: 'http' }]),
    ]);
    // WHEN / THEN
    expect(check(SERVICE_SELECTS_PODS, def)).toEqual({
      status: RuleStatus.NON_COMPLIANT,
      messages: ["Service 'apps/api' selects no pods (selector app=apii); pod templates in 'apps': Deployment 'apps/api' (app=api); fix: make the selector match the workload's pod labels"],
    });
  });

  test('non-compliant: targetPort names and numbers the pods do not declare', () => {
    // GIVEN
    const def = definition();
    addComponent(def, 'app', [
      deployment('api', 'apps', { app: 'api' }),
      service('api', 'apps', { app: 'api' }, [{ name: 'metrics', port: 9090, targetPort: 'metrics' }, { name: 'alt', port: 81, targetPort: 8001 }]),
    ]);
    // WHEN / THEN
    expect(check(SERVICE_SELECTS_PODS, def).messages).toEqual([
      "Service 'apps/api' port 'metrics' (9090) targets port name 'metrics', which Deployment 'apps/api' does not declare (declared: http/8000); fix: set targetPort to a container port of the selected pods",
      "Service 'apps/api' port 'alt' (81) targets port 8001, which no container of Deployment 'apps/api' declares (declared: http/8000); fix: set targetPort to a container port of the selected pods",
    ]);
  });

  test('selects LeaderWorkerSet leader pods by the labels the LWS controller adds', () => {
    // GIVEN
    const def = definition();
    const tpl = { metadata: { labels: { app: 'big' } }, spec: podSpec() };
    addComponent(def, 'app', [
      { apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet', metadata: { name: 'big', namespace: 'm' }, spec: { leaderWorkerTemplate: { leaderTemplate: tpl, workerTemplate: tpl } } },
      service('big', 'm', { 'leaderworkerset.sigs.k8s.io/name': 'big', 'leaderworkerset.sigs.k8s.io/worker-index': '0' }, [{ port: 8000, targetPort: 'http' }]),
    ]);
    // WHEN / THEN
    expect(check(SERVICE_SELECTS_PODS, def).status).toBe(RuleStatus.COMPLIANT);
  });

  test('not applicable without Services', () => {
    expect(check(SERVICE_SELECTS_PODS, definition()).status).toBe(RuleStatus.NOT_APPLICABLE);
  });
});
