export * from './kuberay';
