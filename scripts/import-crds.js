#!/usr/bin/env node
// Generates imports/ from the upstream CRDs stored in ../shared/schemas with `cdk8s import` (offline).
// The generated files are committed and never edited by hand: add a CRD to the list and run `npm run import`.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const SCHEMAS = path.resolve(__dirname, '..', '..', 'shared', 'schemas');
const OUT = path.resolve(__dirname, '..', 'imports');

/** module name (file in imports/) -> CRD file relative to ../shared/schemas */
const CRDS = {
  'karpenter-nodepool': 'karpenter/karpenter.sh_nodepools.yaml',
  'karpenter-ec2nodeclass': 'karpenter/karpenter.k8s.aws_ec2nodeclasses.yaml',
  'argocd-application': 'argo-cd/application-crd.yaml',
  'eso-externalsecret': 'external-secrets/external-secrets.io_externalsecrets.yaml',
  'eso-clustersecretstore': 'external-secrets/external-secrets.io_clustersecretstores.yaml',
  'nvidia-computedomain': 'nvidia-dra-driver-gpu/resource.nvidia.com_computedomains.yaml',
};

if (!fs.existsSync(SCHEMAS)) {
  console.error(`import-crds: ${SCHEMAS} is missing; it holds the upstream CRDs imports/ is generated from.`);
  process.exit(1);
}
const only = process.argv.slice(2);
for (const [name, rel] of Object.entries(CRDS)) {
  if (only.length > 0 && !only.includes(name)) continue;
  const file = path.join(SCHEMAS, rel);
  console.log(`cdk8s import ${name}:=${rel}`);
  execFileSync('npx', ['cdk8s', 'import', `${name}:=${file}`, '--language', 'typescript', '--output', OUT, '--no-check-upgrade'], {
    stdio: 'inherit',
  });
}
