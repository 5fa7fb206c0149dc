import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ClusterModel } from './model';
import { rec, recs } from './private/selectors';
import { PlatformDefinition } from '../core/platform-definition';

/** What kind of thing the operator must create or do before the first sync. */
export enum PrerequisiteKind {
  /** An AWS Secrets Manager secret with the named JSON keys (the platform reads it through External Secrets). */
  SECRET = 'secret',
  /** An EC2 placement group that a NodePool selects by name. */
  PLACEMENT_GROUP = 'placement-group',
  /** An EC2 capacity reservation (ODCR or Capacity Block) that a NodePool selects. */
  CAPACITY_RESERVATION = 'capacity-reservation',
  /** An existing FSx for Lustre file system that a PersistentVolume mounts by id. */
  FILE_SYSTEM = 'file-system',
  /** A one-time call once the platform is up (e.g. registering teams in LiteLLM's database). */
  ONE_TIME_STEP = 'one-time-step',
}

/** One thing the operator must create or do before (or right after) the first sync. */
export interface Prerequisite {
  /** Kind. */
  readonly kind: PrerequisiteKind;
  /** What to create: the secret's name, the placement group's name, a reservation selector, a step's title. */
  readonly name: string;
  /** Details: the JSON keys of a secret, the tags a reservation must carry, the command of a step. */
  readonly details: string;
  /** Who needs it: the components (and objects) that read it. */
  readonly requiredBy: string[];
}

const EXPLICIT = new WeakMap<PlatformDefinition, Prerequisite[]>();
const GENERATED = new WeakMap<PlatformDefinition, Set<string>>();

/**
 * Records a prerequisite that cannot be read from the emitted objects (e.g. a one-time API call). `scope` is any
 * construct of the platform's definition.
 */
export function addPrerequisite(scope: IConstruct, prerequisite: Prerequisite): void {
  const definition = PlatformDefinition.ofConstruct(scope);
  const list = EXPLICIT.get(definition) ?? [];
  list.push(prerequisite);
  EXPLICIT.set(definition, list);
}

/**
 * Records that the platform's AWS side creates the Secrets Manager secret `awsSecretName` (a generated value), so
 * ExternalSecrets reading it are not prerequisites. `scope` is any construct of the platform's definition.
 */
export function markGeneratedSecret(scope: IConstruct, awsSecretName: string): void {
  const definition = PlatformDefinition.ofConstruct(scope);
  const set = GENERATED.get(definition) ?? new Set<string>();
  set.add(awsSecretName);
  GENERATED.set(definition, set);
}

interface Acc {
  details: Set<string>;
  requiredBy: Set<string>;
}

function add(map: Map<string, Acc>, key: string, detail: string | undefined, by: string): void {
  const acc = map.get(key) ?? { details: new Set<string>(), requiredBy: new Set<string>() };
  if (detail !== undefined) acc.details.add(detail);
  acc.requiredBy.add(by);
  map.set(key, acc);
}

/**
 * Everything the operator must create or do before the first sync, computed from the definition: Secrets Manager
 * secrets that ExternalSecrets read but the stack does not generate (with their JSON keys), placement groups and
 * capacity reservations that EC2NodeClasses select, FSx for Lustre file systems that PersistentVolumes mount by a
 * literal id, and recorded one-time steps. Sorted by kind, then name.
 */
export function computePrerequisites(definition: PlatformDefinition, model: ClusterModel = ClusterModel.of(definition)): Prerequisite[] {
  const generated = GENERATED.get(definition) ?? new Set<string>();
  const secrets = new Map<string, Acc>();
  const groups = new Map<string, Acc>();
  const reservations = new Map<string, Acc>();
  const fileSystems = new Map<string, Acc>();
  for (const o of model.objects) {
    const by = `${o.component.componentName} (${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name})`;
    const spec = rec(o.object.spec);
    if (o.kind === 'ExternalSecret' && o.apiVersion.startsWith('external-secrets.io/')) {
      for (const d of recs(spec.data)) {
        const ref = rec(d.remoteRef);
        if (typeof ref.key !== 'string' || generated.has(ref.key)) continue;
        add(secrets, ref.key, typeof ref.property === 'string' ? ref.property : undefined, by);
      }
      for (const d of recs(spec.dataFrom)) {
        const key = rec(d.extract).key;
        if (typeof key !== 'string' || generated.has(key)) continue;
        add(secrets, key, undefined, by);
      }
    }
    if (o.kind === 'PersistentVolume' && o.apiVersion === 'v1') {
      const csi = rec(spec.csi);
      const attrs = rec(csi.volumeAttributes);
      // A file system the stack creates has a token as its handle: the AWS side makes it, nothing to prepare.
      if (csi.driver === 'fsx.csi.aws.com' && typeof csi.volumeHandle === 'string' && !Token.isUnresolved(csi.volumeHandle)) {
        add(fileSystems, csi.volumeHandle, `DNS name ${String(attrs.dnsname)}, mount name ${String(attrs.mountname)}`, by);
      }
    }
    if (o.kind === 'EC2NodeClass' && o.apiVersion.startsWith('karpenter.k8s.aws/')) {
      const pg = rec(spec.placementGroupSelector);
      if (typeof pg.name === 'string') add(groups, pg.name, undefined, by);
      if (typeof pg.id === 'string') add(groups, pg.id, undefined, by);
      for (const term of recs(spec.capacityReservationSelectorTerms)) {
        if (typeof term.id === 'string') {
          add(reservations, term.id, 'by id', by);
        } else {
          const tags = Object.entries(rec(term.tags)).map(([k, v]) => `${k}=${String(v)}`).sort().join(', ');
          const owner = typeof term.ownerID === 'string' ? `, owner ${term.ownerID}` : '';
          add(reservations, `tags ${tags}${owner}`, `any active reservation with tags ${tags}${owner}`, by);
        }
      }
    }
  }
  const result: Prerequisite[] = [];
  const emit = (kind: PrerequisiteKind, map: Map<string, Acc>, describe: (name: string, details: string[]) => string): void => {
    for (const [name, acc] of [...map.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const details = [...acc.details].sort();
      result.push({ kind, name, details: describe(name, details), requiredBy: [...acc.requiredBy].sort() });
    }
  };
  emit(PrerequisiteKind.SECRET, secrets, (_n, keys) => keys.length > 0
    ? `JSON keys: ${keys.join(', ')}` : 'any JSON keys (read whole with dataFrom)');
  emit(PrerequisiteKind.PLACEMENT_GROUP, groups, () =>
    'an EC2 placement group with this name in the cluster\'s region (strategy cluster for EFA pools)');
  emit(PrerequisiteKind.CAPACITY_RESERVATION, reservations, (_n, d) => d.join('; ') === 'by id'
    ? 'an active capacity reservation with this id, in a subnet/AZ of the cluster' : d.join('; '));
  emit(PrerequisiteKind.FILE_SYSTEM, fileSystems, (_n, d) => `an FSx for Lustre file system in the cluster's VPC (${d.join('; ')}) `
    + 'whose security group admits the cluster security group on TCP 988 and 1018-1023');
  const explicit = [...(EXPLICIT.get(definition) ?? [])].sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
  const order = [
    PrerequisiteKind.SECRET, PrerequisiteKind.PLACEMENT_GROUP, PrerequisiteKind.CAPACITY_RESERVATION, PrerequisiteKind.FILE_SYSTEM,
    PrerequisiteKind.ONE_TIME_STEP,
  ];
  return [...result, ...explicit].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
}

/** The "Before the first sync" section of dist/README.md. */
export function renderPrerequisites(prerequisites: Prerequisite[]): string {
  const lines = [
    '## Before the first sync',
    '',
    'Computed from the platform definition: what the operator must create or do, which the platform cannot create',
    'itself (secret values never appear in code or in this directory). The same list is in `prerequisites.json`.',
    '',
  ];
  if (prerequisites.length === 0) {
    lines.push('Nothing: every secret the platform reads is generated by the AWS side.', '');
    return lines.join('\n');
  }
  lines.push('| # | kind | name | what | required by |', '|---|---|---|---|---|');
  prerequisites.forEach((p, i) => {
    lines.push(`| ${i + 1} | ${p.kind} | \`${p.name}\` | ${p.details.replace(/\|/g, '\\|')} | ${p.requiredBy.join('<br>')} |`);
  });
  lines.push('');
  return lines.join('\n');
}

/** One line per prerequisite, for the synth summary. */
export function summarizePrerequisites(prerequisites: Prerequisite[]): string {
  if (prerequisites.length === 0) return 'No prerequisites before the first sync.';
  const counts = new Map<PrerequisiteKind, number>();
  for (const p of prerequisites) counts.set(p.kind, (counts.get(p.kind) ?? 0) + 1);
  const parts = [...counts.entries()].map(([k, n]) => `${n} ${k}${n > 1 ? 's' : ''}`);
  return `Before the first sync: ${parts.join(', ')} (see "Before the first sync" in dist/README.md and dist/prerequisites.json): ` +
    prerequisites.map((p) => `${p.kind} ${p.name}`).join('; ');
}
