import { describe, expect, it } from 'vitest';
import { isFiatError } from '../errors.js';
import { parseRedactAction, strongerAction } from './actions.js';
import { codePointLength, truncateCodePoints } from './apply.js';

describe('redaction actions', () => {
  it('normalize every accepted form', () => {
    expect(parseRedactAction('drop', 'f')).toEqual({ action: 'drop' });
    expect(parseRedactAction('mask', 'f')).toEqual({ action: 'mask' });
    expect(parseRedactAction({ action: 'mask', showLength: true }, 'f')).toEqual({ action: 'mask', showLength: true });
    expect(parseRedactAction({ action: 'mask', showLength: false }, 'f')).toEqual({ action: 'mask' });
    expect(parseRedactAction({ action: 'hash' }, 'f')).toEqual({ action: 'hash' });
    expect(parseRedactAction({ action: 'truncate', length: 4 }, 'f')).toEqual({ action: 'truncate', length: 4 });
  });

  it.each([['encrypt'], [{ action: 'truncate' }], [{ action: 'truncate', length: 0 }], [{ action: 'mask', length: 3 }], [{ action: 'hash', salt: 'x' }], [null], [7]])(
    'refuse %j naming where it was declared',
    (value) => {
      let thrown: unknown;
      try {
        parseRedactAction(value, "field 'email'");
      } catch (error) {
        thrown = error;
      }
      expect(isFiatError(thrown, 'INVALID_DEFINITION')).toBe(true);
      expect((thrown as Error).message).toMatch(/^field 'email': redaction/);
    },
  );

  it('prefer the action that reveals least', () => {
    expect(strongerAction({ action: 'hash' }, { action: 'mask' })).toEqual({ action: 'mask' });
    expect(strongerAction({ action: 'mask', showLength: true }, { action: 'mask' })).toEqual({ action: 'mask' });
    expect(strongerAction({ action: 'truncate', length: 9 }, { action: 'truncate', length: 2 })).toEqual({ action: 'truncate', length: 2 });
    expect(strongerAction({ action: 'truncate', length: 2 }, { action: 'drop' })).toEqual({ action: 'drop' });
  });

  it('count and truncate by code points, never splitting a surrogate pair', () => {
    expect(codePointLength('a😀b')).toBe(3);
    expect(truncateCodePoints('a😀b', 2)).toBe('a😀');
    expect(truncateCodePoints('😀😀', 1)).toBe('😀');
    expect(truncateCodePoints('ab\ud800cd', 3)).toBe('ab\ufffd');
    expect(truncateCodePoints('abc', 5)).toBe('abc');
  });
});
