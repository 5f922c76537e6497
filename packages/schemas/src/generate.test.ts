import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defineStream } from '@fiat/core';
import { builtInDefinitions } from './definitions.js';
import { checkGeneratedStreams } from './generate.js';
import { Audit } from './streams/Audit.js';

const generatedDir = resolve(fileURLToPath(new URL('.', import.meta.url)), 'generated');

describe('precompiled built-in streams', () => {
  it('the committed src/generated modules match the Zod source (run: fiat schemas build)', async () => {
    expect(await checkGeneratedStreams(generatedDir, builtInDefinitions)).toEqual([]);
  });

  it('the precompiled Audit equals the one defineStream makes from the Zod source', () => {
    const fromZod = defineStream(builtInDefinitions[0]!);
    expect(Audit.columns).toEqual(fromZod.columns);
    expect(Audit.jsonSchema).toEqual(fromZod.jsonSchema);
    expect(Audit.inputSchema).toEqual(fromZod.inputSchema);
    expect(Audit.fields).toEqual(fromZod.fields);
  });

  it('the precompiled validator accepts and refuses exactly as the runtime-compiled one', () => {
    const fromZod = defineStream(builtInDefinitions[0]!);
    const inputs: unknown[] = [
      { audit_id: 'a', phase: 'start', task: 't', task_args: { x: 1 } },
      { audit_id: 'a', phase: 'output', task: 't', task_args: null, output: [1, 2], duration_ms: 1.5, ticket_id: 'n-1' },
      { audit_id: '', phase: 'start', task: 't', task_args: {} },
      { audit_id: 'a', phase: 'begin', task: 't', task_args: {} },
      { audit_id: 'a', phase: 'start', task: 't' },
      { audit_id: 'a', phase: 'start', task: 't', task_args: {}, duration_ms: -1 },
      { audit_id: 'a', phase: 'start', task: 't', task_args: {}, extra: 1 },
      { audit_id: 7, phase: 'start', task: ['t'], task_args: {} },
      'not an object',
    ];
    for (const input of inputs) expect(Audit.validate(input)).toEqual(fromZod.validate(input));
    expect(Audit.validate(inputs[5]).map((i) => `${i.path}: ${i.message}`)).toEqual(['duration_ms: must be >= 0']);
  });
});
