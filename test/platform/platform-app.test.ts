import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Size, Stage as CdkStage } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { Cpu, PlatformApp, PlatformStack, PlatformStackProps } from '../../lib';
import { REGION, REPO } from '../util';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tmp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-app-'));
  dirs.push(dir);
  return dir;
}

function platform(scope: Construct, id: string, props: Partial<PlatformStackProps> = {}): PlatformStack {
  const p = new PlatformStack(scope, id, { env: { region: REGION }, clusterName: id.toLowerCase(), gitOps: { repoUrl: REPO }, ...props });
  p.karpenter.addNodePool('general', { limits: { cpu: Cpu.cores(64), memory: Size.gibibytes(256) } });
  return p;
}

/** Runs `fn` with environment variables set (undefined: unset), then restores them. */
function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (v: Record<string, string | undefined>) => {
    for (const [k, value] of Object.entries(v)) {
      if (value === undefined) delete process.env[k]; else process.env[k] = value;
    }
  };
  apply(vars);
  try {
    return fn();
  } finally {
    apply(saved);
  }
}

describe('PlatformApp', () => {
  test('defaults: cdk.out/ and dist/ outside a CLI, $CDK8S_OUTDIR under cdk8s synth, $CDK_OUTDIR under cdk synth', () => {
    withEnv({ CDK_OUTDIR: undefined, CDK8S_OUTDIR: undefined }, () => {
      const app = new PlatformApp();
      expect(path.basename(app.outdir)).toBe('cdk.out');
      expect(app.gitOpsOutdir).toBe('dist');
      expect(app.gitOpsOutputs).toEqual([]);
    });
    withEnv({ CDK_OUTDIR: undefined, CDK8S_OUTDIR: 'out/gitops' }, () => {
      expect(new PlatformApp({ autoSynth: false }).gitOpsOutdir).toBe('out/gitops');
    });
    withEnv({ CDK_OUTDIR: '/tmp/cdk-cli-out', CDK8S_OUTDIR: undefined }, () => {
      expect(new PlatformApp({ autoSynth: false }).outdir).toBe('/tmp/cdk-cli-out');
    });
  });

  test('one synth writes the CloudFormation assembly and the GitOps rendering, once', () => {
    // GIVEN
    const dir = tmp();
    const app = new PlatformApp({ outdir: path.join(dir, 'cdk.out'), gitOpsOutdir: path.join(dir, 'dist') });
    const p = platform(app, 'Platform');
    // WHEN
    const assembly = app.synth();
    // THEN
    expect(assembly.getStackByName(p.stackName).templateFile).toBe('Platform.template.json');
    expect(fs.existsSync(path.join(dir, 'cdk.out', 'Platform.template.json'))).toBe(true);
    const [out] = app.gitOpsOutputs;
    expect(app.gitOpsOutputs).toHaveLength(1);
    expect(out.platform).toBe(p);
    expect(out.outdir).toBe(path.join(dir, 'dist'));
    expect(out.files).toEqual(expect.arrayContaining(['README.md', 'prerequisites.json', 'root/application-platform-root.yaml']));
    for (const f of out.files) expect(fs.existsSync(path.join(dir, 'dist', f))).toBe(true);

    // WHEN synthesized again (e.g. by the CLI's auto-synthesis on exit)
    fs.rmSync(path.join(dir, 'dist'), { recursive: true });
    app.synth();
    // THEN nothing is written twice
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
  });

  test('several platforms: one directory each, named after the stack; platforms without gitOps are skipped', () => {
    // GIVEN
    const dir = tmp();
    const app = new PlatformApp({ outdir: path.join(dir, 'cdk.out'), gitOpsOutdir: path.join(dir, 'dist') });
    platform(app, 'Dev');
    platform(new CdkStage(app, 'Prod'), 'Platform');
    platform(app, 'NoGitOps', { gitOps: undefined });
    // WHEN
    app.synth();
    // THEN
    expect(app.gitOpsOutputs.map((o) => path.relative(dir, o.outdir))).toEqual([path.join('dist', 'Dev'), path.join('dist', 'Prod-Platform')]);
    expect(fs.readdirSync(path.join(dir, 'dist')).sort()).toEqual(['Dev', 'Prod-Platform']);
  });

  test('errors: an empty gitOpsOutdir, the project or a parent, the CloudFormation directory; two platforms with one stack name', () => {
    expect(() => new PlatformApp({ gitOpsOutdir: ' ', autoSynth: false }))
      .toThrow("'gitOpsOutdir' must not be empty: it is the directory of the GitOps rendering");
    for (const dir of ['.', '..', process.cwd()]) {
      expect(() => new PlatformApp({ gitOpsOutdir: dir, autoSynth: false })).toThrow(
        `'gitOpsOutdir' (${dir}) is the working directory or one of its parents: the GitOps rendering replaces its directory, use a subdirectory such as 'dist'`);
    }
    expect(() => new PlatformApp({ outdir: 'out', gitOpsOutdir: 'out/', autoSynth: false }))
      .toThrow("'gitOpsOutdir' (out/) is the CloudFormation output directory: use another directory such as 'dist'");
    const dir = tmp();
    const app = new PlatformApp({ outdir: path.join(dir, 'cdk.out'), gitOpsOutdir: path.join(dir, 'dist') });
    platform(app, 'A', { stackName: 'platform' });
    platform(new CdkStage(app, 'Other'), 'B', { stackName: 'platform' });
    expect(() => app.synth())
      .toThrow(`two platforms are named 'platform': PlatformApp writes each platform's GitOps rendering to '${path.join(dir, 'dist')}/<stack name>'`);
  });
});
