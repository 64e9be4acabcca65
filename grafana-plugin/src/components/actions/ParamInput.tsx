import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Input, Switch, TextArea, useStyles2 } from '@grafana/ui';
import type { JsonSchema } from '../../types';

export interface ParamInputProps {
  id: string;
  prop: JsonSchema;
  required: boolean;
  current: unknown;
  /** undefined removes the param. */
  onChange: (value: unknown) => void;
}

function typeOf(schema: JsonSchema): string {
  const t = Array.isArray(schema.type) ? schema.type.find((x) => x !== 'null') : schema.type;
  return t ?? (schema.enum ? typeof schema.enum[0] : 'string');
}

function EnumSelect({ id, prop, required, current, onChange }: ParamInputProps) {
  const styles = useStyles2(getStyles);
  const options = prop.enum ?? [];
  return (
    <select
      id={id}
      className={styles.select}
      value={current === undefined ? '' : String(current)}
      onChange={(e) => onChange(options.find((x) => String(x) === e.target.value))}
    >
      {!required && <option value="">–</option>}
      {options.map((option) => (
        <option key={String(option)} value={String(option)}>
          {String(option)}
        </option>
      ))}
    </select>
  );
}

function NumberInput({ id, prop, current, onChange }: ParamInputProps) {
  return (
    <Input
      id={id}
      type="number"
      min={prop.minimum}
      max={prop.maximum}
      value={current === undefined ? '' : String(current)}
      onChange={(e) => {
        const text = e.currentTarget.value;
        onChange(text === '' ? undefined : Number(text));
      }}
    />
  );
}

/** Arrays and objects as JSON; text that does not parse is sent as typed, for the API to refuse. */
function JsonInput({ id, current, onChange }: ParamInputProps) {
  return (
    <TextArea
      id={id}
      rows={3}
      defaultValue={current === undefined ? '' : JSON.stringify(current)}
      onBlur={(e) => {
        const text = e.currentTarget.value;
        try {
          onChange(text === '' ? undefined : JSON.parse(text));
        } catch {
          onChange(text);
        }
      }}
    />
  );
}

/** The input for one param, chosen by its schema: enum, boolean, number, string, else JSON. */
export function ParamInput(props: ParamInputProps) {
  const { id, prop, current, onChange } = props;
  const type = typeOf(prop);
  if (prop.enum) return <EnumSelect {...props} />;
  if (type === 'boolean')
    return (
      <Switch
        id={id}
        value={current === true}
        onChange={(e) => onChange(e.currentTarget.checked)}
      />
    );
  if (type === 'integer' || type === 'number') return <NumberInput {...props} />;
  if (type === 'string')
    return (
      <Input
        id={id}
        value={typeof current === 'string' ? current : ''}
        onChange={(e) => onChange(e.currentTarget.value)}
      />
    );
  return <JsonInput {...props} />;
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
