export { Audit } from './streams/Audit.js';
export type { AuditFields } from './streams/Audit.js';
export { builtInStreams } from './builtIn.js';
export { streamFolderFiles, writeStreamFolder, checkStreamFolder, loadStreamFolder } from './folder.js';
export type { AthenaFile, StreamFolderFiles } from './folder.js';
