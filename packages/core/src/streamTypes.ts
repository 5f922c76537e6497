import type { StreamDefinition } from './stream.js';

/** Any list of stream definitions, as a logger's `streams` option holds them. */
export type StreamList = readonly StreamDefinition<any, string>[];

/**
 * The names `log('Name', …)` accepts for a logger configured with `streams: S`: the union of the
 * streams' literal names (`'Audit' | 'PageView'`), or `string` when a stream's name is not known
 * at compile time (a stream loaded from a schema folder).
 *
 * @example
 * ```ts
 * type Names = StreamNameOf<[typeof Audit, typeof PageView]>; // 'Audit' | 'PageView'
 * ```
 */
export type StreamNameOf<S extends StreamList> = S[number]['name'];

/**
 * The fields `log(name, fields)` accepts for the stream of `S` named `N`.
 *
 * @example
 * ```ts
 * type Fields = StreamFieldsOf<[typeof PageView], 'PageView'>; // { url: string; at: string; … }
 * ```
 */
export type StreamFieldsOf<S extends StreamList, N extends string> =
  S[number] extends infer D ? (D extends StreamDefinition<infer T, infer DN> ? (N extends DN ? T : never) : never) : never;
