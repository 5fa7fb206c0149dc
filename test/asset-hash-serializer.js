/**
 * Jest snapshot serializer: replaces CDK asset hashes (64 hex characters) inside any string with
 * `[ASSET_HASH]`, so snapshots do not change with every aws-cdk-lib bump. Strings nested in objects and
 * arrays are reached too, because jest calls `test` on every value it prints.
 */
const ASSET_HASH = /[0-9a-f]{64}/g;
const PLACEHOLDER = '[ASSET_HASH]';

module.exports = {
  /** @param {unknown} val */
  test(val) {
    // A fresh regex each time: a shared /g regex keeps `lastIndex` between `test` calls.
    return typeof val === 'string' && /[0-9a-f]{64}/.test(val);
  },
  /**
   * @param {string} val
   * @param {unknown} config
   * @param {string} indentation
   * @param {number} depth
   * @param {unknown[]} refs
   * @param {(val: unknown, ...rest: unknown[]) => string} printer
   */
  serialize(val, config, indentation, depth, refs, printer) {
    return printer(val.replace(ASSET_HASH, PLACEHOLDER), config, indentation, depth, refs);
  },
};
