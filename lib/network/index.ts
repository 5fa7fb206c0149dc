export * from './flow';
export * from './network-flows';
export * from './service-url';
