export * from './kueue';
export * from './queues';
