/**
 * A resident's readings over time — blood pressure (systolic and diastolic) or glucose —
 * as lines with points, drawn by Chart.js in a chunk of its own (loaded with the resident's
 * page, precached for offline). The table beside it holds the same numbers, and the picture
 * has a text description for screen readers.
 */
import { CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';

Chart.register(LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

export interface TrendSeries {
  label: string;
  values: (number | null)[];
  colour: string;
  /** Dashed or solid, so two lines differ by more than colour. */
  dashed?: boolean;
  point: 'circle' | 'triangle' | 'rect';
}

export interface TrendProps {
  labels: string[];
  series: TrendSeries[];
  description: string;
}

export function TrendChart({ labels, series, description }: TrendProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: 'line',
      data: {
        labels,
        datasets: series.map((s) => ({
          label: s.label,
          data: s.values,
          borderColor: s.colour,
          backgroundColor: s.colour,
          borderDash: s.dashed ? [6, 4] : [],
          pointStyle: s.point,
          pointRadius: 4,
          spanGaps: true,
        })),
      },
      options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { position: 'bottom' } } },
    });
    return () => chart.destroy();
  }, [labels.join('|'), JSON.stringify(series)]);
  return (
    <div class="chart">
      <canvas ref={canvas} role="img" aria-label={description} />
    </div>
  );
}
