// Athena types as written in DDL: from a column plan (athenaType) and back (parseAthenaType).
import { FiatError } from './errors.js';
import type { FieldPlan, ValuePlan } from './columnPlan.js';

/** One Athena column: name and type as written in DDL, e.g. `{ name: 'tags', type: 'map<string,string>' }`. */
export interface Column {
  readonly name: string;
  readonly type: string;
  /** What is stored instead of the input, for redacted columns (`athena.json` and DDL `COMMENT`). */
  readonly comment?: string;
}

/**
 * The Athena type of a stored value, as written in DDL.
 *
 * @example
 * ```ts
 * athenaType({ kind: 'array', items: { kind: 'timestamp' } }); // 'array<timestamp>'
 * ```
 */
export function athenaType(plan: ValuePlan): string {
  switch (plan.kind) {
    case 'json':
      return 'string';
    case 'int64':
      return 'bigint';
    case 'array':
      return `array<${athenaType(plan.items)}>`;
    case 'map':
      return `map<string,${athenaType(plan.values)}>`;
    case 'struct':
      return `struct<${plan.fields.map((field) => `${field.name}:${athenaType(field.plan)}`).join(',')}>`;
    default:
      return plan.kind;
  }
}

/**
 * Parses an Athena/Hive type as written in DDL (`array<struct<a:bigint>>`) into a plan. `string`
 * columns parse as `string`; whether one holds JSON text is told by the stored JSON Schema.
 * Throws `INVALID_DEFINITION` for types Fiat does not write.
 *
 * @example
 * ```ts
 * parseAthenaType('map<string,array<double>>');
 * // { kind: 'map', values: { kind: 'array', items: { kind: 'double' } } }
 * ```
 */
export function parseAthenaType(type: string): ValuePlan {
  let position = 0;
  const text = type.replace(/\s+/g, '').toLowerCase();
  const fail = (why: string): never => {
    throw new FiatError('INVALID_DEFINITION', `Athena type '${type}' ${why}`);
  };
  const expect = (token: string): void => {
    if (!text.startsWith(token, position)) fail(`is malformed: expected '${token}' at ${position}`);
    position += token.length;
  };
  const name = (): string => {
    const match = /^[a-z_][a-z0-9_]*/.exec(text.slice(position));
    if (!match) return fail(`is malformed at ${position}`);
    position += match[0].length;
    return match[0];
  };
  const parse = (): ValuePlan => {
    const head = name();
    switch (head) {
      case 'string':
      case 'bigint':
      case 'double':
      case 'boolean':
      case 'date':
      case 'timestamp':
        return { kind: head };
      case 'array': {
        expect('<');
        const items = parse();
        expect('>');
        return { kind: 'array', items };
      }
      case 'map': {
        expect('<');
        if (name() !== 'string') fail('has a map key that is not string');
        expect(',');
        const values = parse();
        expect('>');
        return { kind: 'map', values };
      }
      case 'struct': {
        expect('<');
        const fields: FieldPlan[] = [];
        for (;;) {
          const field = name();
          expect(':');
          fields.push({ name: field, plan: parse(), required: false, nullable: true });
          if (text[position] === ',') position += 1;
          else break;
        }
        expect('>');
        return { kind: 'struct', fields };
      }
      default:
        return fail(`uses '${head}', which Fiat does not write (string, bigint, double, boolean, date, timestamp, array, map, struct)`);
    }
  };
  const plan = parse();
  if (position !== text.length) fail(`has trailing text at ${position}`);
  return plan;
}
