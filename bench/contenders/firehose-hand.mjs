// Firehose path, the competent hand-written producer (lib/hand-producer.mjs) with the real SDK.
import { runProducer } from '../lib/firehose-driver.mjs';
import { createHandProducer } from '../lib/hand-producer.mjs';
import { LOGGER_OPTIONS } from '../lib/records.mjs';

await runProducer(({ clientConfig }) => createHandProducer({ clientConfig, deliveryStreamName: 'fiat-audit', envelope: LOGGER_OPTIONS }));
