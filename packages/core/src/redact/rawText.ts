import { walkJson } from '../jsonWalk.js';

/** The most bytes of a raw value's JSON text that a redaction reads: 1 MiB. */
const RAW_TEXT_MAX_BYTES = 1024 * 1024;

/**
 * The text a redaction of raw input (a dead letter) works on: a string itself, else the value's
 * JSON text as `describeAsJson` writes it (never throwing), its first 1 MiB at most.
 *
 * @example
 * ```ts
 * rawText({ n: 1n }); // '{"n":"[BigInt 1]"}'
 * ```
 */
export function rawText(value: unknown): string {
  if (typeof value === 'string') return value.toWellFormed();
  const chunks: string[] = [];
  walkJson(value, (chunk) => void chunks.push(chunk), { maxBytes: RAW_TEXT_MAX_BYTES, wellFormed: true });
  return chunks.join('');
}
