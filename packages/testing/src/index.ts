export { readLakeRecords } from './lake.js';
export type { LakeRecord } from './lake.js';
