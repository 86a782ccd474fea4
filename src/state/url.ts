// The run's settings live in the URL query (TensorFlow Playground's state.ts): it is the source
// of truth on load, and only values that differ from the defaults are written back, so a shared
// link stays short and the defaults can improve later without breaking old links.
import type { DatasetName } from '../engine/types.ts';
import { SETTING_LIMITS } from '../morphnet/limits.ts';
import type { Target } from '../morphnet/types.ts';
import type { BackendPreference } from '../protocol/messages.ts';

export const BUILTIN_NETS = ['resnet-mini', 'plain-cnn', 'inception-mini'] as const;
export const DATASETS: readonly DatasetName[] = ['mnist', 'fashion', 'shapes'];
export const BACKENDS: readonly BackendPreference[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];
export const TARGETS: readonly Target[] = ['flops', 'size', 'latency'];

export interface StudioSettings {
  backend: BackendPreference;
  net: string;
  dataset: DatasetName;
  target: Target;
  /** A multiple of 1 / F(seed) under the current target (MORPHNET.md §5). */
  strength: number;
  threshold: number;
  lr: number;
  batch: number;
  seed: number;
}

/**
 * Sensible for a person with a GPU, and the same as the CLI's `train` defaults so a run here and
 * one scripted in Node agree; the e2e tests shrink the run through the URL. Strength 5: on
 * resnet-mini/MNIST (batch 32, 150 steps) it cut FLOPs to 63% with task loss 0.30, where 20 cut
 * them to 37% but left task loss at 1.29, which looks broken to someone watching.
 */
export const DEFAULTS: StudioSettings = {
  backend: 'auto',
  net: 'resnet-mini',
  dataset: 'mnist',
  target: 'flops',
  strength: 5,
  threshold: 1e-2,
  lr: 0.05,
  batch: 32,
  seed: 1,
};

/** Slider and input limits; the URL is held to the same ones, and the CLI too (src/morphnet/limits.ts). */
export const LIMITS = SETTING_LIMITS;

export type SettingKey = keyof StudioSettings;
export const SETTING_KEYS: readonly SettingKey[] = [
  'backend',
  'net',
  'dataset',
  'target',
  'strength',
  'threshold',
  'lr',
  'batch',
  'seed',
];

export interface InvalidSetting {
  /**
   * The URL key: a setting, `hide` (the classroom list of hidden controls), or for a warning any
   * other key of the link (unknown, or repeated). Setting that setting clears the entry.
   */
  key: string;
  /** The value as the link had it, cut to MAX_SHOWN characters. */
  value: string;
  /** Plain words: what was wrong and what is used instead. */
  message: string;
}

/**
 * Keys the page reads besides the settings: the classroom `hide=` list, `test=1` (the test API),
 * the classroom flags `present=1` (presenter mode), `tour=1` (the guided tour) and `replay=1`
 * (the recorded run, with no training worker started), and `start=mnist|fashion` (the seed's
 * trained starting weights, state/pretrained).
 */
export const PAGE_KEYS: readonly string[] = ['hide', 'test', 'present', 'tour', 'replay', 'start'];
/** A value longer than this is refused unread: no setting needs more, and a message must not echo 200 kB. */
export const MAX_VALUE_LENGTH = 200;
/** Unknown keys named one by one; the rest are counted. */
const MAX_UNKNOWN_SHOWN = 5;
/** How much of a key or value a message shows. */
const MAX_SHOWN = 40;

/** A key or value as a message shows it: at most MAX_SHOWN characters, then an ellipsis. */
function cut(raw: string): string {
  const chars = [...raw];
  return chars.length > MAX_SHOWN ? `${chars.slice(0, MAX_SHOWN).join('')}…` : raw;
}

function oneOf<T extends string>(list: readonly T[], raw: string): T | undefined {
  return list.find((x) => x === raw);
}

function inRange(raw: string, min: number, max: number, integer: boolean): number | undefined {
  if (raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) return undefined;
  if (integer && !Number.isInteger(n)) return undefined;
  return n;
}

/** Parses one value; undefined when invalid. */
function parseValue(key: SettingKey, raw: string): StudioSettings[SettingKey] | undefined {
  switch (key) {
    case 'backend':
      return oneOf(BACKENDS, raw);
    case 'net':
      return oneOf(BUILTIN_NETS, raw);
    case 'dataset':
      return oneOf(DATASETS, raw);
    case 'target':
      return oneOf(TARGETS, raw);
    case 'strength':
    case 'threshold':
    case 'lr':
      return inRange(raw, LIMITS[key].min, LIMITS[key].max, false);
    case 'batch':
    case 'seed':
      return inRange(raw, LIMITS[key].min, LIMITS[key].max, true);
    default: {
      const never: never = key;
      return never;
    }
  }
}

function expected(key: SettingKey): string {
  switch (key) {
    case 'backend':
      return BACKENDS.join(', ');
    case 'net':
      return BUILTIN_NETS.join(', ');
    case 'dataset':
      return DATASETS.join(', ');
    case 'target':
      return TARGETS.join(', ');
    case 'batch':
    case 'seed':
      return `a whole number from ${LIMITS[key].min} to ${LIMITS[key].max}`;
    default:
      return `a number from ${LIMITS[key].min} to ${LIMITS[key].max}`;
  }
}

/** Whether `value` (from a saved run file, say) is a valid value of setting `key`, of the right type. */
export function isValidSetting(key: SettingKey, value: unknown): boolean {
  if (typeof value !== typeof DEFAULTS[key]) return false;
  if (typeof value !== 'string' && typeof value !== 'number') return false;
  return parseValue(key, String(value)) === value;
}

/**
 * The controls a classroom link can hide (`?hide=strength,lr,batch`): the settings a teacher may
 * want fixed for a lesson. The backend has no control of its own to hide.
 */
export const HIDEABLE_CONTROLS = [
  'target',
  'strength',
  'threshold',
  'lr',
  'batch',
  'seed',
  'dataset',
  'net',
] as const satisfies readonly SettingKey[];
export type ControlName = (typeof HIDEABLE_CONTROLS)[number];

/** The controls that `?hide=` hides, in HIDEABLE_CONTROLS order; unknown names are named. */
export function parseHidden(search: string): { hidden: ControlName[]; invalid: InvalidSetting | null } {
  const raw = new URLSearchParams(search).get('hide');
  if (raw === null) return { hidden: [], invalid: null };
  const length = [...raw].length;
  if (length > MAX_VALUE_LENGTH) {
    const message = `"hide=${cut(raw)}" (${length} characters) is too long (at most ${MAX_VALUE_LENGTH}); hiding none.`;
    return { hidden: [], invalid: { key: 'hide', value: cut(raw), message } };
  }
  const names = raw
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  const unknown = names.filter((n) => !(HIDEABLE_CONTROLS as readonly string[]).includes(n));
  const hidden = HIDEABLE_CONTROLS.filter((c) => names.includes(c));
  const invalid: InvalidSetting | null =
    unknown.length === 0
      ? null
      : {
          key: 'hide',
          value: raw,
          message: `"hide=${raw}": ${unknown.map((n) => `"${cut(n)}"`).join(', ')} ${unknown.length === 1 ? 'is not a control' : 'are not controls'} (expected ${HIDEABLE_CONTROLS.join(', ')}); ${hidden.length > 0 ? `hiding ${hidden.join(', ')}` : 'hiding none'}.`,
        };
  return { hidden, invalid };
}

/**
 * The query of a link that reproduces a run: its settings (non-defaults only) and, for a
 * classroom link, the controls to hide. Other parameters are dropped.
 */
export function shareQuery(settings: StudioSettings, hidden: readonly ControlName[] = []): string {
  const params = new URLSearchParams(serializeSettings(settings));
  const hide = HIDEABLE_CONTROLS.filter((c) => hidden.includes(c));
  if (hide.length > 0) params.set('hide', hide.join(','));
  // Commas are safe in a query and keep the list readable.
  const s = params.toString().replace(/%2C/g, ',');
  return s === '' ? '' : `?${s}`;
}

/**
 * Reads settings from a query string; each invalid value (and unknown `hide` name) is named and
 * its default used. `warnings` name what the link holds that the page ignores: unknown keys, and
 * keys given more than once (the first wins, as URLSearchParams.get reads it).
 */
export function parseSettings(search: string): {
  settings: StudioSettings;
  invalid: InvalidSetting[];
  warnings: InvalidSetting[];
} {
  const params = new URLSearchParams(search);
  const settings: StudioSettings = { ...DEFAULTS };
  const invalid: InvalidSetting[] = [];
  const warnings = linkWarnings(params);
  for (const key of SETTING_KEYS) {
    const raw = params.get(key);
    if (raw === null) continue;
    const length = [...raw].length;
    if (length > MAX_VALUE_LENGTH) {
      invalid.push({
        key,
        value: cut(raw),
        message: `"${key}=${cut(raw)}" (${length} characters) is too long to be a setting (at most ${MAX_VALUE_LENGTH}); using ${String(DEFAULTS[key])}.`,
      });
      continue;
    }
    const value = parseValue(key, raw);
    if (value === undefined) {
      invalid.push({
        key,
        value: cut(raw),
        message: `"${key}=${cut(raw)}" is not valid (expected ${expected(key)}); using ${String(DEFAULTS[key])}.`,
      });
    } else {
      (settings as unknown as Record<SettingKey, unknown>)[key] = value;
    }
  }
  const hide = parseHidden(search).invalid;
  if (hide) invalid.push(hide);
  return { settings, invalid, warnings };
}

/** Unknown keys and repeated keys, in the order the link first names them. */
function linkWarnings(params: URLSearchParams): InvalidSetting[] {
  const known = new Set<string>([...SETTING_KEYS, ...PAGE_KEYS]);
  const seen = new Map<string, string[]>();
  for (const [key, value] of params) seen.set(key, [...(seen.get(key) ?? []), value]);
  const warnings: InvalidSetting[] = [];
  let unknown = 0;
  for (const [key, values] of seen) {
    const first = values[0] ?? '';
    if (!known.has(key)) {
      // A link of 10,000 made-up keys gets a few lines, not 10,000.
      if (++unknown <= MAX_UNKNOWN_SHOWN) {
        warnings.push({ key: cut(key), value: cut(first), message: `ignored unknown setting "${cut(key)}" in the link.` });
      }
    } else if (values.length > 1) {
      const shown = values.slice(0, 3).map((v) => `"${cut(v)}"`);
      const all = [...shown, ...(values.length > 3 ? ['…'] : [])].join(', ');
      warnings.push({
        key,
        value: cut(first),
        message: `"${key}" is in the link ${values.length} times (${all}); only the first, "${cut(first)}", counts.`,
      });
    }
  }
  if (unknown > MAX_UNKNOWN_SHOWN) {
    const more = unknown - MAX_UNKNOWN_SHOWN;
    warnings.push({ key: '…', value: '', message: `ignored ${more} more unknown setting${more === 1 ? '' : 's'} in the link.` });
  }
  return warnings;
}

/** The query string for these settings: only values that differ from the defaults, in a fixed order. */
export function serializeSettings(settings: StudioSettings, extra?: URLSearchParams): string {
  const params = new URLSearchParams(extra);
  for (const key of SETTING_KEYS) params.delete(key);
  for (const key of SETTING_KEYS) {
    if (settings[key] !== DEFAULTS[key]) params.set(key, String(settings[key]));
  }
  const s = params.toString();
  return s === '' ? '' : `?${s}`;
}
