import { MessageStream, MessageStreamType } from '../../lib';

describe('MessageStream', () => {
  test('woodpecker: no extra service', () => {
    // GIVEN / WHEN
    const s = MessageStream.woodpecker();

    // THEN
    expect(s.type).toBe(MessageStreamType.WOODPECKER);
    expect(s.external).toBe(false);
    expect(s.inClusterService).toBe(false);
  });

  test('pulsar and kafka in the cluster are services the operator deploys; kafka defaults to 3 brokers', () => {
    // GIVEN / WHEN
    const pulsar = MessageStream.pulsar();
    const kafka = MessageStream.kafka();

    // THEN
    expect(pulsar.inClusterService).toBe(true);
    expect(kafka.inClusterService).toBe(true);
    expect(kafka.replicas).toBe(3);
    expect(MessageStream.kafka({ replicas: 5 }).replicas).toBe(5);
  });

  test('external kafka keeps its brokers (copy) and is no in-cluster service', () => {
    // GIVEN
    const brokers = ['b-1.msk.example.com:9092'];

    // WHEN
    const s = MessageStream.externalKafka(brokers);
    brokers.push('b-2.msk.example.com:9092');

    // THEN
    expect(s.type).toBe(MessageStreamType.KAFKA);
    expect(s.external).toBe(true);
    expect(s.inClusterService).toBe(false);
    expect(s.brokers).toEqual(['b-1.msk.example.com:9092']);
  });

  test('rocksmq', () => {
    expect(MessageStream.rocksmq().type).toBe(MessageStreamType.ROCKSMQ);
  });

  test('errors', () => {
    expect(() => MessageStream.kafka({ replicas: 0 })).toThrow("'replicas' (0) of an in-cluster Kafka must be an integer >= 1");
    expect(() => MessageStream.externalKafka([])).toThrow('MessageStream.externalKafka() needs at least one broker (host:port)');
    expect(() => MessageStream.externalKafka(['b-1.msk.example.com'])).toThrow(
      "Kafka broker 'b-1.msk.example.com' must be host:port, e.g. b-1.msk.example.com:9092");
    expect(() => MessageStream.externalKafka(['kafka:99999'])).toThrow("Kafka broker 'kafka:99999' must be host:port");
  });
});
