import { describe, expect, it } from 'vitest';
import { resolveStreamNames, toSnakeCase } from './names.js';
import { uuidv7 } from './uuid.js';
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
