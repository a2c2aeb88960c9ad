// Entry of every real-runtime thread: registers tsx (a worker does not inherit the parent's loader
// hooks) and imports the TypeScript module named in workerData.entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
