// The page's network Import takes a Keras model (model.to_json()) as well as a studio spec: the
// resnet-like fixture becomes the network the page trains; a layer it cannot build is one line.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { FAST } from './helpers.ts';
import { StudioPage } from './studio.page.ts';

const keras = readFileSync(
  new URL('../src/morphnet/testing/keras/resnet-keras3.json', import.meta.url),
  'utf8',
);
const json = (name: string, text: string) => ({
  name,
  mimeType: 'application/json',
  buffer: Buffer.from(text),
});

test('import a Keras model: it becomes the network; an unsupported layer is named', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.goto({ ...FAST, backend: 'cpu' });
  const input = page.getByLabel('Import a network spec JSON file');

  const bad = JSON.parse(keras) as { config: { layers: { class_name: string }[] } };
  bad.config.layers[5]!.class_name = 'LayerNormalization';
  await input.setInputFiles(json('bad.json', JSON.stringify(bad)));
  await expect(page.getByRole('alert').filter({ hasText: 'bad.json' })).toHaveText(
    'bad.json: layer "b1_bn1" (LayerNormalization) is not supported: the studio builds conv, depthwise, add, concat, maxpool, global average pool and dense',
  );

  await input.setInputFiles(json('resnet.json', keras));
  await expect(page.getByRole('combobox', { name: 'Seed network' })).toHaveValue('__imported__');
  await expect(page.getByRole('option', { name: 'Imported: resnet_like' })).toBeAttached();
  const s = await studio.waitFor('the Keras network is built', (st) => st.ready && 'tower_b' in st.widths);
  expect(s.widths).toEqual({ stem: 16, b1_conv1: 16, b1_conv2: 16, tower_a: 8, tower_b: 8 });
  expect(s.specError).toBeNull();
});
