// Slot for the trade-off chart (issue 4); renders nothing until it is built.
export function TradeoffSection() {
  return null;
}
