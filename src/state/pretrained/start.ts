// "Start from": untrained, or a seed network trained on MNIST or Fashion-MNIST (issue 11). The
// choice lives in the URL (`?start=mnist`, a page key beside the settings, so a classroom link
// carries it) and in a small store of its own; the weights are fetched once per file, checked
// against public/pretrained/index.json's SHA-256, decoded, and kept in memory. actions.ts sends
// every fresh `init` through `whenStartReady`, so a new run, a restarted worker and a reset all
// start from the same weights. A file that is missing or fails its checksum is one plain notice,
// and the run starts untrained.
import { create } from 'zustand';
import type { TensorData } from '../../engine/types.ts';
import type { RunConfig } from '../../protocol/messages.ts';
import { useStudio } from '../store.ts';
import type { InvalidSetting } from '../url.ts';
import { decodePretrained, PretrainedError, sha256Hex } from './format.ts';
import {
  entryFor,
  parseIndex,
  START_CHOICES,
  TRAINED_ON,
  type PretrainedIndex,
  type StartChoice,
} from './manifest.ts';

export type StartWeights = Record<string, TensorData>;

interface StartFromState {
  choice: StartChoice;
  /** null until index.json is read, or when it could not be (then only "untrained" is offered). */
  index: PretrainedIndex | null;
  /** Weights are being fetched and checked: the run starts when they are. */
  loading: boolean;
}

export const useStartFrom = create<StartFromState>(() => ({ choice: 'untrained', index: null, loading: false }));

interface Fetched {
  ok: boolean;
  status: number;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}
interface Source {
  /** The folder index.json and the files are in, ending in "/". */
  base: string;
  fetch: (url: string) => Promise<Fetched>;
}
const BASE_URL = (import.meta as { env?: { BASE_URL?: string } }).env?.BASE_URL ?? '/';
let source: Source = { base: `${BASE_URL}pretrained/`, fetch: (u) => fetch(u) };
let url: { read(): string; write(search: string): void } | null = null;
let indexLoad: Promise<PretrainedIndex | null> | null = null;
const cache = new Map<string, StartWeights>();
/** Bumped by every init: a slow fetch for an init that a newer one replaced is dropped. */
let generation = 0;

/** Where the files come from (tests); forgets what was loaded. */
export function setPretrainedSource(s: Partial<Source>): void {
  source = { ...source, ...s };
  indexLoad = null;
  cache.clear();
  useStartFrom.setState({ index: null });
}

/** index.json, read once. Unreadable: null, and the control offers "untrained" only. */
export function loadIndex(): Promise<PretrainedIndex | null> {
  indexLoad ??= (async () => {
    try {
      const res = await source.fetch(`${source.base}index.json`);
      if (!res.ok) throw new Error(`index.json: HTTP ${res.status}`);
      const index = parseIndex(await res.text());
      useStartFrom.setState({ index });
      return index;
    } catch (err) {
      console.warn('page: no trained starting points', err);
      return null;
    }
  })();
  return indexLoad;
}

/** Reads `?start=` (the URL port is kept to write the choice back); an invalid value is named. */
export function startFromUrl(port: { read(): string; write(search: string): void }): InvalidSetting[] {
  url = port;
  const raw = new URLSearchParams(port.read()).get('start');
  const choice = START_CHOICES.find((c) => c === raw);
  useStartFrom.setState({ choice: choice ?? 'untrained' });
  if (raw === null || choice !== undefined) return [];
  const shown = [...raw].slice(0, 40).join('');
  return [{ key: 'start', value: shown, message: `"start=${shown}" is not valid (expected ${START_CHOICES.join(', ')}); using untrained.` }];
}

function writeChoice(choice: StartChoice): void {
  if (!url) return;
  const params = new URLSearchParams(url.read());
  if (choice === 'untrained') params.delete('start');
  else params.set('start', choice);
  const s = params.toString().replace(/%2C/g, ',');
  url.write(s === '' ? '' : `?${s}`);
}

/** Sets the choice (and the URL); the caller starts the new run (pretrained/actions.ts). */
export function setStartChoice(choice: StartChoice): void {
  useStartFrom.setState({ choice });
  writeChoice(choice);
}

/**
 * The built-in seed a fresh run of `config` would start trained, or null: untrained chosen, an
 * imported network, or the shapes set (its images are not the 28×28 grey ones the weights know).
 */
export function trainedSeed(config: Pick<RunConfig, 'net' | 'dataset'>): { net: string; choice: Exclude<StartChoice, 'untrained'> } | null {
  const { choice } = useStartFrom.getState();
  if (choice === 'untrained' || config.net.kind !== 'builtin' || config.dataset === 'shapes') return null;
  return { net: config.net.name, choice };
}

/** The weights the next init of `config` starts from, if they are at hand now (a restarted worker). */
export function startWeightsNow(config: Pick<RunConfig, 'net' | 'dataset'>): StartWeights | undefined {
  const seed = trainedSeed(config);
  return seed === null ? undefined : cache.get(`${seed.net}/${seed.choice}`);
}

/** Whether a fresh run of `config` starts from trained weights (then a reset is a new init). */
export function startsTrained(config: Pick<RunConfig, 'net' | 'dataset'>): boolean {
  return trainedSeed(config) !== null;
}

async function fetchWeights(net: string, choice: Exclude<StartChoice, 'untrained'>): Promise<StartWeights> {
  const index = await loadIndex();
  const entry = entryFor(index, net, choice);
  if (entry === null) throw new PretrainedError(index === null ? 'could not be listed' : 'do not ship with this page');
  let res: Fetched;
  try {
    res = await source.fetch(`${source.base}${entry.file}`);
  } catch {
    throw new PretrainedError('could not be downloaded');
  }
  if (!res.ok) throw new PretrainedError(`could not be downloaded (HTTP ${res.status})`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  if ((await sha256Hex(bytes)) !== entry.sha256) throw new PretrainedError('failed their checksum');
  const { header, weights } = decodePretrained(bytes);
  if (header.net !== net || header.dataset !== choice) throw new PretrainedError(`are for ${header.net} on ${header.dataset}`);
  return weights;
}

/**
 * Calls `send` with the weights a fresh run of `config` starts from (undefined: untrained): at once
 * when untrained or already loaded, otherwise once fetched and checked. A failure is one notice
 * and an untrained start.
 */
export function whenStartReady(
  config: Pick<RunConfig, 'net' | 'dataset'>,
  send: (weights: StartWeights | undefined) => void,
): void {
  const gen = ++generation;
  const seed = trainedSeed(config);
  if (seed === null) return send(undefined);
  const { net, choice } = seed;
  const key = `${net}/${choice}`;
  const hit = cache.get(key);
  if (hit) return send(hit);
  useStartFrom.setState({ loading: true });
  void fetchWeights(net, choice).then(
    (weights) => {
      cache.set(key, weights);
      if (gen !== generation) return;
      useStartFrom.setState({ loading: false });
      send(weights);
    },
    (err: unknown) => {
      if (gen !== generation) return;
      if (!(err instanceof PretrainedError)) console.warn('page: trained weights', err);
      const why = err instanceof PretrainedError ? err.message : 'could not be read';
      setStartChoice('untrained');
      useStartFrom.setState({ loading: false });
      useStudio.setState({ notice: `The weights of ${net} trained on ${TRAINED_ON[choice]} ${why}, so it starts untrained.` });
      send(undefined);
    },
  );
}

/** `query` (a share link's, "" or "?…") with the current choice added, so the link starts the same way. */
export function withStartQuery(query: string): string {
  const { choice } = useStartFrom.getState();
  if (choice === 'untrained') return query;
  return `${query === '' ? '?' : `${query}&`}start=${choice}`;
}
