// The parts of the ADSS study, each a set of its sweeps (study-sweeps.ts): the profiles ×
// selectors at the base point (table2), the axis over broker count and slowdown (axis), and the
// replica-group, cold-start, rate-control and statistics-scope figures (extras). Kept apart from the
// study so that the command line can check the names without loading the simulator.

export const STUDY_PARTS = ['table2', 'axis', 'extras'] as const;
export type StudyPart = (typeof STUDY_PARTS)[number];
