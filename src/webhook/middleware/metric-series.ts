/**
 * @module Counters and histograms recorded on the request path at the cost of one Map lookup (label
 * values in a fixed order), and handed to prom-client's registry, which formats them at scrape time.
 * prom-client's own Counter/Histogram validate, sort and hash the label object on every observation:
 * about 4 µs each, dozens per review.
 */
import type { Registry } from 'prom-client';

interface MetricValue {
  readonly labels: Record<string, string>;
  readonly value: number;
  readonly metricName?: string;
}

/** What prom-client's registry reads from a metric (`Registry.getMetricsAsString`). */
interface Collected {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'histogram';
  readonly aggregator: 'sum';
  readonly values: MetricValue[];
}

/** One counter series: its label values and its count. */
export interface CounterRecord {
  readonly values: readonly string[];
  count: number;
}

/** One histogram series: its label values, bucket counts (not cumulative), sum and count. */
export interface HistogramRecord {
  readonly values: readonly string[];
  readonly buckets: number[];
  sum: number;
  count: number;
}

/** The identity of a series: its label values in order. */
export function seriesKey(values: readonly string[]): string {
  return values.join('\u0000');
}

function labelsOf(names: readonly string[], values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [i, n] of names.entries()) out[n] = values[i] ?? '';
  return out;
}

abstract class Series {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  abstract readonly type: 'counter' | 'histogram';
  constructor(registry: Registry, name: string, help: string, labelNames: readonly string[]) {
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
    // The registry only calls `get()` and reads name and type.
    registry.registerMetric(this as never);
  }
  abstract get(): Promise<Collected>;
  protected collected(values: MetricValue[]): Collected {
    return { name: this.name, help: this.help, type: this.type, aggregator: 'sum', values };
  }
}

export class CounterSeries extends Series {
  readonly type = 'counter';
  readonly #series = new Map<string, CounterRecord>();

  /**
   * The series of these label values (in `labelNames` order; `key` is `seriesKey(values)`), made on
   * first use: a caller that keeps it counts with `record.count++`, without looking it up again.
   */
  series(values: readonly string[], key = seriesKey(values)): CounterRecord {
    let s = this.#series.get(key);
    if (s === undefined) {
      s = { values: [...values], count: 0 };
      this.#series.set(key, s);
    }
    return s;
  }

  /** Adds one to the series of these label values (in `labelNames` order); `key` is `seriesKey(values)`. */
  inc(values: readonly string[], key = seriesKey(values)): void {
    this.series(values, key).count++;
  }

  async get(): Promise<Collected> {
    return this.collected(
      [...this.#series.values()].map((s) => ({
        labels: labelsOf(this.labelNames, s.values),
        value: s.count,
      })),
    );
  }
}

export class HistogramSeries extends Series {
  readonly type = 'histogram';
  readonly #bounds: readonly number[];
  readonly #series = new Map<string, HistogramRecord>();

  constructor(
    registry: Registry,
    name: string,
    help: string,
    labelNames: readonly string[],
    bounds: readonly number[],
  ) {
    super(registry, name, help, labelNames);
    this.#bounds = bounds;
  }

  /** The series of these label values, made on first use (see `CounterSeries.series`). */
  series(values: readonly string[], key = seriesKey(values)): HistogramRecord {
    let s = this.#series.get(key);
    if (s === undefined) {
      s = { values: [...values], buckets: new Array<number>(this.#bounds.length).fill(0), sum: 0, count: 0 };
      this.#series.set(key, s);
    }
    return s;
  }

  /** Records `value` in the series of these label values (in `labelNames` order). */
  observe(values: readonly string[], value: number, key = seriesKey(values)): void {
    this.observeIn(this.series(values, key), value);
  }

  /** Records `value` in a series this histogram gave (`series`). */
  observeIn(s: HistogramRecord, value: number): void {
    const bounds = this.#bounds;
    let i = 0;
    while (i < bounds.length && value > (bounds[i] as number)) i++;
    if (i < bounds.length) s.buckets[i] = (s.buckets[i] ?? 0) + 1;
    s.sum += value;
    s.count++;
  }

  async get(): Promise<Collected> {
    const out: MetricValue[] = [];
    for (const s of this.#series.values()) {
      const labels = labelsOf(this.labelNames, s.values);
      let cumulative = 0;
      for (const [i, bound] of this.#bounds.entries()) {
        cumulative += s.buckets[i] ?? 0;
        out.push({
          metricName: `${this.name}_bucket`,
          labels: { le: String(bound), ...labels },
          value: cumulative,
        });
      }
      out.push({ metricName: `${this.name}_bucket`, labels: { le: '+Inf', ...labels }, value: s.count });
      out.push({ metricName: `${this.name}_sum`, labels, value: s.sum });
      out.push({ metricName: `${this.name}_count`, labels, value: s.count });
    }
    return this.collected(out);
  }
}
