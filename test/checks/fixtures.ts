import { ApiObject } from 'cdk8s';
import { KubernetesComponent, PlatformDefinition, RuleStatus, Stage } from '../../lib';
import { IPlatformRule } from '../../lib/checks/rule';
import { ClusterModel } from '../../lib/checks/model';
import { testDefinition } from '../util';

/** A raw Kubernetes object for check tests. */
export type RawObject = Record<string, unknown> & { apiVersion: string; kind: string; metadata: Record<string, unknown> };

/** Adds a KubernetesComponent holding `objs` to the definition. */
export function addComponent(
  def: PlatformDefinition, name: string, objs: RawObject[], options: { namespace?: string; stage?: Stage } = {},
): KubernetesComponent {
  const c = new KubernetesComponent(def, name, {
    name, namespace: options.namespace, stage: options.stage ?? Stage.WORKLOADS, description: `${name} for tests`,
  });
  objs.forEach((o, i) => new ApiObject(c, `o${i}`, o));
  return c;
}

/** A one-container pod spec. */
export function podSpec(extra: Record<string, unknown> = {}, container: Record<string, unknown> = {}): Record<string, unknown> {
  return { containers: [{ name: 'app', image: 'app:1', ports: [{ name: 'http', containerPort: 8000 }], ...container }], ...extra };
}

/** A Deployment with pod labels `labels`. */
export function deployment(name: string, namespace: string, labels: Record<string, string>, spec: Record<string, unknown> = podSpec()): RawObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec } },
  };
}

/** A Service selecting `selector`. */
export function service(name: string, namespace: string, selector: Record<string, string>, ports: Record<string, unknown>[], labels: Record<string, string> = {}): RawObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, labels }, spec: { selector, ports } };
}

/** A fresh test definition. */
export function definition(): PlatformDefinition {
  return testDefinition();
}

/** Runs one rule on a definition: its status and finding messages. */
export function check(rule: IPlatformRule, def: PlatformDefinition): { status: RuleStatus; messages: string[] } {
  const r = rule.evaluate(ClusterModel.of(def));
  return { status: r.status, messages: r.findings.map((f) => f.message) };
}
