export { main, EXIT } from './cli.js';
export type { CliContext } from './cli.js';
export { loadConfig } from './config.js';
export type { FiatConfig } from './config.js';
export { openLocalLake, localViewSql, LocalLake, TRINO_COMPAT_MACROS, sqlString } from './localLake.js';
export type { LakeStream, QueryResult } from './localLake.js';
export { duckdbType } from './duckdbTypes.js';
export { collectStreams, findStream } from './streams.js';
export { formatTable } from './format.js';
