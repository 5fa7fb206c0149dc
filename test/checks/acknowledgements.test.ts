import { assertPlatformChecks } from '../../lib/checks/run';
import { PlatformValidationError } from '../../lib/core/validation';
import { SERVICE_SELECTS_PODS } from '../../lib/checks/rules/service-selects-pods';
import { acknowledgePlatformCheck } from '../../lib/checks/acknowledgements';
import { evaluatePlatformChecks } from '../../lib/checks/run';
import { addComponent, definition, deployment, service } from './fixtures';

function brokenService() {
  const def = definition();
  addComponent(def, 'app', [deployment('api', 'apps', { app: 'api' }), service('api', 'apps', { app: 'other' }, [{ port: 80 }])]);
  return def;
}

describe('acknowledgePlatformCheck', () => {
  test('an unacknowledged finding fails assertPlatformChecks with [rule-id] message', () => {
    // GIVEN
    const def = brokenService();
    // WHEN / THEN
    expect(() => assertPlatformChecks(def, [SERVICE_SELECTS_PODS])).toThrow(new PlatformValidationError(
      "platform checks failed (1):\n  [service-selects-pods] Service 'apps/api' selects no pods (selector app=other); pod templates in 'apps': Deployment 'apps/api' (app=api); fix: make the selector match the workload's pod labels"));
  });

  test('an acknowledged finding is reported with its reason and no longer fails', () => {
    // GIVEN
    const def = brokenService();
    // WHEN
    acknowledgePlatformCheck(def, 'service-selects-pods', 'pods come from a chart the model does not see', { appliesTo: "Service 'apps/api'" });
    // THEN
    expect(() => assertPlatformChecks(def, [SERVICE_SELECTS_PODS])).not.toThrow();
    const [result] = evaluatePlatformChecks(def, [SERVICE_SELECTS_PODS]);
    expect(result.findings).toEqual([]);
    expect(result.acknowledged.map((a) => a.reason)).toEqual(['pods come from a chart the model does not see']);
  });

  test('appliesTo limits the acknowledgement to matching findings', () => {
    const def = brokenService();
    acknowledgePlatformCheck(def, 'service-selects-pods', 'only the other service is expected', { appliesTo: "Service 'apps/web'" });
    expect(evaluatePlatformChecks(def, [SERVICE_SELECTS_PODS])[0].findings).toHaveLength(1);
  });

  test('errors', () => {
    const def = definition();
    expect(() => acknowledgePlatformCheck(def, 'Bad Id', 'a long enough reason')).toThrow(
      "'ruleId' (Bad Id) of a platform-check acknowledgement must be a rule id such as 'references-exist'");
    expect(() => acknowledgePlatformCheck(def, 'references-exist', 'short')).toThrow(
      "'reason' ('short') of the acknowledgement of 'references-exist' must say why, in at least 10 characters");
  });
});
