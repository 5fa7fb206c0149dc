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
  'prometheus-servicemonitor': 'prometheus-operator/monitoring.coreos.com_servicemonitors.yaml',
  'prometheus-prometheusrule': 'prometheus-operator/monitoring.coreos.com_prometheusrules.yaml',
  'keda-scaledobject': 'keda/keda.sh_scaledobjects.yaml',
  'lws-leaderworkerset': 'lws/leaderworkerset.x-k8s.io_leaderworkersets.yaml',
  'gie-inferencepool': 'gateway-api-inference-extension/inference.networking.k8s.io_inferencepools.yaml',
  'llmd-inferenceobjective': 'llm-d-router/llm-d.ai_inferenceobjectives.yaml',
  'gateway-api-gateway': 'gateway-api/gateway.networking.k8s.io_gateways.yaml',
  'gateway-api-httproute': 'gateway-api/gateway.networking.k8s.io_httproutes.yaml',
  'agentgateway-policy': 'agentgateway/agentgateway.dev_agentgatewaypolicies.yaml',
  'kgateway-trafficpolicy': 'kgateway/gateway.kgateway.dev_trafficpolicies.yaml',
  'kueue-resourceflavor': 'kueue/kueue.x-k8s.io_resourceflavors.yaml',
  'kueue-clusterqueue': 'kueue/kueue.x-k8s.io_clusterqueues.yaml',
  'kueue-localqueue': 'kueue/kueue.x-k8s.io_localqueues.yaml',
  'kueue-topology': 'kueue/kueue.x-k8s.io_topologies.yaml',
  'kueue-workloadpriorityclass': 'kueue/kueue.x-k8s.io_workloadpriorityclasses.yaml',
  'trainer-trainjob': 'kubeflow-trainer/v2/trainer.kubeflow.org_trainjobs.yaml',
  'trainer-clustertrainingruntime': 'kubeflow-trainer/v2/trainer.kubeflow.org_clustertrainingruntimes.yaml',
  'milvus-milvus': 'milvus-operator/milvus.io_milvuses.yaml',
  'agent-sandbox-sandbox': 'agent-sandbox/agents.x-k8s.io_sandboxes.yaml',
  'agent-sandbox-sandboxtemplate': 'agent-sandbox/extensions.agents.x-k8s.io_sandboxtemplates.yaml',
  'agent-sandbox-sandboxwarmpool': 'agent-sandbox/extensions.agents.x-k8s.io_sandboxwarmpools.yaml',
  // agents (lib/agents): kagent v0.9.12 and kmcp v0.3.0
  'kagent-agent': 'kagent/kagent.dev_agents.yaml',
  'kagent-modelconfig': 'kagent/kagent.dev_modelconfigs.yaml',
  'kagent-remotemcpserver': 'kagent/kagent.dev_remotemcpservers.yaml',
  'kagent-mcpserver': 'kagent/kagent.dev_mcpservers.yaml',
};

if (!fs.existsSync(SCHEMAS)) {
  console.error(`import-crds: ${SCHEMAS} is missing; it holds the upstream CRDs imports/ is generated from.`);
  process.exit(1);
}
// `cdk8s import` records each import in cdk8s.yaml (with absolute paths); this script is the record, so restore it.
const CDK8S_YAML = path.resolve(__dirname, '..', 'cdk8s.yaml');
const cdk8sYaml = fs.existsSync(CDK8S_YAML) ? fs.readFileSync(CDK8S_YAML, 'utf-8') : undefined;
process.on('exit', () => {
  if (cdk8sYaml !== undefined) fs.writeFileSync(CDK8S_YAML, cdk8sYaml);
});
const only = process.argv.slice(2);
for (const [name, rel] of Object.entries(CRDS)) {
  if (only.length > 0 && !only.includes(name)) continue;
  const file = path.join(SCHEMAS, rel);
  console.log(`cdk8s import ${name}:=${rel}`);
  execFileSync('npx', ['cdk8s', 'import', `${name}:=${file}`, '--language', 'typescript', '--output', OUT, '--no-check-upgrade'], {
    stdio: 'inherit',
  });
}
