import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { errorMessage } from '../../util/errors.js';

/** One element of the parsed XML: text, or child elements by name. */
export type XmlNode = string | { readonly [name: string]: XmlNode | readonly XmlNode[] };

/** One `<gpu id="…">` of `nvidia-smi -q -x`, in output order. */
export interface XmlGpu {
  /** The `id` attribute: its PCI bus id (`00000000:81:00.0`). */
  readonly id: string;
  /** Its place in the output: nvidia-smi's own GPU index (`-i`), which the XML does not print. */
  readonly position: number;
  readonly node: XmlNode;
}

export type ParsedXml =
  | { readonly ok: true; readonly driverVersion: string; readonly gpus: readonly XmlGpu[] }
  | { readonly ok: false; readonly reason: string };

/**
 * fast-xml-parser, set once: every value stays text (a uuid or `16x` is never turned into
 * a number by guesswork), `gpu` is always a list (one GPU or eight), attributes are kept
 * (`id`), entities are not expanded (nvidia-smi writes none; a DOCTYPE cannot make it).
 */
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: false,
  ignoreDeclaration: true,
  isArray: (_name, jpath) => jpath === 'nvidia_smi_log.gpu',
});

/**
 * Parses `nvidia-smi -q -x` output. Pure; never throws. The parser is lenient, so the text
 * is validated first: output cut short (a run killed mid-print) fails instead of showing
 * half a GPU.
 */
export function parseNvidiaSmiXml(text: string): ParsedXml {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line } = valid.err;
    return {
      ok: false,
      reason: `not nvidia-smi XML: line ${line}: ${msg} (starts ${excerpt(text)})`,
    };
  }
  let document: unknown;
  try {
    document = parser.parse(text);
  } catch (error) {
    return { ok: false, reason: `not nvidia-smi XML: ${errorMessage(error)}` };
  }
  const log = child(document as XmlNode, 'nvidia_smi_log');
  if (log === undefined || typeof log === 'string') {
    return {
      ok: false,
      reason: `not nvidia-smi XML: no <nvidia_smi_log> (starts ${excerpt(text)})`,
    };
  }
  const listed = log['gpu'];
  const gpus = (Array.isArray(listed) ? listed : []).map((node: XmlNode, position: number) => ({
    id: typeof node === 'string' ? '' : textOf(child(node, '@id')),
    position,
    node,
  }));
  return { ok: true, driverVersion: textOf(child(log, 'driver_version')), gpus };
}

function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  if (node === undefined || typeof node === 'string') return undefined;
  const found = node[name];
  return Array.isArray(found) ? (found[0] as XmlNode | undefined) : (found as XmlNode | undefined);
}

/** The text at a path of element names (`['pci', 'replay_counter']`); undefined if none. */
export function textAt(node: XmlNode, path: readonly string[]): string | undefined {
  let current: XmlNode | undefined = node;
  for (const name of path) current = child(current, name);
  if (current === undefined) return undefined;
  return typeof current === 'string' ? current : textOf(child(current, '#text'));
}

/** The first of several paths that has text: older and newer drivers name one value apart. */
export function firstTextAt(
  node: XmlNode,
  paths: readonly (readonly string[])[],
): string | undefined {
  for (const path of paths) {
    const text = textAt(node, path);
    if (text !== undefined) return text;
  }
  return undefined;
}

/** The names of an element's children (`[]` for text). */
export function childNames(node: XmlNode, path: readonly string[]): string[] {
  let current: XmlNode | undefined = node;
  for (const name of path) current = child(current, name);
  return current === undefined || typeof current === 'string' ? [] : Object.keys(current);
}

/** Every text of an element and its descendants, depth first. */
export function* texts(node: XmlNode): Generator<string> {
  if (typeof node === 'string') {
    yield node;
    return;
  }
  for (const value of Object.values(node)) {
    for (const item of Array.isArray(value) ? value : [value]) yield* texts(item as XmlNode);
  }
}

function textOf(node: XmlNode | undefined): string {
  return typeof node === 'string' ? node : '';
}

function excerpt(text: string): string {
  const flat = text.trim().replace(/\s+/g, ' ');
  return JSON.stringify(flat.length > 60 ? `${flat.slice(0, 60)}…` : flat);
}
