export * from './dataset-source';
export * from './fine-tuning';
export * from './nccl-test';
export * from './runtimes';
export * from './sizing';
export * from './trainer-controller';
export * from './training-layer';
