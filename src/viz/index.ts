// The viz public surface for the page: components (pure props in, callbacks out) and layouts.
export { StructureDiagram, type StructureDiagramProps, type LayerCost } from './StructureDiagram.tsx';
export { GammaHistograms, type GammaHistogramsProps } from './GammaHistograms.tsx';
export { CostPanel, type CostPanelProps, type CostPoint } from './CostPanel.tsx';
export { Curves, type CurvesProps } from './Curves.tsx';
export { layoutStructure, type StructureLayout, type StructureOptions } from './layout/structure.ts';
export { layoutHistogram, stepThreshold, roundThreshold, type HistogramLayout } from './layout/histogram.ts';
export { layoutChart, layoutSparkline, type Series, type Point } from './layout/lines.ts';
export { formatCount, formatPercent, formatGamma } from './format.ts';
export { TradeoffChart, type TradeoffChartProps } from './TradeoffChart.tsx';
