/** What went wrong, in words, announced to screen readers; nothing when nothing did. */
export function Alert({ text, id }: { text: string | undefined; id?: string }) {
  if (!text) return null;
  return (
    <p class="error" id={id} role="alert">
      ⚠ {text}
    </p>
  );
}
