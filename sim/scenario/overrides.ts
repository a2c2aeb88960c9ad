// `--set path=value` overrides (`routing.selector=hybrid`, `workload.classes.0.qps=3000`), applied
// to the YAML document before validation so that a sweep can vary one knob of a scenario file. A path
// must exist in the schema (an unknown key gets a did-you-mean) and list indices must exist in the file.

import { parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import type { AppliedOverride } from './issue-locator.js';
import type { ScenarioIssue } from './scenario-error.js';
import { describeValue } from './schema-fields.js';
import { stepInto, type KeyPath, type Step } from './schema-walk.js';
import { didYouMean } from './suggest.js';
import { pathText } from './zod-issues.js';

export interface OverrideResult {
  readonly applied: readonly AppliedOverride[];
  readonly issues: readonly ScenarioIssue[];
}

type Checked = { readonly ok: true; readonly path: KeyPath } | { readonly ok: false; readonly message: string };

function childOf(data: unknown, key: string | number): unknown {
  return typeof data === 'object' && data !== null ? (data as Record<string | number, unknown>)[key] : undefined;
}

/** The path of `segments` as the document takes it (list indices as numbers), or why it does not exist. */
function checkPath(schema: z.ZodType, data: unknown, segments: readonly string[]): Checked {
  const path: (string | number)[] = [];
  let current = schema;
  let value = data;
  for (const segment of segments) {
    const where = pathText(path);
    const step = stepInto(current, value, segment);
    if (!step.ok) return { ok: false, message: stepProblem(step, where, segment) };
    const isMapping = typeof value === 'object' && !Array.isArray(value);
    if (typeof step.key === 'string' && value !== undefined && !isMapping) {
      return { ok: false, message: `${where} is ${describeValue(value)} in the file, not a mapping` };
    }
    path.push(step.key);
    current = step.schema;
    value = childOf(value, step.key);
  }
  return { ok: true, path };
}

function stepProblem(step: Exclude<Step, { ok: true }>, where: string, segment: string): string {
  switch (step.reason) {
    case 'unknownKey':
      return `unknown key "${segment}" in ${where}${didYouMean(segment, step.allowed)}`;
    case 'badIndex':
      if (!/^[0-9]+$/.test(segment)) return `expected an element number in ${where}, got "${segment}"`;
      if (step.length === 0) return `${where} has no element ${segment}: the list is empty`;
      return `${where} has no element ${segment}: its elements are numbered 0 to ${step.length - 1}`;
    case 'notACollection':
      return `${where} is a single value; it has no key "${segment}"`;
  }
}

/** Turns empty values (`routing:` with nothing after it) on the way to `path` into mappings to set into. */
function makeRoom(doc: Document, path: KeyPath): void {
  for (let depth = 1; depth < path.length; depth++) {
    const prefix = path.slice(0, depth);
    if (doc.getIn(prefix) === null) doc.setIn(prefix, doc.createNode({}));
  }
}

/** The document as plain data, or undefined where it cannot be converted (reported by the loader). */
function documentData(doc: Document): unknown {
  try {
    return doc.toJS();
  } catch {
    return undefined;
  }
}

/** Applies each override to `doc` in order; an override that cannot be applied is reported and skipped. */
export function applyOverrides(doc: Document, schema: z.ZodType, overrides: readonly string[]): OverrideResult {
  const applied: AppliedOverride[] = [];
  const issues: ScenarioIssue[] = [];
  overrides.forEach((override, index) => {
    const label = `--set ${index + 1} (${override})`;
    const fail = (message: string) => issues.push({ file: label, line: 0, column: 0, message });
    const equals = override.indexOf('=');
    const segments = override.slice(0, Math.max(equals, 0)).split('.');
    if (equals <= 0 || segments.some((segment) => segment === '')) {
      fail('expected path=value, e.g. routing.selector=hybrid');
      return;
    }
    const checked = checkPath(schema, documentData(doc), segments);
    if (!checked.ok) {
      fail(checked.message);
      return;
    }
    const value = parseDocument(override.slice(equals + 1), { prettyErrors: false });
    if (value.errors.length > 0) {
      fail(`the value is not valid YAML: ${value.errors[0].message}`);
      return;
    }
    try {
      makeRoom(doc, checked.path);
      doc.setIn(checked.path, value.contents);
      applied.push({ label, path: checked.path });
    } catch (error) {
      fail(`cannot set ${pathText(checked.path)}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  return { applied, issues };
}
