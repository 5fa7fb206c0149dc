import { GpuModel, MigLayout, migProfilesOf } from '../../lib';

describe('MigLayout', () => {
  test('uniform: as many instances as each GPU holds, named all-<profile>', () => {
    // GIVEN / WHEN
    const layout = MigLayout.uniform('1g.10gb');

    // THEN
    expect(layout.name).toBe('all-1g.10gb');
    expect(layout.profiles).toEqual(['1g.10gb']);
    expect(layout.devicesOn(GpuModel.A100_80GB, 'x')).toEqual({ '1g.10gb': 7 });
    expect(layout.devicesOn(GpuModel.A100_40GB, 'x')).toEqual({ '1g.10gb': 4 });
  });

  test('custom: the given instances, checked against the GPU', () => {
    // GIVEN / WHEN
    const layout = MigLayout.custom('mixed', { '3g.40gb': 1, '2g.20gb': 1, '1g.10gb': 1 });

    // THEN
    expect(layout.devicesOn(GpuModel.H100, 'x')).toEqual({ '3g.40gb': 1, '2g.20gb': 1, '1g.10gb': 1 });
    expect(() => MigLayout.custom('too-many', { '1g.10gb': 8 }))
      .toThrow("MIG layout 'too-many' uses 8 compute slices; one GPU has 7");
    expect(() => MigLayout.custom('two-big', { '4g.40gb': 2 })).toThrow("MIG layout 'two-big' uses 8 compute slices; one GPU has 7");
    expect(() => MigLayout.custom('h', { '2g.20gb': 3 }).devicesOn(GpuModel.H100, "GPU NodePool 'p'")).not.toThrow();
    expect(() => MigLayout.custom('h', { '4g.40gb': 1, '3g.40gb': 1 }).devicesOn(GpuModel.H100, "GPU NodePool 'p'")).not.toThrow();
  });

  test('errors', () => {
    expect(() => MigLayout.uniform('10gb')).toThrow("MIG profile (10gb) of MigLayout.uniform('10gb') must look like '<n>g.<m>gb', e.g. '1g.10gb' or '3g.40gb'");
    expect(() => MigLayout.custom('all-disabled', { '1g.10gb': 1 })).toThrow("MIG layout name 'all-disabled' is reserved for nodes without MIG");
    expect(() => MigLayout.custom('bad name', { '1g.10gb': 1 }))
      .toThrow("MIG layout name (bad name) must be a label value: up to 63 letters, digits, '-', '_', '.' or '+', starting and ending with a letter or digit");
    expect(() => MigLayout.custom('empty', {})).toThrow("MIG layout 'empty' needs at least one profile");
    expect(() => MigLayout.custom('zero', { '1g.10gb': 0 })).toThrow("count (0) of profile '1g.10gb' in MIG layout 'zero' must be a whole number of at least 1");
    expect(() => MigLayout.custom('h', { '3g.40gb': 3 }).devicesOn(GpuModel.H100, "GPU NodePool 'p'"))
      .toThrow("MIG layout 'h' uses 9 compute slices; one GPU has 7");
    expect(() => MigLayout.custom('h2', { '3g.40gb': 2, '1g.10gb': 1 }).devicesOn(GpuModel.A100_40GB, "GPU NodePool 'p'"))
      .toThrow("'migLayout' (h2) of GPU NodePool 'p' uses MIG profile '3g.40gb', which A100_40GB does not offer (it offers 1g.5gb, 1g.5gb+me, 1g.10gb, 2g.10gb, 3g.20gb, 4g.20gb, 7g.40gb)");
    expect(() => MigLayout.custom('me', { '1g.10gb+me': 2 }).devicesOn(GpuModel.H100, "GPU NodePool 'p'"))
      .toThrow("'migLayout' (me) of GPU NodePool 'p' asks for 2 x '1g.10gb+me' per GPU; H100 holds at most 1");
  });
});

describe('migProfilesOf (catalog)', () => {
  test('profiles per GPU: A100 40GB 1g.5gb, A100/H100 80GB 1g.10gb, H200 1g.18gb; none for GPUs without MIG or a table', () => {
    expect(Object.keys(migProfilesOf(GpuModel.A100_40GB)!)[0]).toBe('1g.5gb');
    expect(migProfilesOf(GpuModel.A100_80GB)).toEqual(migProfilesOf(GpuModel.H100));
    expect(migProfilesOf(GpuModel.H100)!['7g.80gb']).toBe(1);
    expect(migProfilesOf(GpuModel.H200)!['1g.18gb']).toBe(7);
    expect(migProfilesOf(GpuModel.L40S)).toBeUndefined();
    expect(migProfilesOf(GpuModel.RTX_PRO_6000)).toBeUndefined();
  });
});
