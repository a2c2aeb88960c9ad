// A progress bar with simulated time and ETA, shown only when stderr is a terminal (nothing at all
// otherwise, so logs and pipes stay clean).

import cliProgress from 'cli-progress';

export interface Progress {
  update(simulatedMs: number): void;
  stop(): void;
}

export function createProgress(label: string, totalMs: number): Progress {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} |{bar}| {simulated} / {goal} simulated | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  bar.start(totalMs, 0, { simulated: seconds(0), goal: seconds(totalMs) });
  return {
    update: (simulatedMs) => bar.update(Math.min(simulatedMs, totalMs), { simulated: seconds(simulatedMs), goal: seconds(totalMs) }),
    stop: () => bar.stop(),
  };
}
