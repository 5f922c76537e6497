/** The names a new stream's files use. */
export interface StreamTemplateNames {
  /** The stream's name, e.g. `PageView`. */
  readonly name: string;
  /** Its camelCase form, e.g. `pageView` (for `pageViewSchema`, `pageViewDefinition`). */
  readonly property: string;
  /** Its table, e.g. `page_view`. */
  readonly table: string;
  /** The one-line description written into `json_schema.json`. */
  readonly description: string;
}

/**
 * `src/definitions/<Name>.ts`: the Zod source of the stream, with a starter schema to change.
 *
 * @example
 * ```ts
 * tree.write('packages/schemas/src/definitions/PageView.ts', definitionTemplate(names));
 * ```
 */
export function definitionTemplate(n: StreamTemplateNames): string {
  return `import type { DefineStreamOptions } from '@fiat/core';
import { z } from 'zod';

/**
 * The Zod source of the ${n.name} stream — the one place to change it. After a change, run
 * \`npm run schemas:build\` (it rewrites \`src/generated/${n.name}*.ts\` and \`schemas/${n.name}/\`); until
 * then \`fiat schemas check\` fails CI.
 *
 * @example
 * \`\`\`ts
 * ${n.property}Schema.parse({ id: '${n.table}-1', at: '2026-11-26T10:00:00.000Z' });
 * \`\`\`
 */
export const ${n.property}Schema = z.object({
  id: z.string().min(1).describe('What identifies one ${n.name} record.'),
  at: z.iso.datetime().describe('When it happened (ISO 8601).'),
  details: z.unknown().optional().describe('Free-form details, stored as JSON text.'),
});

/**
 * The ${n.name} stream's definition options, listed in \`builtInDefinitions\`.
 *
 * @example
 * \`\`\`ts
 * defineStream(${n.property}Definition).names.table; // '${n.table}'
 * \`\`\`
 */
export const ${n.property}Definition: DefineStreamOptions<typeof ${n.property}Schema, '${n.name}'> = {
  name: '${n.name}',
  description: ${JSON.stringify(n.description)},
  schema: ${n.property}Schema,
};
`;
}

/**
 * `src/streams/<Name>.ts`: the precompiled stream as the package exports it, and its fields type.
 *
 * @example
 * ```ts
 * tree.write('packages/schemas/src/streams/PageView.ts', streamTemplate(names));
 * ```
 */
export function streamTemplate(n: StreamTemplateNames): string {
  return `import type { z } from 'zod';
import type { ${n.property}Schema } from '../definitions.js';

/**
 * The ${n.name} stream (table \`${n.table}\`): ${n.description}
 * Built from precompiled parts (\`src/generated/\`), so importing it loads neither Zod nor ajv.
 *
 * @example
 * \`\`\`ts
 * import { ${n.name} } from '@fiat/schemas';
 * logger.log(${n.name}, { id: '${n.table}-1', at: new Date().toISOString() });
 * \`\`\`
 */
export { ${n.name} } from '../generated/${n.name}.js';

/** The fields of a ${n.name} record, as \`log(${n.name}, …)\` accepts them. */
export type ${n.name}Fields = z.input<typeof ${n.property}Schema>;
`;
}

/**
 * `src/streams/<Name>.test.ts`: the precompiled stream matches its Zod source, validates and logs.
 *
 * @example
 * ```ts
 * tree.write('packages/schemas/src/streams/PageView.test.ts', testTemplate(names));
 * ```
 */
export function testTemplate(n: StreamTemplateNames): string {
  return `import { describe, expect, it } from 'vitest';
import { defineStream, ValidatedLog, type Transport, type TransportRecord } from '@fiat/core';
import { ${n.property}Definition } from '../definitions/${n.name}.js';
import { ${n.name} } from './${n.name}.js';

// A record the schema accepts and one it refuses: keep them in step with src/definitions/${n.name}.ts.
const valid = { id: '${n.table}-1', at: '2026-11-26T10:00:00.000Z', details: { source: 'test' } };
const invalid = { id: '', at: 'yesterday', unknown_field: true };

function memoryTransport(): Transport & { readonly records: TransportRecord[] } {
  const records: TransportRecord[] = [];
  return {
    kind: 'memory',
    records,
    write: (record) => void records.push(record),
    flush: async () => undefined,
    close: async () => ({ delivered: records.length, undelivered: 0 }),
    stats: () => ({ received: records.length, delivered: records.length, pending: 0, failed: 0, objects: 0, bytes: 0 }),
  };
}

describe('${n.name}', () => {
  it('the precompiled stream equals the one defineStream makes from the Zod source', () => {
    const fromZod = defineStream(${n.property}Definition);
    expect(${n.name}.columns).toEqual(fromZod.columns);
    expect(${n.name}.jsonSchema).toEqual(fromZod.jsonSchema);
    expect(${n.name}.names).toEqual(fromZod.names);
  });

  it('accepts the valid record and refuses the invalid one with the issues of the Zod source', () => {
    const fromZod = defineStream(${n.property}Definition);
    expect(${n.name}.validate(valid)).toEqual([]);
    expect(${n.name}.validate(invalid)).not.toEqual([]);
    expect(${n.name}.validate(invalid)).toEqual(fromZod.validate(invalid));
  });

  it('is logged by name with the envelope, to table ${n.table}', async () => {
    // Prepare
    const transport = memoryTransport();
    const logger = ValidatedLog.configure(transport, { app: 'test', email: 'test@example.com', streams: [${n.name}] });
    // Act
    const entry = logger.log('${n.name}', valid);
    await logger.close();
    // Assess
    expect(transport.records.map((r) => r.names.table)).toEqual(['${n.table}']);
    expect(JSON.parse(transport.records[0]!.line)).toMatchObject({ event_id: entry.eventId, app: 'test', email: 'test@example.com' });
  });
});
`;
}
