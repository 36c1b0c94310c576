/**
 * Check-in by a volunteer's personal QR code, with no network: the phone's camera through
 * the browser — `BarcodeDetector` where the browser has it (Chrome on Android), else jsQR,
 * loaded only when the camera first opens — and, when no camera works, the short code typed.
 * Each code read checks its volunteer in (or out, when already in); the camera stays open for
 * the next in the queue, and the same code read again within a few seconds counts once.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { readVolunteerCode, volunteersByCode } from '../../../shared/hours.ts';
import type { SheetRow } from '../../../data/index.ts';
import { Alert } from '../../components/Alert.tsx';
import { TextField } from '../../components/Field.tsx';
import { useI18n } from '../../i18n.tsx';

/** How often a frame is looked at: enough for a queue, little for a cheap phone's CPU. */
const SCAN_INTERVAL_MS = 250;
/** The same code held in front of the camera counts once in this long. */
const SAME_CODE_QUIET_MS = 5_000;

type Decode = (frame: HTMLVideoElement, canvas: HTMLCanvasElement) => Promise<string | null>;

interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>;
}

/** The browser's own detector for QR codes, where it has one. */
async function nativeDecoder(): Promise<Decode | null> {
  const Ctor = (globalThis as { BarcodeDetector?: new (o: { formats: string[] }) => BarcodeDetectorLike }).BarcodeDetector;
  if (!Ctor) return null;
  try {
    const detector = new Ctor({ formats: ['qr_code'] });
    return async (frame) => (await detector.detect(frame))[0]?.rawValue ?? null;
  } catch {
    return null;
  }
}

/** jsQR over the frame drawn on a canvas, small enough for a cheap phone. */
async function libraryDecoder(): Promise<Decode> {
  const { default: jsQR } = await import('jsqr');
  return async (frame, canvas) => {
    const w = frame.videoWidth;
    const h = frame.videoHeight;
    if (!w || !h) return null;
    const scale = Math.min(1, 640 / Math.max(w, h));
    canvas.width = Math.round(w * scale);
    canvas.height = Math.round(h * scale);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) return null;
    ctx.drawImage(frame, 0, 0, canvas.width, canvas.height);
    const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
    return jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' })?.data ?? null;
  };
}

export interface ScanOutcome {
  /** What to say: checked in, checked out, or why not. */
  message: string;
  ok: boolean;
}

export function Scanner({ rows, onVolunteer }: { rows: readonly SheetRow[]; onVolunteer: (row: SheetRow) => Promise<ScanOutcome> }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [camera, setCamera] = useState<'starting' | 'on' | 'none'>('starting');
  const [outcome, setOutcome] = useState<ScanOutcome | null>(null);
  const [code, setCode] = useState('');
  const [choices, setChoices] = useState<SheetRow[]>([]);
  const video = useRef<HTMLVideoElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const last = useRef({ text: '', at: 0 });

  const take = async (text: string) => {
    const parsed = readVolunteerCode(text);
    if (!parsed) return setOutcome({ ok: false, message: t('scan.notOurs') });
    const found = volunteersByCode(
      rowsRef.current.map((r) => ({ ...r, id: r.volunteer.id })),
      parsed,
    );
    if (found.length === 0) return setOutcome({ ok: false, message: t('scan.notOnRoster') });
    if (found.length > 1) return setChoices(found);
    setChoices([]);
    setOutcome(await onVolunteer(found[0]!));
  };

  useEffect(() => {
    if (!open) return;
    let stopped = false;
    let stream: MediaStream | null = null;
    let timer = 0;
    void (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
      } catch {
        if (!stopped) setCamera('none');
        return;
      }
      if (stopped || !video.current) return stream.getTracks().forEach((tr) => tr.stop());
      video.current.srcObject = stream;
      await video.current.play().catch(() => undefined);
      const decode = (await nativeDecoder()) ?? (await libraryDecoder());
      if (stopped) return;
      setCamera('on');
      const tick = async () => {
        if (stopped || !video.current || !canvas.current) return;
        const text = await decode(video.current, canvas.current).catch(() => null);
        const now = Date.now();
        if (text && !(text === last.current.text && now - last.current.at < SAME_CODE_QUIET_MS)) {
          last.current = { text, at: now };
          await take(text);
        }
        if (!stopped) timer = window.setTimeout(() => void tick(), SCAN_INTERVAL_MS);
      };
      void tick();
    })();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, [open]);

  return (
    <details class="group" data-testid="scanner" open={open} onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>📷 {t('scan.title')}</summary>
      {open ? (
        <div class="scanner">
          {camera !== 'none' ? (
            <video ref={video} class="scanner-video" muted playsInline aria-label={t('scan.camera')} data-testid="scanner-video" />
          ) : (
            <p class="notice">{t('scan.noCamera')}</p>
          )}
          <canvas ref={canvas} hidden />
          {camera === 'starting' ? <p class="hint">{t('scan.starting')}</p> : null}
          {camera === 'on' ? <p class="hint">{t('scan.hint')}</p> : null}
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void take(code).then(() => setCode(''));
            }}
          >
            <TextField id="short-code" label={t('scan.shortCode')} value={code} onChange={setCode} max={12} autocomplete="off" />
            <button type="submit" class="secondary">
              {t('scan.useCode')}
            </button>
          </form>
          {choices.length > 1 ? (
            <div role="group" aria-label={t('scan.which')}>
              <p>{t('scan.which')}</p>
              {choices.map((row) => (
                <button
                  key={row.volunteer.id}
                  type="button"
                  class="secondary"
                  onClick={() => void onVolunteer(row).then((o) => (setChoices([]), setOutcome(o)))}
                >
                  {row.volunteer.name}
                  {row.volunteer.org ? ` · ${row.volunteer.org}` : ''}
                </button>
              ))}
            </div>
          ) : null}
          {outcome ? (
            outcome.ok ? (
              <p class="notice notice-ok" role="status" data-testid="scan-outcome">
                ✓ {outcome.message}
              </p>
            ) : (
              <Alert text={outcome.message} />
            )
          ) : null}
        </div>
      ) : null}
    </details>
  );
}
