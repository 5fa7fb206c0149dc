export * from './rule';
export * from './model';
export * from './pack';
export * from './run';
export * from './prerequisites';
