import { describe, expect, it } from 'vitest';
import { splitStatements } from './statements.js';

describe('splitStatements', () => {
  it.each([
    ['SELECT 1', ['SELECT 1'], 0],
    ['SELECT 1;', ['SELECT 1'], 1],
    ['  SELECT 1 ;  -- done\n', ['SELECT 1'], 1],
    ["SELECT 'a;b' AS x", ["SELECT 'a;b' AS x"], 0],
    ["SELECT 'it''s; fine' AS x;", ["SELECT 'it''s; fine' AS x"], 1],
    ['SELECT 1 AS "a;b"', ['SELECT 1 AS "a;b"'], 0],
    ['SELECT 1 AS "say ""hi"";"', ['SELECT 1 AS "say ""hi"";"'], 0],
    ['SELECT `x;y` FROM t', ['SELECT `x;y` FROM t'], 0],
    ['SELECT 1 -- a; b\n', ['SELECT 1 -- a; b'], 0],
    ['SELECT /* ; */ 1', ['SELECT /* ; */ 1'], 0],
    ['SELECT 1; SELECT 2', ['SELECT 1', 'SELECT 2'], 1],
    ["SELECT ';'; DROP TABLE audit; -- ;", ["SELECT ';'", 'DROP TABLE audit'], 2],
    ['SELECT 1;;', ['SELECT 1'], 2],
    ['-- only a comment', [], 0],
    ["SELECT 'unterminated; still one", ["SELECT 'unterminated; still one"], 0],
    ['SELECT 1 /* unterminated ; comment', ['SELECT 1 /* unterminated ; comment'], 0],
  ])('%j → %j (%i top-level semicolons)', (sql, statements, semicolons) => {
    expect(splitStatements(sql)).toEqual({ statements, semicolons });
  });
});
