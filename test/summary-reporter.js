/**
 * Jest reporter that prints one plain line at the very end of the run, for CI log readers that do not
 * parse jest's own summary: `N passed, N failed`, plus `, N skipped` when tests were skipped or todo.
 * A test file that failed to run at all counts as one failed test, so a broken suite never reads "0 failed".
 *
 * Jest calls custom reporters before its coverage table and its own summary, so the line is written when
 * the process exits, after everything else.
 */
class SummaryReporter {
  constructor() {
    /** @type {string | undefined} */
    this.line = undefined;
  }

  /**
   * @param {unknown} _contexts
   * @param {import('@jest/test-result').AggregatedResult} results
   */
  onRunComplete(_contexts, results) {
    if (this.line === undefined) process.once('exit', () => process.stdout.write(`\n${this.line}\n`));
    this.line = SummaryReporter.format(results);
  }

  /**
   * @param {import('@jest/test-result').AggregatedResult} results
   * @returns {string}
   */
  static format(results) {
    const brokenSuites = (results.testResults || []).filter(
      (suite) => suite.testExecError || (suite.failureMessage && suite.numFailingTests === 0),
    ).length;
    const failed = results.numFailedTests + Math.max(brokenSuites, results.numRuntimeErrorTestSuites || 0);
    const skipped = (results.numPendingTests || 0) + (results.numTodoTests || 0);
    return `${results.numPassedTests} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
  }
}

module.exports = SummaryReporter;
