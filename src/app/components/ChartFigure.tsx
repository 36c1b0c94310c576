/**
 * A chart with its title, kept together: on paper the title never ends one page with its
 * picture on the next (`break-inside: avoid` on the figure).
 */
import type { ComponentChildren } from 'preact';

export function ChartFigure({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <figure class="chart-block" data-chart={title}>
      <figcaption>{title}</figcaption>
      {children}
    </figure>
  );
}
