import * as yaml from 'js-yaml';
import { check, isToken } from '../../../core/validation';
import { DEFAULT_DEVICE_PLUGIN_CONFIG, DEVICE_PLUGIN_CONFIG_NODE_LABEL, MigStrategy } from '../device-plugin-config';

/** A Kubernetes label value (the config name is one) that is also a valid ConfigMap key. */
const LABEL_VALUE = /^[A-Za-z0-9]([-_.A-Za-z0-9]{0,61}[A-Za-z0-9])?$/;

/**
 * The device plugin configuration files, by name: {@link DEFAULT_DEVICE_PLUGIN_CONFIG} without sharing plus one
 * time-slicing configuration per entry of `timeSlicing` (config name -> replicas per GPU). Validates the input.
 *
 * One replica means no sharing: the device plugin rejects time-slicing with fewer than 2 replicas
 * (NVIDIA/k8s-device-plugin api/config/v1/replicas.go), so such a config is rendered without a `sharing` section.
 */
export function devicePluginConfigs(timeSlicing: Readonly<Record<string, number>>, migStrategy: MigStrategy): Record<string, string> {
  const configs: Record<string, string> = { [DEFAULT_DEVICE_PLUGIN_CONFIG]: render(migStrategy, 1) };
  for (const [name, replicas] of Object.entries(timeSlicing)) {
    check(name !== DEFAULT_DEVICE_PLUGIN_CONFIG,
      `'timeSlicing.${name}' is reserved for the configuration without sharing; choose another name, e.g. 'shared-4'`);
    check(LABEL_VALUE.test(name),
      `'timeSlicing' config name '${name}' must be a label value (1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit): nodes pick it with label ${DEVICE_PLUGIN_CONFIG_NODE_LABEL}`);
    check(!isToken(replicas), `'timeSlicing.${name}' must be a literal number, not a token`);
    check(Number.isInteger(replicas), `'timeSlicing.${name}' (${replicas}) must be a whole number of replicas`);
    check(replicas >= 1, `'timeSlicing.${name}' (${replicas}) must be at least 1 replica`);
    configs[name] = render(migStrategy, replicas);
  }
  return configs;
}

function render(migStrategy: MigStrategy, replicas: number): string {
  const config: Record<string, unknown> = { version: 'v1', flags: { migStrategy } };
  if (replicas > 1) {
    config.sharing = { timeSlicing: { resources: [{ name: 'nvidia.com/gpu', replicas }] } };
  }
  return yaml.dump(config, { lineWidth: -1 });
}
