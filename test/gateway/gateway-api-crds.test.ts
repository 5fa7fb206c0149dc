import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { Stage } from '../../lib';
import { ensureGatewayApiCrds, GATEWAY_API_VERSION } from '../../lib/gateway';
import { expectValidK8sObjects } from '../k8s-schema';
import { objects, testDefinition } from '../util';

const ROOT = path.resolve(__dirname, '..', '..');

describe('ensureGatewayApiCrds', () => {
  test('applies the shipped standard-channel CRDs of the pinned release at stage CRDS', () => {
    // GIVEN
    const definition = testDefinition();

    // WHEN
    const crds = ensureGatewayApiCrds(definition);

    // THEN
    expect(GATEWAY_API_VERSION).toBe('v1.6.1');
    expect(crds.componentName).toBe('gateway-api-crds');
    expect(crds.stage).toBe(Stage.CRDS);
    expect(crds.files.map((f) => path.relative(ROOT, f))).toEqual(
      ['gatewayclasses', 'gateways', 'httproutes', 'grpcroutes', 'referencegrants', 'backendtlspolicies', 'listenersets']
        .map((p) => `crds/gateway-api-v1.6.1/gateway.networking.k8s.io_${p}.yaml`));
    const objs = objects(crds);
    expect(objs.map((o) => `${(o.spec as { names: { kind: string } }).names.kind} ${(o.spec as { versions: { name: string }[] }).versions.map((v) => v.name).join(',')}`))
      .toEqual(['GatewayClass v1,v1beta1', 'Gateway v1,v1beta1', 'HTTPRoute v1,v1beta1', 'GRPCRoute v1', 'ReferenceGrant v1,v1beta1',
        'BackendTLSPolicy v1,v1alpha3', 'ListenerSet v1']);
    for (const o of objs) {
      const meta = o.metadata as { annotations: Record<string, string> };
      expect(meta.annotations['gateway.networking.k8s.io/bundle-version']).toBe(GATEWAY_API_VERSION);
      expect(meta.annotations['gateway.networking.k8s.io/channel']).toBe('standard');
    }
  });

  test('the objects are the shipped files, field for field', () => {
    // GIVEN / WHEN
    const crds = ensureGatewayApiCrds(testDefinition());

    // THEN (null fields, which JSON drops, excepted)
    const stored = crds.files.map((f) => JSON.parse(JSON.stringify(yaml.load(fs.readFileSync(f, 'utf-8')), (_, v) => v ?? undefined)));
    expect(objects(crds)).toEqual(stored);
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
