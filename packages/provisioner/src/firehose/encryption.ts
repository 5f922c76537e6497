// Owns the delivery stream's server-side encryption at rest: the wanted setting, how a described
// stream compares with it, and the call that changes it.
import type { CreateDeliveryStreamInput, DeliveryStreamDescription, DeliveryStreamEncryptionConfigurationInput } from '@aws-sdk/client-firehose';

/**
 * The field name drift reports use for the stream's encryption at rest.
 *
 * @example
 * ```ts
 * differences.filter((d) => d.field === ENCRYPTION_FIELD); // the encryption difference, if any
 * ```
 */
export const ENCRYPTION_FIELD = 'DeliveryStreamEncryption';

/**
 * The `DeliveryStreamEncryptionConfigurationInput` Fiat asks for: an AWS-owned key by default, the
 * customer key when `kmsKeyArn` is set, none when `encryption` is false.
 *
 * @example
 * ```ts
 * deliveryStreamEncryptionInput({}); // { KeyType: 'AWS_OWNED_CMK' }
 * deliveryStreamEncryptionInput({ kmsKeyArn: arn }); // { KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: arn }
 * deliveryStreamEncryptionInput({ encryption: false }); // undefined
 * ```
 */
export function deliveryStreamEncryptionInput(options: {
  readonly kmsKeyArn?: string;
  readonly encryption?: boolean;
}): DeliveryStreamEncryptionConfigurationInput | undefined {
  if (options.encryption === false) return undefined;
  return options.kmsKeyArn !== undefined ? { KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: options.kmsKeyArn } : { KeyType: 'AWS_OWNED_CMK' };
}

function wantedSummary(input: DeliveryStreamEncryptionConfigurationInput | undefined): string {
  if (input === undefined) return 'DISABLED';
  return input.KeyType === 'CUSTOMER_MANAGED_CMK' ? `CUSTOMER_MANAGED_CMK ${input.KeyARN ?? ''}`.trimEnd() : String(input.KeyType);
}

function currentSummary(description: DeliveryStreamDescription): string {
  const config = description.DeliveryStreamEncryptionConfiguration;
  const status = config?.Status ?? 'DISABLED';
  if (status === 'DISABLED' || status === 'DISABLING') return 'DISABLED';
  const key = config?.KeyType === 'CUSTOMER_MANAGED_CMK' ? `CUSTOMER_MANAGED_CMK ${config.KeyARN ?? ''}`.trimEnd() : String(config?.KeyType ?? 'AWS_OWNED_CMK');
  // ENABLING counts as what it is becoming; a failed or other state is shown with it.
  return status === 'ENABLED' || status === 'ENABLING' ? key : `${status} ${key}`;
}

/**
 * The encryption difference between a described stream and the wanted request, if any: one entry
 * for the field `DeliveryStreamEncryption`, e.g. `DISABLED → AWS_OWNED_CMK`. An `ENABLING` stream
 * counts as enabled, a `DISABLING` one as disabled.
 *
 * @example
 * ```ts
 * diffEncryption(described, createDeliveryStreamRequest(names, options));
 * // [{ field: 'DeliveryStreamEncryption', current: 'DISABLED', wanted: 'AWS_OWNED_CMK', updatable: true }]
 * ```
 */
export function diffEncryption(
  description: DeliveryStreamDescription,
  wanted: CreateDeliveryStreamInput,
): { field: string; current: string; wanted: string; updatable: true }[] {
  const current = currentSummary(description);
  const want = wantedSummary(wanted.DeliveryStreamEncryptionConfigurationInput);
  return current === want ? [] : [{ field: ENCRYPTION_FIELD, current, wanted: want, updatable: true }];
}

/**
 * Where a stream's encryption stands: `settled` once it is ENABLED or DISABLED, `failed` on
 * `ENABLING_FAILED`/`DISABLING_FAILED`, else `changing`.
 *
 * @example
 * ```ts
 * encryptionState(described); // 'settled'
 * ```
 */
export function encryptionState(description: DeliveryStreamDescription): 'settled' | 'changing' | 'failed' {
  const status = description.DeliveryStreamEncryptionConfiguration?.Status ?? 'DISABLED';
  if (status.endsWith('FAILED')) return 'failed';
  return status === 'ENABLED' || status === 'DISABLED' ? 'settled' : 'changing';
}
