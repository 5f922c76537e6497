import { afterEach, describe, expect, it, vi } from 'vitest';
import { FiatError } from '../errors.js';
import { BatchSender, type BatchSink } from './BatchSender.js';
import { CircuitBreaker } from './CircuitBreaker.js';
import type { FirehosePort } from './FirehosePort.js';
import type { PutRecordBatchInput, PutRecordBatchOutput } from './options.js';
import { OutboundRecord } from './OutboundRecord.js';
import { RetryPolicy } from './RetryPolicy.js';

const RETRY = { maxAttempts: 5, maxRetryTimeMs: 60_000, baseDelayMs: 100, maxDelayMs: 1000, requestTimeoutMs: 5000, outageBackoffMs: 10_000 };

type Answer = (input: PutRecordBatchInput, call: number) => PutRecordBatchOutput | Promise<PutRecordBatchOutput>;

function setup(answer: Answer, retry: Partial<typeof RETRY> = {}) {
  const inputs: string[][] = [];
  const port: FirehosePort = {
    putRecordBatch: async (input) => {
      inputs.push(input.Records.map((r) => Buffer.from(r.Data).toString().trim()));
      return answer(input, inputs.length);
    },
  };
  const breaker = new CircuitBreaker(RETRY.outageBackoffMs);
  const sender = new BatchSender({ port, policy: new RetryPolicy({ ...RETRY, ...retry }, () => 0.5), breaker, requestTimeoutMs: retry.requestTimeoutMs ?? RETRY.requestTimeoutMs });
  const events = { calls: 0, acknowledged: [] as string[], resent: 0, uncertain: 0 };
  const sink: BatchSink = {
    called: () => void (events.calls += 1),
    acknowledged: (record) => void events.acknowledged.push(record.data.toString().trim()),
    resent: (count, uncertain) => {
      events.resent += count;
      if (uncertain) events.uncertain += count;
    },
  };
  return { sender, breaker, sink, events, inputs };
}

function records(...texts: string[]): OutboundRecord[] {
  return texts.map((t) => OutboundRecord.of(Buffer.from(`${t}\n`)));
}

const ALL_OK: Answer = (input) => ({ FailedPutCount: 0, RequestResponses: input.Records.map((_, i) => ({ RecordId: `r${i}` })) });

function fail(error: Error): Answer {
  return () => {
    throw error;
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('BatchSender', () => {
  it('delivers a batch in one call and reports each acknowledgement', async () => {
    const { sender, sink, events, inputs } = setup(ALL_OK);
    const outcome = await sender.send('s', records('a', 'b'), sink, new AbortController().signal);
    expect(outcome).toEqual({ kind: 'delivered' });
    expect(events).toMatchObject({ calls: 1, acknowledged: ['a', 'b'], resent: 0 });
    expect(inputs).toEqual([['a', 'b']]);
  });

  it('resends only the records answered with an ErrorCode, after the backoff', async () => {
    // Prepare
    vi.useFakeTimers();
    const { sender, sink, events, inputs } = setup((input, call) =>
      call === 1 ? { FailedPutCount: 1, RequestResponses: [{ RecordId: 'r0' }, { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' }, { RecordId: 'r2' }] } : ALL_OK(input, call),
    );
    // Act
    const sending = sender.send('s', records('a', 'b', 'c'), sink, new AbortController().signal);
    await vi.advanceTimersByTimeAsync(49);
    const beforeBackoff = inputs.length;
    await vi.advanceTimersByTimeAsync(1);
    // Assess
    expect(await sending).toEqual({ kind: 'delivered' });
    expect(beforeBackoff).toBe(1);
    expect(inputs).toEqual([['a', 'b', 'c'], ['b']]);
    expect(events).toMatchObject({ resent: 1, uncertain: 0 });
  });

  it('counts a resend as uncertain after a timeout, a 5xx or a missing entry, and not after a refused connection', async () => {
    // Prepare
    vi.useFakeTimers();
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const internal = Object.assign(new Error('boom'), { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
    const answers: Answer[] = [fail(refused), fail(refused), fail(internal), () => ({ RequestResponses: [] }), () => new Promise(() => undefined), ALL_OK];
    const { sender, sink, events } = setup((input, call) => answers[call - 1]!(input, call), { maxAttempts: 10 });
    // Act
    const sending = sender.send('s', records('a'), sink, new AbortController().signal);
    await vi.advanceTimersByTimeAsync(60_000);
    // Assess: 5 failed calls, 5 resends; the 2 after a refused connection were certain
    expect(await sending).toEqual({ kind: 'delivered' });
    expect(events).toMatchObject({ calls: 6, resent: 5, uncertain: 3 });
  });

  it('gives up at once on a fatal error, without opening the breaker', async () => {
    const cause = Object.assign(new Error('no such stream'), { name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } });
    const { sender, breaker, sink, events } = setup(fail(cause));
    const outcome = await sender.send('s', records('a'), sink, new AbortController().signal);
    expect(outcome).toMatchObject({ kind: 'failed', reason: 'a non-retryable error: ResourceNotFoundException: no such stream', cause });
    expect(events.calls).toBe(1);
    expect(breaker.isOpen).toBe(false);
  });

  it('gives up when the client cannot be built (CONFIG_INVALID)', async () => {
    const { sender, sink } = setup(fail(new FiatError('CONFIG_INVALID', 'option clientConfig needs @aws-sdk/client-firehose')));
    const outcome = await sender.send('s', records('a'), sink, new AbortController().signal);
    expect(outcome).toMatchObject({ kind: 'failed', reason: 'the Firehose client could not be created' });
  });

  it('spends the budget on throttling, opens the breaker, and then refuses batches unsent', async () => {
    // Prepare
    vi.useFakeTimers({ now: 0 });
    const { sender, breaker, sink, events } = setup(fail(Object.assign(new Error('Slow down.'), { name: 'ServiceUnavailableException', $metadata: { httpStatusCode: 503 } })), {
      maxAttempts: 3,
    });
    // Act
    const first = sender.send('s', records('a'), sink, new AbortController().signal);
    await vi.advanceTimersByTimeAsync(10_000);
    const second = await sender.send('s', records('b'), sink, new AbortController().signal);
    // Assess
    expect(await first).toMatchObject({ kind: 'failed', reason: expect.stringMatching(/^retry budget exhausted after 3 attempts in \d+ ms: ServiceUnavailableException/) });
    expect(breaker.isOpen).toBe(true);
    expect(second).toMatchObject({ kind: 'refused' });
    expect(events.calls).toBe(3);
  });

  it('pauses every batch after a whole call fails: one backoff for all', async () => {
    // Prepare
    vi.useFakeTimers({ now: 0 });
    let down = true;
    const { sender, sink, inputs } = setup((input, call) => {
      if (down) throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
      return ALL_OK(input, call);
    });
    // Act: the first batch fails once (a 50 ms shared pause); a second batch starts during the pause
    const first = sender.send('s', records('a'), sink, new AbortController().signal);
    await vi.advanceTimersByTimeAsync(0);
    down = false;
    const second = sender.send('s', records('b'), sink, new AbortController().signal);
    await vi.advanceTimersByTimeAsync(49);
    const duringPause = inputs.length;
    await vi.advanceTimersByTimeAsync(1);
    // Assess
    expect(duringPause).toBe(1);
    expect(await first).toEqual({ kind: 'delivered' });
    expect(await second).toEqual({ kind: 'delivered' });
    expect(inputs).toEqual([['a'], ['a'], ['b']].sort());
  });

  it('sends one probe while the breaker is open, and closes it when the probe is answered', async () => {
    // Prepare
    vi.useFakeTimers({ now: 100_000 });
    let answer!: () => void;
    const { sender, breaker, sink } = setup(async (input, call) => {
      if (call === 1) await new Promise<void>((resolve) => (answer = resolve));
      return ALL_OK(input, call);
    });
    breaker.open(0); // the backoff is over: the next batch is the probe
    // Act
    const probe = sender.send('s', records('a'), sink, new AbortController().signal);
    await vi.advanceTimersByTimeAsync(0);
    const meanwhile = await sender.send('s', records('b'), sink, new AbortController().signal);
    answer();
    // Assess
    expect(meanwhile).toMatchObject({ kind: 'refused' });
    expect(await probe).toEqual({ kind: 'delivered' });
    expect(breaker.isOpen).toBe(false);
    expect(await sender.send('s', records('c'), sink, new AbortController().signal)).toEqual({ kind: 'delivered' });
  });

  it('abandons a call after requestTimeoutMs and aborts the client request', async () => {
    // Prepare
    vi.useFakeTimers();
    const aborted: boolean[] = [];
    const port: FirehosePort = {
      putRecordBatch: (_input, signal) => new Promise((_, reject) => signal.addEventListener('abort', () => (aborted.push(true), reject(new Error('aborted'))))),
    };
    const sender = new BatchSender({ port, policy: new RetryPolicy({ ...RETRY, maxAttempts: 1 }), breaker: new CircuitBreaker(1000), requestTimeoutMs: 300 });
    const sink: BatchSink = { called: () => undefined, acknowledged: () => undefined, resent: () => undefined };
    // Act
    const sending = sender.send('s', records('a'), sink, new AbortController().signal);
    await vi.advanceTimersByTimeAsync(300);
    // Assess
    expect(await sending).toMatchObject({ kind: 'failed', reason: expect.stringMatching(/TimeoutError: PutRecordBatch to s timed out after 300 ms/) });
    expect(aborted).toEqual([true]);
  });

  it('returns the unsettled records as aborted when the signal aborts during a backoff', async () => {
    vi.useFakeTimers();
    const { sender, sink } = setup(fail(Object.assign(new Error('x'), { code: 'ECONNRESET' })));
    const controller = new AbortController();
    const sending = sender.send('s', records('a'), sink, controller.signal);
    await vi.advanceTimersByTimeAsync(0);
    controller.abort();
    expect(await sending).toMatchObject({ kind: 'aborted', records: [expect.any(OutboundRecord)] });
  });

  it('does not report a record settled elsewhere (spooled by flushSync) when its answer comes late', async () => {
    let answer!: (output: PutRecordBatchOutput) => void;
    const { sender, sink, events } = setup(() => new Promise((resolve) => (answer = resolve)));
    const batch = records('a');
    const sending = sender.send('s', batch, sink, new AbortController().signal);
    await vi.waitFor(() => expect(answer).toBeDefined());
    batch[0]!.settle();
    answer({ RequestResponses: [{ RecordId: 'r0' }] });
    expect(await sending).toEqual({ kind: 'delivered' });
    expect(events.acknowledged).toEqual([]);
  });
});
