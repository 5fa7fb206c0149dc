import { Size } from 'aws-cdk-lib';
import { k8s } from 'cdk8s-plus-34';
import { ContainerResources, Cpu } from '../../core/units';
import {
  SandboxTemplateSpecPodTemplate, SandboxTemplateSpecPodTemplateSpecContainersResourcesLimits,
  SandboxTemplateSpecPodTemplateSpecContainersResourcesRequests, SandboxTemplateSpecPodTemplateSpecVolumesEmptyDirSizeLimit,
} from '../../../imports/agent-sandbox-sandboxtemplate-extensions.agents.x-k8s.io';
import { memoryQuantity } from '../../core/private/quantities';
import { check, checkDnsLabel, checkLiteral } from '../../core/validation';
import { FlowPeer, FlowPort } from '../../network/flow';
import { urlDestination } from '../../network/service-url';
import { ContainerImage } from '../../versions';

/**
 * The RuntimeClass sandbox pods run under: a second kernel boundary between untrusted code and the node. Open set:
 * the RuntimeClass names the usual installers create, or {@link SandboxRuntime.of}. The node image (or an installer
 * such as gVisor's containerd shim or kata-deploy) must provide the runtime handler and the `RuntimeClass` object;
 * the platform does neither: pods naming a RuntimeClass that does not exist are rejected at admission, and pods on
 * nodes without the handler fail to start. EKS-optimized AMIs ship neither gVisor nor Kata.
 * @see https://gvisor.dev/docs/user_guide/containerd/quick_start/
 * @see https://github.com/kata-containers/kata-containers/tree/main/tools/packaging/kata-deploy
 */
export class SandboxRuntime {
  /** gVisor (`runsc`), RuntimeClass `gvisor` (the name gVisor's documentation uses). */
  public static readonly GVISOR = new SandboxRuntime('gvisor');
  /** Kata Containers with QEMU, RuntimeClass `kata-qemu` (created by kata-deploy); needs nested virtualization or metal. */
  public static readonly KATA_QEMU = new SandboxRuntime('kata-qemu');
  /** Kata Containers with Firecracker, RuntimeClass `kata-fc` (created by kata-deploy); needs metal instances. */
  public static readonly KATA_FIRECRACKER = new SandboxRuntime('kata-fc');

  /** Any other RuntimeClass by name. */
  public static of(runtimeClassName: string): SandboxRuntime {
    return new SandboxRuntime(runtimeClassName);
  }

  /** The RuntimeClass name (`runtimeClassName` of the pods). */
  public readonly runtimeClassName: string;

  private constructor(runtimeClassName: string) {
    checkLiteral('runtimeClassName', runtimeClassName);
    check(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(runtimeClassName),
      `'runtimeClassName' (${runtimeClassName}) must be a RuntimeClass name: lower-case letters, digits, '-' or '.'`);
    this.runtimeClassName = runtimeClassName;
  }
}

/**
 * A destination sandbox pods may reach. Sandbox namespaces are default-deny (DNS only): every egress is declared,
 * and becomes a network flow `sandbox-template-<template>-to-<egress>` (`sandbox-<sandbox>-to-<egress>`).
 */
export class SandboxEgress {
  /**
   * HTTPS to anywhere (package indexes, public APIs). NetworkPolicies cannot filter by host name: this is any address
   * on TCP 443, in-cluster Services listening on 443 included.
   */
  public static internet(): SandboxEgress {
    return new SandboxEgress('internet', FlowPeer.internet(), [FlowPort.tcp(443)], 'HTTPS to the internet');
  }

  /**
   * What a URL leads to: every pod of the namespace of an in-cluster Service URL (`http://<svc>.<ns>.svc:<port>`), else
   * the internet, on the URL's port.
   * @param name a DNS label naming the destination in the flow name
   */
  public static toUrl(name: string, url: string): SandboxEgress {
    const target = urlDestination(`egress '${name}' URL`, url);
    return new SandboxEgress(name, target.peer, target.ports, url);
  }

  /**
   * Pods or addresses on given ports.
   * @param name a DNS label naming the destination in the flow name
   */
  public static toPeer(name: string, peer: FlowPeer, ports: FlowPort[]): SandboxEgress {
    check(ports.length > 0, `egress '${name}' of a sandbox needs at least one port`);
    return new SandboxEgress(name, peer, [...ports], peer.toString());
  }

  /** Name of the destination (in the flow name). */
  public readonly name: string;
  /** Destination. */
  public readonly peer: FlowPeer;
  /** Destination ports. */
  public readonly ports: FlowPort[];
  /** What the destination is, for the flow's description. */
  public readonly target: string;

  private constructor(name: string, peer: FlowPeer, ports: FlowPort[], target: string) {
    checkDnsLabel('egress name', name);
    this.name = name;
    this.peer = peer;
    this.ports = ports;
    this.target = target;
  }
}

/** The pod of a sandbox: one container of an image that runs untrusted code (a code interpreter, a tool runtime). */
export interface SandboxPodOptions {
  /** Image of the sandbox container (pinned). It must run as a non-root user id. */
  readonly image: ContainerImage;
  /** Entrypoint. @default - the image's */
  readonly command?: string[];
  /** Arguments. @default - the image's */
  readonly args?: string[];
  /** Literal environment variables (no secrets: sandboxes run untrusted code). @default - none */
  readonly env?: Record<string, string>;
  /** Port the sandbox serves its API on (e.g. a code interpreter's HTTP API), named `http`. @default - none */
  readonly port?: number;
  /**
   * CPU, memory and ephemeral-storage requests and limits: limits bound what the untrusted code can take.
   * @default - requests 250m CPU / 512Mi, limits 1 CPU / 1Gi memory / 2Gi ephemeral storage
   */
  readonly resources?: ContainerResources;
  /** RuntimeClass (gVisor, Kata) the pods run under. @default - the nodes' default runtime (runc): no extra kernel boundary */
  readonly runtime?: SandboxRuntime;
  /** User (and group, and fsGroup) id the container runs as. @default 1000 */
  readonly runAsUser?: number;
  /** Writable paths (emptyDirs on the node's disk), the root filesystem being read-only. @default ['/tmp'] */
  readonly scratchPaths?: string[];
  /** Size limit of each writable path. @default Size.gibibytes(1) */
  readonly scratchSize?: Size;
  /**
   * Mount the namespace's default ServiceAccount token. Sandboxed code should not talk to the Kubernetes API.
   * @default false
   */
  readonly mountServiceAccountToken?: boolean;
  /** Node selector, e.g. the label of a NodePool whose nodes provide the runtime. @default - none */
  readonly nodeSelector?: Record<string, string>;
  /** Tolerations, e.g. of the taint of that NodePool. @default - none */
  readonly tolerations?: k8s.Toleration[];
  /** Where the sandbox may connect to (DNS is always allowed). @default - nowhere */
  readonly egress?: SandboxEgress[];
}

const DEFAULT_RESOURCES: ContainerResources = {
  cpu: { request: Cpu.millis(250), limit: Cpu.cores(1) },
  memory: { request: Size.mebibytes(512), limit: Size.gibibytes(1) },
  ephemeralStorage: { limit: Size.gibibytes(2) },
};

/** The container name of every sandbox pod. */
export const SANDBOX_CONTAINER = 'sandbox';

/** Checks the pod options of sandbox `what` (e.g. `sandbox template 'python'`). */
export function checkSandboxPod(what: string, o: SandboxPodOptions): void {
  if (o.port !== undefined) {
    check(Number.isInteger(o.port) && o.port >= 1 && o.port <= 65535, `'port' (${o.port}) of ${what} must be an integer from 1 to 65535`);
  }
  const uid = o.runAsUser ?? 1000;
  check(Number.isInteger(uid) && uid >= 1, `'runAsUser' (${uid}) of ${what} must be a non-root user id (an integer >= 1)`);
  for (const p of o.scratchPaths ?? ['/tmp']) {
    check(/^\/[^\s]*[^/\s]$/.test(p) && !p.split('/').includes('..'), `'scratchPaths' entry '${p}' of ${what} must be an absolute path such as /tmp`);
  }
  const scratch = o.scratchPaths ?? ['/tmp'];
  check(new Set(scratch).size === scratch.length, `'scratchPaths' of ${what} lists a path twice`);
  check((o.scratchSize ?? Size.gibibytes(1)).toMebibytes() >= 1, `'scratchSize' of ${what} must be at least 1Mi`);
  for (const name of Object.keys(o.env ?? {})) {
    check(/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name), `environment variable '${name}' of ${what} must be a C identifier-like name`);
  }
  const egress = (o.egress ?? []).map((e) => e.name);
  const twice = egress.find((e, i) => egress.indexOf(e) !== i);
  check(twice === undefined, `egress '${twice}' of ${what} is declared twice`);
}

/**
 * The pod template of a sandbox under the restricted Pod Security profile: non-root user, RuntimeDefault seccomp, no
 * privilege escalation, every capability dropped, read-only root filesystem with size-limited emptyDirs at the
 * scratch paths, no ServiceAccount token, no Service links, the RuntimeClass if any.
 */
export function sandboxPodTemplate(o: SandboxPodOptions, labels: Record<string, string>): SandboxTemplateSpecPodTemplate {
  const uid = o.runAsUser ?? 1000;
  const r = o.resources ?? DEFAULT_RESOURCES;
  const requests: Record<string, SandboxTemplateSpecPodTemplateSpecContainersResourcesRequests> = {};
  const limits: Record<string, SandboxTemplateSpecPodTemplateSpecContainersResourcesLimits> = {};
  const req = (v: string) => SandboxTemplateSpecPodTemplateSpecContainersResourcesRequests.fromString(v);
  const lim = (v: string) => SandboxTemplateSpecPodTemplateSpecContainersResourcesLimits.fromString(v);
  const size = (s: Size) => String(memoryQuantity(s).value);
  if (r.cpu?.request) requests.cpu = req(r.cpu.request.toString());
  if (r.cpu?.limit) limits.cpu = lim(r.cpu.limit.toString());
  if (r.memory?.request) requests.memory = req(size(r.memory.request));
  if (r.memory?.limit) limits.memory = lim(size(r.memory.limit));
  if (r.ephemeralStorage?.request) requests['ephemeral-storage'] = req(size(r.ephemeralStorage.request));
  if (r.ephemeralStorage?.limit) limits['ephemeral-storage'] = lim(size(r.ephemeralStorage.limit));
  const scratch = o.scratchPaths ?? ['/tmp'];
  const scratchSize = SandboxTemplateSpecPodTemplateSpecVolumesEmptyDirSizeLimit.fromString(size(o.scratchSize ?? Size.gibibytes(1)));
  const env = Object.entries(o.env ?? {}).map(([name, value]) => ({ name, value }));
  return {
    metadata: { labels: { ...labels } },
    spec: {
      automountServiceAccountToken: o.mountServiceAccountToken ?? false,
      enableServiceLinks: false,
      runtimeClassName: o.runtime?.runtimeClassName,
      securityContext: { runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, fsGroup: uid, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: SANDBOX_CONTAINER,
        image: o.image.uri,
        command: o.command !== undefined ? [...o.command] : undefined,
        args: o.args !== undefined ? [...o.args] : undefined,
        env: env.length > 0 ? env : undefined,
        ports: o.port !== undefined ? [{ name: 'http', containerPort: o.port, protocol: 'TCP' }] : undefined,
        resources: {
          ...(Object.keys(requests).length > 0 ? { requests } : {}),
          ...(Object.keys(limits).length > 0 ? { limits } : {}),
        },
        securityContext: {
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
          privileged: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          seccompProfile: { type: 'RuntimeDefault' },
        },
        volumeMounts: scratch.map((mountPath, i) => ({ name: `scratch-${i}`, mountPath })),
      }],
      volumes: scratch.map((_p, i) => ({ name: `scratch-${i}`, emptyDir: { sizeLimit: scratchSize } })),
      nodeSelector: o.nodeSelector !== undefined ? { ...o.nodeSelector } : undefined,
      tolerations: o.tolerations?.map((t) => ({ ...t })),
    },
  };
}
