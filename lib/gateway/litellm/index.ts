export * from './model';
export * from './database';
export * from './litellm';
