/** One line of a record's facts: a label and its value in a `<dl>`. */
import type { ComponentChildren } from 'preact';

export function Fact({ label, prewrap = false, children }: { label: string; prewrap?: boolean; children: ComponentChildren }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd class={prewrap ? 'prewrap' : undefined}>{children}</dd>
    </div>
  );
}
