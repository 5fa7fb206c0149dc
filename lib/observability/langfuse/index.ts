export * from './langfuse';
export * from './stores';
