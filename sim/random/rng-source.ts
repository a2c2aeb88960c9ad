// The simulator's named random streams are the engine's (engine/wiring/seeded-rng-source.ts): one
// implementation, so a stream name means the same numbers in either runtime.

export { SeededRngSource } from '../../engine/wiring/seeded-rng-source.js';
