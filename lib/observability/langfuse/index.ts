export * from './langfuse';
export * from './stores';
export * from './prerequisites';
