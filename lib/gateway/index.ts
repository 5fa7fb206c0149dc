export * from './gateway-api-crds';
export * from './gateway-controller';
export * from './platform-gateway';
export * from './gateway-layer';
