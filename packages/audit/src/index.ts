export { Audit, AuditLogger } from './Audit.js';
export type { AuditOptions, AuditFirehoseOptions, AuditLoggerStats, AuditCloseOptions } from './Audit.js';
export { AuditCall } from './AuditCall.js';
export type { AuditStart } from './AuditCall.js';
export { Audit as AuditStream } from '@fiat/schemas';
export type { AuditFields } from '@fiat/schemas';
export { FiatError, isFiatError, isOmittedValue, isOmittedString } from '@fiat/core';
export type { FiatErrorCode, FiatIssue, LogEntry, LoggerStats, CloseReport, Transport, OmittedMarker, OmittedReason } from '@fiat/core';
