import { Duration, Token } from 'aws-cdk-lib';
import { Cpu, goDuration } from '../../lib';

describe('Cpu', () => {
  test('cores: whole cores render as a number, fractions as millicores', () => {
    expect(Cpu.cores(2).toString()).toBe('2');
    expect(Cpu.cores(0.25).toString()).toBe('250m');
    expect(Cpu.cores(1.1).toString()).toBe('1100m');
    expect(Cpu.cores(0).toString()).toBe('0');
    expect(Cpu.cores(2.5).toMillis()).toBe(2500);
    expect(Cpu.cores(2.5).toCores()).toBe(2.5);
  });

  test('millis', () => {
    expect(Cpu.millis(250).toString()).toBe('250m');
    expect(Cpu.millis(3000).toString()).toBe('3');
    expect(Cpu.millis(250).toCores()).toBe(0.25);
    expect(Cpu.millis(1500)).toEqual(Cpu.cores(1.5));
  });

  test('errors: negative, not finite, finer than a millicore, token', () => {
    expect(() => Cpu.cores(-1)).toThrow('Cpu.cores(-1) is not a CPU amount: it must be a finite number, zero or more');
    expect(() => Cpu.millis(Number.NaN)).toThrow('Cpu.millis(NaN) is not a CPU amount: it must be a finite number, zero or more');
    expect(() => Cpu.cores(Number.POSITIVE_INFINITY)).toThrow('Cpu.cores(Infinity) is not a CPU amount: it must be a finite number, zero or more');
    expect(() => Cpu.cores(0.0005)).toThrow('Cpu.cores(0.0005) is not a whole number of millicores: Kubernetes counts CPU in steps of 1m (0.001 cores)');
    expect(() => Cpu.millis(2.5)).toThrow('Cpu.millis(2.5) is not a whole number of millicores: Kubernetes counts CPU in steps of 1m (0.001 cores)');
    expect(() => Cpu.cores(Token.asNumber({ Ref: 'Cores' })))
      .toThrow('Cpu.cores() needs a literal number, not a token: CPU amounts are written into Kubernetes manifests');
  });
});

describe('goDuration', () => {
  test('largest exact unit', () => {
    expect(goDuration(Duration.days(30))).toBe('720h');
    expect(goDuration(Duration.minutes(5))).toBe('5m');
    expect(goDuration(Duration.seconds(90))).toBe('90s');
  });
});
