import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, ApiObjectProps } from 'cdk8s';
import { Construct } from 'constructs';
import * as yaml from 'js-yaml';
import { KubernetesComponent, Stage } from './component';
import { packageFile } from './private/package-files';
import { PlatformValidationError, check } from './validation';

const CRD_BUNDLE = Symbol.for('agentic-eks.CrdBundleComponent');
const CRD_API_VERSION = 'apiextensions.k8s.io/v1';
const CRD_KIND = 'CustomResourceDefinition';

/** Folder of the package that holds the shipped CRD files, one subfolder per upstream project and release. */
export const PACKAGED_CRDS_FOLDER = 'crds';

/**
 * The absolute path of a CRD file shipped with this package under `crds/` (see `crds/SOURCES.md` for where each
 * comes from), e.g. `packagedCrdFile('gateway-api-v1.6.1', 'gateway.networking.k8s.io_gateways.yaml')`.
 */
export function packagedCrdFile(...segments: string[]): string {
  const file = packageFile(PACKAGED_CRDS_FOLDER, ...segments);
  check(fs.existsSync(file), `CRD file '${segments.join('/')}' is not shipped with the package (looked for ${file})`);
  return file;
}

/** Props of a {@link CrdBundleComponent}. */
export interface CrdBundleProps {
  /** Component name (DNS label): the GitOps folder, the Argo CD Application and the Helm release of the CDK rendering. */
  readonly name: string;
  /** One line for dist/README.md. */
  readonly description: string;
  /**
   * YAML files holding `apiextensions.k8s.io/v1` CustomResourceDefinitions (one or more documents each), read at
   * synthesis and applied as they are. Absolute paths; {@link packagedCrdFile} resolves the files shipped with this
   * package.
   */
  readonly files: string[];
}

/**
 * CustomResourceDefinitions applied as plain objects, read at synthesis from YAML files (the upstream files shipped
 * with the package): nothing is downloaded at deploy time, so a private cluster without internet access installs
 * them too. Stage CRDS. The GitOps rendering writes them to `dist/<name>/` (Argo CD applies them server-side, so no
 * `last-applied-configuration` annotation hits the 256 KiB limit); the CDK rendering installs them as a local Helm
 * chart from an S3 asset and waits until they are Established, which keeps them out of the CloudFormation template.
 */
export class CrdBundleComponent extends KubernetesComponent {
  /** True when `x` is a {@link CrdBundleComponent} (cdk8s Chart's own `instanceof` matches every chart). */
  public static isCrdBundle(x: unknown): x is CrdBundleComponent {
    return typeof x === 'object' && x !== null && CRD_BUNDLE in x;
  }

  private readonly _files: string[];
  private readonly _crdNames: string[] = [];

  constructor(scope: Construct, id: string, props: CrdBundleProps) {
    super(scope, id, { name: props.name, stage: Stage.CRDS, description: props.description });
    Object.defineProperty(this, CRD_BUNDLE, { value: true });
    check(props.files.length > 0, `CRD bundle '${props.name}' needs at least one file in 'files'`);
    this._files = [...props.files];
    for (const file of this._files) {
      for (const doc of readCrds(props.name, file)) {
        const crdName = doc.metadata.name;
        check(!this._crdNames.includes(crdName), `CRD '${crdName}' appears twice in CRD bundle '${props.name}' (again in ${file})`);
        this._crdNames.push(crdName);
        new ApiObject(this, crdName, doc);
      }
    }
  }

  /** The files the CRDs were read from. */
  public get files(): string[] {
    return [...this._files];
  }

  /** Names of the CRDs (`<plural>.<group>`), in file order. */
  public get crdNames(): string[] {
    return [...this._crdNames];
  }
}

interface CrdDocument extends ApiObjectProps {
  readonly metadata: { readonly name: string };
}

/** Reads every document of a CRD file; refuses anything but named `apiextensions.k8s.io/v1` CRDs. */
function readCrds(bundle: string, file: string): CrdDocument[] {
  check(path.isAbsolute(file), `file '${file}' of CRD bundle '${bundle}' must be an absolute path`);
  check(fs.existsSync(file), `file '${file}' of CRD bundle '${bundle}' does not exist`);
  let docs: unknown[];
  try {
    docs = yaml.loadAll(fs.readFileSync(file, 'utf-8'));
  } catch (e) {
    throw new PlatformValidationError(`file '${file}' of CRD bundle '${bundle}' is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const crds: CrdDocument[] = [];
  for (const doc of docs) {
    if (doc === null || doc === undefined) continue;
    const o = doc as Record<string, unknown>;
    const meta = (typeof o.metadata === 'object' && o.metadata !== null ? o.metadata : {}) as Record<string, unknown>;
    check(o.apiVersion === CRD_API_VERSION && o.kind === CRD_KIND,
      `file '${file}' of CRD bundle '${bundle}' holds a ${String(o.apiVersion)} ${String(o.kind)}; only ${CRD_API_VERSION} ${CRD_KIND}s are allowed`);
    check(typeof meta.name === 'string' && meta.name !== '', `file '${file}' of CRD bundle '${bundle}' holds a ${CRD_KIND} without metadata.name`);
    crds.push(o as unknown as CrdDocument);
  }
  check(crds.length > 0, `file '${file}' of CRD bundle '${bundle}' holds no ${CRD_KIND}`);
  return crds;
}
