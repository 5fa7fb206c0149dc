#!/usr/bin/env node
// The main job (`npm run synth`, run by scripts/run-ts.js): defines the example platform once and writes both
// renderings from this one process: cdk.out/ (CloudFormation, for `cdk deploy`) and dist/ (GitOps, for Argo CD).
// `npm run synth:cdk` (`cdk synth`, bin/app.ts) and `npm run synth:gitops` (`cdk8s synth`, bin/gitops.ts) write the
// same files one rendering at a time, through the CLIs.
//
// aws-cdk-lib's built-in CloudFormation validation (a WebAssembly rule engine run inside `app.synth()`) is off here:
// the tests run cfn-lint over the templates and the platform checks run on every synth. `--cfn-validation` turns it
// back on (`npm run synth -- --cfn-validation`); with it, findings are printed as warnings unless the context key
// `@aws-cdk/core:validateAgainstDefaultRules` is true.
import { buildExamplePlatform } from '../examples/platform';
import { PlatformApp, PlatformReport, REPORT_JSON_FILE, REPORT_MARKDOWN_FILE } from '../lib';
import { computePrerequisites, summarizePrerequisites } from '../lib/checks/prerequisites';

const USAGE = 'usage: npm run synth [-- --cfn-validation]';
const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--cfn-validation');
if (unknown.length > 0) {
  console.error(`unknown argument(s) ${unknown.join(' ')}; ${USAGE}`);
  process.exit(2);
}

const cdkOutdir = process.env.CDK_OUTDIR ?? 'cdk.out';
const gitOpsOutdir = process.env.CDK8S_OUTDIR ?? 'dist';
// PlatformApp: app.synth() writes cdk.out/, then dist/ (what a user's own app does, see README "Your own platform").
const app = new PlatformApp({ outdir: cdkOutdir, gitOpsOutdir, builtinCloudFormationValidation: args.includes('--cfn-validation') });
const platform = buildExamplePlatform(app);
const assembly = app.synth();
const files = app.gitOpsOutputs[0].files;
console.log(`CloudFormation rendering: ${assembly.stacksRecursively.length} stack(s) in ${cdkOutdir}/`);
console.log(`GitOps rendering: ${files.length} files in ${gitOpsOutdir}/`);
// One screen: costs, layouts, limits and quotas (the full report is in the files named on its last line).
const report = platform.rendering.report ?? PlatformReport.of(platform.definition);
console.log(report.summary([
  `${gitOpsOutdir}/${REPORT_MARKDOWN_FILE}`, `${gitOpsOutdir}/${REPORT_JSON_FILE}`,
  ...platform.rendering.reportFiles.map((f) => `${cdkOutdir}/${f}`),
]));
console.log(summarizePrerequisites(computePrerequisites(platform.definition)));
