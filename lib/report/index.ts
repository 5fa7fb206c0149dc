export * from './platform-report';
