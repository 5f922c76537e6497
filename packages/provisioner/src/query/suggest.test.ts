import { describe, expect, it } from 'vitest';
import { editDistance, missingTableHint, nearestTable } from './suggest.js';

const tables = ['audit', '_fiat_deadletter', 'page_view'];

describe('table suggestions', () => {
  it('measures edits, a swap of neighbours counting as one', () => {
    expect(editDistance('audit', 'audit')).toBe(0);
    expect(editDistance('adit', 'audit')).toBe(1);
    expect(editDistance('aduit', 'audit')).toBe(1);
    expect(editDistance('pageview', 'page_view')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests only near names', () => {
    expect(nearestTable('adit', tables)).toBe('audit');
    expect(nearestTable('AUDIT', tables)).toBe('audit');
    expect(nearestTable('pageviews', tables)).toBe('page_view');
    expect(nearestTable('orders', tables)).toBeUndefined();
  });

  it("reads DuckDB's, the fake Athena's and Athena's missing-table messages", () => {
    expect(missingTableHint('Catalog Error: Table with name adit does not exist!', tables)).toBe('did you mean audit?');
    expect(missingTableHint('Athena query q FAILED: TABLE_NOT_FOUND: Table with name aduit does not exist!', tables)).toBe('did you mean audit?');
    expect(missingTableHint("Athena query q FAILED: TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.fiat.audt' does not exist", tables)).toBe('did you mean audit?');
    expect(missingTableHint('Catalog Error: Table with name orders does not exist!', tables)).toBe('tables: audit, _fiat_deadletter, page_view');
    expect(missingTableHint('Parser Error: syntax error at or near "SELEC"', tables)).toBeUndefined();
  });
});
