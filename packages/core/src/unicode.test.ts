import { describe, expect, it } from 'vitest';
import { findIllFormed, shortenText, toWellFormed } from './unicode.js';

const wave = '👋';
const lone = wave.slice(0, 1);

describe('toWellFormed', () => {
  it('replaces a lone surrogate with U+FFFD and keeps pairs', () => {
    expect(toWellFormed(`hi ${lone}`)).toBe('hi \uFFFD');
    expect(toWellFormed(`hi ${wave}`)).toBe(`hi ${wave}`);
  });
});

describe('shortenText', () => {
  it('keeps short text as it is, made well-formed', () => {
    expect(shortenText('abc', 3)).toBe('abc');
    expect(shortenText(`a${lone}`, 5)).toBe('a\uFFFD');
  });

  it('cuts long text and says how much was left out', () => {
    expect(shortenText('a'.repeat(10), 4)).toBe('aaaa … (6 more characters)');
  });

  it('never cuts a surrogate pair in half', () => {
    // Prepare: the cut falls between the two halves of the emoji
    const text = `abc${wave}def`;
    // Act
    const short = shortenText(text, 4);
    // Assess
    expect(short).toBe('abc … (5 more characters)');
    expect(short.isWellFormed()).toBe(true);
  });
});

describe('findIllFormed', () => {
  it('names the first string or key with a lone surrogate, keys shown with U+FFFD', () => {
    expect(findIllFormed({ a: 'ok', b: { c: `x${lone}` } })).toBe('b.c');
    expect(findIllFormed({ tags: { [lone]: 'x' } })).toBe('tags.\uFFFD');
    expect(findIllFormed({ a: ['ok', wave] })).toBeUndefined();
  });
});
