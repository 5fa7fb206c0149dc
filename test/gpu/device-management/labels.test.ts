import {
  ALL_DEVICE_MANAGEMENT, DeviceManagement, EFA_NODE_LABEL, GPU_DEVICE_MANAGEMENT_LABEL,
} from '../../../lib/gpu/device-management/labels';

describe('node label contract', () => {
  test('the device-management label key', () => {
    // GIVEN / WHEN / THEN
    expect(GPU_DEVICE_MANAGEMENT_LABEL).toBe('agentic-eks.io/gpu-device-management');
  });

  test('the EFA node label key', () => {
    // GIVEN / WHEN / THEN
    expect(EFA_NODE_LABEL).toBe('agentic-eks.io/efa');
  });

  test.each([
    [DeviceManagement.DEVICE_PLUGIN, 'device-plugin'],
    [DeviceManagement.DRA, 'dra'],
    [DeviceManagement.BOTTLEROCKET_BUILTIN, 'bottlerocket'],
  ])('DeviceManagement %p is the label value %p', (mode, value) => {
    // GIVEN / WHEN / THEN
    expect(mode).toBe(value);
  });

  test('ALL_DEVICE_MANAGEMENT lists every mode once', () => {
    // GIVEN / WHEN / THEN
    expect([...ALL_DEVICE_MANAGEMENT].sort()).toEqual(Object.values(DeviceManagement).sort());
  });
});
