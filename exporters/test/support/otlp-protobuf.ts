/**
 * Just enough of the protobuf wire format to read an OTLP `ExportMetricsServiceRequest`
 * (opentelemetry-proto `metrics/v1`): metric names, units, attributes and values. The
 * OpenTelemetry packages serialize requests but ship no decoder, so the test reads the
 * bytes itself, field number by field number.
 */
type Field = bigint | Buffer;
type Message = Map<number, Field[]>;

function varint(buffer: Buffer, offset: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    const byte = buffer[offset] as number;
    offset += 1;
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [result, offset];
    shift += 7n;
  }
}

export function decodeMessage(buffer: Buffer): Message {
  const fields: Message = new Map();
  let offset = 0;
  while (offset < buffer.length) {
    const [key, afterKey] = varint(buffer, offset);
    const field = Number(key >> 3n);
    const wireType = Number(key & 7n);
    let value: Field;
    if (wireType === 0) {
      [value, offset] = varint(buffer, afterKey);
    } else if (wireType === 2) {
      const [length, start] = varint(buffer, afterKey);
      offset = start + Number(length);
      value = buffer.subarray(start, offset);
    } else if (wireType === 1 || wireType === 5) {
      const size = wireType === 1 ? 8 : 4;
      value = buffer.subarray(afterKey, afterKey + size);
      offset = afterKey + size;
    } else {
      throw new Error(`unsupported wire type ${wireType} at byte ${offset}`);
    }
    fields.set(field, [...(fields.get(field) ?? []), value]);
  }
  return fields;
}

const messages = (m: Message, field: number): Message[] =>
  (m.get(field) ?? []).map((value) => decodeMessage(value as Buffer));
const text = (m: Message, field: number): string =>
  ((m.get(field)?.[0] as Buffer | undefined) ?? Buffer.alloc(0)).toString('utf8');
const fixed64 = (m: Message, field: number): number | undefined => {
  const raw = m.get(field)?.[0] as Buffer | undefined;
  return raw === undefined ? undefined : Number(raw.readBigUInt64LE(0));
};
const double = (m: Message, field: number): number | undefined =>
  (m.get(field)?.[0] as Buffer | undefined)?.readDoubleLE(0);

/** AnyValue → string | number | boolean (the kinds our attributes use). */
function anyValue(m: Message): string | number | boolean {
  if (m.has(1)) return text(m, 1);
  if (m.has(2)) return (m.get(2)?.[0] as bigint) === 1n;
  if (m.has(3)) return Number(m.get(3)?.[0] as bigint);
  if (m.has(4)) return double(m, 4) as number;
  return '';
}

function attributes(m: Message, field: number): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const kv of messages(m, field)) {
    const value = messages(kv, 2)[0];
    out[text(kv, 1)] = value === undefined ? '' : anyValue(value);
  }
  return out;
}

export interface DecodedPoint {
  attributes: Record<string, string | number | boolean>;
  value?: number;
  count?: number;
  sum?: number;
  bounds?: number[];
}

export interface DecodedMetric {
  name: string;
  unit: string;
  kind: 'gauge' | 'sum' | 'histogram' | 'other';
  points: DecodedPoint[];
}

export interface DecodedRequest {
  resource: Record<string, string | number | boolean>;
  metrics: DecodedMetric[];
}

export function decodeMetricsRequest(body: Buffer): DecodedRequest[] {
  return messages(decodeMessage(body), 1).map((resourceMetrics) => ({
    resource: attributes(messages(resourceMetrics, 1)[0] ?? new Map(), 1),
    metrics: messages(resourceMetrics, 2).flatMap((scope) => messages(scope, 2).map(metric)),
  }));
}

function metric(m: Message): DecodedMetric {
  const base = { name: text(m, 1), unit: text(m, 3) };
  const histogram = messages(m, 9)[0];
  if (histogram !== undefined) {
    const points = messages(histogram, 1).map((p) => {
      const packed = p.get(7)?.[0] as Buffer | undefined;
      const bounds: number[] = [];
      for (let i = 0; packed !== undefined && i < packed.length; i += 8)
        bounds.push(packed.readDoubleLE(i));
      const count = fixed64(p, 4);
      const sum = double(p, 5);
      return {
        attributes: attributes(p, 9),
        ...(count !== undefined && { count }),
        ...(sum !== undefined && { sum }),
        bounds,
      };
    });
    return { ...base, kind: 'histogram', points };
  }
  const number = (kind: 'gauge' | 'sum', field: number): DecodedMetric => ({
    ...base,
    kind,
    points: messages(messages(m, field)[0] ?? new Map(), 1).map((p) => ({
      attributes: attributes(p, 7),
      value: p.has(4)
        ? (double(p, 4) as number)
        : Number((p.get(6)?.[0] as Buffer | undefined)?.readBigInt64LE(0) ?? 0n),
    })),
  });
  if (m.has(5)) return number('gauge', 5);
  if (m.has(7)) return number('sum', 7);
  return { ...base, kind: 'other', points: [] };
}

interface JsonAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
}
interface JsonKeyValue {
  key: string;
  value?: JsonAnyValue;
}
interface JsonPoint {
  attributes?: JsonKeyValue[];
  asDouble?: number;
  asInt?: number | string;
  count?: number | string;
  sum?: number;
  explicitBounds?: number[];
}
interface JsonMetric {
  name: string;
  unit?: string;
  gauge?: { dataPoints: JsonPoint[] };
  sum?: { dataPoints: JsonPoint[] };
  histogram?: { dataPoints: JsonPoint[] };
}
interface JsonRequest {
  resourceMetrics: {
    resource?: { attributes?: JsonKeyValue[] };
    scopeMetrics: { metrics: JsonMetric[] }[];
  }[];
}

function jsonAttributes(
  list: JsonKeyValue[] | undefined,
): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const { key, value = {} } of list ?? []) {
    out[key] =
      value.stringValue ??
      value.boolValue ??
      (value.intValue !== undefined ? Number(value.intValue) : (value.doubleValue ?? ''));
  }
  return out;
}

/** The OTLP/JSON encoding (`http/json`) into the same shape as the protobuf decoder's. */
export function decodeJsonMetricsRequest(body: Buffer): DecodedRequest[] {
  const request = JSON.parse(body.toString('utf8')) as JsonRequest;
  return request.resourceMetrics.map((rm) => ({
    resource: jsonAttributes(rm.resource?.attributes),
    metrics: rm.scopeMetrics.flatMap((scope) =>
      scope.metrics.map((m): DecodedMetric => {
        const base = { name: m.name, unit: m.unit ?? '' };
        if (m.histogram) {
          return {
            ...base,
            kind: 'histogram',
            points: m.histogram.dataPoints.map((p) => ({
              attributes: jsonAttributes(p.attributes),
              count: Number(p.count ?? 0),
              ...(p.sum !== undefined && { sum: p.sum }),
              bounds: p.explicitBounds ?? [],
            })),
          };
        }
        const numbers = m.gauge ?? m.sum;
        return {
          ...base,
          kind: m.gauge ? 'gauge' : m.sum ? 'sum' : 'other',
          points: (numbers?.dataPoints ?? []).map((p) => ({
            attributes: jsonAttributes(p.attributes),
            value: p.asDouble ?? Number(p.asInt ?? 0),
          })),
        };
      }),
    ),
  }));
}
