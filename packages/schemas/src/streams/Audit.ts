import type { z } from 'zod';
import type { auditSchema } from '../definitions.js';

/**
 * The Audit stream: one record when a task starts, and one when it returns (`output`) or throws
 * (`error`), sharing `audit_id`. `task_args` and `output` are free-form and stored as JSON text.
 * Built from precompiled parts (`src/generated/`), so importing it loads neither Zod nor ajv.
 *
 * @example
 * ```ts
 * import { Audit } from '@fiat/schemas';
 * logger.log(Audit, { audit_id: 'a1', phase: 'start', task: '_add', task_args: { x: 1, y: 2 }, ticket_id: 'nta-1000' });
 * ```
 */
export { Audit } from '../generated/Audit.js';

/** The fields of an Audit record, as `log(Audit, …)` accepts them. */
export type AuditFields = z.input<typeof auditSchema>;
