import { describe, expect, it } from 'vitest';
import { resolveStreamNames, toSnakeCase } from './names.js';
import { uuidv7 } from './uuid.js';
import { formatTimestamp, isTimestampInput } from './encode.js';
import { athenaType, parseAthenaType } from './athenaType.js';

describe('resolveStreamNames', () => {
  it('derives table, prefix and delivery stream from the stream name', () => {
    expect(resolveStreamNames('Audit')).toEqual({ stream: 'Audit', table: 'audit', prefix: 'audit/', deliveryStream: 'fiat-audit' });
    expect(resolveStreamNames('HTTPRequest').table).toBe('http_request');
    expect(toSnakeCase('PageViewV2')).toBe('page_view_v2');
  });

  it('applies overrides, the prefix following an overridden table', () => {
    expect(resolveStreamNames('Audit', { table: 'audit_v2' })).toEqual({
      stream: 'Audit',
      table: 'audit_v2',
      prefix: 'audit_v2/',
      deliveryStream: 'fiat-audit_v2',
    });
    expect(resolveStreamNames('Audit', { prefix: 'raw/audit/', deliveryStream: 'prod-audit' }).prefix).toBe('raw/audit/');
  });

  it.each([
    [{ table: 'a`b' }, /not a legal Athena identifier/],
    [{ table: "a';drop table x;--" }, /not a legal Athena identifier/],
    [{ prefix: '../audit/' }, /could leave its folder/],
    [{ prefix: 'audit/../../' }, /could leave its folder/],
    [{ prefix: '/abs/' }, /must not start with/],
    [{ prefix: 'audit' }, /must end with/],
    [{ prefix: "a'b/" }, /is not allowed/],
    [{ deliveryStream: 'a b' }, /not a legal Firehose name/],
  ])('refuses %j', (overrides, message) => {
    expect(() => resolveStreamNames('Audit', overrides)).toThrow(message);
  });

  it.each([
    [{ deliveryStream: '..' }, /delivery stream '..' for stream Audit could leave its folder/],
    [{ deliveryStream: '.' }, /could leave its folder/],
    [{ deliveryStream: '.hidden' }, /names starting with '.' are hidden or special/],
    [{ deliveryStream: '_tmp' }, /'_tmp' holds files being written/],
    [{ deliveryStream: '_TMP' }, /'_tmp' holds files being written/],
    [{ deliveryStream: '_fiat_deadletter' }, /reserved for Fiat's own streams/],
    [{ table: '_tmp' }, /table '_tmp' for stream Audit is reserved/],
    [{ table: '_fiat_deadletter' }, /table '_fiat_deadletter' for stream Audit is reserved for Fiat's own streams/],
    [{ table: '_fiatx' }, /reserved for Fiat's own streams/],
    [{ prefix: '_tmp/' }, /prefix '_tmp\/' for stream Audit is reserved/],
    [{ prefix: 'a/_tmp/' }, /prefix 'a\/_tmp\/' for stream Audit is reserved/],
    [{ prefix: '_fiat_deadletter/' }, /reserved for Fiat's own streams/],
  ])('refuses the reserved name %j', (overrides, message) => {
    expect(() => resolveStreamNames('Audit', overrides)).toThrow(message);
  });

  it('lets only the built-in dead-letter stream use its _fiat names', () => {
    const builtIn = { table: '_fiat_deadletter', prefix: '_fiat_deadletter/', deliveryStream: 'fiat-deadletter' };
    expect(resolveStreamNames('FiatDeadletter', builtIn)).toEqual({ stream: 'FiatDeadletter', ...builtIn });
    expect(resolveStreamNames('FiatDeadletter', { ...builtIn, deliveryStream: 'prod-deadletter' }).deliveryStream).toBe('prod-deadletter');
    expect(() => resolveStreamNames('FiatDeadletter', { table: '_fiat_other' })).toThrow(/reserved/);
    expect(() => resolveStreamNames('FiatDeadletter', { deliveryStream: '_fiat_deadletter' })).toThrow(/reserved/);
    expect(resolveStreamNames('Orders', { table: 'fiat_orders', deliveryStream: 'fiat-orders.v2' }).table).toBe('fiat_orders');
  });
});

describe('uuidv7', () => {
  it('is a version 7, variant 10 UUID carrying the millisecond time', () => {
    const now = Date.UTC(2026, 10, 26, 12, 0, 0, 0);
    const id = uuidv7(now);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(now);
  });

  it('increases strictly within one millisecond and never repeats', () => {
    const ids = Array.from({ length: 20_000 }, () => uuidv7(1_800_000_000_000));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});

describe('timestamps', () => {
  it('formats epoch milliseconds as UTC yyyy-MM-dd HH:mm:ss.SSS', () => {
    expect(formatTimestamp(Date.UTC(2026, 0, 2, 3, 4, 5, 6))).toBe('2026-01-02 03:04:05.006');
  });

  it.each([
    ['2026-11-26T10:00:00Z', true],
    ['2026-11-26T10:00:00.123456+05:30', true],
    ['2026-11-26 10:00:00.123', true],
    ['2026-11-26T10:00:00', false],
    ['2026-13-01T00:00:00Z', false],
    ['tomorrow', false],
    [new Date(0), true],
    [new Date(Number.NaN), false],
    [1764151200000, false],
  ])('accepts %s as a timestamp input: %s', (value, ok) => {
    expect(isTimestampInput(value)).toBe(ok);
  });
});

describe('parseAthenaType', () => {
  it.each(['string', 'bigint', 'array<struct<a:bigint,b:map<string,array<timestamp>>>>', 'map<string,double>', 'date', 'boolean'])(
    'round-trips %s',
    (type) => {
      expect(athenaType(parseAthenaType(type))).toBe(type);
    },
  );

  it.each(['int', 'map<bigint,string>', 'array<string', 'string; drop'])('refuses %s', (type) => {
    expect(() => parseAthenaType(type)).toThrow(/Athena type/);
  });
});
