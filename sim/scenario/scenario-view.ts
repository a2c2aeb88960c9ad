// A ScenarioView over a scenario's plain data, valid or not: each field read on its own through the
// schema, so that the checks across sections can run beside the schema's own findings (one pass).

import type { z } from 'zod';
import type { ScenarioView } from './cross-checks.js';
import { schemaAt, type KeyPath } from './schema-walk.js';
import { valueAt } from './zod-issues.js';

export function scenarioView(schema: z.ZodType, data: unknown): ScenarioView {
  return {
    read<T>(path: KeyPath): T | undefined {
      // Under a section that is not a mapping or list (already reported), no default stands in for the file.
      for (let depth = 1; depth < path.length; depth++) {
        const parent = valueAt(data, path.slice(0, depth));
        if (parent !== undefined && (typeof parent !== 'object' || parent === null)) return undefined;
      }
      const field = schemaAt(schema, path, data);
      if (field === undefined) return undefined;
      const parsed = field.safeParse(valueAt(data, path));
      return parsed.success ? (parsed.data as T) : undefined;
    },
    length(path: KeyPath): number {
      const value = valueAt(data, path);
      return Array.isArray(value) ? value.length : 0;
    },
  };
}
