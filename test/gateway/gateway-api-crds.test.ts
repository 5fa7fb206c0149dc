import { Stage } from '../../lib';
import { ensureGatewayApiCrds, GATEWAY_API_VERSION } from '../../lib/gateway';
import { expectValidK8sObjects } from '../k8s-schema';
import { find, objects, testDefinition } from '../util';

const URL = 'https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.6.1/standard-install.yaml';

describe('ensureGatewayApiCrds', () => {
  test('applies the pinned standard-install.yaml with a Job at stage CRDS', () => {
    // GIVEN
    const definition = testDefinition();

    // WHEN
    const crds = ensureGatewayApiCrds(definition);

    // THEN
    expect(GATEWAY_API_VERSION).toBe('v1.6.1');
    expect(crds.componentName).toBe('gateway-api-crds');
    expect(crds.stage).toBe(Stage.CRDS);
    expect(crds.urls).toEqual([URL]);
    const job = find(objects(crds), 'Job', crds.jobName);
    expect(job.spec.template.spec.containers[0].args).toEqual(['apply', '--server-side', '--force-conflicts', '-f', URL]);
  });

  test('is created once per definition', () => {
    // GIVEN
    const definition = testDefinition();

    // WHEN / THEN
    expect(ensureGatewayApiCrds(definition)).toBe(ensureGatewayApiCrds(definition));
  });

  test('emits valid Kubernetes objects', () => {
    // GIVEN / WHEN
    const crds = ensureGatewayApiCrds(testDefinition());

    // THEN
    expectValidK8sObjects(objects(crds));
  });
});
