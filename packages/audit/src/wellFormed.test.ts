import { describe, expect, it } from 'vitest';
import { Audit } from './Audit.js';
import { memoryTransport } from './test-helpers/memory.js';

describe('logError with text that is not well-formed Unicode', () => {
  it('stores an error whose name and message hold lone surrogates, with U+FFFD in their place', () => {
    // Prepare: a message cut in the middle of an emoji, as .slice() does.
    const transport = memoryTransport();
    const logger = Audit.configure(transport, { app: 'audit', email: 'a@b.c' });
    const error = new Error('card 👋 declined'.slice(0, 6));
    error.name = 'Bad\ud800Error';
    // Act
    logger.log({ task: 'charge', task_args: [1] }).logError(error);
    // Assess
    expect(transport.lines()[1]).toMatchObject({ phase: 'error', error_name: 'Bad\ufffdError', error_message: 'card \ufffd' });
  });
});
