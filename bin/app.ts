#!/usr/bin/env node
// CDK rendering of the example platform (`npm run synth:cdk`, driven by cdk.json).
import { App } from 'aws-cdk-lib';
import { buildExamplePlatform } from '../examples/platform';
import { Delivery } from '../lib';

const app = new App();
const delivery = app.node.tryGetContext('delivery') === 'gitops' ? Delivery.GITOPS : Delivery.CDK;
buildExamplePlatform(app, delivery);
app.synth();
