import * as yaml from 'js-yaml';
import {
  ENDPOINT_PICKER_CONFIG_API_VERSION, endpointPickerConfig, renderEndpointPickerConfig,
} from '../../../../lib/serving/llm-d/private/endpoint-picker-config';

const INPUT = { queueWeight: 2, kvCacheUtilizationWeight: 2, prefixCacheWeight: 3, prefixCacheBlockSize: 16, metricsPath: '/metrics' };

describe('EndpointPickerConfig', () => {
  test('is the llm-d.ai/v1alpha1 file format', () => {
    // GIVEN / WHEN / THEN
    expect(ENDPOINT_PICKER_CONFIG_API_VERSION).toBe('llm-d.ai/v1alpha1');
    expect(endpointPickerConfig(INPUT)).toMatchObject({ apiVersion: 'llm-d.ai/v1alpha1', kind: 'EndpointPickerConfig' });
  });

  test('every profile entry refers to a declared plugin', () => {
    // GIVEN / WHEN
    const config = endpointPickerConfig(INPUT) as { plugins: { type: string }[]; schedulingProfiles: { plugins: { pluginRef: string }[] }[] };

    // THEN
    const declared = config.plugins.map((p) => p.type);
    expect(config.schedulingProfiles[0].plugins.every((p) => declared.includes(p.pluginRef))).toBe(true);
    expect(new Set(declared).size).toBe(declared.length);
  });

  test('without a block size the producer only auto-tunes', () => {
    // GIVEN / WHEN
    const config = endpointPickerConfig({ ...INPUT, prefixCacheBlockSize: undefined }) as { plugins: Record<string, unknown>[] };

    // THEN
    expect(config.plugins[2]).toEqual({ type: 'approx-prefix-cache-producer', parameters: { autoTune: true } });
  });

  test('the metrics path carries over', () => {
    // GIVEN / WHEN
    const config = endpointPickerConfig({ ...INPUT, metricsPath: '/custom' }) as { plugins: Record<string, unknown>[] };

    // THEN
    expect(config.plugins).toContainEqual({ type: 'metrics-data-source', parameters: { scheme: 'http', path: '/custom', insecureSkipVerify: true } });
  });

  test('renders YAML that reads back to the same object', () => {
    // GIVEN / WHEN
    const text = renderEndpointPickerConfig(INPUT);

    // THEN
    expect(text.startsWith('apiVersion: llm-d.ai/v1alpha1\nkind: EndpointPickerConfig\n')).toBe(true);
    expect(yaml.load(text)).toEqual(endpointPickerConfig(INPUT));
  });
});
