'use strict';
// The entry point `@fiat/core/validator-runtime`: the few helpers that ajv's standalone validator code
// calls, bound by static imports in the validators `fiat schemas build` writes, so that a bundler
// sees them. Most validators import nothing (`ucs2length` is written inline). One CommonJS file that
// both module formats load: ajv's helpers are CommonJS themselves, and there is no state to duplicate.

/** Deep equality for `enum`/`const` checks of objects and arrays (what ajv's `runtime/equal` is). */
exports.equal = require('fast-deep-equal');

/** ajv-formats' full format checks (`date-time`, `uri`, …), as standalone code reads them. */
exports.fullFormats = require('ajv-formats/dist/formats.js').fullFormats;
