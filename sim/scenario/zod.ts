// zod, set up for how the command line uses it; every schema module imports `z` from here, so the
// setting holds before any schema is built. A process parses a scenario (or a sweep, a cache
// scenario) once or a few times: zod's generated parsers (one function compiled per object shape,
// made at the first parse) cost more to make than they save over so few parses. Without them the
// reference scenario is loaded in about half the CPU time (issue 5, start-up); results are the same.

import { z } from 'zod';

z.config({ jitless: true });

export { z };
