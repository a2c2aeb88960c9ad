// Problems found in a scenario, each located where the operator has to look: file:line:column of the
// offending value, or the `--set` override that caused it. The command line prints them one a line,
// the first PRINTED_PROBLEMS of them and then how many more there are.

/** Problems printed for one file (SCENARIO_LIMITS.printedProblems; kept here so that printing needs no schema). */
export const PRINTED_PROBLEMS = 50;

/** One problem. `line` and `column` are 1-based; both are 0 when there is no position (an override, an unreadable file). */
export interface ScenarioIssue {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

function formatIssue(issue: ScenarioIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file;
  return `${where}: ${issue.message}`;
}

/** Every problem of a scenario, not only the first. */
export class ScenarioError extends Error {
  readonly issues: readonly ScenarioIssue[];

  constructor(issues: readonly ScenarioIssue[]) {
    super(issues.slice(0, PRINTED_PROBLEMS).map(formatIssue).join('\n'));
    this.name = 'ScenarioError';
    this.issues = issues;
  }
}

/** One line per issue, `path/to/file.yaml:12:5: message` or `--set 1 (a.b=c): message`, the first PRINTED_PROBLEMS of each file, then a count of the rest. */
export function formatScenarioError(error: ScenarioError): string {
  const shown = error.issues.slice(0, PRINTED_PROBLEMS).map(formatIssue);
  const more = error.issues.length - shown.length;
  if (more > 0) shown.push(`${error.issues[0].file}: and ${more} more problem${more === 1 ? '' : 's'} (${error.issues.length} in all; the first ${PRINTED_PROBLEMS} are shown)`);
  return shown.join('\n');
}
