export * from './ragas-evaluation';
