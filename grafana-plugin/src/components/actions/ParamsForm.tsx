import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Field, Input, Switch, TextArea, useStyles2 } from '@grafana/ui';
import type { JsonSchema } from '../../types';

interface Props {
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  idPrefix: string;
}

function typeOf(schema: JsonSchema): string {
  const t = Array.isArray(schema.type) ? schema.type.find((x) => x !== 'null') : schema.type;
  return t ?? (schema.enum ? typeof schema.enum[0] : 'string');
}

/** A form for an action's params from its JSON Schema: enums, numbers, booleans, strings; JSON for the rest. */
export function ParamsForm({ schema, value, onChange, idPrefix }: Props) {
  const styles = useStyles2(getStyles);
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
        const label = `${prop.title ?? name}${required ? '' : ' (optional)'}`;
        const type = typeOf(prop);
        const current = value[name];
        let input: React.ReactElement;
        if (prop.enum) {
          input = (
            <select
              id={id}
              className={styles.select}
              value={current === undefined ? '' : String(current)}
              onChange={(e) => {
                const picked = prop.enum!.find((x) => String(x) === e.target.value);
                set(name, picked);
              }}
            >
              {!required && <option value="">–</option>}
              {prop.enum.map((option) => (
                <option key={String(option)} value={String(option)}>
                  {String(option)}
                </option>
              ))}
            </select>
          );
        } else if (type === 'boolean') {
          input = (
            <Switch
              id={id}
              value={current === true}
              onChange={(e) => set(name, e.currentTarget.checked)}
            />
          );
        } else if (type === 'integer' || type === 'number') {
          input = (
            <Input
              id={id}
              type="number"
              min={prop.minimum}
              max={prop.maximum}
              value={current === undefined ? '' : String(current)}
              onChange={(e) => {
                const text = e.currentTarget.value;
                set(name, text === '' ? undefined : Number(text));
              }}
            />
          );
        } else if (type === 'string') {
          input = (
            <Input
              id={id}
              value={typeof current === 'string' ? current : ''}
              onChange={(e) => set(name, e.currentTarget.value)}
            />
          );
        } else {
          input = (
            <TextArea
              id={id}
              rows={3}
              defaultValue={current === undefined ? '' : JSON.stringify(current)}
              onBlur={(e) => {
                try {
                  set(
                    name,
                    e.currentTarget.value === '' ? undefined : JSON.parse(e.currentTarget.value),
                  );
                } catch {
                  set(name, e.currentTarget.value);
                }
              }}
            />
          );
        }
        return (
          <Field key={name} label={label} description={prop.description} htmlFor={id}>
            {input}
          </Field>
        );
      })}
    </>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  select: css({
    width: '100%',
    height: theme.spacing(4),
    padding: theme.spacing(0, 1),
    background: theme.components.input.background,
    color: theme.components.input.text,
    border: `1px solid ${theme.components.input.borderColor}`,
    borderRadius: theme.shape.radius.default,
  }),
});

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
