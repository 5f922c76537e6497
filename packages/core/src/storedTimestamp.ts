// The stored form of timestamps: UTC `yyyy-MM-dd HH:mm:ss.SSS`.

/** The pattern of a stored timestamp: UTC `yyyy-MM-dd HH:mm:ss.SSS`. */
export const STORED_TIMESTAMP_PATTERN = '^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}$';

/**
 * The pattern a timestamp input string must match: ISO 8601 with `Z` or an offset, or the stored form.
 * `Date` objects are accepted too (the input schema allows objects; the encoder checks they are valid Dates).
 */
export const TIMESTAMP_INPUT_PATTERN =
  '^(?:\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?(?:[Zz]|[+-]\\d{2}:?\\d{2})|\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3})$';

