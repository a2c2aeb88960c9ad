// Types of source-state.js for the TypeScript modules that ask whether the compiled build is current
// (engine/real/threads.ts starts real-runtime threads from it when it is).

export declare const BUILD_DIR: string;
export declare const BUILD_STATE: string;
export declare const BUILD_ENTRY: string;
export declare function sourceState(root: string): { sources: number; newestMtimeMs: number };
export declare function buildIsCurrent(root: string): boolean;
