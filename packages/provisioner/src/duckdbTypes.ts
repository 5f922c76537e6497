import { parseAthenaType, type ValuePlan } from '@fiat/core';

/**
 * The DuckDB type of an Athena column type, so that one column map serves Athena DDL and the
 * DuckDB view over the local lake.
 *
 * @example
 * ```ts
 * duckdbType('map<string,array<bigint>>'); // 'MAP(VARCHAR, BIGINT[])'
 * duckdbType('struct<a:string,b:timestamp>'); // 'STRUCT("a" VARCHAR, "b" TIMESTAMP)'
 * ```
 */
export function duckdbType(athenaType: string): string {
  return fromPlan(parseAthenaType(athenaType));
}

function fromPlan(plan: ValuePlan): string {
  switch (plan.kind) {
    case 'string':
    case 'json':
      return 'VARCHAR';
    case 'bigint':
      return 'BIGINT';
    case 'double':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'date':
      return 'DATE';
    case 'timestamp':
      return 'TIMESTAMP';
    case 'array':
      return `${fromPlan(plan.items)}[]`;
    case 'map':
      return `MAP(VARCHAR, ${fromPlan(plan.values)})`;
    case 'struct':
      return `STRUCT(${plan.fields.map((f) => `"${f.name}" ${fromPlan(f.plan)}`).join(', ')})`;
  }
}
