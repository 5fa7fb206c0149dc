export * from './controller';
export * from './sandbox-pod';
export * from './sandboxes';
export * from './agent-sandboxes';
