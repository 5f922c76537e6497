// A Lambda handler that defines its own stream with Zod at run time (not built ahead of time): Zod and
// ajv's compiler are in the bundle and load when the stream is defined.
import { z } from 'zod';
import { defineStream, ValidatedLog } from '@fiat/core';
import { withFlush } from '@fiat/core/firehose';
import { recordingClient } from './recordingClient.js';

export { sent } from './recordingClient.js';

const PageView = defineStream({
  name: 'PageView',
  schema: z.object({ url: z.string().min(1), at: z.iso.datetime(), referrer: z.string().optional(), props: z.unknown() }),
});

const logger = ValidatedLog.configure('firehose', { app: 'web', email: 'web@example.com', client: recordingClient, streams: [PageView] });

export const handler = withFlush(logger, async (event: { views: { url: string; at: string }[] }) => {
  for (const view of event.views) logger.log(PageView, { ...view, props: { ab: 'B' } });
  let refused = '';
  try {
    logger.log(PageView, { url: '', at: 'yesterday', props: null });
  } catch (error) {
    refused = (error as Error).message;
  }
  return { logged: event.views.length, refused };
});
