export * from './prometheus-stack';
export * from './alerts';
export * from './dashboards';
