import { readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { FiatError, resolveLakeDir, resolveStreamNames, type StreamNameOverrides } from '@fiat/core';
import { DEFAULT_PROJECTION_RANGE, PROJECTION_RANGE, PROJECTION_RANGE_RULE } from './athena/projectionRange.js';
import { AWS_REGION_NAME, IAM_ROLE_ARN, S3_BUCKET_NAME, S3_LOCATION } from './awsNames.js';

/** `fiat.config.json` after defaults, environment variables and flags are applied. */
export interface FiatConfig {
  /** AWS region, e.g. `eu-west-1`. Env: `FIAT_REGION`, else `AWS_REGION`. */
  readonly region?: string;
  /** Glue/Athena database. Env: `FIAT_DATABASE`. Default: `fiat`. */
  readonly database: string;
  /** S3 bucket the delivery streams write to. Env: `FIAT_BUCKET`. */
  readonly bucket?: string;
  /** IAM role Firehose assumes. Env: `FIAT_ROLE_ARN`. */
  readonly roleArn?: string;
  /** KMS key for SSE-KMS. Env: `FIAT_KMS_KEY_ARN`. */
  readonly kmsKeyArn?: string;
  /** Athena workgroup. Env: `FIAT_WORKGROUP`. Default: `primary`. */
  readonly workgroup: string;
  /** Athena query results location (`s3://…/`). Env: `FIAT_OUTPUT_LOCATION`. */
  readonly outputLocation?: string;
  /** The local lake. Env: `FIAT_LAKE_DIR`. Default: `.fiat/lake` (`/tmp/fiat-lake` in AWS Lambda). */
  readonly lakeDir: string;
  /** Schema folders. Env: `FIAT_SCHEMAS_DIR`. Default: `schemas`. */
  readonly schemasDir: string;
  /** Per-stream overrides of table, prefix and delivery stream. */
  readonly streams: Readonly<Record<string, StreamNameOverrides>>;
  /**
   * Modules whose exported stream definitions the CLI uses like the built-in streams (absolute
   * paths, resolved from the working directory). `.js`/`.mjs`/`.cjs`, or `.ts`/`.mts`/`.cts` when
   * Node can import TypeScript. Env: `FIAT_STREAMS` (comma-separated); flag `--streams`. Default: none.
   */
  readonly streamModules: readonly string[];
  /** Endpoint for every AWS client (a fake or LocalStack). Env: `FIAT_ENDPOINT`. Default: the AWS endpoint of `region`. */
  readonly endpoint?: string;
  /** Athena endpoint; wins over `endpoint`. Env: `FIAT_ATHENA_ENDPOINT`. Default: `endpoint`. */
  readonly athenaEndpoint?: string;
  /** Firehose endpoint; wins over `endpoint`. Env: `FIAT_FIREHOSE_ENDPOINT`. Default: `endpoint`. */
  readonly firehoseEndpoint?: string;
  /** CloudWatch Logs endpoint; wins over `endpoint`. Env: `FIAT_LOGS_ENDPOINT`. Default: `endpoint`. */
  readonly logsEndpoint?: string;
  /** IAM endpoint; wins over `endpoint`. Env: `FIAT_IAM_ENDPOINT`. Default: `endpoint`. */
  readonly iamEndpoint?: string;
  /** S3 endpoint (path-style addressing); wins over `endpoint`. Env: `FIAT_S3_ENDPOINT`. Default: `endpoint`. */
  readonly s3Endpoint?: string;
  /** JSON SerDe of created tables: `hive` or `openx`. Env: `FIAT_SERDE`. Default: `hive`. */
  readonly serde: 'hive' | 'openx';
  /** Partition projection range of `dt`. Env: `FIAT_PROJECTION_RANGE`. Default: `NOW-5YEARS,NOW`. */
  readonly projectionRange: string;
  /** Firehose buffering size, 1–128 MB. Env: `FIAT_BUFFER_SIZE_MB`. Default: `1`. */
  readonly bufferSizeMB: number;
  /** Firehose buffering interval, 0–900 s. Env: `FIAT_BUFFER_INTERVAL_SECONDS`. Default: `60`. */
  readonly bufferIntervalSeconds: number;
}

/** Default Firehose buffering size in MB (as the seed's console setup). */
export const DEFAULT_BUFFER_SIZE_MB = 1;
/** Default Firehose buffering interval in seconds (as the seed's console setup). */
export const DEFAULT_BUFFER_INTERVAL_SECONDS = 60;

const STRING_KEYS = [
  'region',
  'database',
  'bucket',
  'roleArn',
  'kmsKeyArn',
  'workgroup',
  'outputLocation',
  'lakeDir',
  'schemasDir',
  'endpoint',
  'athenaEndpoint',
  'firehoseEndpoint',
  'logsEndpoint',
  'iamEndpoint',
  's3Endpoint',
  'serde',
  'projectionRange',
] as const;
type StringKey = (typeof STRING_KEYS)[number];

const NUMBER_KEYS = ['bufferSizeMB', 'bufferIntervalSeconds'] as const;
type NumberKey = (typeof NUMBER_KEYS)[number];

const NUMBER_RULES: Record<NumberKey, { env: string; min: number; max: number; fallback: number }> = {
  bufferSizeMB: { env: 'FIAT_BUFFER_SIZE_MB', min: 1, max: 128, fallback: DEFAULT_BUFFER_SIZE_MB },
  bufferIntervalSeconds: { env: 'FIAT_BUFFER_INTERVAL_SECONDS', min: 0, max: 900, fallback: DEFAULT_BUFFER_INTERVAL_SECONDS },
};

/** Flags that override configuration keys (strings, as typed on the command line; `streamModules` comma-separated). */
export type ConfigFlags = Partial<Record<StringKey | NumberKey | 'streamModules', string>>;

const ENV: Record<StringKey, string> = {
  region: 'FIAT_REGION',
  database: 'FIAT_DATABASE',
  bucket: 'FIAT_BUCKET',
  roleArn: 'FIAT_ROLE_ARN',
  kmsKeyArn: 'FIAT_KMS_KEY_ARN',
  workgroup: 'FIAT_WORKGROUP',
  outputLocation: 'FIAT_OUTPUT_LOCATION',
  lakeDir: 'FIAT_LAKE_DIR',
  schemasDir: 'FIAT_SCHEMAS_DIR',
  endpoint: 'FIAT_ENDPOINT',
  athenaEndpoint: 'FIAT_ATHENA_ENDPOINT',
  firehoseEndpoint: 'FIAT_FIREHOSE_ENDPOINT',
  logsEndpoint: 'FIAT_LOGS_ENDPOINT',
  iamEndpoint: 'FIAT_IAM_ENDPOINT',
  s3Endpoint: 'FIAT_S3_ENDPOINT',
  serde: 'FIAT_SERDE',
  projectionRange: 'FIAT_PROJECTION_RANGE',
};

const ENDPOINT: [RegExp, string] = [/^https?:\/\/[^\s/?#'"`;]+(\/[^\s'"`;]*)?$/, 'an http(s) URL such as http://127.0.0.1:4566'];

const PATTERNS: Partial<Record<StringKey, [RegExp, string]>> = {
  region: [AWS_REGION_NAME, 'an AWS region such as eu-west-1'],
  database: [/^[a-z_][a-z0-9_]{0,254}$/, 'lowercase letters, digits and underscore'],
  bucket: [S3_BUCKET_NAME, 'an S3 bucket name'],
  roleArn: [IAM_ROLE_ARN, 'an IAM role ARN'],
  kmsKeyArn: [/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/, 'a KMS key ARN'],
  workgroup: [/^[a-zA-Z0-9._-]{1,128}$/, 'an Athena workgroup name'],
  outputLocation: [S3_LOCATION, 'an s3:// location ending with /'],
  endpoint: ENDPOINT,
  athenaEndpoint: ENDPOINT,
  firehoseEndpoint: ENDPOINT,
  logsEndpoint: ENDPOINT,
  iamEndpoint: ENDPOINT,
  s3Endpoint: ENDPOINT,
  serde: [/^(hive|openx)$/, 'hive or openx'],
  projectionRange: [PROJECTION_RANGE, PROJECTION_RANGE_RULE],
};

/**
 * Loads `fiat.config.json` from `cwd` (if present), then applies `FIAT_*` environment variables,
 * then `flags`. Every value is checked; a bad one is a `CONFIG_INVALID` error naming the key.
 *
 * @example
 * ```ts
 * const config = await loadConfig({ cwd: process.cwd(), env: process.env, flags: { lakeDir: '/tmp/lake' } });
 * ```
 */
export async function loadConfig(options: {
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly flags?: ConfigFlags;
  readonly configPath?: string;
}): Promise<FiatConfig> {
  const env = options.env ?? {};
  const path = options.configPath ?? join(options.cwd, 'fiat.config.json');
  let file: Record<string, unknown> = {};
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if (options.configPath !== undefined) {
      throw new FiatError('CONFIG_INVALID', `cannot read config ${path}: ${(cause as Error).message}`, { cause });
    }
  }
  if (text !== undefined) {
    try {
      file = JSON.parse(text) as Record<string, unknown>;
    } catch (cause) {
      throw new FiatError('CONFIG_INVALID', `${path} is not valid JSON: ${(cause as Error).message}`, { cause });
    }
    if (typeof file !== 'object' || file === null || Array.isArray(file)) {
      throw new FiatError('CONFIG_INVALID', `${path} must hold a JSON object`);
    }
    const known = new Set<string>([...STRING_KEYS, ...NUMBER_KEYS, 'streams', 'streamModules', '$schema']);
    for (const key of Object.keys(file)) {
      if (!known.has(key)) throw new FiatError('CONFIG_INVALID', `${path}: unknown key '${key}' (known: ${[...known].join(', ')})`);
    }
  }
  const values: Partial<Record<StringKey, string>> = {};
  for (const key of STRING_KEYS) {
    const fromFlag = options.flags?.[key];
    const fromEnv = env[ENV[key]] || (key === 'region' ? env.AWS_REGION : undefined) || undefined;
    const fromFile = file[key];
    if (fromFile !== undefined && typeof fromFile !== 'string') {
      throw new FiatError('CONFIG_INVALID', `config key ${key} must be a string, got ${JSON.stringify(fromFile)}`);
    }
    const value = fromFlag ?? fromEnv ?? (fromFile as string | undefined);
    if (value === undefined) continue;
    const rule = PATTERNS[key];
    if (rule !== undefined && !rule[0].test(value)) {
      throw new FiatError('CONFIG_INVALID', `config key ${key} must be ${rule[1]}, got ${JSON.stringify(value)}`);
    }
    values[key] = value;
  }
  const numbers = {} as Record<NumberKey, number>;
  for (const key of NUMBER_KEYS) {
    const rule = NUMBER_RULES[key];
    const fromFile = file[key];
    if (fromFile !== undefined && typeof fromFile !== 'number') {
      throw new FiatError('CONFIG_INVALID', `config key ${key} must be a number, got ${JSON.stringify(fromFile)}`);
    }
    const raw = options.flags?.[key] ?? (env[rule.env] || undefined);
    const value = raw !== undefined ? (/^\d+$/.test(raw) ? Number(raw) : Number.NaN) : ((fromFile as number | undefined) ?? rule.fallback);
    if (!Number.isInteger(value) || value < rule.min || value > rule.max) {
      throw new FiatError('CONFIG_INVALID', `config key ${key} must be an integer from ${rule.min} to ${rule.max}, got ${JSON.stringify(raw ?? fromFile)}`);
    }
    numbers[key] = value;
  }
  const streams = (file.streams ?? {}) as Record<string, unknown>;
  if (typeof streams !== 'object' || streams === null || Array.isArray(streams)) {
    throw new FiatError('CONFIG_INVALID', 'config key streams must be an object keyed by stream name');
  }
  for (const [name, override] of Object.entries(streams)) {
    if (typeof override !== 'object' || override === null) {
      throw new FiatError('CONFIG_INVALID', `config key streams.${name} must be an object of { table, prefix, deliveryStream }`);
    }
    for (const [key, value] of Object.entries(override)) {
      if (!['table', 'prefix', 'deliveryStream'].includes(key) || typeof value !== 'string') {
        throw new FiatError('CONFIG_INVALID', `config key streams.${name}.${key} is not a string table, prefix or deliveryStream`);
      }
    }
    try {
      resolveStreamNames(name, override as StreamNameOverrides);
    } catch (error) {
      throw new FiatError('CONFIG_INVALID', `config key streams.${name}: ${(error as Error).message}`, { cause: error });
    }
  }
  return {
    ...values,
    database: values.database ?? 'fiat',
    workgroup: values.workgroup ?? 'primary',
    lakeDir: resolveLakeDir(values.lakeDir, { env, cwd: options.cwd }),
    schemasDir: resolve(options.cwd, values.schemasDir ?? 'schemas'),
    streams: streams as Record<string, StreamNameOverrides>,
    streamModules: resolveStreamModules(file.streamModules, options.flags?.streamModules ?? (env.FIAT_STREAMS || undefined), options.cwd),
    serde: (values.serde ?? 'hive') as 'hive' | 'openx',
    projectionRange: values.projectionRange ?? DEFAULT_PROJECTION_RANGE,
    ...numbers,
  };
}

/** Extensions a stream module may have: JavaScript always, TypeScript when Node can import it. */
export const STREAM_MODULE_EXTENSIONS: readonly string[] = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'];

/**
 * The `streamModules` of the configuration: the flag or `FIAT_STREAMS` (comma-separated) when
 * given, else the file's array; each path checked for its extension and resolved from `cwd`.
 */
function resolveStreamModules(fromFile: unknown, override: string | undefined, cwd: string): string[] {
  let paths: string[];
  if (override !== undefined) {
    paths = override.split(',').map((p) => p.trim()).filter((p) => p !== '');
  } else if (fromFile === undefined) {
    paths = [];
  } else if (Array.isArray(fromFile) && fromFile.every((p) => typeof p === 'string' && p.trim() !== '')) {
    paths = fromFile as string[];
  } else {
    throw new FiatError('CONFIG_INVALID', `config key streamModules must be an array of module paths, got ${JSON.stringify(fromFile)}`);
  }
  for (const path of paths) {
    if (!STREAM_MODULE_EXTENSIONS.includes(extname(path))) {
      throw new FiatError('CONFIG_INVALID', `config key streamModules: ${JSON.stringify(path)} must end with ${STREAM_MODULE_EXTENSIONS.join(', ')}`);
    }
  }
  return paths.map((p) => resolve(cwd, p));
}
