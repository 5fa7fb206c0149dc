export * from './kueue';
