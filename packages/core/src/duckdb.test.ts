import { describe, expect, it } from 'vitest';
import { duckdbType, sqlString } from './duckdb.js';

describe('duckdbType', () => {
  it.each([
    ['string', 'VARCHAR'],
    ['bigint', 'BIGINT'],
    ['double', 'DOUBLE'],
    ['boolean', 'BOOLEAN'],
    ['timestamp', 'TIMESTAMP'],
    ['date', 'DATE'],
    ['int', 'INTEGER'],
    ['varchar(20)', 'VARCHAR'],
    ['decimal(12,2)', 'DECIMAL(12,2)'],
    ['array<string>', 'VARCHAR[]'],
    ['map<string,bigint>', 'MAP(VARCHAR, BIGINT)'],
    ['struct<a:string,b:array<double>>', 'STRUCT("a" VARCHAR, "b" DOUBLE[])'],
    ['array<struct<a:map<string,decimal(3,1)>,`b`:timestamp>>', 'STRUCT("a" MAP(VARCHAR, DECIMAL(3,1)), "b" TIMESTAMP)[]'],
  ])('maps %s to %s', (athena, duck) => {
    expect(duckdbType(athena)).toBe(duck);
  });

  it.each(['uniontype<int,string>', 'struct<a>', 'geometry'])('refuses %s', (type) => {
    expect(() => duckdbType(type)).toThrow(/Athena type/);
  });
});

describe('sqlString', () => {
  it('doubles single quotes', () => {
    expect(sqlString("a'b''c")).toBe("'a''b''''c'");
  });
});
