// Problems found in a scenario, each located where the operator has to look: file:line:column of the
// offending value, or the `--set` override that caused it. The command line prints them one a line.

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
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ScenarioError';
    this.issues = issues;
  }
}

/** One line per issue: `path/to/file.yaml:12:5: message`, or `--set 1 (a.b=c): message`. */
export function formatScenarioError(error: ScenarioError): string {
  return error.issues.map(formatIssue).join('\n');
}
