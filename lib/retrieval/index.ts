export * from './message-stream';
export * from './milvus-operator';
export * from './vector-store';
export * from './retrieval-layer';
export * from './milvus-mcp-server';
