// The page's network import takes a Keras / TensorFlow.js Layers model.json as well as a spec.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { importKeras } from '../morphnet/import-keras.ts';
import { useStudio } from '../state/store.ts';
import { importSpecFile } from './NetworkPicker.tsx';

const fixture = (name: string) =>
  readFileSync(new URL(`../morphnet/testing/keras/${name}`, import.meta.url), 'utf8');
const file = (name: string, text: string) => ({ name, size: text.length, text: () => Promise.resolve(text) });

afterEach(() => useStudio.setState({ importedSpec: null, specError: null }));

describe('importSpecFile', () => {
  it.each(['resnet-keras2.json', 'tfjs-sequential-model.json'])(
    'imports %s as its converted spec',
    async (name) => {
      const text = fixture(name);
      await importSpecFile(file(name, text));
      expect(useStudio.getState().specError).toBeNull();
      expect(useStudio.getState().importedSpec).toEqual(importKeras(text, name));
    },
  );

  it('shows the converter line for a layer the studio cannot build, and keeps the network', async () => {
    const m = JSON.parse(fixture('tfjs-sequential-model.json')) as {
      modelTopology: { config: { layers: { class_name: string; config: { name: string } }[] } };
    };
    m.modelTopology.config.layers[1] = { class_name: 'AveragePooling2D', config: { name: 'avg' } };
    await importSpecFile(file('model.json', JSON.stringify(m)));
    expect(useStudio.getState().specError).toBe(
      'model.json: layer "avg" (AveragePooling2D) is not supported: the studio builds conv, depthwise, add, concat, maxpool, global average pool and dense',
    );
    expect(useStudio.getState().importedSpec).toBeNull();
  });
});
