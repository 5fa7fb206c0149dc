export * from './inference-pool';
export * from './inference-objective';
export * from './crds';
