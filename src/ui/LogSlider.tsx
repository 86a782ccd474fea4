// A range input on a log scale: strength and threshold span decades, and a linear slider would
// spend all its travel on the largest decade. Shows the value beside it and keeps a tooltip.
import { useId } from 'react';

export interface LogSliderProps {
  label: string;
  title: string;
  value: number;
  min: number;
  max: number;
  /** Slider positions per decade. */
  stepsPerDecade?: number;
  format: (v: number) => string;
  onChange: (v: number) => void;
}

/** Rounds to two significant digits so the URL and the label stay readable. */
export function roundSignificant(v: number): number {
  return Number(v.toPrecision(2));
}

export function LogSlider({
  label,
  title,
  value,
  min,
  max,
  stepsPerDecade = 20,
  format,
  onChange,
}: LogSliderProps) {
  const id = useId();
  const lo = Math.log10(min);
  const hi = Math.log10(max);
  return (
    <div className="field" title={title}>
      <label htmlFor={id}>{label}</label>
      <div className="slider-row">
        <input
          id={id}
          type="range"
          min={lo}
          max={hi}
          step={1 / stepsPerDecade}
          value={Math.log10(value)}
          aria-valuetext={format(value)}
          title={title}
          onChange={(e) => onChange(roundSignificant(10 ** Number(e.currentTarget.value)))}
        />
        <output htmlFor={id}>{format(value)}</output>
      </div>
    </div>
  );
}
