import { defineStream } from '@fiat/core';
import { z } from 'zod';

/**
 * The Audit stream: one record when a task starts, and one when it returns (`output`) or throws
 * (`error`), sharing `audit_id`. `task_args` and `output` are free-form and stored as JSON text.
 *
 * @example
 * ```ts
 * import { Audit } from '@fiat/schemas';
 * logger.log(Audit, { audit_id: 'a1', phase: 'start', task: '_add', task_args: { x: 1, y: 2 }, ticket_id: 'nta-1000' });
 * ```
 */
export const Audit = defineStream({
  name: 'Audit',
  description: 'Audit trail of tasks: a start record, then an output or error record sharing audit_id.',
  schema: z.object({
    audit_id: z.string().min(1).describe('Shared by a start record and its output or error record.'),
    phase: z.enum(['start', 'output', 'error']).describe('start, output or error.'),
    task: z.string().min(1).describe('The task (function, job, command) being audited.'),
    task_args: z.unknown().describe('The task arguments, stored as JSON text.'),
    ticket_id: z.string().optional().describe('The ticket the task was run for.'),
    output: z.unknown().optional().describe('What the task returned, stored as JSON text.'),
    error_name: z.string().optional().describe('The error name when phase is error.'),
    error_message: z.string().optional().describe('The error message when phase is error.'),
    duration_ms: z.number().nonnegative().optional().describe('Milliseconds from start to output or error.'),
  }),
});

/** The fields of an Audit record, as `log(Audit, …)` accepts them. */
export type AuditFields = NonNullable<(typeof Audit)['__fields']>;
