export { auditSchema, builtInDefinitions } from './definitions.js';
export { generatedStreamFiles, writeGeneratedStreams, checkGeneratedStreams } from './generate.js';
export type { GeneratableStream, GeneratedStreamOptions, GeneratedStreamSource } from './generate.js';
