import { IPlatformRule } from './rule';
import { CRDS_INSTALLED_FIRST } from './rules/crds-installed-first';
import { KEDA_TARGETS } from './rules/keda-targets';
import { MONITOR_SELECTS_SERVICE } from './rules/monitor-selects-service';
import { PODS_SCHEDULABLE } from './rules/pods-schedulable';
import { REFERENCES_EXIST } from './rules/references-exist';
import { ROUTES_RESOLVE } from './rules/routes-resolve';
import { SERVICE_SELECTS_PODS } from './rules/service-selects-pods';

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
];
