// Owns the calls a provisioning command would make, as `--dry-run` prints them.

/** One AWS call a command would make. */
export interface PlannedCall {
  /** The service: `firehose`, `logs` or `iam`. */
  readonly service: 'firehose' | 'logs' | 'iam';
  /** The API operation, e.g. `CreateLogGroup`. */
  readonly operation: string;
  /** The input exactly as it would be sent. */
  readonly input: object;
  /** When the call is made; absent when it always is. */
  readonly when?: string;
}

/** Fields whose value is a JSON policy document sent as a string: shown parsed in the text form. */
const DOCUMENT_FIELDS = new Set(['AssumeRolePolicyDocument', 'PolicyDocument']);

function readable(input: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(input).map(([key, value]) => [key, DOCUMENT_FIELDS.has(key) && typeof value === 'string' ? JSON.parse(value) : value]),
  );
}

/**
 * The text form of a plan: one `# <n>. <service> <Operation> (when …)` comment per call followed by its
 * input as JSON (policy documents shown parsed; `--json` prints the exact strings).
 *
 * @example
 * ```ts
 * formatPlan([{ service: 'logs', operation: 'CreateLogGroup', input: { logGroupName: '/aws/kinesisfirehose/fiat-audit' } }]);
 * // # 1. logs CreateLogGroup
 * // {
 * //   "logGroupName": "/aws/kinesisfirehose/fiat-audit"
 * // }
 * ```
 */
export function formatPlan(calls: readonly PlannedCall[]): string {
  return calls
    .map((call, i) => `# ${i + 1}. ${call.service} ${call.operation}${call.when !== undefined ? ` (${call.when})` : ''}\n${JSON.stringify(readable(call.input), null, 2)}\n`)
    .join('\n');
}
