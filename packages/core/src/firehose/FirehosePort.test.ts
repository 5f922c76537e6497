import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { CORE_SRC, removeBundles, runBundled } from '../test-helpers/childProcess.js';
import type { PutRecordBatchInput } from './options.js';

const INPUT: PutRecordBatchInput = { DeliveryStreamName: 'fiat-audit', Records: [{ Data: Buffer.from('{"n":1}\n') }] };
const OK = { FailedPutCount: 0, RequestResponses: [{ RecordId: 'r0' }] };

/** A child script's first lines: a module resolve hook that writes ./sdk-resolved when an @aws-sdk package is asked for. */
const SDK_RESOLVE_HOOK = `
  import { register } from 'node:module';
  const marker = JSON.stringify(process.cwd() + '/sdk-resolved');
  register('data:text/javascript,' + encodeURIComponent(
    "import { writeFileSync } from 'node:fs';" +
    'export async function resolve(specifier, context, next) {' +
    "  if (specifier.startsWith('@aws-sdk/')) writeFileSync(" + marker + ', specifier);' +
    '  return next(specifier, context);' +
    '}'));
`;

afterAll(removeBundles);

afterEach(() => {
  vi.doUnmock('@aws-sdk/client-firehose');
  vi.resetModules();
});

/** The port module, loaded fresh with the AWS SDK replaced: `sdk` is what import('@aws-sdk/client-firehose') gives, or a throw. */
async function portWithSdk(sdk: (() => Record<string, unknown>) | 'missing') {
  vi.resetModules();
  const loads = { count: 0 };
  vi.doMock('@aws-sdk/client-firehose', () => {
    loads.count += 1;
    if (sdk === 'missing') throw Object.assign(new Error("Cannot find package '@aws-sdk/client-firehose'"), { code: 'ERR_MODULE_NOT_FOUND' });
    return sdk();
  });
  const { createFirehosePort } = await import('./FirehosePort.js');
  return { createFirehosePort, loads };
}

describe('createFirehosePort', () => {
  it('calls putRecordBatch(input, { abortSignal }) of an injected client directly, never importing the SDK', async () => {
    // Prepare
    const { createFirehosePort, loads } = await portWithSdk('missing');
    const seen: unknown[] = [];
    const port = createFirehosePort({ client: { putRecordBatch: async (input, options) => (seen.push([input, options?.abortSignal]), OK) } });
    const signal = new AbortController().signal;
    // Act
    const output = await port.putRecordBatch(INPUT, signal);
    // Assess
    expect(output).toEqual(OK);
    expect(seen).toEqual([[INPUT, signal]]);
    expect(loads.count).toBe(0);
  });

  it("sends a plain { operation: 'PutRecordBatch', input } command to a send-only mock, never importing the SDK", async () => {
    const { createFirehosePort, loads } = await portWithSdk('missing');
    const commands: unknown[] = [];
    const port = createFirehosePort({ client: { send: async (command: unknown) => (commands.push(command), OK) } });
    await port.putRecordBatch(INPUT, new AbortController().signal);
    expect(commands).toEqual([{ operation: 'PutRecordBatch', input: INPUT }]);
    expect(loads.count).toBe(0);
  });

  it("gives a FirehoseClient (send only) the SDK's PutRecordBatchCommand, from the module the client came from", async () => {
    // Prepare
    class PutRecordBatchCommand {
      constructor(readonly input: unknown) {}
    }
    const { createFirehosePort, loads } = await portWithSdk(() => ({ PutRecordBatchCommand }));
    const sent: unknown[] = [];
    const sdkLikeClient = { config: {}, middlewareStack: {}, send: async (command: unknown) => (sent.push(command), OK) };
    // Act
    await createFirehosePort({ client: sdkLikeClient }).putRecordBatch(INPUT, new AbortController().signal);
    // Assess
    expect(sent).toEqual([new PutRecordBatchCommand(INPUT)]);
    expect(sent[0]).toBeInstanceOf(PutRecordBatchCommand);
    expect(loads.count).toBe(1);
  });

  it('builds a FirehoseClient from clientConfig on the first call only, with maxAttempts 1', async () => {
    // Prepare
    const built: unknown[] = [];
    class FirehoseClient {
      constructor(config: unknown) {
        built.push(config);
      }
      send = async () => OK;
    }
    class PutRecordBatchCommand {
      constructor(readonly input: unknown) {}
    }
    const { createFirehosePort, loads } = await portWithSdk(() => ({ FirehoseClient, PutRecordBatchCommand }));
    // Act
    const port = createFirehosePort({ clientConfig: { region: 'eu-west-1' } });
    const beforeCall = loads.count;
    await port.putRecordBatch(INPUT, new AbortController().signal);
    await port.putRecordBatch(INPUT, new AbortController().signal);
    // Assess
    expect(beforeCall).toBe(0);
    expect(loads.count).toBe(1);
    expect(built).toEqual([{ maxAttempts: 1, region: 'eu-west-1' }]);
  });

  it('never even resolves @aws-sdk/client-firehose in a bundled transport with an injected client', async () => {
    // Prepare: the SDK is left out of the bundle, the bundle runs in a folder without node_modules, and a
    // resolve hook leaves a marker file if anything asks for an @aws-sdk package
    const script = `
      ${SDK_RESOLVE_HOOK}
      const { createFirehoseTransport } = await import(${JSON.stringify(join(CORE_SRC, 'firehose/index.ts'))});
      const names = { stream: 'Audit', table: 'audit', prefix: 'audit/', deliveryStream: 'fiat-audit' };
      const received = [];
      const clients = {
        batch: { putRecordBatch: async (input) => (received.push(input.Records.length), { RequestResponses: input.Records.map(() => ({ RecordId: 'r' })) }) },
        send: { send: async (command) => (received.push(command.input.Records.length), { RequestResponses: command.input.Records.map(() => ({ RecordId: 'r' })) }) },
      };
      const stats = {};
      for (const [name, client] of Object.entries(clients)) {
        const transport = createFirehoseTransport({ client, spoolDir: 'spool-' + name });
        for (let i = 0; i < 10; i++) transport.write({ names, line: JSON.stringify({ i }) + '\\n', eventId: String(i), time: Date.now() });
        await transport.close();
        stats[name] = transport.stats();
      }
      process.stdout.write(JSON.stringify({ stats, received }));
    `;
    // Act
    const run = await runBundled(script, { external: ['@aws-sdk/client-firehose'] });
    // Assess
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { stats } = JSON.parse(run.stdout);
    expect(stats.batch).toMatchObject({ delivered: 10, spooled: 0 });
    expect(stats.send).toMatchObject({ delivered: 10, spooled: 0 });
    expect(existsSync(join(run.dir, 'sdk-resolved'))).toBe(false);
  }, 60_000);

  it('spools and reports CONFIG_INVALID naming the package when clientConfig is given and the SDK is not installed', async () => {
    // Prepare
    const script = `
      const { createFirehoseTransport } = await import(${JSON.stringify(join(CORE_SRC, 'firehose/index.ts'))});
      const errors = [];
      const transport = createFirehoseTransport({ clientConfig: { region: 'eu-west-1' }, spoolDir: 'spool', onError: (e) => errors.push(e.code + ' ' + e.message + ' / ' + e.cause?.message) });
      transport.write({ names: { stream: 'Audit', table: 'audit', prefix: 'audit/', deliveryStream: 'fiat-audit' }, line: '{"i":1}\\n', eventId: '1', time: Date.now() });
      const report = await transport.close();
      process.stdout.write(JSON.stringify({ report, errors }));
    `;
    // Act
    const run = await runBundled(script, { external: ['@aws-sdk/client-firehose'] });
    // Assess
    expect(run.code).toBe(0);
    const { report, errors } = JSON.parse(run.stdout);
    expect(report).toMatchObject({ delivered: 0, spooled: 1 });
    expect(errors).toEqual([expect.stringMatching(/^DELIVERY_FAILED 1 records .* \(the Firehose client could not be created\); .* option clientConfig needs @aws-sdk\/client-firehose: npm i @aws-sdk\/client-firehose$/)]);
  }, 60_000);
});
