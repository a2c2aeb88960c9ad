// zod, set up for how the command line uses it; every schema module imports it from here
// (`import * as z from './zod.js'`), so the setting holds before any schema is built. A process parses
// a scenario (or a sweep, a cache scenario) once or a few times: zod's generated parsers (one function
// compiled per object shape, made at the first parse) cost more to make than they save over so few
// parses. Without them the reference scenario is loaded in about half the CPU time (issue 5, start-up);
// results are the same.
//
// zod's own `z` is one object holding all of zod (its error messages in fifty languages, JSON Schema
// conversion, ...), so a bundle that takes it takes all of zod, 750 kB. Imported as a namespace of
// named exports, z.object and the others are separate bindings and the bundle holds only those used.

import { config } from 'zod';

config({ jitless: true });

export * from 'zod';
