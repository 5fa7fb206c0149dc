import { Chart, Testing } from 'cdk8s';
import { BOTTLEROCKET_AMI_ALIAS, CapacityReservationSelector, Ec2NodeClass, Ec2NodeClassProps } from '../../lib';
import { expectValidK8sObjects } from '../k8s-schema';
import { find, objects } from '../util';

/*
 * The GPU-facing part of lib/karpenter/ec2-node-class.ts: capacity reservations (CapacityReservationSelector),
 * EFA network interfaces, placement groups and the instance-store RAID0. The rest of the EC2NodeClass is covered
 * by ec2-node-class.test.ts.
 */

const CLUSTER = 'test';
const NODE_ROLE = 'KarpenterNodeRole-test';
const RESERVATION_ID = 'cr-0123456789abcdef0';
const ACCOUNT = '123456789012';

/** An Ec2NodeClass with id 'gpu' in a fresh chart; `props` override the required props. */
function newNodeClass(props: Partial<Ec2NodeClassProps> = {}, id = 'gpu'): { chart: Chart; nodeClass: Ec2NodeClass } {
  const chart = Testing.chart();
  const nodeClass = new Ec2NodeClass(chart, id, { clusterName: CLUSTER, nodeRoleName: NODE_ROLE, ...props });
  return { chart, nodeClass };
}

/** The spec of the synthesized EC2NodeClass named `name`. */
function specOf(chart: Chart, name = 'gpu'): Record<string, any> {
  return find(objects(chart), 'EC2NodeClass', name).spec;
}

/** The EFA layout the node class must render for `count` EFA interfaces. */
function expectedEfaLayout(count: number): Array<Record<string, unknown>> {
  return [
    { networkCardIndex: 0, deviceIndex: 0, interfaceType: 'interface' },
    ...Array.from({ length: count }, (_, card) => ({ networkCardIndex: card, deviceIndex: 1, interfaceType: 'efa-only' })),
  ];
}

describe('CapacityReservationSelector', () => {
  describe('byId', () => {
    test('selects one reservation by id', () => {
      // GIVEN / WHEN
      const selector = CapacityReservationSelector.byId(RESERVATION_ID);

      // THEN
      expect(selector._toTerm()).toEqual({ id: RESERVATION_ID });
    });

    test('accepts a short id of lower-case letters and digits', () => {
      // GIVEN / WHEN / THEN
      expect(CapacityReservationSelector.byId('cr-a1')._toTerm()).toEqual({ id: 'cr-a1' });
    });

    test('the term carries neither tags nor owner', () => {
      // GIVEN / WHEN
      const term = CapacityReservationSelector.byId(RESERVATION_ID)._toTerm();

      // THEN
      expect(term.tags).toBeUndefined();
      expect(term.ownerId).toBeUndefined();
    });

    test.each([
      ['cr-0123456789ABCDEF0'],
      ['cr-'],
      ['0123456789abcdef0'],
      ['odcr-0123456789abcdef0'],
      ['cr_0123456789abcdef0'],
      ['cr-0123 456'],
      [''],
    ])('rejects the id %p', (id) => {
      // GIVEN / WHEN / THEN
      expect(() => CapacityReservationSelector.byId(id)).toThrow(
        `capacity reservation id (${id}) must look like cr-0123456789abcdef0`);
    });
  });

  describe('byTags', () => {
    test('selects reservations by tags', () => {
      // GIVEN / WHEN
      const selector = CapacityReservationSelector.byTags({ team: 'ml', purpose: 'training' });

      // THEN
      expect(selector._toTerm()).toEqual({ tags: { team: 'ml', purpose: 'training' } });
      expect(selector._toTerm().ownerId).toBeUndefined();
    });

    test('selects reservations of one owner account', () => {
      // GIVEN / WHEN
      const selector = CapacityReservationSelector.byTags({ team: 'ml' }, ACCOUNT);

      // THEN
      expect(selector._toTerm()).toEqual({ tags: { team: 'ml' }, ownerId: ACCOUNT });
    });

    test("accepts '*' as a tag value (any value)", () => {
      // GIVEN / WHEN / THEN
      expect(CapacityReservationSelector.byTags({ 'capacity-block': '*' })._toTerm()).toEqual({ tags: { 'capacity-block': '*' } });
    });

    test('accepts 20 tags', () => {
      // GIVEN
      const tags = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, `v${i}`]));

      // WHEN / THEN
      expect(CapacityReservationSelector.byTags(tags)._toTerm().tags).toEqual(tags);
    });

    test('copies the tags it is given', () => {
      // GIVEN
      const tags: Record<string, string> = { team: 'ml' };
      const selector = CapacityReservationSelector.byTags(tags);

      // WHEN
      tags.team = 'changed';
      tags.extra = 'x';

      // THEN
      expect(selector._toTerm().tags).toEqual({ team: 'ml' });
    });

    test('toTerm returns a copy', () => {
      // GIVEN
      const selector = CapacityReservationSelector.byTags({ team: 'ml' });

      // WHEN
      selector._toTerm().tags!.team = 'changed';

      // THEN
      expect(selector._toTerm().tags).toEqual({ team: 'ml' });
    });

    test('rejects no tags', () => {
      // GIVEN / WHEN / THEN
      expect(() => CapacityReservationSelector.byTags({})).toThrow(
        'capacity reservation tags ({}) must be 1-20 non-empty keys with non-empty values');
    });

    test('rejects an empty tag key', () => {
      // GIVEN / WHEN / THEN
      expect(() => CapacityReservationSelector.byTags({ '': 'ml' })).toThrow(
        'capacity reservation tags ({"":"ml"}) must be 1-20 non-empty keys with non-empty values');
    });

    test('rejects an empty tag value', () => {
      // GIVEN / WHEN / THEN
      expect(() => CapacityReservationSelector.byTags({ team: 'ml', purpose: '' })).toThrow(
        'capacity reservation tags ({"team":"ml","purpose":""}) must be 1-20 non-empty keys with non-empty values');
    });

    test('rejects 21 tags', () => {
      // GIVEN
      const tags = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v']));

      // WHEN / THEN
      expect(() => CapacityReservationSelector.byTags(tags)).toThrow(
        `capacity reservation tags (${JSON.stringify(tags)}) must be 1-20 non-empty keys with non-empty values`);
    });

    test.each([
      ['12345678901'],
      ['1234567890123'],
      ['12345678901a'],
      ['arn:aws:iam::123456789012:root'],
      [''],
    ])('rejects the owner %p', (owner) => {
      // GIVEN / WHEN / THEN
      expect(() => CapacityReservationSelector.byTags({ team: 'ml' }, owner)).toThrow(
        `capacity reservation owner (${owner}) must be a 12-digit AWS account id`);
    });
  });

  describe('rendering in an EC2NodeClass', () => {
    test('no capacityReservationSelectorTerms by default', () => {
      // GIVEN / WHEN
      const { chart } = newNodeClass();

      // THEN
      expect(specOf(chart).capacityReservationSelectorTerms).toBeUndefined();
    });

    test('an empty list renders no capacityReservationSelectorTerms', () => {
      // GIVEN / WHEN
      const { chart } = newNodeClass({ capacityReservations: [] });

      // THEN
      expect(specOf(chart).capacityReservationSelectorTerms).toBeUndefined();
    });

    test('byId renders a term with only the id', () => {
      // GIVEN / WHEN
      const { chart } = newNodeClass({ capacityReservations: [CapacityReservationSelector.byId(RESERVATION_ID)] });

      // THEN
      expect(specOf(chart).capacityReservationSelectorTerms).toEqual([{ id: RESERVATION_ID }]);
    });

    test('byTags renders a term with tags', () => {
      // GIVEN / WHEN
      const { chart } = newNodeClass({ capacityReservations: [CapacityReservationSelector.byTags({ team: 'ml' })] });

      // THEN
      expect(specOf(chart).capacityReservationSelectorTerms).toEqual([{ tags: { team: 'ml' } }]);
    });

    test('several selectors render one term each, in order', () => {
      // GIVEN / WHEN
      const { chart } = newNodeClass({
        capacityReservations: [
          CapacityReservationSelector.byTags({ team: 'ml' }),
          CapacityReservationSelector.byId(RESERVATION_ID),
          CapacityReservationSelector.byId('cr-1'),
        ],
      });

      // THEN
      expect(specOf(chart).capacityReservationSelectorTerms).toEqual([
        { tags: { team: 'ml' } },
        { id: RESERVATION_ID },
        { id: 'cr-1' },
      ]);
    });
  });
});

describe('Ec2NodeClass: EFA interfaces', () => {
  test('no networkInterfaces by default', () => {
    // GIVEN / WHEN
    const { chart } = newNodeClass();

    // THEN
    expect(specOf(chart).networkInterfaces).toBeUndefined();
  });

  test('efaInterfaces 0 renders no networkInterfaces', () => {
    // GIVEN / WHEN
    const { chart } = newNodeClass({ efaInterfaces: 0 });

    // THEN
    expect(specOf(chart).networkInterfaces).toBeUndefined();
  });

  test('efaInterfaces 1: the primary interface plus one efa-only interface on card 0', () => {
    // GIVEN / WHEN
    const { chart } = newNodeClass({ efaInterfaces: 1 });

    // THEN
    expect(specOf(chart).networkInterfaces).toEqual([
      { networkCardIndex: 0, deviceIndex: 0, interfaceType: 'interface' },
      { networkCardIndex: 0, deviceIndex: 1, interfaceType: 'efa-only' },
    ]);
  });

  test('efaInterfaces 32 (p5.48xlarge): 33 entries, efa-only at device 1 of cards 0 to 31', () => {
    // GIVEN / WHEN
    const { chart } = newNodeClass({ efaInterfaces: 32 });

    // THEN
    const interfaces = specOf(chart).networkInterfaces;
    expect(interfaces).toHaveLength(33);
    expect(interfaces).toEqual(expectedEfaLayout(32));
  });

  test('the primary interface comes first', () => {
    // GIVEN / WHEN
    const { chart } = newNodeClass({ efaInterfaces: 16 });

    // THEN
    expect(specOf(chart).networkInterfaces[0]).toEqual({ networkCardIndex: 0, deviceIndex: 0, interfaceType: 'interface' });
  });

  test('efaInterfaces 64, the upper bound, renders 65 entries', () => {
    // GIVEN / WHEN
    const { chart } = newNodeClass({ efaInterfaces: 64 });

    // THEN
    expect(specOf(chart).networkInterfaces).toEqual(expectedEfaLayout(64));
  });

  test.each([[-1], [65], [1.5], [Number.NaN]])('rejects efaInterfaces %p', (efaInterfaces) => {
    // GIVEN / WHEN / THEN
    expect(() => newNodeClass({ efaInterfaces })).toThrow(`'efaInterfaces' (${efaInterfaces}) must be an integer from 0 to 64`);
  });
});

describe('Ec2NodeClass: placement group', () => {
  test('no placementGroupSelector by default', () => {
    // GIVEN / WHEN
    const { chart } = newNodeClass();

    // THEN
    expect(specOf(chart).placementGroupSelector).toBeUndefined();
  });

  test('placementGroupName renders a placementGroupSelector by name', () => {
    // GIVEN / WHEN
    const { chart } = newNodeClass({ placementGroupName: 'p5-cluster' });

    // THEN
    expect(specOf(chart).placementGroupSelector).toEqual({ name: 'p5-cluster' });
  });

  test.each([[''], ['   ']])('rejects the placementGroupName %p', (placementGroupName) => {
    // GIVEN / WHEN / THEN
    expect(() => newNodeClass({ placementGroupName })).toThrow("'placementGroupName' must not be empty");
  });
});

describe('Ec2NodeClass: instance-store RAID0', () => {
  test('no instanceStorePolicy by default', () => {
    // GIVEN / WHEN
    const { chart } = newNodeClass();

    // THEN
    expect(specOf(chart).instanceStorePolicy).toBeUndefined();
  });

  test('instanceStoreRaid0 true renders instanceStorePolicy RAID0', () => {
    // GIVEN / WHEN
    const { chart } = newNodeClass({ instanceStoreRaid0: true });

    // THEN
    expect(specOf(chart).instanceStorePolicy).toBe('RAID0');
  });

  test('instanceStoreRaid0 false renders no instanceStorePolicy', () => {
    // GIVEN / WHEN
    const { chart } = newNodeClass({ instanceStoreRaid0: false });

    // THEN
    expect(specOf(chart).instanceStorePolicy).toBeUndefined();
  });
});

test('every GPU-related EC2NodeClass shape is valid against the Karpenter CRD (schema and CEL)', () => {
  // GIVEN
  const chart = Testing.chart();
  const base = { clusterName: CLUSTER, nodeRoleName: NODE_ROLE };
  new Ec2NodeClass(chart, 'reserved-by-id', { ...base, capacityReservations: [CapacityReservationSelector.byId(RESERVATION_ID)] });
  new Ec2NodeClass(chart, 'reserved-by-tags', {
    ...base,
    capacityReservations: [
      CapacityReservationSelector.byTags({ team: 'ml', block: '*' }, ACCOUNT),
      CapacityReservationSelector.byTags({ team: 'ml' }),
      CapacityReservationSelector.byId('cr-1'),
    ],
  });
  new Ec2NodeClass(chart, 'efa-1', { ...base, efaInterfaces: 1 });
  new Ec2NodeClass(chart, 'efa-32', { ...base, efaInterfaces: 32, placementGroupName: 'p5-cluster', instanceStoreRaid0: true });
  new Ec2NodeClass(chart, 'efa-64', { ...base, efaInterfaces: 64 });
  new Ec2NodeClass(chart, 'bottlerocket-efa', {
    ...base, amiAlias: BOTTLEROCKET_AMI_ALIAS, efaInterfaces: 16, placementGroupName: 'pg', instanceStoreRaid0: true,
    capacityReservations: [CapacityReservationSelector.byId(RESERVATION_ID)],
  });

  // WHEN
  const objs = objects(chart);

  // THEN
  expect(objs).toHaveLength(6);
  expectValidK8sObjects(objs);
});
