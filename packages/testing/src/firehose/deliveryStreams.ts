// Owns the fake Firehose's delivery streams: their names (checked as AWS checks them), their status
// (CREATING until createDelayMs passed), their ARNs and destinations; shared by both planes.
import { FakeFirehoseError } from './errors.js';

const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,64}$/;

/** A delivery stream held by the fake. */
export interface FakeDeliveryStream {
  readonly name: string;
  readonly arn: string;
  status: 'CREATING' | 'ACTIVE';
  versionId: number;
  readonly createdAt: Date;
  lastUpdatedAt: Date | undefined;
  /** The `CreateDeliveryStream` request (or a minimal one for auto-created streams). */
  readonly request: Record<string, any>;
  /** The current destination configuration (ExtendedS3), after updates. */
  destination: Record<string, any>;
  readonly activeAt: number;
}

/** Refuses a delivery stream name the way AWS does (`ValidationException`). */
export function checkName(name: unknown, field = 'deliveryStreamName'): string {
  if (typeof name !== 'string' || !STREAM_NAME.test(name)) {
    throw new FakeFirehoseError(
      'ValidationException',
      `1 validation error detected: Value '${String(name)}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`,
    );
  }
  return name;
}

/** Options of {@link DeliveryStreams}. */
export interface DeliveryStreamsOptions {
  readonly accountId: string;
  readonly region: string;
  readonly autoCreate: boolean;
  readonly createDelayMs: number;
}

/**
 * The fake's delivery streams, by name.
 *
 * @example
 * ```ts
 * const streams = new DeliveryStreams({ accountId: '123456789012', region: 'us-east-1', autoCreate: true, createDelayMs: 0 });
 * streams.forPut('fiat-audit').status; // 'ACTIVE' (auto-created)
 * ```
 */
export class DeliveryStreams {
  readonly byName = new Map<string, FakeDeliveryStream>();
  readonly #options: DeliveryStreamsOptions;

  constructor(options: DeliveryStreamsOptions) {
    this.#options = options;
  }

  /** Creates a stream from its `CreateDeliveryStream` request. */
  create(name: string, request: Record<string, any>): FakeDeliveryStream {
    const now = Date.now();
    const { region, accountId, createDelayMs } = this.#options;
    const stream: FakeDeliveryStream = {
      name,
      arn: `arn:aws:firehose:${region}:${accountId}:deliverystream/${name}`,
      status: createDelayMs > 0 ? 'CREATING' : 'ACTIVE',
      versionId: 1,
      createdAt: new Date(now),
      lastUpdatedAt: undefined,
      request,
      destination: { ...(request.ExtendedS3DestinationConfiguration ?? request.S3DestinationConfiguration ?? {}) },
      activeAt: now + createDelayMs,
    };
    this.byName.set(name, stream);
    return stream;
  }

  /** The stream a control-plane call names; `ResourceNotFoundException` when missing. */
  get(name: string): FakeDeliveryStream {
    return this.#find(name, false);
  }

  /** The ACTIVE stream a put names (auto-created when allowed); `ResourceInUseException` while CREATING. */
  forPut(name: string): FakeDeliveryStream {
    const stream = this.#find(name, true);
    if (stream.status !== 'ACTIVE') {
      throw new FakeFirehoseError('ResourceInUseException', `Firehose ${name} under account ${this.#options.accountId} is in CREATING state, not ACTIVE.`);
    }
    return stream;
  }

  #find(name: string, forPut: boolean): FakeDeliveryStream {
    let stream = this.byName.get(name);
    if (stream === undefined && forPut && this.#options.autoCreate) stream = this.create(name, { DeliveryStreamName: name, DeliveryStreamType: 'DirectPut' });
    if (stream === undefined) {
      throw new FakeFirehoseError('ResourceNotFoundException', `Firehose ${name} under account ${this.#options.accountId} not found.`);
    }
    if (stream.status === 'CREATING' && Date.now() >= stream.activeAt) stream.status = 'ACTIVE';
    return stream;
  }
}
