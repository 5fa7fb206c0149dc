import { IPlatformRule } from './rule';
import { NamespacesProtected } from './rules/namespaces-protected';
import { NetworkFlowsAllowed } from './rules/network-flows-allowed';

/**
 * Every platform check, in the order they run and are listed in the README. One rule per file in `./rules/`; add a
 * rule here when you add its file.
 */
export const PLATFORM_RULES: IPlatformRule[] = [
  NetworkFlowsAllowed,
  NamespacesProtected,
];
