/**
 * Prometheus names of the exporters' series, derived from their instrument catalogue
 * (`@layerwatch/exporters`), so a renamed instrument renames the panel's query.
 */
import {
  COMMON,
  CROSS_LAYER_ERRORS,
  HTTP_SERVER_DURATION,
  LAYER4,
  LAYER5,
  LAYER7,
  LAYER8,
  prometheusNameOf,
  type InstrumentDefinition,
} from '@layerwatch/exporters';

type Catalog = Readonly<Record<string, InstrumentDefinition<string, string>>>;

function names<C extends Catalog>(catalog: C): { readonly [K in keyof C]: string } {
  const out: Record<string, string> = {};
  for (const [key, definition] of Object.entries(catalog)) out[key] = prometheusNameOf(definition);
  return out as { readonly [K in keyof C]: string };
}

export const EXPORTED = {
  httpServerDuration: prometheusNameOf(HTTP_SERVER_DURATION),
  crossLayerErrors: prometheusNameOf(CROSS_LAYER_ERRORS),
  layer4: names(LAYER4),
  layer5: names(LAYER5),
  layer7: names(LAYER7),
  layer8: names(LAYER8),
  common: names(COMMON),
};
