// A fake Firehose server in its own process, so that its work is not counted in the process measured.
// Prints its endpoint as one JSON line, then serves until stdin closes.
import { startFakeFirehoseServer } from '@fiat/testing';

const faults = process.argv[2] ? JSON.parse(process.argv[2]) : {};
const server = await startFakeFirehoseServer({ port: 0, faults });
process.stdout.write(`${JSON.stringify({ endpoint: server.endpoint })}\n`);
process.stdin.resume();
process.stdin.on('end', async () => {
  await server.close();
  process.exit(0);
});
