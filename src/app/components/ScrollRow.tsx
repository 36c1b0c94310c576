/**
 * A row of chips that may be wider than the phone: where some are out of sight, the edge
 * fades and an arrow says more are there (and which way), so none is cut off unseen.
 */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

export function ScrollRow({ children, ...rest }: { children: ComponentChildren } & JSX.HTMLAttributes<HTMLDivElement>) {
  const ref = useRef<HTMLDivElement>(null);
  const [hidden, setHidden] = useState({ left: false, right: false });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setHidden({ left: el.scrollLeft > 1, right: el.scrollLeft + el.clientWidth < el.scrollWidth - 1 });
    measure();
    el.addEventListener('scroll', measure, { passive: true });
    const seen = new ResizeObserver(measure);
    seen.observe(el);
    return () => (el.removeEventListener('scroll', measure), seen.disconnect());
  }, []);
  return (
    <div class={`scroll-row${hidden.left ? ' more-left' : ''}${hidden.right ? ' more-right' : ''}`} data-more-right={hidden.right}>
      <div ref={ref} {...rest}>
        {children}
      </div>
      {hidden.left ? (
        <span class="scroll-hint scroll-hint-left" aria-hidden="true">
          ‹
        </span>
      ) : null}
      {hidden.right ? (
        <span class="scroll-hint scroll-hint-right" aria-hidden="true">
          ›
        </span>
      ) : null}
    </div>
  );
}
