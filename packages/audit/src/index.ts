export { Audit, AuditLogger, AuditCall } from './Audit.js';
export type { AuditOptions, AuditFirehoseOptions, AuditStart, AuditLoggerStats } from './Audit.js';
export { Audit as AuditStream } from '@fiat/schemas';
export type { AuditFields } from '@fiat/schemas';
export { FiatError, isFiatError } from '@fiat/core';
export type { FiatErrorCode, FiatIssue, LogEntry, LoggerStats, CloseReport, Transport } from '@fiat/core';
