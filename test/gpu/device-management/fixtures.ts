/**
 * Fixtures of the device-management tests: Helm values are not schema-validated, but the fragments that the charts
 * copy verbatim into pod specs (affinity, tolerations, nodeSelector) and ConfigMaps are; these wrap them in
 * minimal objects for `expectValidK8sObjects`.
 */

/** A minimal DaemonSet whose pod spec carries the given scheduling fragments. */
export function daemonSetWith(name: string, scheduling: { affinity?: unknown; tolerations?: unknown; nodeSelector?: unknown }): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'probe' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'probe', image: 'registry.k8s.io/pause:3.10' }], ...scheduling },
      },
    },
  };
}

/** A ConfigMap with the given data. */
export function configMapWith(name: string, data: unknown): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'probe' }, data };
}
