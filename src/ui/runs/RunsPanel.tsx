// Slot for the saved runs list (issue 4); renders nothing until it is built.
export function RunsPanel() {
  return null;
}
