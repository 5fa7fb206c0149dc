import { GpuModel, migProfilesOf } from './catalog';
import { check } from '../core/validation';

/** A MIG profile as the NVIDIA tools name it: `<compute slices>g.<memory>gb`, optionally `+me`. */
const MIG_PROFILE = /^([1-9][0-9]*)g\.[1-9][0-9]*gb(\+me)?$/;
/** A name the MIG manager accepts as a configuration name and as a node-label value. */
const LAYOUT_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.+]{0,61}[A-Za-z0-9])?$/;
/** Compute slices of one GPU (A100, H100, H200, B200). */
const COMPUTE_SLICES = 7;

/**
 * How the GPUs of a pool's nodes are partitioned into MIG devices: a named configuration of NVIDIA's MIG manager
 * (mig-parted), applied on every GPU of a node whose label `nvidia.com/mig.config` names it. The GPU layer writes every
 * pool's layout into the MIG manager configuration of the GPU Operator and sets the label on the pool's nodes.
 *
 * On device-plugin pools the device plugin advertises the slices as `nvidia.com/mig-<profile>` resources; on DRA
 * pools the NVIDIA DRA driver publishes them as `mig.nvidia.com` devices (static MIG: the MIG manager creates the
 * partitions, the driver only hands them out).
 * @see https://docs.nvidia.com/datacenter/cloud-native/gpu-operator/latest/gpu-operator-mig.html
 */
export class MigLayout {
  /** Every GPU split into as many instances of `profile` as it holds, named `all-<profile>` (e.g. `all-1g.10gb`). */
  public static uniform(profile: string): MigLayout {
    checkProfile(profile, `MigLayout.uniform('${profile}')`);
    return new MigLayout(`all-${profile}`, { [profile]: undefined });
  }

  /**
   * Every GPU split into the given instances, e.g. `MigLayout.custom('mixed-3-2-1', { '3g.40gb': 1, '2g.20gb': 1,
   * '1g.10gb': 1 })`. The compute slices must fit one GPU (7); whether the MIG placement rules allow the mix is not
   * checked (UNCERTAIN: the MIG manager rejects impossible placements on the node).
   */
  public static custom(name: string, devices: Readonly<Record<string, number>>): MigLayout {
    check(LAYOUT_NAME.test(name),
      `MIG layout name (${name}) must be a label value: up to 63 letters, digits, '-', '_', '.' or '+', starting and ending with a letter or digit`);
    check(name !== 'all-disabled', `MIG layout name 'all-disabled' is reserved for nodes without MIG`);
    const entries = Object.entries(devices);
    check(entries.length > 0, `MIG layout '${name}' needs at least one profile`);
    let slices = 0;
    for (const [profile, count] of entries) {
      checkProfile(profile, `MIG layout '${name}'`);
      check(Number.isInteger(count) && count >= 1, `count (${count}) of profile '${profile}' in MIG layout '${name}' must be a whole number of at least 1`);
      slices += count * computeSlices(profile);
    }
    check(slices <= COMPUTE_SLICES, `MIG layout '${name}' uses ${slices} compute slices; one GPU has ${COMPUTE_SLICES}`);
    return new MigLayout(name, { ...devices });
  }

  /** Configuration name, the value of the node label `nvidia.com/mig.config`. */
  public readonly name: string;
  /** Profile -> instances per GPU; undefined = as many as the GPU holds (uniform layouts). */
  private readonly devices: Readonly<Record<string, number | undefined>>;

  private constructor(name: string, devices: Record<string, number | undefined>) {
    this.name = name;
    this.devices = devices;
  }

  /** The profiles of the layout. */
  public get profiles(): string[] {
    return Object.keys(this.devices);
  }

  /**
   * The instances per GPU on `gpu` (what the MIG manager's `mig-devices` gets). Throws when the GPU cannot hold the
   * layout; `owner` names the pool in the message.
   */
  public devicesOn(gpu: GpuModel, owner: string): Record<string, number> {
    const offered = migProfilesOf(gpu);
    check(gpu.mig && offered !== undefined,
      `'migLayout' (${this.name}) of ${owner} needs MIG-capable GPUs with a profile table in the catalog; ${gpu.displayName} has none`);
    const out: Record<string, number> = {};
    for (const [profile, count] of Object.entries(this.devices)) {
      const max = offered![profile];
      check(max !== undefined,
        `'migLayout' (${this.name}) of ${owner} uses MIG profile '${profile}', which ${gpu.displayName} does not offer (it offers ${Object.keys(offered!).join(', ')})`);
      check(count === undefined || count <= max,
        `'migLayout' (${this.name}) of ${owner} asks for ${count} x '${profile}' per GPU; ${gpu.displayName} holds at most ${max}`);
      out[profile] = count ?? max;
    }
    return out;
  }
}

function checkProfile(profile: string, where: string): void {
  check(MIG_PROFILE.test(profile), `MIG profile (${profile}) of ${where} must look like '<n>g.<m>gb', e.g. '1g.10gb' or '3g.40gb'`);
}

function computeSlices(profile: string): number {
  return parseInt(MIG_PROFILE.exec(profile)![1], 10);
}
