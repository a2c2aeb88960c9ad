// Turns the schema's findings into operator messages at file positions: the key path, what was
// expected and what the file held, a did-you-mean for a misspelt key or word, and "missing required
// key" where the file lacks one.

import type { z } from 'zod';
import type { IssueLocator } from './issue-locator.js';
import type { ScenarioIssue } from './scenario-error.js';
import { describeValue } from './schema-fields.js';
import { allowedKeys, schemaAt, type KeyPath } from './schema-walk.js';
import { didYouMean } from './suggest.js';

/** A key path as the operator reads it: `workload.classes.0.qps`. */
export function pathText(path: KeyPath): string {
  return path.length === 0 ? 'the scenario' : path.join('.');
}

/** The value at `path` in plain data, or undefined where the path leads nowhere. */
export function valueAt(data: unknown, path: KeyPath): unknown {
  let value = data;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

/** The words allowed where the issue's value is, for an enum or a union discriminator. */
function allowedWords(issue: z.core.$ZodIssue): readonly string[] | undefined {
  if (issue.code === 'invalid_value') return issue.values.map(String);
  if (issue.code === 'invalid_union' && 'options' in issue && Array.isArray(issue.options)) return issue.options.map(String);
  return undefined;
}

function messageFor(issue: z.core.$ZodIssue, data: unknown): string {
  const path = issue.path as KeyPath;
  const value = valueAt(data, path);
  const words = allowedWords(issue);
  if (value === undefined && path.length > 0 && issue.code !== 'custom') {
    const parent = pathText(path.slice(0, -1));
    const expected = words ? `expected one of ${words.join(', ')}` : issue.message.replace(/, got nothing$/, '');
    return `missing required key "${String(path[path.length - 1])}" in ${parent} (${expected})`;
  }
  if (issue.code === 'invalid_union' && words) {
    return `${pathText(path)}: expected one of ${words.join(', ')}, got ${describeValue(value)}${didYouMean(value, words)}`;
  }
  return `${pathText(path)}: ${issue.message}${words ? didYouMean(value, words) : ''}`;
}

/** Every issue the schema found, located in the file. */
export function scenarioIssuesFromZod(
  issues: readonly z.core.$ZodIssue[],
  schema: z.ZodType,
  data: unknown,
  locator: IssueLocator,
): ScenarioIssue[] {
  return issues.flatMap((issue) => {
    const path = issue.path as KeyPath;
    if (issue.code !== 'unrecognized_keys') return [locator.at(path, messageFor(issue, data))];
    const here = schemaAt(schema, path, data);
    const allowed = here ? (allowedKeys(here, valueAt(data, path)) ?? []) : [];
    return issue.keys.map((key) =>
      locator.atKey(path, key, `unknown key "${key}" in ${pathText(path)}${didYouMean(key, allowed)}`),
    );
  });
}
