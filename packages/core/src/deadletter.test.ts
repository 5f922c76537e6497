import { describe, expect, it } from 'vitest';
import { validatorModuleSource } from './compileValidator.js';
import { DeadLetter } from './deadletter.js';

describe('DeadLetter', () => {
  it('ships a precompiled validator that matches its input schema (update with vitest -u)', async () => {
    // Act
    const source = `// @ts-nocheck\n${validatorModuleSource(DeadLetter.inputSchema)}`;

    // Assess
    await expect(source).toMatchFileSnapshot('./generated/FiatDeadletter.validator.ts');
  });

  it('refuses a record without its required fields through the precompiled validator', () => {
    // Act
    const issues = DeadLetter.validate({ stream: 'Audit', error_code: 'VALIDATION_FAILED', issues: [] });

    // Assess
    expect(issues).toEqual([
      { path: 'error_message', message: 'is required' },
      { path: 'raw', message: 'is required' },
    ]);
  });
});
