/**
 * Runs cfn-lint (when installed) over synthesized CloudFormation templates for tests.
 */
import { spawnSync } from 'child_process';

/** What a cfn-lint run found. */
export interface CfnLintResult {
  /** False when no cfn-lint executable was found; tests should then skip with a clear message. */
  readonly available: boolean;
  /** One line per error (rule ids starting with E), as `file:line:col: E1234 message`. Warnings are not errors. */
  readonly errors: string[];
  /** Everything cfn-lint printed (stdout then stderr), for failure messages. */
  readonly output: string;
}

// file:line:column:endLine:endColumn:RULE:message (the file name may itself contain colons)
const PARSEABLE_LINE = /^(.*?):(\d+):(\d+):\d+:\d+:([EWI]\d+):(.*)$/;

/**
 * Lints the given template files with `cfn-lint --ignore-checks W3005 --format parseable`. W3005 (redundant
 * DependsOn) is ignored because aws-eks-v2 generates such dependencies itself. cfn-lint also exits non-zero
 * for warnings, so errors are read from its output, and a crash counts as an error.
 */
export function runCfnLint(templateFiles: string[]): CfnLintResult {
  if (templateFiles.length === 0) {
    return { available: true, errors: ['runCfnLint: no template files given'], output: '' };
  }
  const run = spawnSync('cfn-lint', ['--ignore-checks', 'W3005', '--format', 'parseable', '--', ...templateFiles], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 5 * 60 * 1000,
  });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  // ENOENT: not on PATH; 127: a shim (pyenv, asdf) exists but the active Python has no cfn-lint.
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' || run.status === 127) {
    return { available: false, errors: [], output };
  }
  const errors: string[] = [];
  for (const line of (run.stdout ?? '').split('\n')) {
    const match = PARSEABLE_LINE.exec(line.trim());
    if (match && match[4].startsWith('E')) errors.push(`${match[1]}:${match[2]}:${match[3]}: ${match[4]} ${match[5]}`);
  }
  // Exit codes are a bit mask: 2 errors, 4 warnings, 8 informational; anything else means cfn-lint failed.
  const status = run.status ?? -1;
  const crashed = run.error !== undefined || status < 0 || (status & ~(2 | 4 | 8)) !== 0;
  if (errors.length === 0 && (crashed || (status & 2) !== 0)) {
    errors.push(`cfn-lint failed (exit ${run.status ?? run.signal ?? 'unknown'}${run.error ? `, ${run.error.message}` : ''}): ${output.trim()}`);
  }
  return { available: true, errors, output };
}
