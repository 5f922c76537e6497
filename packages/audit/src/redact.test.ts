import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import type { FiatError } from '@fiat/core';
import { Audit } from './Audit.js';
import { auditHandler } from './lambda.js';
import { memoryTransport } from './test-helpers/memory.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function configure(options: Partial<Parameters<typeof Audit.configure>[1]> = {}) {
  const transport = memoryTransport();
  const errors: FiatError[] = [];
  const logger = Audit.configure(transport, { app: 'audit', email: 'rich@example.com', onError: (error) => errors.push(error), ...options });
  return { transport, logger, errors };
}

describe('Audit redaction', () => {
  it('masks secret keys at any depth of task_args and output by default', () => {
    // Prepare
    const { transport, logger } = configure();
    // Act
    logger.run('login', { user: 'ann', password: 'hunter2', headers: { Authorization: 'Bearer abc', 'Set-Cookie': 'sid=1' }, api_key: 'k1' }, () => ({
      session: { token: 't0k3n', privateKey: 'pk', expires: 3600 },
    }));
    // Assess
    const [start, output] = transport.lines();
    expect(JSON.parse(start?.task_args as string)).toEqual({
      user: 'ann',
      password: '[redacted]',
      headers: { Authorization: '[redacted]', 'Set-Cookie': '[redacted]' },
      api_key: '[redacted]',
    });
    expect(JSON.parse(output?.output as string)).toEqual({ session: { token: '[redacted]', privateKey: '[redacted]', expires: 3600 } });
    const text = JSON.stringify(transport.lines());
    for (const secret of ['hunter2', 'Bearer abc', 'sid=1', 'k1"', 't0k3n', '"pk"']) expect(text).not.toContain(secret);
  });

  it('stores them as given with redact: false, which warns once', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const { transport, logger } = configure({ redact: false });
      logger.log({ task: 'login', task_args: { password: 'hunter2' } });
      expect(transport.lines()[0]?.task_args).toBe('{"password":"hunter2"}');
      expect(warn.mock.calls.filter((call) => (call[1] as { code?: string } | undefined)?.code === 'FIAT_REDACTION_DISABLED')).toHaveLength(1);
    } finally {
      warn.mockRestore();
    }
  });

  it('applies its detectors to arguments, outputs and the error messages logError and run store', async () => {
    const { transport, logger } = configure({ redact: { detect: ['email', 'card'] } });
    expect(() =>
      logger.run('charge', { note: 'for ann@example.com' }, () => {
        throw new Error('card 4111 1111 1111 1111 declined for ann@example.com');
      }),
    ).toThrow('card 4111 1111 1111 1111 declined for ann@example.com');
    await expect(logger.run('fetch', {}, async () => Promise.reject(new TypeError('no user bob@example.com')))).rejects.toThrow('bob@example.com');
    const rows = transport.lines();
    expect(rows.map((r) => r.error_message ?? JSON.parse(r.task_args as string).note ?? null)).toEqual([
      'for [redacted:email]',
      'card [redacted:card] declined for [redacted:email]',
      null,
      'no user [redacted:email]',
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/ann@|bob@|4111/);
  });

  it('applies its detectors to the error name too (a custom error may put anything there)', () => {
    const { transport, logger } = configure({ redact: { detect: ['email'] } });
    class AccountError extends Error {
      override name = 'AccountError(ann@example.com)';
    }
    expect(() =>
      logger.run('close_account', {}, () => {
        throw new AccountError('closed');
      }),
    ).toThrow('closed');
    const error = transport.lines().find((r) => r.phase === 'error');
    expect(error).toMatchObject({ error_name: 'AccountError([redacted:email])', error_message: 'closed' });
  });

  it('applies its detectors to what it reports to onError', async () => {
    const { logger, errors } = configure({ redact: { detect: ['email'] } });
    const handler = auditHandler(logger, async () => 'ok', {
      pickArgs: () => {
        throw new Error('cannot pick the arguments of ann@example.com');
      },
    });
    await handler({}, { functionName: 'f', awsRequestId: 'r-1' });
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('[redacted:email]')]);
    expect(JSON.stringify(errors.map((e) => [e.message, e.issues, e.cause]))).not.toContain('ann@example.com');
  });

  it('hashes the redacted value, never the secret, in the omitted marker of a shortened record', () => {
    const { transport, logger, errors } = configure();
    logger.run('export', {}, () => ({ password: 'hunter2', rows: 'r'.repeat(2_000_000) }));
    const output = JSON.parse(transport.lines()[1]?.output as string) as { sha256: string; reason: string };
    expect(output.reason).toBe('too_large');
    expect(output.sha256).toBe(sha256(JSON.stringify({ password: '[redacted]', rows: 'r'.repeat(2_000_000) })));
    expect(errors).toHaveLength(1);
  });
});
