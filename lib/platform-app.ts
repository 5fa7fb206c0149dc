import * as path from 'path';
import { App, AppProps, StageSynthesisOptions } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { PlatformStack } from './platform-stack';
import { check } from './core/validation';

/** Props of {@link PlatformApp}. */
export interface PlatformAppProps extends AppProps {
  /**
   * Directory the GitOps rendering is written to; it is replaced on every synthesis. With several platforms that
   * have `gitOps`, each is written to `<gitOpsOutdir>/<stack name>`. Not the working directory, one of its parents or
   * the CloudFormation output directory.
   * @default - `$CDK8S_OUTDIR` (what `cdk8s synth` sets from cdk8s.yaml's `output`), else 'dist'
   */
  readonly gitOpsOutdir?: string;
}

/** One platform's GitOps rendering written by {@link PlatformApp.synth}. */
export interface PlatformGitOpsOutput {
  /** The platform. */
  readonly platform: PlatformStack;
  /** The directory it was written to. */
  readonly outdir: string;
  /** The written files, relative to `outdir`. */
  readonly files: string[];
}

/**
 * A CDK App that writes both renderings of its platforms in one synthesis: `app.synth()` writes the CloudFormation
 * assembly (`cdk.out/`, for `cdk deploy`) and then the GitOps rendering of every {@link PlatformStack} that has
 * `gitOps` settings (`dist/`, for Argo CD), reusing the model of the cluster the CDK rendering built.
 *
 * The same app works under every entry point: `cdk synth` (cdk.json's `app`: the CLI sets `CDK_OUTDIR`), `cdk8s synth`
 * (cdk8s.yaml's `app`: the CLI sets `CDK8S_OUTDIR`, and the CloudFormation assembly goes to `cdk.out/`) or plain
 * `node`/`ts-node`. Call `app.synth()` at the end of the program; it also runs on exit when a CLI started the app.
 *
 * @example
 * const app = new PlatformApp();
 * new PlatformStack(app, 'Platform', { env: { region: 'us-west-2' }, clusterName: 'agentic', gitOps: { repoUrl } });
 * app.synth(); // cdk.out/ and dist/
 */
export class PlatformApp extends App {
  /** Directory of the GitOps rendering (one platform), or parent of one directory per platform. */
  public readonly gitOpsOutdir: string;
  private _gitOps?: PlatformGitOpsOutput[];

  constructor(props: PlatformAppProps = {}) {
    const underCli = process.env[cxapi.OUTDIR_ENV] !== undefined || process.env.CDK8S_OUTDIR !== undefined;
    super({
      ...props,
      // Outside the CDK CLI, App would synthesize into a temporary directory: write cdk.out/ instead.
      outdir: props.outdir ?? process.env[cxapi.OUTDIR_ENV] ?? 'cdk.out',
      autoSynth: props.autoSynth ?? underCli,
    });
    const outdir = props.gitOpsOutdir ?? process.env.CDK8S_OUTDIR ?? 'dist';
    check(outdir.trim().length > 0, `'gitOpsOutdir' must not be empty: it is the directory of the GitOps rendering`);
    // The rendering replaces its directory: never the project, one of its parents, or the CloudFormation assembly.
    const target = path.resolve(outdir);
    const cwd = path.resolve('.');
    check(!(cwd === target || cwd.startsWith(target + path.sep)),
      `'gitOpsOutdir' (${outdir}) is the working directory or one of its parents: the GitOps rendering replaces its directory, use a subdirectory such as 'dist'`);
    check(target !== path.resolve(this.outdir),
      `'gitOpsOutdir' (${outdir}) is the CloudFormation output directory: use another directory such as 'dist'`);
    this.gitOpsOutdir = outdir;
  }

  /**
   * Synthesizes the CloudFormation assembly, then writes the GitOps rendering of every platform with `gitOps` settings
   * (once per app: later calls return the assembly without writing again).
   */
  public synth(options?: StageSynthesisOptions): cxapi.CloudAssembly {
    const assembly = super.synth(options);
    if (this._gitOps === undefined) {
      this._gitOps = this.writeGitOps();
    }
    return assembly;
  }

  /** The GitOps renderings written by {@link synth}; empty before it ran or when no platform has `gitOps`. */
  public get gitOpsOutputs(): PlatformGitOpsOutput[] {
    return [...(this._gitOps ?? [])];
  }

  private writeGitOps(): PlatformGitOpsOutput[] {
    const platforms = this.node.findAll().filter((c): c is PlatformStack => c instanceof PlatformStack && c.gitOps !== undefined);
    const names = platforms.map((p) => p.stackName);
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    check(twice === undefined,
      `two platforms are named '${twice}': PlatformApp writes each platform's GitOps rendering to '${this.gitOpsOutdir}/<stack name>'`);
    return platforms.map((platform) => {
      const outdir = platforms.length === 1 ? this.gitOpsOutdir : path.join(this.gitOpsOutdir, platform.stackName);
      return { platform, outdir, files: platform.writeGitOps(outdir) };
    });
  }
}
