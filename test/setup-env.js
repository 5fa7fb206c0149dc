// Jest setup (runs in every worker before the tests): every CDK App synthesizes into one directory per worker, so
// assets such as the 37 MB kubectl layer are staged once per worker instead of once per App in a fresh temp dir
// (hundreds of Apps per run would otherwise fill the disk), and cdk8s Apps do the same.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const worker = process.env.JEST_WORKER_ID ?? '0';
const base = path.join(os.tmpdir(), `agentic-eks-jest-${process.getuid ? process.getuid() : 'u'}`);
process.env.CDK_OUTDIR = path.join(base, `cdk.out-${worker}`);
process.env.CDK8S_OUTDIR = path.join(base, `cdk8s.out-${worker}`);
fs.mkdirSync(process.env.CDK_OUTDIR, { recursive: true });
