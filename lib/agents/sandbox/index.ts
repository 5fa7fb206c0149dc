export * from './controller';
export { SandboxRuntime, SandboxEgress, SANDBOX_CONTAINER } from './sandbox-pod';
export type { SandboxPodOptions } from './sandbox-pod';
export * from './sandboxes';
export * from './agent-sandboxes';
