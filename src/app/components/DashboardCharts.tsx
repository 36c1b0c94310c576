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

const MANY_LABELS = 12;
const LINE_CHARS = 8;

/** A label longer than a line, as lines: at a bracket or space where there is one, else every few characters. */
export function wrapLabel(label: string): string | string[] {
  if (label.length <= LINE_CHARS) return label;
  const cut = label.search(/[（(]/);
  if (cut > 0) return [label.slice(0, cut), label.slice(cut)];
  const words = label.split(' ');
  if (words.length > 1) {
    const lines: string[] = [];
    for (const w of words) {
      const last = lines.at(-1);
      if (last !== undefined && last.length + w.length < LINE_CHARS * 2) lines[lines.length - 1] = `${last} ${w}`;
      else lines.push(w);
    }
    return lines;
  }
  return label.match(new RegExp(`.{1,${LINE_CHARS}}`, 'gu')) ?? [label];
}

export function BarChart({ labels, values, description, colour }: BarSeries) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels: labels.map(wrapLabel),
        datasets: [{ data: values, backgroundColor: colour, borderColor: '#1b1b1b', borderWidth: 1 }],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        // sharp on paper too
        devicePixelRatio: Math.max(2, window.devicePixelRatio),
        plugins: { legend: { display: false } },
        // labels stay level (slanted ones ran over the next heading on paper): a long one on two
        // lines; only a long run of days skips some — a category is never left unnamed
        scales: {
          x: { ticks: { maxRotation: 0, autoSkip: labels.length > MANY_LABELS } },
          // counts in whole numbers
          y: { beginAtZero: true, ticks: values.every(Number.isInteger) ? { precision: 0 } : {} },
        },
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
