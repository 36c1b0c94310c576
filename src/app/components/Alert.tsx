/**
 * What went wrong, in words, announced to screen readers; nothing when nothing did. With
 * `focus`, it takes the focus when it appears, so the volunteer who tapped sees it (and a
 * screen reader reads it) even where the page had scrolled away.
 */
import { useEffect, useRef } from 'preact/hooks';

export function Alert({ text, id, focus = false }: { text: string | undefined; id?: string; focus?: boolean }) {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (focus && text) ref.current?.focus();
  }, [focus, text]);
  if (!text) return null;
  return (
    <p class="error" id={id} role="alert" ref={ref} tabIndex={focus ? -1 : undefined}>
      ⚠ {text}
    </p>
  );
}

/** What just went right, in words (a step taken, a record saved). */
export function Done({ text }: { text: string }) {
  if (!text) return null;
  return (
    <p class="notice" role="status">
      ✓ {text}
    </p>
  );
}
