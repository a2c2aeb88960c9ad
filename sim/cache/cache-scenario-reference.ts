// The cache scenario file reference for the README, generated from the cache scenario schema so that
// it cannot drift from what `twin cache` accepts.

import { renderSchemaReference } from '../scenario/scenario-reference.js';
import { cacheScenarioSchema } from './cache-scenario-schema.js';

const PREAMBLE = [
  '### Cache scenario file reference',
  'A cache scenario is a YAML file run with `twin cache`; `kind: cache` marks it in `scenarios/`. Every key is optional; the resolved scenario a run writes shows every default. Units as for cluster scenarios; device bandwidths are sizes per second.',
];

/** The reference, a heading level below the cluster scenarios', naming Alluxio's and Presto's keys as theirs. */
export function renderCacheScenarioReference(): string {
  return renderSchemaReference(cacheScenarioSchema, PREAMBLE)
    .replace(/^### /gm, '#### ')
    .replace(/^#### Cache scenario/m, '### Cache scenario')
    .replace(/ Pinot: `(alluxio\.[^`]*)`/g, ' Alluxio: `$1`')
    .replace(/ Pinot: `/g, ' Presto: `');
}
