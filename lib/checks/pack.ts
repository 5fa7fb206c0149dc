import { IPlatformRule } from './rule';
import { AGENT_CALLS_ACYCLIC } from './rules/agent-calls-acyclic';
import { AGENT_MODEL_SERVED } from './rules/agent-model-served';
import { AGENT_REFERENCES_RESOLVE } from './rules/agent-references-resolve';
import { CRDS_INSTALLED_FIRST } from './rules/crds-installed-first';
import { KEDA_TARGETS } from './rules/keda-targets';
import { MONITOR_SELECTS_SERVICE } from './rules/monitor-selects-service';
import { PODS_SCHEDULABLE } from './rules/pods-schedulable';
import { REFERENCES_EXIST } from './rules/references-exist';
import { ROUTES_RESOLVE } from './rules/routes-resolve';
import { SERVICE_SELECTS_PODS } from './rules/service-selects-pods';
import { EVALUATION_JUDGE_MODEL_EXISTS } from './rules/evaluation-judge-model-exists';
import { MILVUS_DEPENDENCIES_REPLICATED } from './rules/milvus-dependencies-replicated';
import { MILVUS_STORAGE_BUCKET } from './rules/milvus-storage-bucket';
import { GPU_POOL_CAPACITY } from './rules/gpu-pool-capacity';
import { HTTP_ROUTE_MATCHES_UNIQUE } from './rules/http-route-matches-unique';
import { LITELLM_GATEWAY_URL_ROUTED } from './rules/litellm-gateway-url-routed';
import { OBJECT_NAMES_UNIQUE } from './rules/object-names-unique';
import { ROUTE_BACKENDS_ONE_MODEL } from './rules/route-backends-one-model';
import { TEAM_GPU_QUOTA } from './rules/team-gpu-quota';
import { NamespacesProtected } from './rules/namespaces-protected';
import { NetworkFlowsAllowed } from './rules/network-flows-allowed';

/**
 * Every platform check, in the order they run and are listed in the README. One rule per file in `./rules/`; add a
 * rule here when you add its file.
 */
export const PLATFORM_RULES: IPlatformRule[] = [
  CRDS_INSTALLED_FIRST,
  SERVICE_SELECTS_PODS,
  MONITOR_SELECTS_SERVICE,
  ROUTES_RESOLVE,
  REFERENCES_EXIST,
  PODS_SCHEDULABLE,
  KEDA_TARGETS,
  OBJECT_NAMES_UNIQUE,
  GPU_POOL_CAPACITY,
  TEAM_GPU_QUOTA,
  HTTP_ROUTE_MATCHES_UNIQUE,
  ROUTE_BACKENDS_ONE_MODEL,
  LITELLM_GATEWAY_URL_ROUTED,
  EVALUATION_JUDGE_MODEL_EXISTS,
  NetworkFlowsAllowed,
  NamespacesProtected,
  AGENT_REFERENCES_RESOLVE,
  AGENT_CALLS_ACYCLIC,
  AGENT_MODEL_SERVED,
  MILVUS_DEPENDENCIES_REPLICATED,
  MILVUS_STORAGE_BUCKET,
];
