export * from './lustre';
