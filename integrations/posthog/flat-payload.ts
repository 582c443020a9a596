/**
 * The PostHog destination kit's test support: reads the field list out of sightline-destination.hog,
 * and builds the flat payload that source sends for a given CDP event, with the same rules (target
 * element first, posthog-js unescaping, nearest link or button for the label), so the tests can
 * post exactly what PostHog would.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Path of the Hog source users paste into PostHog. */
export const destinationSourcePath = fileURLToPath(new URL('./sightline-destination.hog', import.meta.url));

/** The subset of PostHog's CDP `event` global the source reads. */
export interface CdpEvent {
  event: string;
  distinct_id: string;
  timestamp: string;
  elements_chain?: string;
  properties: Record<string, unknown>;
}

/** The subset of PostHog's CDP `person` global the source reads. */
export interface CdpPerson {
  properties: Record<string, unknown>;
}

/** The keys of the `payload` object literal in the Hog source, in source order. */
export function destinationPayloadFields(source = readFileSync(destinationSourcePath, 'utf8')): string[] {
  const block = /let payload := \{([\s\S]*?)\n\}/.exec(source)?.[1];
  if (!block) throw new Error('sightline-destination.hog has no `let payload := {...}` block');
  return [...block.matchAll(/^\s*'([^']+)':/gm)].map((match) => match[1] as string);
}

interface ChainElement {
  tag: string;
  attributes: Record<string, string>;
  end: number;
}

// Same walk as readElement() in the Hog source, 0-based.
function readElement(chain: string, start: number): ChainElement {
  const attributes: Record<string, string> = {};
  let index = start;
  let key = '';
  let value = '';
  let inValue = false;
  let tag = '';
  let inTag = true;
  while (index < chain.length) {
    const char = chain[index] as string;
    if (inValue) {
      if (char === '\\' && chain[index + 1] === '"') {
        value += '"';
        index += 2;
      } else if (char === '"') {
        attributes[key] = value;
        key = '';
        value = '';
        inValue = false;
        index += 1;
      } else {
        value += char;
        index += 1;
      }
    } else if (char === ';') {
      break;
    } else if (char === '=' && chain[index + 1] === '"') {
      inValue = true;
      inTag = false;
      index += 2;
    } else if (char === ':') {
      key = '';
      inTag = false;
      index += 1;
    } else {
      if (inTag) {
        if (char === '.') inTag = false;
        else tag += char;
      }
      key += char;
      index += 1;
    }
  }
  return { tag, attributes, end: index };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The flat object sightline-destination.hog sends for `event` (and `person`, when PostHog has one). */
export function flatPayloadFor(event: CdpEvent, person?: CdpPerson): Record<string, string | Record<string, unknown>> {
  const chain = event.elements_chain ?? '';
  const target = readElement(chain, 0);
  let control = target;
  let next = target.end + 1;
  for (let depth = 0; depth < 4 && next < chain.length && control.tag !== 'a' && control.tag !== 'button'; depth += 1) {
    const candidate = readElement(chain, next);
    if (candidate.tag === 'a' || candidate.tag === 'button') control = candidate;
    next = candidate.end + 1;
  }
  const properties = event.properties;
  const set = properties.$set as Record<string, unknown> | undefined;
  return {
    event: event.event,
    timestamp: event.timestamp,
    distinct_id: event.distinct_id,
    session_id: text(properties.$session_id),
    window_id: text(properties.$window_id),
    title: text(properties.title),
    groups: isRecord(properties.$groups) ? properties.$groups : {},
    event_type: text(properties.$event_type),
    current_url: text(properties.$current_url),
    referrer: text(properties.$referrer),
    email: text(properties.email) || text(person?.properties.email) || text(set?.email),
    elements_chain: chain,
    element_id: control.attributes.attr__id ?? target.attributes.attr__id ?? '',
    input_field_name: target.attributes.attr__name ?? '',
    link_destination: target.attributes.href ?? control.attributes.href ?? '',
    button_or_link_text: control.attributes.text ?? target.attributes.text ?? '',
  };
}
