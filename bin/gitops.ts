#!/usr/bin/env node
// GitOps rendering of the example platform (`npm run synth:gitops`, driven by cdk8s.yaml): plain YAML and Argo CD
// Applications in dist/ (or $CDK8S_OUTDIR).
import { App } from 'aws-cdk-lib';
import { buildExamplePlatform } from '../examples/platform';
import { PlatformReport, REPORT_JSON_FILE, REPORT_MARKDOWN_FILE } from '../lib';
import { computePrerequisites, summarizePrerequisites } from '../lib/checks/prerequisites';

const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
const platform = buildExamplePlatform(new App());
const files = platform.writeGitOps(outdir);
console.log(`GitOps rendering: ${files.length} files in ${outdir}/`);
console.log(PlatformReport.of(platform.definition).summary([`${outdir}/${REPORT_MARKDOWN_FILE}`, `${outdir}/${REPORT_JSON_FILE}`]));
console.log(summarizePrerequisites(computePrerequisites(platform.definition)));
