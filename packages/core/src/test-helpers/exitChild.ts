// A child process for the exit tests: logs N records to a local lake, then ends the way argv says.
import '../durable/index.js';
import { ValidatedLog } from '../ValidatedLog.js';
import { ChildEvents as Events, ChildLedger as Ledger } from './childStream.js';

// A fourth argument, a folder, turns on durability 'disk' with its write-ahead log there.
const [lakeDir, mode, countText = '100', walDir] = process.argv.slice(2);
const logger = ValidatedLog.configure('local', {
  app: 'child',
  email: 'child@example.com',
  streams: [Events, Ledger],
  ...(lakeDir ? { lakeDir } : {}),
  ...(walDir ? { durability: 'disk' as const, walDir } : {}),
});
for (let n = 0; n < Number(countText); n++) {
  logger.log(Events, { n });
  if (n % 10 === 0) logger.log(Ledger, { n });
}

const ready = (): void => void process.stdout.write('ready\n');
switch (mode) {
  case 'close':
    await logger.close();
    break;
  case 'beforeExit':
    break;
  case 'process.exit':
    process.exit(3);
    break;
  case 'uncaught':
    setTimeout(() => {
      throw new Error('boom from the application');
    }, 0);
    break;
  case 'rejection':
    void Promise.reject(new Error('rejected by the application'));
    break;
  case 'sigterm':
    setInterval(() => undefined, 1000);
    ready();
    break;
  case 'sigterm-handled':
    process.on('SIGTERM', () => process.exit(143));
    setInterval(() => undefined, 1000);
    ready();
    break;
  default:
    throw new Error(`unknown mode ${mode}`);
}
