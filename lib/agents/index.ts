export * from './agent';
export * from './agents-layer';
export * from './database';
export * from './egress';
export * from './kagent';
export * from './mcp-server';
export * from './model';
export * from './permissions';
