// Owns the fake Firehose's server-side encryption at rest: the check of a
// `DeliveryStreamEncryptionConfigurationInput`, and Start/StopDeliveryStreamEncryption. Kept apart
// from the control plane (controlPlane.ts calls it from three places).

/** The encryption operations this module applies. */
export type EncryptionOperation = 'StartDeliveryStreamEncryption' | 'StopDeliveryStreamEncryption';

/**
 * Why a `DeliveryStreamEncryptionConfigurationInput` is invalid (AWS answers InvalidArgumentException),
 * or `undefined` when it is valid or absent.
 *
 * @example
 * ```ts
 * encryptionInputProblem({ KeyType: 'CUSTOMER_MANAGED_CMK' }); // 'KeyARN is required when KeyType is CUSTOMER_MANAGED_CMK'
 * ```
 */
export function encryptionInputProblem(input: unknown): string | undefined {
  if (input === undefined) return undefined;
  const { KeyType, KeyARN } = (input ?? {}) as { KeyType?: unknown; KeyARN?: unknown };
  if (KeyType !== 'AWS_OWNED_CMK' && KeyType !== 'CUSTOMER_MANAGED_CMK') return `KeyType must be AWS_OWNED_CMK or CUSTOMER_MANAGED_CMK, got ${String(KeyType)}`;
  if (KeyType === 'CUSTOMER_MANAGED_CMK' && (typeof KeyARN !== 'string' || !KeyARN.startsWith('arn:'))) return 'KeyARN is required when KeyType is CUSTOMER_MANAGED_CMK';
  if (KeyType === 'AWS_OWNED_CMK' && KeyARN !== undefined) return 'KeyARN must not be set when KeyType is AWS_OWNED_CMK';
  return undefined;
}

/**
 * Applies Start- or StopDeliveryStreamEncryption to a stream's stored request, which
 * DescribeDeliveryStream reads: the new key (ENABLED at once), or none (DISABLED).
 *
 * @example
 * ```ts
 * applyEncryptionChange(stream.request, 'StopDeliveryStreamEncryption', { DeliveryStreamName: 'fiat-audit' });
 * ```
 */
export function applyEncryptionChange(request: Record<string, any>, operation: EncryptionOperation, input: Record<string, any>): void {
  if (operation === 'StopDeliveryStreamEncryption') delete request.DeliveryStreamEncryptionConfigurationInput;
  else request.DeliveryStreamEncryptionConfigurationInput = structuredClone(input.DeliveryStreamEncryptionConfigurationInput ?? { KeyType: 'AWS_OWNED_CMK' });
}
