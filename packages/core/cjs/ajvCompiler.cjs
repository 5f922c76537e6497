'use strict';
// CommonJS on purpose. A require() inside a function is the one load that is both synchronous and
// lazy, that Node runs from ES modules too, and that every bundler (esbuild, webpack, Rollup) sees
// and follows. ajv's compiler takes ~45 ms to import: it is loaded only when a validator must be
// compiled at run time (a stream defined with defineStream and not built ahead of time) or when
// `fiat schemas build` writes validator code. Importing @fiat/core or @fiat/audit never loads it.

let compiler;
let standalone;

/** ajv's draft 2020-12 compiler (with its code template tag) and ajv-formats, loaded on first call. */
function loadAjvCompiler() {
  if (compiler === undefined) {
    const ajv = require('ajv/dist/2020.js');
    const addFormats = require('ajv-formats');
    compiler = { Ajv2020: ajv.Ajv2020, code: ajv._, addFormats: addFormats.default ?? addFormats };
  }
  return compiler;
}

/** ajv's standalone code generator, loaded on first call (build time only). */
function loadAjvStandalone() {
  standalone ??= require('ajv/dist/standalone/index.js').default;
  return standalone;
}

exports.loadAjvCompiler = loadAjvCompiler;
exports.loadAjvStandalone = loadAjvStandalone;
