import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { omittedString, omittedValue, type FiatError, type Transport, type TransportRecord } from '@fiat/core';
import { Audit } from './Audit.js';

/** A memory transport; `rows()` are the stored records but checkpoints, `checkpoints()` the checkpoint records. */
function memory(options: { failWrites?: (record: TransportRecord) => boolean } = {}): Transport & {
  rows: () => Record<string, any>[];
  checkpoints: () => Record<string, any>[];
} {
  const records: TransportRecord[] = [];
  const parse = (r: TransportRecord): Record<string, any> => ({ table: r.names.table, ...(JSON.parse(r.line) as Record<string, unknown>) });
  return {
    kind: 'memory',
    rows: () => records.filter((r) => r.names.table !== '_fiat_checkpoint').map(parse),
    checkpoints: () => records.filter((r) => r.names.table === '_fiat_checkpoint').map(parse),
    write: (record) => {
      if (options.failWrites?.(record)) throw new Error('transport refused the record');
      records.push(record);
    },
    flush: async () => undefined,
    close: async () => ({ delivered: records.length, undelivered: 0 }),
    stats: () => ({ received: records.length, delivered: records.length, pending: 0, failed: 0, objects: 0, bytes: 0 }),
  };
}

function setup(extra: { onInvalid?: 'throw' | 'deadletter'; throwingOnError?: boolean; failWrites?: (record: TransportRecord) => boolean } = {}) {
  const transport = memory(extra.failWrites === undefined ? {} : { failWrites: extra.failWrites });
  const errors: FiatError[] = [];
  const logger = Audit.configure(transport, {
    app: 'audit',
    email: 'rich@example.com',
    ...(extra.onInvalid === undefined ? {} : { onInvalid: extra.onInvalid }),
    onError: (error) => {
      errors.push(error);
      if (extra.throwingOnError) throw new Error('onError itself failed');
    },
  });
  return { transport, logger, errors };
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function deep(levels: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i++) value = { d: value };
  return value;
}

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('run() never changes what fn did', () => {
  it.each([
    ['an output over the record limit', () => ({ rows: 'r'.repeat(2_000_000) }), 'too_large'],
    ['an output JSON cannot carry', () => ({ id: 7n }), 'not_json'],
    ['an output nested 10,000 levels deep', () => deep(10_000), 'too_deep'],
  ])('returns %s itself, and stores the output record shortened with an omitted marker', (_label, make, reason) => {
    // Prepare
    const { transport, logger, errors } = setup();
    const value = make();
    // Act
    const returned = logger.run('report', { id: 1 }, () => value);
    // Assess
    expect(returned).toBe(value);
    const [start, output] = transport.rows();
    expect(start).toMatchObject({ phase: 'start', task_args: '{"id":1}' });
    expect(output).toMatchObject({ phase: 'output', audit_id: start!.audit_id, task_args: '{"id":1}' });
    expect(JSON.parse(output!.output)).toEqual(omittedValue(value, reason as 'too_large'));
    expect(logger.stats()).toMatchObject({ shortened: 1, unlogged: 0 });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/Audit output record of audit_id .* stored shortened: output replaced by an omitted marker/);
  });

  it('rethrows an error with a 2 MB message as itself, and stores the error record with the message as a string marker', () => {
    const { transport, logger } = setup();
    const boom = new RangeError('m'.repeat(2_000_000));
    expect(thrownBy(() => logger.run('explode', {}, () => {
      throw boom;
    }))).toBe(boom);
    const [, error] = transport.rows();
    expect(error).toMatchObject({ phase: 'error', error_name: 'RangeError', error_message: omittedString(boom.message) });
    expect(error!.error_message).toBe(`[fiat omitted 2000000 bytes, sha256:${sha256(boom.message)}]`);
    expect(logger.stats()).toMatchObject({ shortened: 1 });
  });

  it('survives errors whose name or message cannot be read, and replaces lone surrogates in derived text', () => {
    const { transport, logger } = setup();
    const hostile = new Error('x');
    Object.defineProperty(hostile, 'message', {
      get() {
        throw new Error('no message for you');
      },
    });
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    const cut = new TypeError('hi 👋'.slice(0, 4));
    for (const thrown of [hostile, revocable.proxy, cut, Object.create(null)]) {
      expect(thrownBy(() => logger.run('t', {}, () => {
        throw thrown;
      }))).toBe(thrown);
    }
    const errors = transport.rows().filter((r) => r.phase === 'error');
    expect(errors.map((r) => [r.error_name, r.error_message])).toEqual([
      ['Error', '[unreadable message]'],
      ['object', '[unreadable value]'],
      ['TypeError', 'hi \ufffd'],
      ['object', '[unreadable value]'],
    ]);
  });

  it('returns the value when the end record cannot be written at all, with onError throwing too', () => {
    const { logger, errors } = setup({ throwingOnError: true, failWrites: (r) => r.line.includes('"phase":"output"') });
    const value = { ok: true };
    expect(logger.run('t', {}, () => value)).toBe(value);
    expect(logger.stats()).toMatchObject({ unlogged: 1 });
    expect(errors[0]!.message).toMatch(/Audit output record of audit_id .* was not written: Error: transport refused the record/);
  });

  it('resolves to exactly the value, and rejects with exactly the error, of an async fn whose end record is too large', async () => {
    const { transport, logger } = setup();
    const value = { rows: 'r'.repeat(1_500_000) };
    const boom = new Error('e'.repeat(1_500_000));
    expect(await logger.run('load', {}, async () => value)).toBe(value);
    await expect(logger.run('load', {}, async () => Promise.reject(boom))).rejects.toBe(boom);
    expect(transport.rows().map((r) => r.phase)).toEqual(['start', 'output', 'start', 'error']);
    expect(logger.stats()).toMatchObject({ shortened: 2, unlogged: 0 });
  });

  it("shortens end records rather than dead-lettering them with onInvalid: 'deadletter', so the audit trail shows the end", () => {
    const { transport, logger } = setup({ onInvalid: 'deadletter' });
    logger.run('report', {}, () => 'x'.repeat(2_000_000));
    expect(transport.rows().map((r) => `${r.table}:${r.phase}`)).toEqual(['audit:start', 'audit:output']);
    expect(logger.stats()).toMatchObject({ deadLettered: 0, shortened: 1 });
  });

  it('shortens task_args in the end record when fn made them unstorable', () => {
    const { transport, logger } = setup();
    const args: Record<string, unknown> = { id: 1 };
    logger.run('mutate', args, () => {
      args.grown = 'g'.repeat(2_000_000);
      return 'done';
    });
    const [, output] = transport.rows();
    expect(output).toMatchObject({ phase: 'output', output: '"done"' });
    expect(JSON.parse(output!.task_args)).toMatchObject({ fiat_omitted: true, reason: 'too_large' });
  });

});

describe('run() when the start record cannot be stored as it is (fail open)', () => {
  it.each([
    ['JSON cannot carry', () => ({ id: 7n }), 'not_json'],
    ['over the record limit', () => ({ blob: 'b'.repeat(2_000_000) }), 'too_large'],
    ['nested 10,000 levels deep', () => deep(10_000), 'too_deep'],
  ])('calls fn and stores the start with task_args %s replaced by an omitted marker, then the end record', (_label, makeArgs, reason) => {
    // Prepare
    const { transport, logger, errors } = setup();
    const value = { ok: true };
    let calls = 0;
    // Act
    const result = logger.run('charge', makeArgs(), () => (calls++, value), { ticket_id: 't-1' });
    // Assess
    expect(result).toBe(value);
    expect(calls).toBe(1);
    const [start, output] = transport.rows();
    expect([start!.phase, output!.phase, start!.audit_id, start!.ticket_id]).toEqual(['start', 'output', output!.audit_id, 't-1']);
    expect(JSON.parse(start!.task_args)).toMatchObject({ fiat_omitted: true, reason });
    expect(output!.task_args).toBe(start!.task_args);
    expect(logger.stats()).toMatchObject({ shortened: 1, unlogged: 0, deadLettered: 0 });
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/^Audit start record of audit_id .* stored shortened: task_args replaced by an omitted marker/)]);
  });

  it('runs fn unaudited after close(), returns its value, and writes no end record (sync and async)', async () => {
    // Prepare
    const { transport, logger, errors } = setup();
    await logger.close();
    // Act
    const sync = logger.run('late', { n: 1 }, () => 'sync value');
    const later = await logger.run('later', { n: 2 }, async () => 'async value');
    // Assess
    expect([sync, later]).toEqual(['sync value', 'async value']);
    expect(transport.rows()).toEqual([]);
    expect(errors.map((e) => [e.code, e.message.replace(/audit_id \S+/, 'audit_id …')])).toEqual([
      ['LOGGER_CLOSED', 'Audit start record of audit_id … was not written: it arrived after close(); the call runs unaudited'],
      ['LOGGER_CLOSED', 'Audit start record of audit_id … was not written: it arrived after close(); the call runs unaudited'],
    ]);
    expect(logger.stats()).toMatchObject({ unlogged: 2 });
  });

  it('rethrows what fn threw when the start record could not be written, and writes no error record', () => {
    const { transport, logger } = setup();
    const boom = new Error('boom');
    expect(thrownBy(() => logger.run('', {}, () => {
      throw boom;
    }))).toBe(boom);
    expect(transport.rows()).toEqual([]);
    expect(logger.stats()).toMatchObject({ unlogged: 1 });
  });

  it.each(['throw', 'deadletter'] as const)('runs fn unaudited when task is empty (onInvalid: %s): nothing in the audit table', (onInvalid) => {
    // Prepare
    const { transport, logger, errors } = setup({ onInvalid });
    // Act
    const result = logger.run('', { n: 1 }, () => 42);
    // Assess
    expect(result).toBe(42);
    expect(transport.rows().filter((r) => r.table === 'audit')).toEqual([]);
    expect(logger.stats()).toMatchObject({ unlogged: 1, shortened: 0 });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/^Audit start record of audit_id .* was not written: .*; the call runs unaudited$/);
  });

  it('runs fn unaudited when ticket_id is not well-formed text (only task_args are ever replaced in a start record)', () => {
    const { transport, logger } = setup();
    expect(logger.run('charge', {}, () => 'charged', { ticket_id: 'nta-\ud800' })).toBe('charged');
    expect(transport.rows()).toEqual([]);
    expect(logger.stats()).toMatchObject({ unlogged: 1, shortened: 0 });
  });

  it('runs fn unaudited when the transport refuses the start record, and writes no orphan end record', () => {
    // Prepare: the transport refuses the first record only
    let writes = 0;
    const { transport, logger, errors } = setup({ failWrites: () => writes++ === 0 });
    // Act
    const result = logger.run('charge', { n: 1 }, () => 'charged');
    // Assess
    expect(result).toBe('charged');
    expect(transport.rows()).toEqual([]);
    expect(logger.stats()).toMatchObject({ unlogged: 1 });
    expect(errors).toHaveLength(1);
  });

  it('log(), the manual API, still throws when the start record cannot be written', async () => {
    const { logger } = setup();
    expect(() => logger.log({ task: '', task_args: {} })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => logger.log({ task: 't', task_args: { n: 1n } })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    await logger.close();
    expect(() => logger.log({ task: 't', task_args: {} })).toThrow(expect.objectContaining({ code: 'LOGGER_CLOSED' }));
  });
});

describe('close() while calls are running', () => {
  it('lets calls already started write their end record, then closes; new calls run fn unaudited', async () => {
    // Prepare
    const { transport, logger, errors } = setup();
    let finish!: (value: string) => void;
    const running = logger.run('slow', {}, () => new Promise<string>((resolve) => (finish = resolve)));
    // Act
    const closed = logger.close();
    const late = logger.run('late', {}, () => 'late value');
    finish('result');
    // Assess
    await expect(running).resolves.toBe('result');
    await closed;
    expect(late).toBe('late value');
    expect(transport.rows().map((r) => `${r.task}:${r.phase}`)).toEqual(['slow:start', 'slow:output']);
    expect(transport.checkpoints()).toMatchObject([{ stream: 'Audit', last_seq: 2, last_hash: transport.rows()[1]!.chain_hash }]);
    expect(errors.map((e) => e.code)).toEqual(['LOGGER_CLOSED']);
  });

  it('after close({ timeoutMs }) gave up waiting, a late end record goes to onError as LOGGER_CLOSED and the call still resolves to its value', async () => {
    const { transport, logger, errors } = setup();
    let finish!: (value: { n: number }) => void;
    const running = logger.run('slower', {}, () => new Promise<{ n: number }>((resolve) => (finish = resolve)));
    await logger.close({ timeoutMs: 1 });
    const value = { n: 1 };
    finish(value);
    expect(await running).toBe(value);
    expect(transport.rows().map((r) => r.phase)).toEqual(['start']);
    expect(errors.map((e) => e.code)).toEqual(['LOGGER_CLOSED']);
    expect(errors[0]!.message).toContain('arrived after close()');
    expect(logger.stats()).toMatchObject({ unlogged: 1 });
  });

  it('logOutput and logError called directly after close() do not throw', async () => {
    const { logger, errors } = setup();
    const call = logger.log({ task: 't', task_args: {} });
    await logger.close();
    expect(call.logOutput({ output: 1 })).toBeUndefined();
    expect(call.logError(new Error('x'))).toBeUndefined();
    expect(errors.map((e) => e.code)).toEqual(['LOGGER_CLOSED', 'LOGGER_CLOSED']);
  });
});
