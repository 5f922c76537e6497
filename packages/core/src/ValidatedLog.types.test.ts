// Type tests: `npm run typecheck` compiles this file, so each `@ts-expect-error` below fails the build
// when the line it marks stops being a type error (the typing of log('Name', …) regressed).
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { defineStream } from './defineStream.js';
import type { StreamDefinition } from './stream.js';
import type { StreamFieldsOf, StreamNameOf } from './streamTypes.js';
import { ValidatedLog } from './ValidatedLog.js';
import { memoryTransport } from './test-helpers/memoryTransport.js';

const PageView = defineStream({
  name: 'PageView',
  schema: z.object({ url: z.string(), at: z.iso.datetime(), referrer: z.string().optional(), props: z.unknown() }),
});
const Signup = defineStream({ name: 'Signup', schema: z.object({ user_id: z.string().min(1), plan: z.enum(['free', 'pro']) }) });

const view = { url: '/', at: '2026-11-26T10:00:00.000Z', props: { ab: 'B' } };

describe('log by name is typed from the streams option', () => {
  it('defineStream keeps the name as a literal type', () => {
    expectTypeOf(PageView.name).toEqualTypeOf<'PageView'>();
    expectTypeOf<StreamNameOf<[typeof PageView, typeof Signup]>>().toEqualTypeOf<'PageView' | 'Signup'>();
    expectTypeOf<StreamFieldsOf<[typeof PageView, typeof Signup], 'Signup'>>().toEqualTypeOf<{ user_id: string; plan: 'free' | 'pro' }>();
  });

  it('accepts a known name with its fields, and refuses a misspelt field or an unknown name', () => {
    // Prepare
    const transport = memoryTransport();
    const logger = ValidatedLog.configure(transport, { app: 'web', email: 'web@example.com', streams: [PageView, Signup] });
    // Act
    logger.log('PageView', view);
    logger.log('Signup', { user_id: 'u-1', plan: 'pro' });
    // Assess: each refused line also fails at run time, with the error the types predicted.
    // @ts-expect-error — 'urll' is not a PageView field (and url is missing)
    expect(() => logger.log('PageView', { urll: '/', at: view.at, props: {} })).toThrow(/url/);
    // @ts-expect-error — 'PageVeiw' is not one of the logger's streams
    expect(() => logger.log('PageVeiw', view)).toThrow(/not in this logger's streams/);
    // @ts-expect-error — plan must be 'free' or 'pro'
    expect(() => logger.log('Signup', { user_id: 'u-1', plan: 'gold' })).toThrow(/plan/);
    // @ts-expect-error — Signup's fields are not PageView's
    expect(() => logger.log('Signup', view)).toThrow(/Invalid Signup record/);
    expect(transport.records.map((r) => r.names.table)).toEqual(['page_view', 'signup']);
  });

  it('types log(definition, fields) from the definition, whatever the streams option', () => {
    const logger = ValidatedLog.configure(memoryTransport(), { app: 'web', email: 'web@example.com' });
    logger.log(PageView, view);
    // @ts-expect-error — a logger without streams knows no names
    expect(() => logger.log('PageView', view)).toThrow(/not in this logger's streams \(known: none\)/);
    // @ts-expect-error — 'urll' is not a PageView field
    expect(() => logger.log(PageView, { urll: '/', at: view.at, props: {} })).toThrow(/url/);
  });

  it('keeps streams whose names are only known at run time loggable by any name', () => {
    const loaded: StreamDefinition = PageView as StreamDefinition;
    const logger = ValidatedLog.configure(memoryTransport(), { app: 'web', email: 'web@example.com', streams: [loaded] });
    expectTypeOf(logger.log).toBeCallableWith('PageView', { url: '/' });
    expect(logger.log('PageView', view).stream).toBe('PageView');
  });

  it('a typed logger is still a ValidatedLog', () => {
    const logger = ValidatedLog.configure(memoryTransport(), { app: 'web', email: 'web@example.com', streams: [PageView] });
    const plain: ValidatedLog = logger;
    expect(plain).toBe(logger);
  });
});
