import type { DefineStreamOptions } from '@fiat/core';
import { z } from 'zod';

/**
 * The Zod source of the Audit stream — the one place to change it. `fiat schemas build` turns it
 * into `schemas/Audit/` and the precompiled `src/generated/Audit.ts` that `Audit` is made from.
 *
 * @example
 * ```ts
 * auditSchema.shape.phase.options; // ['start', 'output', 'error']
 * ```
 */
export const auditSchema = z.object({
  audit_id: z.string().min(1).describe('Shared by a start record and its output or error record.'),
  phase: z.enum(['start', 'output', 'error']).describe('start, output or error.'),
  task: z.string().min(1).describe('The task (function, job, command) being audited.'),
  task_args: z.unknown().describe('The task arguments, stored as JSON text.'),
  ticket_id: z.string().optional().describe('The ticket the task was run for.'),
  output: z.unknown().optional().describe('What the task returned, stored as JSON text.'),
  error_name: z.string().optional().describe('The error name when phase is error.'),
  error_message: z.string().optional().describe('The error message when phase is error.'),
  duration_ms: z.number().nonnegative().optional().describe('Milliseconds from start to output or error.'),
});

/**
 * The Audit stream's definition options, listed in `builtInDefinitions`.
 *
 * @example
 * ```ts
 * defineStream(auditDefinition).names.table; // 'audit'
 * ```
 */
export const auditDefinition: DefineStreamOptions<typeof auditSchema, 'Audit'> = {
  name: 'Audit',
  description: 'Audit trail of tasks: a start record, then an output or error record sharing audit_id.',
  schema: auditSchema,
  // Secrets passed to or returned by audited code: keys like password, token, api_key, authorization,
  // cookie at any depth of task_args and output are stored as "[redacted]" (a logger's redact: false
  // turns this off, with a warning).
  redact: { secretKeys: true, optOut: true },
  // Tamper-evident by default: every logger's Audit records form a hash chain with signed checkpoints.
  integrity: 'chain',
};
