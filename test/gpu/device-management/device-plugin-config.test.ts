import { Token } from 'aws-cdk-lib';
import * as yaml from 'js-yaml';
import {
  DEFAULT_DEVICE_PLUGIN_CONFIG, DEVICE_PLUGIN_CONFIG_NODE_LABEL, MigStrategy,
} from '../../../lib/gpu/device-management/device-plugin-config';
import { devicePluginConfigs } from '../../../lib/gpu/device-management/private/device-plugin-config';

/** The configurations, each parsed from its YAML. */
function parsed(timeSlicing: Record<string, number>, strategy = MigStrategy.MIXED): Record<string, unknown> {
  return Object.fromEntries(Object.entries(devicePluginConfigs(timeSlicing, strategy)).map(([k, v]) => [k, yaml.load(v)]));
}

describe('device plugin configuration', () => {
  test.each([
    [MigStrategy.NONE, 'none'],
    [MigStrategy.SINGLE, 'single'],
    [MigStrategy.MIXED, 'mixed'],
  ])('MigStrategy %p is %p', (strategy, value) => {
    // GIVEN / WHEN / THEN
    expect(strategy).toBe(value);
  });

  test('default config name and node label', () => {
    // GIVEN / WHEN / THEN
    expect(DEFAULT_DEVICE_PLUGIN_CONFIG).toBe('default');
    expect(DEVICE_PLUGIN_CONFIG_NODE_LABEL).toBe('nvidia.com/device-plugin.config');
  });

  test('without time-slicing only the default config exists, without sharing', () => {
    // GIVEN / WHEN
    const configs = parsed({});

    // THEN
    expect(configs).toEqual({ default: { version: 'v1', flags: { migStrategy: 'mixed' } } });
  });

  test('each time-slicing entry is a config sharing nvidia.com/gpu', () => {
    // GIVEN / WHEN
    const configs = parsed({ 'shared-4': 4, 'shared-2': 2 }, MigStrategy.SINGLE);

    // THEN
    expect(configs).toEqual({
      'default': { version: 'v1', flags: { migStrategy: 'single' } },
      'shared-4': {
        version: 'v1',
        flags: { migStrategy: 'single' },
        sharing: { timeSlicing: { resources: [{ name: 'nvidia.com/gpu', replicas: 4 }] } },
      },
      'shared-2': {
        version: 'v1',
        flags: { migStrategy: 'single' },
        sharing: { timeSlicing: { resources: [{ name: 'nvidia.com/gpu', replicas: 2 }] } },
      },
    });
  });

  test('one replica renders no sharing (the plugin rejects time-slicing below 2 replicas)', () => {
    // GIVEN / WHEN
    const configs = parsed({ exclusive: 1 });

    // THEN
    expect(configs.exclusive).toEqual({ version: 'v1', flags: { migStrategy: 'mixed' } });
  });

  test('renders YAML text', () => {
    // GIVEN / WHEN
    const configs = devicePluginConfigs({ 'shared-4': 4 }, MigStrategy.MIXED);

    // THEN
    expect(configs['shared-4']).toBe([
      'version: v1',
      'flags:',
      '  migStrategy: mixed',
      'sharing:',
      '  timeSlicing:',
      '    resources:',
      '      - name: nvidia.com/gpu',
      '        replicas: 4',
      '',
    ].join('\n'));
  });

  describe('validation', () => {
    test.each([0, -1])('rejects %p replicas', (replicas) => {
      // GIVEN / WHEN / THEN
      expect(() => devicePluginConfigs({ shared: replicas }, MigStrategy.MIXED)).toThrow(
        `'timeSlicing.shared' (${replicas}) must be at least 1 replica`,
      );
    });

    test('rejects fractional replicas', () => {
      // GIVEN / WHEN / THEN
      expect(() => devicePluginConfigs({ shared: 2.5 }, MigStrategy.MIXED)).toThrow(
        "'timeSlicing.shared' (2.5) must be a whole number of replicas",
      );
    });

    test('rejects a token as replicas', () => {
      // GIVEN / WHEN / THEN
      expect(() => devicePluginConfigs({ shared: Token.asNumber({ Ref: 'X' }) }, MigStrategy.MIXED)).toThrow(
        "'timeSlicing.shared' must be a literal number, not a token",
      );
    });

    test('rejects the reserved name default', () => {
      // GIVEN / WHEN / THEN
      expect(() => devicePluginConfigs({ default: 4 }, MigStrategy.MIXED)).toThrow(
        "'timeSlicing.default' is reserved for the configuration without sharing; choose another name, e.g. 'shared-4'",
      );
    });

    test.each(['shared 4', '-shared', 'x'.repeat(64), ''])('rejects config name %p', (name) => {
      // GIVEN / WHEN / THEN
      expect(() => devicePluginConfigs({ [name]: 4 }, MigStrategy.MIXED)).toThrow(
        `'timeSlicing' config name '${name}' must be a label value (1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit): nodes pick it with label nvidia.com/device-plugin.config`,
      );
    });
  });
});
