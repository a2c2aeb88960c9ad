// Renders the ADSS study as Markdown: the twin's Table 2 beside the paper's words with a verdict per
// selector, the figures per profile and selector (mean ± 95 % CI over seeds), the axis over broker
// count and slowdown, the replica-group figure (a production figure in the paper), the cold start, C3
// with its rate control, and statistics per server or per class.

import type { SelectorKind } from '../../engine/routing/server-selector.js';
import { loadScenarioFile } from '../scenario/load-scenario.js';
import { AXIS_SELECTORS, BASE_BROKERS, BASE_SLOWDOWN, BROKER_AXIS, RATE_CONTROL_BROKERS, SLOWDOWN_AXIS, STUDY_PROFILES, STUDY_SELECTORS, type StudyCell, type StudyResults } from './adss-study.js';
import { formatEstimate } from './confidence.js';
import { brokersLabel, PAPER_TABLE_2, THRESHOLDS, verdictOf, wordsOf } from './paper-verdicts.js';
import { C3_ABSIM_STARTING_RATE, rateControlLoad, rateControlVerdict } from './rate-control-demand.js';

const share = (cell: StudyCell) => formatEstimate(cell.share);
const percent = (cell: StudyCell, pick: (c: StudyCell) => StudyCell['degraded']) => formatEstimate(pick(cell), 1, 100, ' %');
const msOf = (value: number | null) => (value === null || !Number.isFinite(value) ? 'never' : value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`);

/** "k/n seeds, median t" for per-seed times where null means never. */
function timesOf(values: readonly (number | null)[]): string {
  const reached = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (reached.length === 0) return `never (0/${values.length})`;
  return `${msOf(reached[Math.floor((reached.length - 1) / 2)])} (${reached.length}/${values.length})`;
}

export function renderStudy(results: StudyResults): string {
  return [renderTable2(results), renderDetail(results), renderAxis(results), renderReplicaGroup(results), renderColdStart(results), renderRateControl(results), renderStatsScope(results)].filter((section) => section !== '').join('\n\n');
}

function find(cells: readonly StudyCell[], profile: string, selector: SelectorKind, brokers = BASE_BROKERS, slowdown = BASE_SLOWDOWN): StudyCell | undefined {
  return cells.find((c) => c.profile === profile && c.selector === selector && c.brokers === brokers && c.slowdown === slowdown);
}

function renderTable2(results: StudyResults): string {
  const randomAt = (profile: string) => find(results.table2, profile, 'random');
  const lines = [
    `Table 2 of seed 004 as the twin measures it: ${results.seeds.length} seeds per cell, the five profiles at the twin's base point (${BASE_BROKERS} brokers, one server ${BASE_SLOWDOWN}x slower), the word most profiles give, the paper's word in brackets. ` +
      `The thresholds that turn numbers into words are the twin's own, not the paper's (sim/study/paper-verdicts.ts): diverted at all below ${THRESHOLDS.undivertedShare} of the fair share; fast when the share falls below 0.1 of fair within ${THRESHOLDS.fastDiversionMs / 1000} s and stays there until the fault ends; recovery immediate within ${THRESHOLDS.immediateRecoveryMs / 1000} s, "2–3 s" within ${THRESHOLDS.slowRecoveryMs / 1000} s; oscillation high above ${THRESHOLDS.highOscillationRatio}x the random selector's. ` +
      'The verdict is undetermined where the word changes over the axis of broker counts and slowdowns, which the paper does not give.',
    '',
    '| Selector | Slow server share (× fair: mean over profiles, range of the profiles\' means) | Diversion | Oscillation | Recovery | Verdict | Why |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const selector of STUDY_SELECTORS) {
    const base = results.table2.filter((c) => c.selector === selector);
    const axis = results.axis.filter((c) => c.selector === selector);
    const v = verdictOf(selector, base, axis, randomAt);
    const paper = PAPER_TABLE_2[selector];
    const said = (measured: string, words: string | undefined) => (words === undefined ? measured : `${measured} [${words}]`);
    const shares = base.map((c) => c.share.mean).filter((x): x is number => x !== null);
    const meanShare = shares.length === 0 ? '–' : `${(shares.reduce((a, b) => a + b, 0) / shares.length).toFixed(2)} (${Math.min(...shares).toFixed(2)}–${Math.max(...shares).toFixed(2)})`;
    lines.push(
      `| ${selector} | ${meanShare} | ${said(v.diversion, paper?.diversion)} | ${said(v.oscillation, paper?.oscillation)} | ${said(v.recovery, paper?.recovery)} | ${v.verdict} | ${v.detail} |`,
    );
  }
  return lines.join('\n');
}

function renderDetail(results: StudyResults): string {
  const randomAt = (profile: string) => find(results.table2, profile, 'random');
  const rows = STUDY_PROFILES.flatMap((profile) =>
    STUDY_SELECTORS.flatMap((selector) => {
      const cell = find(results.table2, profile.label, selector);
      if (cell === undefined) return [];
      const words = wordsOf(cell, randomAt(profile.label));
      const ratio = words.oscillationRatio === null ? '–' : `${words.oscillationRatio.toFixed(2)}×`;
      return [
        `| ${profile.label} | ${selector} | ${share(cell)} | ${timesOf(cell.diversionMs)} | ${timesOf(cell.recoveryMs)} | ${formatEstimate(cell.oscillation)} (${ratio}) | ${percent(cell, (c) => c.degraded)} | ${formatEstimate(cell.p99DuringFaultMs, 0, 1, ' ms')} | ${words.diversion} / ${words.oscillation} / ${words.recovery} |`,
      ];
    }),
  );
  return [
    `Every cell: mean ± 95 % confidence half-width over ${results.seeds.length} seeds (seeds ${results.seeds.join(', ')}); one server slowed from 15 s to 35 s of 60 s. Diversion: median time after which the slow server's share stayed below 0.1 of fair until the fault's end (seeds where it did / all). Recovery: median time after the fault's end to 0.9 of fair.`,
    '',
    '| Profile | Selector | Slow server share (× fair) | Diversion | Recovery | Oscillation CV (× random) | Degraded | p99 during fault | Words |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

function renderAxis(results: StudyResults): string {
  const header = ['Profile', 'Selector', ...BROKER_AXIS.map(brokersLabel), ...SLOWDOWN_AXIS.filter((s) => s !== BASE_SLOWDOWN).map((s) => `${s}x slower`)];
  const rows = AXIS_SELECTORS.flatMap((selector) =>
    STUDY_PROFILES.map((profile) => {
      const at = (brokers: number, slowdown: number) => {
        const cell = brokers === BASE_BROKERS && slowdown === BASE_SLOWDOWN ? find(results.table2, profile.label, selector) : find(results.axis, profile.label, selector, brokers, slowdown);
        return cell === undefined ? '–' : share(cell);
      };
      return `| ${profile.label} | ${selector} | ${BROKER_AXIS.map((b) => at(b, BASE_SLOWDOWN)).join(' | ')} | ${SLOWDOWN_AXIS.filter((s) => s !== BASE_SLOWDOWN).map((s) => at(BASE_BROKERS, s)).join(' | ')} |`;
    }),
  );
  return [
    `The slow server's share of its fair share during the fault over the axis the paper does not give: broker count at ${BASE_SLOWDOWN}x, then slowdown at ${BASE_BROKERS} brokers (mean ± 95 % CI over ${results.seeds.length} seeds). Each broker keeps its own statistics, so with more brokers each sees fewer answers and smaller in-flight counts, and Pinot's score weighs them differently.`,
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows,
  ].join('\n');
}

function renderReplicaGroup(results: StudyResults): string {
  if (results.replicaGroup === null) return '';
  const { withoutAdss, withAdss } = results.replicaGroup;
  const without = withoutAdss.degraded.mean ?? 0;
  const withIt = withAdss.degraded.mean ?? 1;
  const agrees = without > 0.25 && without < 0.42 && withIt < 0.1;
  return [
    'Replica-group routing, replication 3, one slow server. The paper\'s figures here are from LinkedIn production (section 4.4: about 33 % of queries degraded under replica-group routing, under 10 % with ADSS over 12 weeks), not from its simulator; the twin compares its simulation of a configuration the paper does not give (threads, load, servers per group) with them. The 33 % is arithmetic: one of three groups holds the slow server.',
    '',
    '| Routing | Degraded queries | Slow server share (× fair) | p99 during fault |',
    '| --- | --- | --- | --- |',
    `| replica groups, round-robin (Pinot default) | ${percent(withoutAdss, (c) => c.degraded)} | ${share(withoutAdss)} | ${formatEstimate(withoutAdss.p99DuringFaultMs, 0, 1, ' ms')} |`,
    `| replica groups, hybrid ADSS (one ranking per query) | ${percent(withAdss, (c) => c.degraded)} | ${share(withAdss)} | ${formatEstimate(withAdss.p99DuringFaultMs, 0, 1, ' ms')} |`,
    '',
    agrees
      ? 'Agrees with the production figures (25-42 % counted as about a third, under 10 % with ADSS).'
      : 'Disagrees with the production figures (25-42 % would count as about a third, and under 10 % with ADSS).',
  ].join('\n');
}

function renderColdStart(results: StudyResults): string {
  if (results.coldStart === null) return '';
  const { withoutPrior, withPrior } = results.coldStart;
  const fixed = (withPrior.p99DuringFaultMs.mean ?? Infinity) < (withoutPrior.p99DuringFaultMs.mean ?? 0) / 10;
  return [
    'Cold start with a slow server (seed 004 section 4.3, edge cases; moving averages start at 0, the server is 50x slower from the start):',
    '',
    '| Latency prior | Slow server share (× fair) | Degraded queries | p99 during fault |',
    '| --- | --- | --- | --- |',
    `| none | ${share(withoutPrior)} | ${percent(withoutPrior, (c) => c.degraded)} | ${formatEstimate(withoutPrior.p99DuringFaultMs, 0, 1, ' ms')} |`,
    `| 1 ms | ${share(withPrior)} | ${percent(withPrior, (c) => c.degraded)} | ${formatEstimate(withPrior.p99DuringFaultMs, 0, 1, ' ms')} |`,
    '',
    fixed
      ? 'Agrees with the paper: without a prior the brokers funnel queries to the slow server until its first answers return; a 1 ms prior prevents that (p99 during the fault over ten times lower).'
      : 'Disagrees with the paper: the prior did not lower the p99 during the fault tenfold here.',
  ].join('\n');
}

function renderRateControl(results: StudyResults): string {
  if (results.rateControl.length === 0) return '';
  const checks = results.rateControl.map((cell) => {
    const without = cell.brokers === BASE_BROKERS ? find(results.table2, cell.profile, 'c3') : find(results.axis, cell.profile, 'c3', cell.brokers, cell.slowdown);
    const load = rateControlLoad(loadScenarioFile(cell.file, [`cluster.brokers=${cell.brokers}`]));
    return { cell, without, load, ...rateControlVerdict(cell) };
  });
  const rows = checks.map(({ cell, without, load, throttledSeeds, verdict }) => {
    const w = (f: (c: StudyCell) => string) => (without === undefined ? '–' : f(without));
    const demand = load.demand === null ? '–' : load.demand.toFixed(2);
    const starting = `${load.startingRate.toFixed(1)}${load.startingRate === C3_ABSIM_STARTING_RATE ? '' : ' (twin)'}`;
    return `| ${cell.profile} | ${cell.brokers} | ${demand} / ${starting} | ${w(share)} / ${share(cell)} | ${w((c) => percent(c, (x) => x.notCompleted))} / ${percent(cell, (x) => x.notCompleted)} | ${w((c) => formatEstimate(c.p99DuringFaultMs, 0, 1, ' ms'))} / ${formatEstimate(cell.p99DuringFaultMs, 0, 1, ' ms')} | ${formatEstimate(cell.longestBacklogWaitMs, 1, 1, ' ms')} | ${throttledSeeds}/${cell.runs.length} | ${verdict} |`;
  });
  const failed = checks.filter((c) => c.verdict === 'fails');
  const open = checks.filter((c) => c.verdict.startsWith('undetermined'));
  const intervalMs = checks[0].load.rateIntervalMs;
  return [
    `C3 without / with its rate control (the authors' simulator's master rules; \`routing.c3.rateControl\`), at ${RATE_CONTROL_BROKERS.join(' and ')} brokers. ` +
      `Demand: the requests one broker sends one server per ${intervalMs} ms rate interval with the load spread evenly; starting rate: Rmax·(1 − β), the rate the rules give a broker at its first increase (absim: ${C3_ABSIM_STARTING_RATE}; "twin" where the profile sets \`routing.c3.initialRmax\`) (sim/study/rate-control-demand.ts). ` +
      'A seed is throttled when a request waited in a broker\'s backlog longer than one rate interval (summary.json\'s `rateControl.throttledBrokers`); the longest wait is the mean over seeds of the longest of any broker. ' +
      'Issue 6 requires that rate control never throttle a broker below its demand on any profile.',
    '',
    '| Profile | Brokers | Demand / starting rate (per server, per interval) | Slow server share (× fair) | Not completed | p99 during fault | Longest backlog wait | Throttled seeds | Verdict |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    failed.length > 0
      ? `Does not hold: brokers are throttled on ${failed.map((c) => `${c.cell.profile} at ${c.cell.brokers} brokers (${c.throttledSeeds}/${c.cell.runs.length} seeds)`).join(', ')}.`
      : open.length > 0
        ? `Undetermined: ${open.length} of ${checks.length} points have a seed without the rate-control measure (a cell run before it existed: rerun it).`
        : `Holds: no broker is throttled in any seed (${checks.length} points).`,
  ].join('\n');
}

function renderStatsScope(results: StudyResults): string {
  if (results.statsScope.length === 0) return '';
  const rows = results.statsScope.flatMap(({ selector, perServer, perClass }) => [
    `| ${selector} | per server (Pinot) | ${formatEstimate(perServer.oscillation)} | ${share(perServer)} | ${percent(perServer, (c) => c.degraded)} |`,
    `| ${selector} | per class and server (seed 004) | ${formatEstimate(perClass.oscillation)} | ${share(perClass)} | ${percent(perClass, (c) => c.degraded)} |`,
  ]);
  return [
    'The three-tier workload with statistics kept per server (open-source Pinot) or per class and server (seed 004 keeps them per table and server; a class stands for a table):',
    '',
    '| Selector | Statistics | Oscillation (CV) | Slow server share (× fair) | Degraded queries |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
