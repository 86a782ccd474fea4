#!/usr/bin/env bash
# Packs the WebGPU step (gpu-step.ts) into out/morphnet-gpu/ and out/morphnet-gpu.tar.xz: the
# engine bundled by esbuild into one file, this machine's Node binary, Dawn's dawn.node, and the
# Vulkan loader where one can be found. Linux x64. See README.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
out="$here/out/morphnet-gpu"
dawn="${DAWN_NODE:-$here/node_modules/webgpu/dist/linux-x64/dawn.node}"
if [ ! -f "$dawn" ]; then
  echo "pack.sh: no dawn.node at $dawn: run 'npm install' in scripts/bench/gpu, or set DAWN_NODE" >&2
  exit 2
fi
rm -rf "$here/out"
mkdir -p "$out"
# ESM output with a require() for the CommonJS parts of tfjs; dawn.node is loaded at run time.
"$root/node_modules/.bin/esbuild" "$here/gpu-step.ts" --bundle --platform=node --format=esm --target=node20 \
  --minify --legal-comments=none --log-level=warning --outfile="$out/gpu-step.mjs" \
  --banner:js="import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"
cp "$dawn" "$out/dawn.node"
cp "$(command -v node)" "$out/node"
# Dawn dlopens libvulkan.so.1; the GPU machine's driver brings the NVIDIA ICD, not always the loader.
vk=/usr/lib/x86_64-linux-gnu/libvulkan.so.1
if [ -e "$vk" ]; then
  cp -L "$vk" "$out/libvulkan.so.1"
elif command -v apt-get >/dev/null && (cd "$here/out" && apt-get download libvulkan1 >/dev/null 2>&1); then
  dpkg-deb -x "$here"/out/libvulkan1_*.deb "$here/out/deb"
  cp -L "$here"/out/deb/usr/lib/x86_64-linux-gnu/libvulkan.so.1 "$out/libvulkan.so.1"
  rm -rf "$here/out/deb" "$here"/out/libvulkan1_*.deb
else
  echo "pack.sh: no Vulkan loader to pack (libvulkan.so.1): the GPU machine must have its own" >&2
fi
cat > "$out/run.sh" <<'RUN'
#!/bin/sh
# One command: sh run.sh [--batch N] [--rounds N]
d="$(cd "$(dirname "$0")" && pwd)"
LD_LIBRARY_PATH="$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" exec "$d/node" "$d/gpu-step.mjs" "$@"
RUN
chmod +x "$out/run.sh" "$out/node"
tar -cJf "$here/out/morphnet-gpu.tar.xz" -C "$here/out" morphnet-gpu
ls -l "$out" | awk 'NR > 1 { printf "  %-16s %6.1f MiB\n", $9, $5 / 1048576 }'
echo "pack.sh: $(du -m "$here/out/morphnet-gpu.tar.xz" | cut -f1) MiB in scripts/bench/gpu/out/morphnet-gpu.tar.xz"
