import { deepMerge, JsonObject } from '../../lib';

describe('deepMerge', () => {
  test('returns a copy of base when overrides are empty', () => {
    // GIVEN
    const base: JsonObject = { a: 1, b: { c: 2 } };

    // WHEN
    const out = deepMerge(base, {});

    // THEN
    expect(out).toEqual({ a: 1, b: { c: 2 } });
    expect(out).not.toBe(base);
  });

  test('adds keys that only the overrides have', () => {
    // GIVEN / WHEN
    const out = deepMerge({ a: 1 }, { b: 2 });

    // THEN
    expect(out).toEqual({ a: 1, b: 2 });
  });

  test('replaces scalars', () => {
    // GIVEN / WHEN
    const out = deepMerge({ a: 1, b: 'x', c: true }, { a: 2, b: 'y', c: false });

    // THEN
    expect(out).toEqual({ a: 2, b: 'y', c: false });
  });

  test('merges nested objects key by key', () => {
    // GIVEN / WHEN
    const out = deepMerge(
      { settings: { clusterName: 'test', featureGates: { a: true } } },
      { settings: { featureGates: { b: true } } },
    );

    // THEN
    expect(out).toEqual({ settings: { clusterName: 'test', featureGates: { a: true, b: true } } });
  });

  test('replaces arrays instead of merging them', () => {
    // GIVEN / WHEN
    const out = deepMerge({ tolerations: [{ key: 'a' }, { key: 'b' }] }, { tolerations: [{ key: 'c' }] });

    // THEN
    expect(out).toEqual({ tolerations: [{ key: 'c' }] });
  });

  test('an empty override array clears a base array', () => {
    // GIVEN / WHEN
    const out = deepMerge({ args: ['--a'] }, { args: [] });

    // THEN
    expect(out).toEqual({ args: [] });
  });

  test('ignores undefined overrides', () => {
    // GIVEN / WHEN
    const out = deepMerge({ a: 1, b: { c: 2 } }, { a: undefined, b: undefined });

    // THEN
    expect(out).toEqual({ a: 1, b: { c: 2 } });
  });

  test('ignores undefined nested overrides', () => {
    // GIVEN / WHEN
    const out = deepMerge({ b: { c: 2, d: 3 } }, { b: { c: undefined } });

    // THEN
    expect(out).toEqual({ b: { c: 2, d: 3 } });
  });

  test('null replaces a value', () => {
    // GIVEN / WHEN
    const out = deepMerge({ a: 1, b: { c: 2 } }, { a: null, b: null });

    // THEN
    expect(out).toEqual({ a: null, b: null });
  });

  test('an object replaces a scalar', () => {
    // GIVEN / WHEN
    const out = deepMerge({ a: 'x' }, { a: { b: 1 } });

    // THEN
    expect(out).toEqual({ a: { b: 1 } });
  });

  test('a scalar replaces an object', () => {
    // GIVEN / WHEN
    const out = deepMerge({ a: { b: 1 } }, { a: 'x' });

    // THEN
    expect(out).toEqual({ a: 'x' });
  });

  test('an object replaces an array', () => {
    // GIVEN / WHEN
    const out = deepMerge({ a: [1, 2] }, { a: { b: 1 } });

    // THEN
    expect(out).toEqual({ a: { b: 1 } });
  });

  test('an array replaces an object', () => {
    // GIVEN / WHEN
    const out = deepMerge({ a: { b: 1 } }, { a: [1] });

    // THEN
    expect(out).toEqual({ a: [1] });
  });

  test('does not mutate base', () => {
    // GIVEN
    const base: JsonObject = { a: 1, nested: { b: 2, deeper: { c: 3 } }, list: [1, 2] };
    const before = structuredClone(base);

    // WHEN
    deepMerge(base, { a: 9, nested: { b: 8, deeper: { d: 4 } }, list: [3] });

    // THEN
    expect(base).toEqual(before);
  });

  test('does not mutate overrides', () => {
    // GIVEN
    const overrides: JsonObject = { nested: { b: 8, deeper: { d: 4 } }, list: [3], gone: undefined };
    const before = structuredClone(overrides);

    // WHEN
    deepMerge({ nested: { b: 2, deeper: { c: 3 } }, list: [1] }, overrides);

    // THEN
    expect(overrides).toEqual(before);
  });

  test('merged nested objects are new objects', () => {
    // GIVEN
    const base: JsonObject = { nested: { b: 2 } };

    // WHEN
    const out = deepMerge(base, { nested: { c: 3 } });

    // THEN
    expect(out.nested).not.toBe(base.nested);
  });
});
