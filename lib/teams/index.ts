export * from './team';
export * from './teams-layer';
