/**
 * The dashboard's two pictures — outcomes, and CO2e avoided per day — drawn with Chart.js.
 * Its own chunk, loaded only by the dashboard, so it never weighs on the volunteers' first
 * screen. Each chart has a text summary for screen readers; the tables beside it carry the
 * same figures.
 */
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

export interface BarSeries {
  labels: string[];
  values: number[];
  /** Read aloud in place of the picture. */
  description: string;
  colour: string;
}

export function BarChart({ labels, values, description, colour }: BarSeries) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: { labels, datasets: [{ data: values, backgroundColor: colour, borderColor: '#1b1b1b', borderWidth: 1 }] },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true } },
      },
    });
    return () => chart.destroy();
  }, [labels.join('|'), values.join('|'), colour]);
  return (
    <div class="chart">
      <canvas ref={canvas} role="img" aria-label={description} />
    </div>
  );
}
