// Slot for FLOPs and size twin runs side by side (issue 4); renders nothing until it is built.
export function TwinSection() {
  return null;
}
