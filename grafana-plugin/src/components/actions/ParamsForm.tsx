import React from 'react';
import { Field } from '@grafana/ui';
import type { JsonSchema } from '../../types';
import { ParamInput } from './ParamInput';

interface Props {
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  idPrefix: string;
}

/** A form for an action's params from its JSON Schema: enums, numbers, booleans, strings; JSON for the rest. */
export function ParamsForm({ schema, value, onChange, idPrefix }: Props) {
  const properties = Object.entries(schema.properties ?? {});
  if (properties.length === 0) return <p>This action takes no parameters.</p>;
  const set = (name: string, v: unknown) => {
    const next = { ...value };
    if (v === undefined || v === '') delete next[name];
    else next[name] = v;
    onChange(next);
  };
  return (
    <>
      {properties.map(([name, prop]) => {
        const id = `${idPrefix}-${name}`;
        const required = schema.required?.includes(name) ?? false;
        return (
          <Field
            key={name}
            label={`${prop.title ?? name}${required ? '' : ' (optional)'}`}
            description={prop.description}
            htmlFor={id}
          >
            <ParamInput
              id={id}
              prop={prop}
              required={required}
              current={value[name]}
              onChange={(v) => set(name, v)}
            />
          </Field>
        );
      })}
    </>
  );
}

/** Starting params: the schema's defaults, then what the alert tells (its layer, a deployment of it). */
export function defaultParams(
  schema: JsonSchema,
  context: Record<string, string>,
): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    if (prop.default !== undefined) params[name] = prop.default;
    const fromContext = context[name];
    if (fromContext !== undefined && (!prop.enum || prop.enum.includes(fromContext)))
      params[name] = fromContext;
    if (params[name] === undefined && prop.enum && prop.enum.length > 0) {
      const layer = context['layer'];
      const match = layer
        ? prop.enum.find((x) => String(x).startsWith(`layer${layer}`))
        : undefined;
      if (match !== undefined || schema.required?.includes(name))
        params[name] = match ?? prop.enum[0];
    }
    if (
      params[name] === undefined &&
      schema.required?.includes(name) &&
      prop.minimum !== undefined
    ) {
      params[name] = prop.minimum;
    }
  }
  return params;
}
