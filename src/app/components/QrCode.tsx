/**
 * A QR code drawn as one SVG path (uqr encodes it): sharp at any size, on screen and on
 * paper, with its text for screen readers beside it.
 */
import { encode } from 'uqr';

export function QrCode({ text, label, size = 200, testId }: { text: string; label: string; size?: number; testId?: string }) {
  const { data, size: modules } = encode(text, { ecc: 'M', border: 2 });
  let d = '';
  data.forEach((row, y) => row.forEach((dark, x) => (dark ? (d += `M${x} ${y}h1v1h-1z`) : undefined)));
  return (
    <svg
      class="qr"
      role="img"
      aria-label={label}
      width={size}
      height={size}
      viewBox={`0 0 ${modules} ${modules}`}
      shape-rendering="crispEdges"
      data-testid={testId}
      data-text={text}
    >
      <rect width={modules} height={modules} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
